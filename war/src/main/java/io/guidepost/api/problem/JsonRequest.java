package io.guidepost.api.problem;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A request body parsed as one JSON object, with typed accessors that fail with a 400 problem
 * naming the JSON pointer of the offending member. Resources read bodies through this class so
 * malformed JSON, wrong types and out-of-range values all get the same precise answers.
 */
public final class JsonRequest {
  private final JsonObject object;
  private final String pointer;

  private JsonRequest(JsonObject object, String pointer) {
    this.object = object;
    this.pointer = pointer;
  }

  /** Parses a request body; malformed JSON or a non-object is a 400 with line and column. */
  public static JsonRequest parse(String body) {
    if (body == null || body.isBlank()) {
      throw new ProblemException(
          Problem.of(400, "invalid-json", "Malformed JSON", "The request body is empty."));
    }
    try (JsonReader r = Json.createReader(new StringReader(body))) {
      JsonValue v = r.readValue();
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ProblemException.invalidRequest(
            "", "The request body must be a JSON object, not " + describe(v) + ".");
      }
      return new JsonRequest(v.asJsonObject(), "");
    } catch (JsonParsingException e) {
      JsonLocation at = e.getLocation();
      Problem p = Problem.of(400, "invalid-json", "Malformed JSON", "Malformed JSON: " + clean(e));
      if (at != null) {
        p.with("line", at.getLineNumber())
            .with("column", at.getColumnNumber())
            .with("offset", at.getStreamOffset());
      }
      throw new ProblemException(p);
    } catch (JsonException e) {
      throw new ProblemException(
          Problem.of(400, "invalid-json", "Malformed JSON", "Malformed JSON: " + clean(e)));
    }
  }

  /** Wraps an object found at {@code pointer} inside a request. */
  public static JsonRequest of(JsonObject object, String pointer) {
    return new JsonRequest(object, pointer);
  }

  private static String clean(Exception e) {
    String m = e.getMessage();
    return m == null ? "unreadable body" : m;
  }

  /** The underlying object. */
  public JsonObject json() {
    return object;
  }

  /** The JSON pointer of this object inside the request. */
  public String pointer() {
    return pointer;
  }

  /** The pointer of a member of this object (RFC 6901 escaping). */
  public String pointer(String member) {
    return pointer + "/" + member.replace("~", "~0").replace("/", "~1");
  }

  /** True when the member is present and not null. */
  public boolean has(String member) {
    JsonValue v = object.get(member);
    return v != null && v.getValueType() != JsonValue.ValueType.NULL;
  }

  /** Rejects members not in {@code allowed} (typos must not be silently ignored). */
  public JsonRequest onlyMembers(Set<String> allowed) {
    for (String k : object.keySet()) {
      if (!allowed.contains(k)) {
        throw ProblemException.invalidRequest(
            pointer(k),
            "Unknown member \"" + k + "\". Allowed: " + String.join(", ", allowed) + ".");
      }
    }
    return this;
  }

  private JsonValue get(String member, JsonValue.ValueType type, String typeName) {
    JsonValue v = object.get(member);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v.getValueType() != type
        && !(type == JsonValue.ValueType.TRUE && v.getValueType() == JsonValue.ValueType.FALSE)) {
      throw ProblemException.invalidRequest(
          pointer(member), "\"" + member + "\" must be " + typeName + ", not " + describe(v) + ".");
    }
    return v;
  }

  /** A required string member. */
  public String requireString(String member) {
    String s = optString(member, null);
    if (s == null) {
      throw ProblemException.invalidRequest(
          pointer(member), "\"" + member + "\" is required (a string).");
    }
    return s;
  }

  /** An optional string member. */
  public String optString(String member, String dflt) {
    JsonValue v = get(member, JsonValue.ValueType.STRING, "a string");
    return v == null ? dflt : ((JsonString) v).getString();
  }

  /** An optional boolean member. */
  public boolean optBoolean(String member, boolean dflt) {
    JsonValue v = get(member, JsonValue.ValueType.TRUE, "a boolean");
    return v == null ? dflt : v.getValueType() == JsonValue.ValueType.TRUE;
  }

  /** An optional integer member within {@code [min, max]}. */
  public int optInt(String member, int dflt, int min, int max) {
    JsonValue v = get(member, JsonValue.ValueType.NUMBER, "an integer");
    if (v == null) {
      return dflt;
    }
    JsonNumber n = (JsonNumber) v;
    if (!n.isIntegral()) {
      throw ProblemException.invalidRequest(
          pointer(member), "\"" + member + "\" must be an integer, not " + n + ".");
    }
    BigDecimal d = n.bigDecimalValue();
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw ProblemException.invalidRequest(
          pointer(member),
          "\"" + member + "\" must be between " + min + " and " + max + ", not " + n + ".");
    }
    return d.intValueExact();
  }

  /** An optional long member (any 64-bit integer). */
  public Long optLong(String member) {
    JsonValue v = get(member, JsonValue.ValueType.NUMBER, "an integer");
    if (v == null) {
      return null;
    }
    JsonNumber n = (JsonNumber) v;
    try {
      return n.bigDecimalValue().longValueExact();
    } catch (ArithmeticException e) {
      throw ProblemException.invalidRequest(
          pointer(member), "\"" + member + "\" must be a 64-bit integer, not " + n + ".");
    }
  }

  /** An optional number member within {@code [min, max]}. */
  public double optDouble(String member, double dflt, double min, double max) {
    JsonValue v = get(member, JsonValue.ValueType.NUMBER, "a number");
    if (v == null) {
      return dflt;
    }
    double d = ((JsonNumber) v).doubleValue();
    if (!(d >= min && d <= max)) {
      throw ProblemException.invalidRequest(
          pointer(member),
          "\"" + member + "\" must be between " + min + " and " + max + ", not " + v + ".");
    }
    return d;
  }

  /** An optional object member. */
  public JsonRequest optObject(String member) {
    JsonValue v = get(member, JsonValue.ValueType.OBJECT, "an object");
    return v == null ? null : new JsonRequest(v.asJsonObject(), pointer(member));
  }

  /** A required object member. */
  public JsonRequest requireObject(String member) {
    JsonRequest o = optObject(member);
    if (o == null) {
      throw ProblemException.invalidRequest(
          pointer(member), "\"" + member + "\" is required (an object).");
    }
    return o;
  }

  /** An optional array member. */
  public JsonArray optArray(String member) {
    JsonValue v = get(member, JsonValue.ValueType.ARRAY, "an array");
    return v == null ? null : v.asJsonArray();
  }

  /** A required array member. */
  public JsonArray requireArray(String member) {
    JsonArray a = optArray(member);
    if (a == null) {
      throw ProblemException.invalidRequest(
          pointer(member), "\"" + member + "\" is required (an array).");
    }
    return a;
  }

  /** A required array of strings. */
  public List<String> requireStrings(String member) {
    JsonArray a = requireArray(member);
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonValue v = a.get(i);
      if (v.getValueType() != JsonValue.ValueType.STRING) {
        throw ProblemException.invalidRequest(
            pointer(member) + "/" + i,
            "\"" + member + "\" must hold strings only; item " + i + " is " + describe(v) + ".");
      }
      out.add(((JsonString) v).getString());
    }
    return out;
  }

  /** Each element of an array member as an object request, with its pointer. */
  public List<JsonRequest> requireObjects(String member) {
    JsonArray a = requireArray(member);
    List<JsonRequest> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonValue v = a.get(i);
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ProblemException.invalidRequest(
            pointer(member) + "/" + i,
            "\"" + member + "\" must hold objects only; item " + i + " is " + describe(v) + ".");
      }
      out.add(new JsonRequest(v.asJsonObject(), pointer(member) + "/" + i));
    }
    return out;
  }

  /** "a string", "an object", "null"... for messages. */
  public static String describe(JsonValue v) {
    return switch (v.getValueType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      case NULL -> "null";
    };
  }
}
