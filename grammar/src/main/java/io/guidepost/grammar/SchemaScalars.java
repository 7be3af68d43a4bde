package io.guidepost.grammar;

import static io.guidepost.grammar.JsonSchemaCompiler.display;
import static io.guidepost.grammar.SchemaKeyOrder.orEmpty;

import io.guidepost.grammar.JsonSchemaCompiler.Lang;
import io.guidepost.grammar.JsonStructures.Presence;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Values and scalar types of {@link JsonSchemaCompiler}: {@code enum} and {@code const} values,
 * numbers ({@code minimum}, {@code maximum}, their exclusive forms, {@code multipleOf}; {@code
 * integer}) and strings ({@code minLength}, {@code maxLength}, {@code pattern}, {@code format}),
 * with the readers of count- and number-valued keywords the other parts share.
 */
final class SchemaScalars {
  private static final int MAX_MULTIPLE_OF_STATES = 4096;

  private final SchemaCompileState st;
  private final JsonStructures json;
  private final JsonSchemaOptions options;
  private final GrammarLimits limits;

  SchemaScalars(SchemaCompileState st, JsonStructures json) {
    this.st = st;
    this.json = json;
    this.options = st.options;
    this.limits = st.limits;
  }

  // ---------------------------------------------------------------------------------------------
  // enum / const

  Lang valuesLang(List<JsonValue> values, Ctx ctx) {
    List<CharLang> ls = new ArrayList<>();
    for (JsonValue v : values) {
      ls.add(valueLang(v, ctx));
    }
    return Lang.of(CharLang.union(ls));
  }

  /**
   * The texts of one value: literal, except that numbers take every exponent-free spelling of their
   * value ({@link JsonLangs#spellings}; {@code enum} and {@code const} compare numbers by value, in
   * draft-04 too), so values containing numbers are built structurally.
   */
  CharLang valueLang(JsonValue v, Ctx ctx) {
    if (v instanceof JsonValue.Num n) {
      return JsonLangs.spellings(CharLang.literal(JsonText.number(n.value())), true);
    }
    if ((options.maxWhitespaceRun() == 0 && !containsNumber(v))
        || v instanceof JsonValue.Null
        || v instanceof JsonValue.Bool
        || v instanceof JsonValue.Str) {
      return CharLang.literal(JsonText.write(v, ctx));
    }
    if (v instanceof JsonValue.Arr a) {
      List<CharLang> parts = new ArrayList<>();
      for (JsonValue e : a.elements()) {
        parts.add(valueLang(e, orEmpty(ctx.items)));
      }
      return json.arrayOf(parts, null, parts.size(), parts.size());
    }
    JsonValue.Obj o = (JsonValue.Obj) v;
    List<CharLang> members = new ArrayList<>();
    List<Presence> modes = new ArrayList<>();
    for (String k : ctx.order(o)) {
      members.add(
          json.member(JsonLangs.stringLiteral(k), valueLang(o.get(k), st.childCtx(ctx, k))));
      modes.add(Presence.REQUIRED);
    }
    return json.objectOf(members, modes, null, 0, 0, -1);
  }

