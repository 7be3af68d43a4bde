package io.guidepost.grammar;

import static io.guidepost.grammar.SchemaConstants.CLOSE_OBJECT;
import static io.guidepost.grammar.SchemaConstants.OPEN_OBJECT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON structure languages of {@link JsonSchemaCompiler}: objects as concatenations of member
 * slots and additional members (comma placement, member counts), arrays of element languages with
 * count bounds, and arrays counting the elements of one language; all with the compilation's
 * whitespace ({@code ws}) and separator ({@code sep}, a comma then whitespace).
 */
final class JsonStructures {
  private final CharLang ws;
  private final CharLang sep;

  JsonStructures(CharLang ws, CharLang sep) {
    this.ws = ws;
    this.sep = sep;
  }

  /** Whether an object member slot must, may or must not be written. */
  enum Presence {
    REQUIRED,
    OPTIONAL,
    FORBIDDEN
  }

  CharLang bracket(char open, CharLang inner, char close) {
    return CharLang.concat(List.of(CharLang.codePoint(open), ws, inner, CharLang.codePoint(close)));
  }

  CharLang member(CharLang key, CharLang value) {
    if (value.isEmpty() || key.isEmpty()) {
      return CharLang.empty();
    }
    return CharLang.concat(List.of(key, ws, CharLang.codePoint(':'), ws, value, ws));
  }

  /**
   * Objects with the given member slots in order, then additional members (null: none; at most
   * {@code maxExtra}, -1 unbounded); {@code minCount}/{@code maxCount} bound the member count (see
   * {@link #tail} for how duplicate additional names are kept from counting twice).
   */
  CharLang objectOf(
      List<CharLang> members,
      List<Presence> modes,
      CharLang extra,
      int maxExtra,
      int minCount,
      int maxCount) {
    if (extra != null && extra.isEmpty()) {
      extra = null;
    }
    if (minCount <= 0 && maxCount < 0) {
      return objectBySplit(members, modes, extra, maxExtra);
    }
    int n = members.size();
    int cap = Math.max(1, Math.max(minCount, maxCount));
    Map<Integer, CharLang> g = new HashMap<>();
    // g(i, c): from slot i on, c members (capped) written so far; computed from the end.
    for (int i = n; i >= 0; i--) {
      for (int c = 0; c <= cap; c++) {
        CharLang r;
        if (i == n) {
          r = tail(extra, maxExtra, c, minCount, maxCount);
        } else {
          CharLang with = null;
          if (modes.get(i) != Presence.FORBIDDEN
              && (maxCount < 0 || c < maxCount)
              && !members.get(i).isEmpty()) {
            CharLang next = g.get((i + 1) * (cap + 1) + Math.min(c + 1, cap));
            if (!next.isEmpty()) {
              with =
                  CharLang.concat(
                      List.of(c > 0 ? sep : CharLang.emptyString(), members.get(i), next));
            }
          }
          CharLang without =
              modes.get(i) == Presence.REQUIRED ? null : g.get((i + 1) * (cap + 1) + c);
          if (with == null) {
            r = without == null ? CharLang.empty() : without;
          } else {
            r = without == null ? with : with.union(without);
          }
        }
        g.put(i * (cap + 1) + c, r);
      }
    }
    return bracket('{', g.get(0), '}');
  }

  /**
   * Objects without count bounds, as a union over which member comes first: each alternative is one
   * concatenation (first member, then every later slot in its comma-prefixed form, then the
   * additional members), so the automaton is determinized and minimized once per alternative.
   */
  private CharLang objectBySplit(
      List<CharLang> members, List<Presence> modes, CharLang extra, int maxExtra) {
    int n = members.size();
    CharLang[] slot = new CharLang[n];
    for (int j = 0; j < n; j++) {
      boolean usable = modes.get(j) != Presence.FORBIDDEN && !members.get(j).isEmpty();
      if (modes.get(j) == Presence.REQUIRED && !usable) {
        return CharLang.empty();
      }
      if (!usable) {
        slot[j] = null;
      } else if (modes.get(j) == Presence.REQUIRED) {
        slot[j] = sep; // followed by the member itself in the concatenation below
      } else {
        slot[j] = sep.concat(members.get(j)).optional();
      }
    }
    CharLang tailComma = tail(extra, maxExtra, 1, 0, -1);
    List<CharLang> alternatives = new ArrayList<>();
    boolean requiredSeen = false;
    for (int i = 0; i < n && !requiredSeen; i++) {
      if (slot[i] == null) {
        continue;
      }
      requiredSeen = modes.get(i) == Presence.REQUIRED;
      List<CharLang> parts = new ArrayList<>();
      parts.add(OPEN_OBJECT);
      parts.add(ws);
      parts.add(members.get(i));
      for (int j = i + 1; j < n; j++) {
        if (slot[j] != null) {
          parts.add(slot[j]);
          if (modes.get(j) == Presence.REQUIRED) {
            parts.add(members.get(j));
          }
        }
      }
      parts.add(tailComma);
      parts.add(CLOSE_OBJECT);
      alternatives.add(CharLang.concat(parts));
    }
    if (!requiredSeen) {
      alternatives.add(bracket('{', tail(extra, maxExtra, 0, 0, -1), '}'));
    }
    return CharLang.union(alternatives);
  }

