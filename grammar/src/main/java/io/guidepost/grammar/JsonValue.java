package io.guidepost.grammar;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable JSON value as read by {@link JsonReader}: objects keep their members in document
 * order, numbers keep their exact decimal value.
 *
 * <p>Equality follows JSON Schema's notion of instance equality: numbers compare by numeric value
 * ({@code 1.0} equals {@code 1}), objects compare as unordered maps, arrays element by element.
 *
 * <p>Thread-safety: immutable. Cost: equality is linear in the size of the values compared.
 */
sealed interface JsonValue {

  /** The JSON Schema type name of this value ("integer" for numbers with no fraction). */
  String typeName();

  /** {@code null}. */
  record Null() implements JsonValue {
    static final Null INSTANCE = new Null();

    @Override
    public String typeName() {
      return "null";
    }
  }

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements JsonValue {
    @Override
    public String typeName() {
      return "boolean";
    }
  }

  /** A number, exactly. */
  record Num(BigDecimal value) implements JsonValue {
    @Override
    public String typeName() {
      return isInteger() ? "integer" : "number";
    }

    /** True when the value has no fractional part. */
    boolean isInteger() {
      return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Num n && n.value.compareTo(value) == 0;
    }

    @Override
    public int hashCode() {
      return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }
  }

  /** A string (UTF-16, as decoded from the JSON text). */
  record Str(String value) implements JsonValue {
    @Override
    public String typeName() {
      return "string";
    }
  }

  /** An array. */
  record Arr(List<JsonValue> elements) implements JsonValue {
    public Arr {
      elements = List.copyOf(elements);
    }

    @Override
    public String typeName() {
      return "array";
    }
  }

  /** An object; {@code members} iterates in document order (the last of duplicate keys wins). */
  record Obj(Map<String, JsonValue> members) implements JsonValue {
    public Obj {
      members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    @Override
    public String typeName() {
      return "object";
    }

    JsonValue get(String key) {
      return members.get(key);
    }
  }
}
