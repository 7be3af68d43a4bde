package io.guidepost.service.grounding;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads documents from NDJSON: one JSON object per line, {@code {"id": "...", "title": "...",
 * "text": "...", "metadata": {"k": "v"}}}.
 *
 * <p>Rules: {@code id} and {@code text} are required strings, {@code title} is an optional string
 * or null, {@code metadata} an optional object whose values are strings, numbers or booleans
 * (numbers and booleans are kept as their JSON text); any other field, a nested metadata value, an
 * id seen on an earlier line, or a line that is not one JSON object is rejected with {@link
 * GroundingException.MalformedLine} and its 1-based line number. Blank lines and a leading byte
 * order mark are skipped (so a trailing newline is fine). Nothing is returned unless every line is
 * valid.
 *
 * <p>Uses Jakarta JSON Processing (the server's {@code jsonp} feature; Parsson in tests).
 * Stateless; thread-safe. Cost: linear in the input.
 */
final class NdjsonDocuments {
  static final String SOURCE = "NDJSON";

  private NdjsonDocuments() {}

  /** Parses and validates every line; at most {@code limits.maxDocumentsPerIngest()} documents. */
  static List<Document> read(Reader in, GroundingLimits limits) {
    List<Document> docs = new ArrayList<>();
    Map<String, Long> firstLineOfId = new HashMap<>();
    try (BufferedReader r = new BufferedReader(in)) {
      CodeListParser.skipByteOrderMark(r);
      long lineNumber = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        if (docs.size() == limits.maxDocumentsPerIngest()) {
          throw new GroundingException.LimitExceeded(
              "max-documents-per-ingest",
              limits.maxDocumentsPerIngest(),
              docs.size() + 1L,
              SOURCE + " line " + lineNumber + ": too many documents in one request");
        }
        Document d = parseLine(line, lineNumber);
        String problem = DocumentRules.problem(d, limits);
        if (problem != null) {
          throw new GroundingException.MalformedLine(SOURCE, lineNumber, problem);
        }
        DocumentRules.checkSize(d, limits, SOURCE + " line " + lineNumber);
        Long earlier = firstLineOfId.putIfAbsent(d.id(), lineNumber);
        if (earlier != null) {
          throw new GroundingException.MalformedLine(
              SOURCE, lineNumber, "id '" + d.id() + "' repeats the id of line " + earlier);
        }
        docs.add(d);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  private static Document parseLine(String line, long lineNumber) {
    JsonValue value;
    try (JsonReader reader = Json.createReader(new StringReader(line))) {
      value = reader.readValue();
    } catch (JsonParsingException e) {
      throw new GroundingException.MalformedLine(
          SOURCE,
          lineNumber,
          "invalid JSON at column " + e.getLocation().getColumnNumber() + ": " + e.getMessage());
    } catch (JsonException e) {
      throw new GroundingException.MalformedLine(
          SOURCE, lineNumber, "invalid JSON: " + e.getMessage());
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new GroundingException.MalformedLine(
          SOURCE,
          lineNumber,
          "expected a JSON object, got "
              + value.getValueType().name().toLowerCase(java.util.Locale.ROOT));
    }
    JsonObject o = value.asJsonObject();
    String id = null;
    String title = null;
    String text = null;
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : o.entrySet()) {
      JsonValue v = e.getValue();
      switch (e.getKey()) {
        case "id" -> id = requireString(v, "id", lineNumber);
        case "text" -> text = requireString(v, "text", lineNumber);
        case "title" ->
            title =
                v.getValueType() == JsonValue.ValueType.NULL
                    ? null
                    : requireString(v, "title", lineNumber);
        case "metadata" -> readMetadata(v, metadata, lineNumber);
        default ->
            throw new GroundingException.MalformedLine(
                SOURCE,
                lineNumber,
                "unknown field '" + e.getKey() + "' (expected id, title, text, metadata)");
      }
    }
    if (id == null) {
      throw new GroundingException.MalformedLine(SOURCE, lineNumber, "field 'id' is missing");
    }
    if (text == null) {
      throw new GroundingException.MalformedLine(SOURCE, lineNumber, "field 'text' is missing");
    }
    return new Document(id, title, text, metadata);
  }

  private static String requireString(JsonValue v, String field, long lineNumber) {
    if (v.getValueType() != JsonValue.ValueType.STRING) {
      throw new GroundingException.MalformedLine(
          SOURCE,
          lineNumber,
          "field '"
              + field
              + "' must be a string, got "
              + v.getValueType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return ((JsonString) v).getString();
  }

  private static void readMetadata(JsonValue v, Map<String, String> into, long lineNumber) {
    if (v.getValueType() == JsonValue.ValueType.NULL) {
      return;
    }
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new GroundingException.MalformedLine(
          SOURCE,
          lineNumber,
          "field 'metadata' must be an object, got "
              + v.getValueType().name().toLowerCase(java.util.Locale.ROOT));
    }
    for (Map.Entry<String, JsonValue> e : v.asJsonObject().entrySet()) {
      JsonValue mv = e.getValue();
      String s =
          switch (mv.getValueType()) {
            case STRING -> ((JsonString) mv).getString();
            case NUMBER, TRUE, FALSE -> mv.toString();
            default ->
                throw new GroundingException.MalformedLine(
                    SOURCE,
                    lineNumber,
                    "metadata value '"
                        + e.getKey()
                        + "' must be a string, number or boolean, got "
                        + mv.getValueType().name().toLowerCase(java.util.Locale.ROOT));
          };
      into.put(e.getKey(), s);
    }
  }
}