  /**
   * The additional members after {@code c} members were written: at least {@code minCount - c} of
   * them, at most {@code maxExtra} and {@code maxCount - c}. When two or more are required, the
   * required ones get keys of pairwise different lengths modulo their number, which makes them
   * distinct names (a restriction: duplicate names must not count twice).
   */
  private CharLang tail(CharLang extra, int maxExtra, int c, int minCount, int maxCount) {
    int need = Math.max(0, minCount - c);
    int hi = maxExtra;
    if (maxCount >= 0) {
      int room = maxCount - c;
      hi = hi < 0 ? room : Math.min(hi, room);
    }
    if (extra == null || hi == 0) {
      return need == 0 ? CharLang.emptyString() : CharLang.empty();
    }
    if (hi >= 0 && need > hi) {
      return CharLang.empty();
    }
    CharLang more = sep.concat(extra);
    List<CharLang> parts = new ArrayList<>();
    for (int i = 0; i < need; i++) {
      if (c > 0 || i > 0) {
        parts.add(sep);
      }
      parts.add(need >= 2 ? extra.intersect(keyLengthClass(i, need)) : extra);
    }
    int remaining = hi < 0 ? -1 : hi - need;
    if (need > 0 || c > 0) {
      parts.add(more.repeat(0, remaining));
    } else {
      parts.add(extra.concat(more.repeat(0, remaining < 0 ? -1 : remaining - 1)).optional());
    }
    return CharLang.concat(parts);
  }

  /** Texts starting with a string literal whose length is {@code i} modulo {@code m}. */
  private static CharLang keyLengthClass(int i, int m) {
    CharLang quote = CharLang.codePoint('"');
    return CharLang.concat(
        List.of(
            quote,
            JsonLangs.CHAR_ENC.repeat(m, m).star(),
            JsonLangs.CHAR_ENC.repeat(i, i),
            quote,
            CharLang.anyCodePoint().star()));
  }

  /** Arrays: {@code prefix} element languages, then {@code rest} (null: none), count bounds. */
  CharLang arrayOf(List<CharLang> prefix, CharLang rest, int min, int max) {
    if (max >= 0 && min > max) {
      return CharLang.empty();
    }
    int fixed = Math.max(prefix.size(), min);
    if (max >= 0) {
      fixed = Math.min(fixed, max);
    }
    // Tail from position 'fixed' on.
    CharLang tailLang;
    CharLang restElem = rest == null ? null : rest.concat(ws);
    if (rest == null || rest.isEmpty() || (max >= 0 && fixed >= max)) {
      tailLang = CharLang.emptyString();
    } else {
      int room = max < 0 ? -1 : max - fixed;
      CharLang more = sep.concat(restElem);
      if (fixed > 0) {
        tailLang = more.repeat(0, room);
      } else {
        tailLang = restElem.concat(more.repeat(0, room < 0 ? -1 : room - 1)).optional();
      }
    }
    CharLang acc = tailLang;
    for (int j = fixed - 1; j >= 0; j--) {
      CharLang e = j < prefix.size() ? prefix.get(j) : rest;
      CharLang cont;
      if (e == null || e.isEmpty()) {
        cont = CharLang.empty();
      } else {
        cont = CharLang.concat(List.of(j > 0 ? sep : CharLang.emptyString(), e, ws, acc));
      }
      acc = j + 1 > min ? cont.union(CharLang.emptyString()) : cont;
      if (j + 1 <= min && cont.isEmpty()) {
        acc = CharLang.empty();
      }
    }
    return bracket('[', acc, ']');
  }

  /**
   * The arrays whose elements are each {@code counted} or {@code other} (element texts) with
   * between {@code min} and {@code max} ({@code -1}: unbounded) of them {@code counted}: {@code P
   * R^(min-1) R^(0..max-min)} with {@code P = (others sep)? counted (sep others)?} and {@code R =
   * sep counted (sep others)?}, {@code others} a non-empty run of {@code other} elements (and, for
   * {@code min} 0, also the empty array and a run of others alone). Values split uniquely at
   * top-level commas, so the count is exact when the two element languages are disjoint; when
   * {@code other} includes {@code counted}, at least {@code min} of the elements are counted ones.
   */
  CharLang countingArrays(CharLang counted, CharLang other, int min, int max) {
    CharLang y = counted.concat(ws);
    CharLang n = other.concat(ws);
    CharLang others = n.concat(sep.concat(n).star());
    CharLang p =
        CharLang.concat(List.of(others.concat(sep).optional(), y, sep.concat(others).optional()));
    CharLang r = CharLang.concat(List.of(sep, y, sep.concat(others).optional()));
    CharLang seq;
    if (min == 0) {
      CharLang some = p.concat(r.repeat(0, max < 0 ? -1 : Math.max(0, max - 1)));
      seq =
          CharLang.union(
              List.of(CharLang.emptyString(), others, max == 0 ? CharLang.empty() : some));
    } else {
      seq = p.concat(r.repeat(min - 1, max < 0 ? -1 : max - 1));
    }
    return bracket('[', seq, ']');
  }
}
