package io.guidepost.service;

import java.util.List;
import java.util.Set;

/**
 * One chat turn: role {@code system}, {@code user} or {@code assistant}, and its text.
 *
 * @param role the speaker
 * @param content the text of the turn
 */
public record ChatMessage(String role, String content) {
  /** The roles the Phi-3 chat format has. */
  public static final Set<String> ROLES = Set.of("system", "user", "assistant");

  /** Control-token text that must not appear inside a turn (it would be read as a token). */
  private static final List<String> CONTROL_TEXT =
      List.of("<|system|>", "<|user|>", "<|assistant|>", "<|end|>", "<|endoftext|>");

  public ChatMessage {
    if (!ROLES.contains(role)) {
      throw new InvalidGenerationException(
          "role", "Unknown role \"" + role + "\": use system, user or assistant.");
    }
    if (content == null) {
      throw new InvalidGenerationException("content", "A message needs content.");
    }
    for (String c : CONTROL_TEXT) {
      if (content.contains(c)) {
        throw new InvalidGenerationException(
            "content", "Message content must not contain the control token text " + c + ".");
      }
    }
  }

  /**
   * The Phi-3 chat prompt for a conversation: {@code
   * <|system|>\n...<|end|>\n<|user|>\n...<|end|>\n} per turn, then {@code <|assistant|>\n} to start
   * the answer. No BOS. The conversation must end with a user turn and contain one.
   */
  public static String phi3Prompt(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      throw new InvalidGenerationException("messages", "At least one message is required.");
    }
    if (!messages.getLast().role().equals("user")) {
      throw new InvalidGenerationException("messages", "The last message must have role user.");
    }
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      sb.append("<|").append(m.role()).append("|>\n").append(m.content()).append("<|end|>\n");
    }
    return sb.append("<|assistant|>\n").toString();
  }
}
