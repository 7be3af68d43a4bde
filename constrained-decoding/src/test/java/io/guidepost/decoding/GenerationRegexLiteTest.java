package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.guidepost.grammar.ByteDfa;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded duel of the test-only regex compiler against java.util.regex. */
class GenerationRegexLiteTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[A-Z][0-9]{2}(\\.[0-9]{1,2})?",
        "(ab|a)*b?",
        "\\{\"k\": (0|[1-9][0-9]?|1[0-2][0-9]|130)\\}",
        "a{0,3}(b|c)+[^ab]{1,2}",
        "(male|female|other)"
      })
  void agreesWithJavaUtilRegex(String regex) {
    ByteDfa dfa = GenerationRegexLite.compile(regex);
    Pattern p = Pattern.compile(regex);
    String alphabet = "abcAZ019.{}\": 3malefotr";
    Random r = new Random(regex.hashCode());
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String s = i % 3 == 0 ? example(dfa, r) : sb.toString();
      assertEquals(
          p.matcher(s).matches(), dfa.matches(s.getBytes(StandardCharsets.UTF_8)), regex + " " + s);
    }
  }

  /** A random accepted-or-not walk through the DFA, to hit the positive side often. */
  private static String example(ByteDfa dfa, Random r) {
    StringBuilder sb = new StringBuilder();
    int s = dfa.initialState();
    for (int step = 0; step < 20; step++) {
      if (dfa.isAccepting(s) && r.nextInt(3) == 0) {
        break;
      }
      int b = r.nextInt(128);
      int t = dfa.step(s, b);
      if (t >= 0 && dfa.isLive(t)) {
        sb.append((char) b);
        s = t;
      }
    }
    return sb.toString();
  }
}
