package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shared benchmark workloads compile and accept exactly their instances' languages. */
class BenchCasesTest {

  static JsonNode cases() throws IOException {
    return new ObjectMapper().readTree(SharedData.require("bench/cases.json").toFile());
  }

  @Test
  void regexAndChoiceWorkloads() throws IOException {
    int checked = 0;
    for (JsonNode c : cases()) {
      String kind = c.get("kind").asText();
      List<String> instances = new ArrayList<>();
      c.get("instances").forEach(n -> instances.add(n.asText()));
      if (kind.equals("regex")) {
        String spec = c.get("spec").asText();
        CompiledConstraint cc = Regex.compile(spec);
        Pattern jp = Pattern.compile(spec);
        for (String s : instances) {
          assertTrue(cc.matches(s), s);
          String near = s + "x";
          assertEquals(jp.matcher(near).matches(), cc.matches(near), near);
          String cut = s.substring(0, s.length() - 1);
          assertEquals(jp.matcher(cut).matches(), cc.matches(cut), cut);
        }
        checked++;
      } else if (kind.equals("choice")) {
        List<String> options = new ArrayList<>();
        c.get("spec").forEach(n -> options.add(n.asText()));
        CompiledConstraint cc = Choice.compile(options);
        Set<String> set = new HashSet<>(options);
        for (String s : instances) {
          assertTrue(cc.matches(s), s);
        }
        for (String s : options) {
          assertTrue(cc.matches(s));
          assertEquals(set.contains(s + "0"), cc.matches(s + "0"));
          assertFalse(cc.matches(s + "!"));
        }
        assertEquals(cc.dfa().stateCount(), cc.dfa().minimize().stateCount());
        checked++;
      }
    }
    assertEquals(3, checked, "regex_code, regex_email and choice_10k");
  }
}
