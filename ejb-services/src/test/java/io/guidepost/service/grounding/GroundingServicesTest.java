package io.guidepost.service.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundingServicesTest {
  @TempDir Path dataDir;

  @Test
  void beansOwnTheirStoresUnderTheDataDirectory() {
    CorpusService corpora = new CorpusService();
    CodeListService codeLists = new CodeListService();
    assertThrows(IllegalStateException.class, corpora::store);
    corpora.start(dataDir, GroundingLimits.DEFAULTS);
    codeLists.start(dataDir, GroundingLimits.DEFAULTS);
    corpora.store().create("docs", null);
    corpora.store().ingestText("docs", "d", null, "Grounded text.");
    codeLists.store().load("codes", CodeListOptions.csv(null), new StringReader("A,alpha\n"));
    assertTrue(Files.isDirectory(dataDir.resolve("corpora/docs/index")));
    assertTrue(Files.isDirectory(dataDir.resolve("codelists/codes/index")));
    corpora.stop();
    codeLists.stop();

    CorpusService again = new CorpusService();
    again.start(dataDir, GroundingLimits.DEFAULTS);
    assertEquals(1, again.store().search("docs", "grounded", 1).size());
    again.stop();
    CodeListService listsAgain = new CodeListService();
    listsAgain.start(dataDir, GroundingLimits.DEFAULTS);
    assertEquals(List.of("A"), listsAgain.store().codes("codes"));
    listsAgain.stop();
  }

  @Test
  void configurationKeys() {
    Map<String, String> cfg =
        Map.of(
            "guidepost.data.dir", "/srv/data",
            "guidepost.grounding.max-corpora", "7",
            "guidepost.grounding.max-document-bytes", "10000000000");
    assertEquals(Path.of("/srv/data"), GroundingConfig.dataDir(cfg::get));
    GroundingLimits l = GroundingConfig.limits(cfg::get);
    assertEquals(7, l.maxCorpora());
    assertEquals(10_000_000_000L, l.maxDocumentBytes());
    assertEquals(GroundingLimits.DEFAULTS.maxTopK(), l.maxTopK());
    assertEquals(GroundingLimits.DEFAULTS, GroundingConfig.limits(k -> null));

    var e = assertThrows(IllegalStateException.class, () -> GroundingConfig.dataDir(k -> null));
    assertEquals("guidepost.data.dir is not configured", e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> GroundingConfig.limits(Map.of("guidepost.grounding.max-top-k", "0")::get));
    assertEquals(
        "guidepost.grounding.max-top-k must be an integer from 1 to 2147483647, got '0'",
        e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> GroundingConfig.limits(Map.of("guidepost.grounding.max-corpora", "many")::get));
    assertEquals(
        "guidepost.grounding.max-corpora must be an integer from 1 to 2147483647, got 'many'",
        e.getMessage());
  }
}
