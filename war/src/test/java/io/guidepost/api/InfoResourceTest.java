package io.guidepost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.guidepost.service.ServiceInfo;
import org.junit.jupiter.api.Test;

class InfoResourceTest {

  @Test
  void reportsServiceVersionAndModelStatus() {
    InfoResource resource = new InfoResource();
    resource.serviceInfo =
        new ServiceInfo() {
          @Override
          public String version() {
            return "9.8.7";
          }

          @Override
          public ModelStatus modelStatus() {
            return ModelStatus.READY;
          }

          @Override
          public String modelId() {
            return "guidepost-demo";
          }

          @Override
          public boolean demoModel() {
            return true;
          }
        };
    InfoResource.InfoResponse info = resource.info();
    assertEquals("guidepost", info.service());
    assertEquals("9.8.7", info.version());
    assertEquals("ready", info.model().status());
    assertEquals("guidepost-demo", info.model().id());
    assertEquals(true, info.model().demo());
  }
}
