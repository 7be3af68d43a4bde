package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * No native-memory growth over many short generations. The loop runs in a child JVM whose Java heap
 * is fixed and pre-touched ({@code -Xms=-Xmx=192m -XX:+AlwaysPreTouch}), so that its resident set
 * size (VmRSS from /proc/self/status) moves only with native memory; RSS after a warm-up of 1,500
 * generations and after the run may differ by at most {@link #TOLERANCE_BYTES}. A leak of the
 * per-generation buffers (about 150 KB of KV cache, logits and mask each) would add about 150 MB
 * per 1,000 generations. Measured on the demo model: about +5 MB after 1,000 and +11 to +14 MB
 * after 10,000 and 30,000 (JIT code and malloc arenas settling: it does not grow with the count).
 * The 10,000-generation run (every tenth cancelled) takes a few seconds on the demo model and runs
 * in every build.
 */
@EnabledOnOs(OS.LINUX)
class GeneratorMemoryTest {

  static final long TOLERANCE_BYTES = 24L << 20;

  @Test
  void tenThousandGenerationsDoNotGrowNativeMemory() throws Exception {
    assertNoGrowth(10_000);
  }

  private static void assertNoGrowth(int generations) throws Exception {
    Path folder = DemoModelFixture.folder(DemoModelSpec.defaults()).toAbsolutePath();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xms192m",
                "-Xmx192m",
                "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                folder.toString(),
                Integer.toString(generations))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe finished");
    assertEquals(0, p.exitValue(), output);
    String last = output.lines().filter(l -> l.startsWith("RSS ")).reduce("", (a, b) -> b);
    List<String> parts = List.of(last.split(" "));
    long before = Long.parseLong(parts.get(1));
    long after = Long.parseLong(parts.get(2));
    long tokens = Long.parseLong(parts.get(3));
    assertTrue(tokens >= generations, "generated " + tokens + " tokens");
    assertTrue(
        after - before <= TOLERANCE_BYTES,
        "RSS grew by " + ((after - before) >> 10) + " KiB over " + generations + " generations");
  }

  static long rss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  /** The child JVM: prints {@code RSS <before> <after> <tokens>}. */
  static final class Probe {
    public static void main(String[] args) throws IOException {
      int generations = Integer.parseInt(args[1]);
      try (Generator g =
          Generator.open(Path.of(args[0]), ModelOptions.defaults().withIntraOpThreads(1))) {
        GenerationRequest req = GenerationRequest.raw("The patient", 4);
        for (int i = 0; i < 1500; i++) {
          g.generate(req, null, null);
        }
        System.gc();
        long before = rss();
        long tokens = 0;
        for (int i = 0; i < generations; i++) {
          GenerationControl control = new GenerationControl();
          if (i % 10 == 9) {
            control.cancel(); // cancelled generations must free their buffers too
          } else {
            tokens += g.generate(req, null, null, control).generatedTokens();
            continue;
          }
          g.generate(req, null, null, control);
          tokens++;
        }
        System.gc();
        long after = rss();
        System.out.println("RSS " + before + " " + after + " " + tokens);
      }
    }
  }
}