  private static boolean containsNumber(JsonValue v) {
    return switch (v) {
      case JsonValue.Num n -> true;
      case JsonValue.Arr a -> a.elements().stream().anyMatch(SchemaScalars::containsNumber);
      case JsonValue.Obj o -> o.members().values().stream().anyMatch(SchemaScalars::containsNumber);
      default -> false;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // numbers and strings

  static int count(JsonValue.Obj o, String kw, String ptr) {
    JsonValue v = o.get(kw);
    if (v == null) {
      return -1;
    }
    if (v instanceof JsonValue.Num n && n.isInteger() && n.value().signum() >= 0) {
      BigInteger b = n.value().toBigInteger();
      return b.bitLength() > 31 ? Integer.MAX_VALUE : b.intValue();
    }
    throw SchemaException.invalid(ptr + "/" + kw, kw, "must be a non-negative integer");
  }

  private static BigDecimal number(JsonValue.Obj o, String kw, String ptr) {
    JsonValue v = o.get(kw);
    if (v == null || v instanceof JsonValue.Bool) {
      return null;
    }
    if (v instanceof JsonValue.Num n) {
      return n.value();
    }
    throw SchemaException.invalid(ptr + "/" + kw, kw, "must be a number");
  }

  /**
   * Numbers valid against the number keywords: the canonical numbers in range (digit-wise range
   * constructions) that are multiples ({@link JsonLangs#multiplesOf}), closed under the other
   * exponent-free spellings of their values ({@link JsonLangs#spellings}; integers with a zero
   * fraction only where the dialect counts them as integers, see {@link
   * JsonSchemaCompiler#draft04(JsonValue)}). With no bound and no {@code multipleOf}, {@code
   * number} is every JSON number, exponents included; exponent spellings of bounded values are not
   * generated (a bound on them is not regular) and are accepted by {@link
   * CompiledConstraint#accepts} through their canonical spelling.
   */
  Lang numberLang(JsonValue.Obj o, String ptr, boolean integerOnly) {
    BigDecimal lo = number(o, "minimum", ptr);
    BigDecimal hi = number(o, "maximum", ptr);
    boolean loEx = false;
    boolean hiEx = false;
    if (o.get("exclusiveMinimum") instanceof JsonValue.Bool b) {
      loEx = b.value() && lo != null;
    } else {
      BigDecimal x = number(o, "exclusiveMinimum", ptr);
      if (x != null && (lo == null || x.compareTo(lo) >= 0)) {
        lo = x;
        loEx = true;
      }
    }
    if (o.get("exclusiveMaximum") instanceof JsonValue.Bool b) {
      hiEx = b.value() && hi != null;
    } else {
      BigDecimal x = number(o, "exclusiveMaximum", ptr);
      if (x != null && (hi == null || x.compareTo(hi) <= 0)) {
        hi = x;
        hiEx = true;
      }
    }
    for (BigDecimal b : new BigDecimal[] {lo, hi}) {
      if (b != null && b.abs().compareTo(BigDecimal.TEN.pow(400)) > 0) {
        throw SchemaException.unsupported(ptr, "minimum", "bounds beyond 1e400 are not supported");
      }
    }
    BigInteger ilo = null;
    BigInteger ihi = null;
    if (lo != null) {
      ilo =
          loEx
              ? lo.setScale(0, RoundingMode.FLOOR).toBigIntegerExact().add(BigInteger.ONE)
              : lo.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }
    if (hi != null) {
      ihi =
          hiEx
              ? hi.setScale(0, RoundingMode.CEILING).toBigIntegerExact().subtract(BigInteger.ONE)
              : hi.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }
    CharLang lang = lo == null && hi == null ? JsonLangs.INT : JsonLangs.intRange(ilo, ihi);
    if (!integerOnly) {
      CharLang frac = JsonLangs.NONINT;
      if (lo != null) {
        frac = frac.intersect(JsonLangs.atLeast(lo));
        if (loEx) {
          frac = frac.minus(CharLang.literal(JsonText.number(lo)));
        }
      }
      if (hi != null) {
        frac = frac.intersect(JsonLangs.atMost(hi));
        if (hiEx) {
          frac = frac.minus(CharLang.literal(JsonText.number(hi)));
        }
      }
      lang = lang.union(frac);
    }
    BigDecimal m = number(o, "multipleOf", ptr);
    if (m != null) {
      if (m.signum() <= 0) {
        throw SchemaException.invalid(ptr + "/multipleOf", "multipleOf", "must be greater than 0");
      }
      CharLang mult = JsonLangs.multiplesOf(m, MAX_MULTIPLE_OF_STATES);
      if (mult == null) {
        throw SchemaException.unsupported(
            ptr + "/multipleOf",
            "multipleOf",
            "multipleOf "
                + JsonText.number(m)
                + " needs a remainder automaton larger than "
                + MAX_MULTIPLE_OF_STATES
                + " states");
      }
      lang = lang.intersect(mult);
    } else if (!integerOnly && lo == null && hi == null) {
      return Lang.of(JsonLangs.ANY_NUMBER);
    }
    return Lang.of(JsonLangs.spellings(lang, !(integerOnly && st.draft04)));
  }

  CharLang pattern(String p, String ptr, String kw) {
    CharLang cached = st.patterns.get(p);
    if (cached != null) {
      return cached;
    }
    CharLang l;
    try {
      l = Regex.toLang(p, false);
    } catch (ConstraintException e) {
      if (e instanceof ConstraintTooComplexException tc) {
        throw tc;
      }
      String why = "pattern " + JsonText.string(p) + ": " + e.getMessage();
      throw "regex-syntax".equals(e.type())
          ? SchemaException.invalid(ptr, kw, why)
          : SchemaException.unsupported(ptr, kw, why);
    }
    st.patterns.put(p, l);
    return l;
  }

  /**
   * The content language of {@code o}'s {@code format}, or null when it has none or names a format
   * that is not implemented: then it is an annotation (reported; an error with {@code
   * strictKeywords}).
   */
  private CharLang format(JsonValue.Obj o, String ptr) {
    JsonValue fmt = o.get("format");
    if (fmt == null) {
      return null;
    }
    if (!(fmt instanceof JsonValue.Str fs)) {
      throw SchemaException.invalid(ptr + "/format", "format", "must be a string");
    }
    CharLang f = JsonFormats.content(fs.value());
    return f; // null: an annotation, reported by compileUncached
  }

  Lang stringLang(JsonValue.Obj o, String ptr) {
    int min = count(o, "minLength", ptr);
    int max = count(o, "maxLength", ptr);
    JsonValue pat = o.get("pattern");
    CharLang fmt = format(o, ptr);
    int lo = Math.max(min, 0);
    if (max >= 0 && lo > max) {
      return Lang.of(CharLang.empty());
    }
    CharLang quote = CharLang.codePoint('"');
    if (pat == null && fmt == null) {
      boolean capped = max > st.countedLength && lo <= st.countedLength;
      int hi = capped ? st.countedLength : max;
      if (Math.max(lo, hi) > limits.maxRepeatCount()) {
        throw new ConstraintTooComplexException(
            "maxRepeatCount",
            limits.maxRepeatCount(),
            Math.max(lo, hi),
            "characters",
            "string length bounds at " + display(ptr));
      }
      CharLang body =
          min <= 0 && max < 0 ? JsonLangs.CHAR_ENC.star() : JsonLangs.CHAR_ENC.repeat(lo, hi);
      return new Lang(
          CharLang.concat(List.of(quote, body, quote)),
          !capped,
          capped ? display(ptr) + ": maxLength " + max + " counted as " + hi : null);
    }
    CharLang content = JsonLangs.SCALAR.star();
    boolean lengthBounded = min > 0 || max >= 0;
    if (pat != null) {
      if (!(pat instanceof JsonValue.Str ps)) {
        throw SchemaException.invalid(ptr + "/pattern", "pattern", "must be a string");
      }
      content = content.intersect(pattern(ps.value(), ptr + "/pattern", "pattern"));
    }
    if (fmt != null) {
      content = content.intersect(fmt);
    }
    if (lengthBounded) {
      content = withLength(content, lo, max, ptr);
    }
    // Most asserted formats are subsets of their RFC grammars (JsonFormats.EXACT are not).
    String fmtName = fmt == null ? null : ((JsonValue.Str) o.get("format")).value();
    boolean fmtExact = fmt == null || JsonFormats.EXACT.contains(fmtName);
    String subset = fmtExact ? null : display(ptr) + ": format \"" + fmtName + "\"";
    // Characters that need escapes are written as canonical escapes: exact, and within the
    // complement universe (which has no escapes) the same language as before.
    content = JsonLangs.escaped(content);
    // A subset format is not exact, so never complemented (not, if, oneOf).
    return new Lang(CharLang.concat(List.of(quote, content, quote)), fmtExact, subset);
  }

  /**
   * {@code content} restricted to {@code lo..max} code points ({@code max} -1: unbounded). The
   * product with a length counter is skipped for a bound the language already satisfies (its
   * shortest word is long enough; its longest UTF-8 encoding, found on the acyclic byte DFA, is
   * short enough), which keeps e.g. {@code format: email, maxLength: 1024} small.
   */
  private CharLang withLength(CharLang content, int lo, int max, String ptr) {
    if (content.isEmpty()) {
      return content;
    }
    String shortest = content.example();
    if (lo > 0 && shortest.codePointCount(0, shortest.length()) >= lo) {
      lo = 0;
    }
    if (max >= 0) {
      long longest = longestBytes(content.toByteDfa(limits));
      if (longest >= 0 && longest <= max) {
        max = -1;
      }
    }
    if (lo == 0 && max < 0) {
      return content;
    }
    if (Math.max(lo, max) > limits.maxRepeatCount()) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount",
          limits.maxRepeatCount(),
          Math.max(lo, max),
          "characters",
          "string length bounds at " + display(ptr));
    }
    return content.intersect(JsonLangs.SCALAR.repeat(lo, max));
  }

