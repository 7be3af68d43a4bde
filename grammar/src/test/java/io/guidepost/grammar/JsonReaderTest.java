package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema reader and the canonical writer. */
class JsonReaderTest {

  @Test
  void keepsMemberOrderAndExactNumbers() {
    JsonValue v =
        JsonReader.parse("{\"b\":1.10,\"a\":[null,true,\"x\\u00e9\\ud83d\\ude00\"],\"c\":-0}");
    JsonValue.Obj o = (JsonValue.Obj) v;
    assertEquals(List.of("b", "a", "c"), List.copyOf(o.members().keySet()));
    assertEquals(new BigDecimal("1.10"), ((JsonValue.Num) o.get("b")).value());
    assertEquals(
        "{\"b\":1.1,\"a\":[null,true,\"x\u00e9\uD83D\uDE00\"],\"c\":0}", JsonText.write(v, null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"a\":} | 5",
        "[1,] | 3",
        "01 | 1",
        "\"\\x\" | 2",
        "\"\\ud800\" | 8",
        "{\"a\":1}x | 7",
        "tru | 0",
      })
  void syntaxErrorsCarryTheOffset(String text, int offset) {
    InvalidConstraintException e =
        assertThrows(InvalidConstraintException.class, () -> JsonReader.parse(text));
    assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void canonicalStringsRoundTrip(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(8);
      for (int j = 0; j < len; j++) {
        int cp;
        do {
          cp = r.nextInt(4) == 0 ? r.nextInt(0x40) : r.nextInt(0x110000);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        sb.appendCodePoint(cp);
      }
      String s = sb.toString();
      String lit = JsonText.string(s);
      assertEquals(s, ((JsonValue.Str) JsonReader.parse(lit)).value());
      assertTrue(JsonLangs.STRING.accepts(lit), lit);
    }
  }

  @Test
  void numbersCompareByValue() {
    assertEquals(JsonReader.parse("1.0"), JsonReader.parse("1"));
    assertEquals("integer", JsonReader.parse("1.0").typeName());
    assertEquals("100", JsonText.number(new BigDecimal("1E+2")));
  }
}
