package io.guidepost.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatMessageTest {

  @Test
  void rendersThePhi3ChatFormat() {
    String p =
        ChatMessage.phi3Prompt(
            List.of(
                new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hi"),
                new ChatMessage("assistant", "Hello."),
                new ChatMessage("user", "Code?")));
    assertEquals(
        "<|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello.<|end|>\n"
            + "<|user|>\nCode?<|end|>\n<|assistant|>\n",
        p);
  }

  @Test
  void rejectsUnknownRolesControlTextAndAMissingUserTurn() {
    InvalidGenerationException e =
        assertThrows(InvalidGenerationException.class, () -> new ChatMessage("tool", "x"));
    assertEquals("role", e.member());
    e = assertThrows(InvalidGenerationException.class, () -> new ChatMessage("user", "a<|end|>b"));
    assertEquals("content", e.member());
    assertThrows(
        InvalidGenerationException.class,
        () -> ChatMessage.phi3Prompt(List.of(new ChatMessage("assistant", "x"))));
    assertThrows(InvalidGenerationException.class, () -> ChatMessage.phi3Prompt(List.of()));
  }
}