  /** Length of the longest accepted input, or -1 when unbounded (a cycle; every state is live). */
  private static long longestBytes(ByteDfa dfa) {
    int n = dfa.stateCount();
    long[] longest = new long[n];
    byte[] color = new byte[n]; // 0 new, 1 on stack, 2 done
    int[] stack = new int[n];
    int[] nextClass = new int[n];
    int sp = 0;
    stack[sp++] = dfa.initialState();
    color[dfa.initialState()] = 1;
    while (sp > 0) {
      int s = stack[sp - 1];
      if (nextClass[s] < dfa.classCount()) {
        int t = dfa.stepClass(s, nextClass[s]++);
        if (t < 0) {
          continue;
        }
        if (color[t] == 1) {
          return -1;
        }
        if (color[t] == 0) {
          color[t] = 1;
          stack[sp++] = t;
        }
        continue;
      }
      long best = dfa.isAccepting(s) ? 0 : Long.MIN_VALUE;
      for (int c = 0; c < dfa.classCount(); c++) {
        int t = dfa.stepClass(s, c);
        if (t >= 0 && longest[t] != Long.MIN_VALUE) {
          best = Math.max(best, longest[t] + 1);
        }
      }
      longest[s] = best;
      color[s] = 2;
      sp--;
    }
    return longest[dfa.initialState()];
  }
}
