package it.io.guidepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.guidepost.service.ServiceInfo;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs inside Liberty: the EJBs of ejb-services are injectable into the application. */
@ExtendWith(ArquillianExtension.class)
class ServiceInfoInContainerIT {

  @Deployment
  static WebArchive deployment() {
    return Deployments.builtWar().addClasses(ServiceInfoInContainerIT.class, Deployments.class);
  }

  @Inject ServiceInfo injected;

  @EJB ServiceInfo looked;

  @Test
  void singletonIsInjectedAndStarted() {
    assertNotNull(injected, "CDI injection of the EJB");
    assertNotNull(injected.startedAt(), "startup singleton ran @PostConstruct");
    assertEquals(ServiceInfo.ModelStatus.READY, injected.modelStatus());
    assertEquals(injected.version(), looked.version());
    assertSame(injected.startedAt(), looked.startedAt(), "one singleton instance");
  }
}
