package io.guidepost.decoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The settings of an onnxruntime-genai {@code genai_config.json} that the decoding loop needs:
 * special token ids, context length, logits width ({@code vocab_size}), decoder file and geometry,
 * tensor names (with {@code %d} for the layer index) and whether past and present KV share a
 * buffer.
 *
 * <p>Immutable and thread-safe (the eos array is copied in and out). Parsing costs one JSON read.
 *
 * @param positionIdsName the {@code position_ids} input name, or {@code null} when the config does
 *     not list one
 */
public record GenaiConfig(
    String modelType,
    int bosTokenId,
    int[] eosTokenIds,
    int padTokenId,
    int contextLength,
    int vocabSize,
    String decoderFilename,
    int headSize,
    int hiddenSize,
    int numAttentionHeads,
    int numHiddenLayers,
    int numKeyValueHeads,
    String inputIdsName,
    String attentionMaskName,
    String positionIdsName,
    String pastKeyNames,
    String pastValueNames,
    String logitsName,
    String presentKeyNames,
    String presentValueNames,
    boolean pastPresentShareBuffer,
    int maxLength) {

  /** The configuration's file name inside a model folder. */
  public static final String FILE_NAME = "genai_config.json";

  public GenaiConfig {
    eosTokenIds = eosTokenIds.clone();
  }

  @Override
  public int[] eosTokenIds() {
    return eosTokenIds.clone();
  }

  /** Whether {@code tokenId} ends generation. */
  public boolean isEos(int tokenId) {
    for (int e : eosTokenIds) {
      if (e == tokenId) {
        return true;
      }
    }
    return false;
  }

  public String pastKeyName(int layer) {
    return String.format(Locale.ROOT, pastKeyNames, layer);
  }

  public String pastValueName(int layer) {
    return String.format(Locale.ROOT, pastValueNames, layer);
  }

  public String presentKeyName(int layer) {
    return String.format(Locale.ROOT, presentKeyNames, layer);
  }

  public String presentValueName(int layer) {
    return String.format(Locale.ROOT, presentValueNames, layer);
  }

  /**
   * Reads {@code genai_config.json} from a model folder.
   *
   * @throws ModelFolderException ({@code MISSING_FILE}, {@code INVALID_CONFIG}) naming the missing
   *     or malformed setting by its JSON path
   */
  public static GenaiConfig read(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new ModelFolderException(
          ModelFolderException.Kind.MISSING_FILE, folder, "missing " + FILE_NAME + " in " + folder);
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new ModelFolderException(
          ModelFolderException.Kind.INVALID_CONFIG,
          folder,
          FILE_NAME + " is not valid JSON: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new ModelFolderException(
          ModelFolderException.Kind.MISSING_FILE, folder, "cannot read " + file + ": " + e, e);
    }
    Reader r = new Reader(folder, root);
    JsonNode eosNode = r.node("/model/eos_token_id");
    int[] eos;
    if (eosNode.isArray()) {
      eos = new int[eosNode.size()];
      for (int i = 0; i < eos.length; i++) {
        if (!eosNode.get(i).canConvertToInt()) {
          throw r.invalid("/model/eos_token_id/" + i, "must be an integer");
        }
        eos[i] = eosNode.get(i).intValue();
      }
    } else if (eosNode.canConvertToInt()) {
      eos = new int[] {eosNode.intValue()};
    } else {
      throw r.invalid("/model/eos_token_id", "must be an integer or an array of integers");
    }
    if (eos.length == 0) {
      throw r.invalid("/model/eos_token_id", "must name at least one id");
    }
    int vocabSize = r.positiveInt("/model/vocab_size");
    for (int e : eos) {
      if (e < 0 || e >= vocabSize) {
        throw r.invalid("/model/eos_token_id", "id " + e + " is outside vocab_size " + vocabSize);
      }
    }
    int contextLength = r.positiveInt("/model/context_length");
    JsonNode maxLength = root.at("/search/max_length");
    JsonNode share = root.at("/search/past_present_share_buffer");
    JsonNode pos = root.at("/model/decoder/inputs/position_ids");
    GenaiConfig c =
        new GenaiConfig(
            r.text("/model/type"),
            r.intOr("/model/bos_token_id", 1),
            eos,
            r.intOr("/model/pad_token_id", eos[0]),
            contextLength,
            vocabSize,
            r.text("/model/decoder/filename"),
            r.positiveInt("/model/decoder/head_size"),
            r.positiveInt("/model/decoder/hidden_size"),
            r.positiveInt("/model/decoder/num_attention_heads"),
            r.positiveInt("/model/decoder/num_hidden_layers"),
            r.positiveInt("/model/decoder/num_key_value_heads"),
            r.text("/model/decoder/inputs/input_ids"),
            r.text("/model/decoder/inputs/attention_mask"),
            pos.isTextual() ? pos.asText() : null,
            r.pattern("/model/decoder/inputs/past_key_names"),
            r.pattern("/model/decoder/inputs/past_value_names"),
            r.text("/model/decoder/outputs/logits"),
            r.pattern("/model/decoder/outputs/present_key_names"),
            r.pattern("/model/decoder/outputs/present_value_names"),
            share.isBoolean() && share.booleanValue(),
            maxLength.canConvertToInt() ? maxLength.intValue() : contextLength);
    if (c.bosTokenId < 0 || c.bosTokenId >= vocabSize) {
      throw r.invalid(
          "/model/bos_token_id", "id " + c.bosTokenId + " is outside vocab_size " + vocabSize);
    }
    if (c.padTokenId < 0 || c.padTokenId >= vocabSize) {
      throw r.invalid(
          "/model/pad_token_id", "id " + c.padTokenId + " is outside vocab_size " + vocabSize);
    }
    if (c.decoderFilename.contains("/") || c.decoderFilename.contains("\\")) {
      throw r.invalid("/model/decoder/filename", "must be a file name inside the folder");
    }
    if (c.numAttentionHeads % c.numKeyValueHeads != 0) {
      throw r.invalid(
          "/model/decoder/num_key_value_heads",
          c.numKeyValueHeads + " does not divide num_attention_heads " + c.numAttentionHeads);
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GenaiConfig g && toString().equals(g.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** Every setting, the end-of-sequence ids by value (records print arrays by identity). */
  @Override
  public String toString() {
    return "GenaiConfig[type="
        + modelType
        + ", bos="
        + bosTokenId
        + ", eos="
        + Arrays.toString(eosTokenIds)
        + ", pad="
        + padTokenId
        + ", context="
        + contextLength
        + ", vocab_size="
        + vocabSize
        + ", decoder="
        + decoderFilename
        + ", head_size="
        + headSize
        + ", hidden="
        + hiddenSize
        + ", heads="
        + numAttentionHeads
        + ", layers="
        + numHiddenLayers
        + ", kv_heads="
        + numKeyValueHeads
        + ", inputs="
        + List.of(inputIdsName, attentionMaskName, String.valueOf(positionIdsName))
        + ", past="
        + List.of(pastKeyNames, pastValueNames)
        + ", outputs="
        + List.of(logitsName, presentKeyNames, presentValueNames)
        + ", share_buffer="
        + pastPresentShareBuffer
        + ", max_length="
        + maxLength
        + "]";
  }

  /** JSON-path helpers that fail with the path in the message. */
  private record Reader(Path folder, JsonNode root) {

    JsonNode node(String path) {
      JsonNode n = root.at(path);
      if (n.isMissingNode() || n.isNull()) {
        throw new ModelFolderException(
            ModelFolderException.Kind.INVALID_CONFIG,
            folder,
            FILE_NAME + ": missing " + path.substring(1).replace('/', '.'));
      }
      return n;
    }

    ModelFolderException invalid(String path, String why) {
      return new ModelFolderException(
          ModelFolderException.Kind.INVALID_CONFIG,
          folder,
          FILE_NAME + ": " + path.substring(1).replace('/', '.') + " " + why);
    }

    String text(String path) {
      JsonNode n = node(path);
      if (!n.isTextual() || n.asText().isEmpty()) {
        throw invalid(path, "must be a non-empty string");
      }
      return n.asText();
    }

    String pattern(String path) {
      String s = text(path);
      if (!s.contains("%d")) {
        throw invalid(path, "must contain %d for the layer index, found '" + s + "'");
      }
      return s;
    }

    int positiveInt(String path) {
      JsonNode n = node(path);
      if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() <= 0) {
        throw invalid(path, "must be a positive integer, found " + n);
      }
      return n.intValue();
    }

    int intOr(String path, int fallback) {
      JsonNode n = root.at(path);
      if (n.isMissingNode() || n.isNull()) {
        return fallback;
      }
      if (!n.isIntegralNumber()) {
        throw invalid(path, "must be an integer, found " + n);
      }
      return n.intValue();
    }
  }
}
