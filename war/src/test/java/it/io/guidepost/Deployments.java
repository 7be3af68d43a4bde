package it.io.guidepost;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployments of the integration tests: the war the build produced, as users get it. */
final class Deployments {
  private Deployments() {}

  /** The built {@code guidepost.war} (path from the build's {@code guidepost.war} property). */
  static WebArchive builtWar() {
    String path = System.getProperty("guidepost.war", "target/guidepost.war");
    File war = new File(path);
    if (!war.isFile()) {
      throw new IllegalStateException("built war not found at " + war.getAbsolutePath());
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }
}
