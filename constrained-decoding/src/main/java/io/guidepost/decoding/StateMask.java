package io.guidepost.decoding;

import java.util.Arrays;

/**
 * The allowed-token set of one DFA state, stored in the smallest of three forms (as XGrammar's
 * adaptive token mask cache does): the sorted list of accepted ids, the sorted list of rejected ids
 * (complement within {@code 0..logitsSize-1}), or a {@code long[]} bitset.
 *
 * <p>Invariants: immutable; {@code ids} is sorted ascending; end-of-sequence ids are included
 * exactly when the state is accepting. Also carries the state's forced bytes (the bytes every
 * continuation must start with) and counts.
 *
 * <p>Cost: {@link #fill} is one {@code Arrays.fill}/{@code arraycopy} of {@code logitsSize / 64}
 * words plus one bit operation per listed id; {@link #contains} is a binary search or a bit test.
 */
final class StateMask {
  static final byte ACCEPTED = 0;
  static final byte REJECTED = 1;
  static final byte BITSET = 2;
  static final byte[] NO_BYTES = new byte[0];

  final byte form;
  final int[] ids; // ACCEPTED or REJECTED: sorted ids; BITSET: null
  final long[] bits; // BITSET: the mask; otherwise null
  final int logitsSize;
  final int allowedCount; // text tokens + EOS ids allowed
  final int textCount; // text tokens allowed
  final byte[] forced; // bytes every continuation starts with; NO_BYTES when there is a choice

  private StateMask(
      byte form,
      int[] ids,
      long[] bits,
      int logitsSize,
      int allowedCount,
      int textCount,
      byte[] forced) {
    this.form = form;
    this.ids = ids;
    this.bits = bits;
    this.logitsSize = logitsSize;
    this.allowedCount = allowedCount;
    this.textCount = textCount;
    this.forced = forced;
  }

  /**
   * Builds the compact form of a sorted set of allowed ids.
   *
   * @param allowed sorted ascending, distinct; only {@code allowed[0..count)} is read
   */
  static StateMask of(int[] allowed, int count, int textCount, int logitsSize, byte[] forced) {
    int words = (logitsSize + 63) >>> 6;
    // A list is kept only while it is at most 1/8 of the bitset (125 ids for Phi-3), so that
    // filling never costs more than a clear plus ~125 bit operations; past that the bitset is
    // both faster to copy out and at most 8 times larger than the smaller list.
    int listLimit = Math.max(1, words / 4);
    if (count <= listLimit) {
      return new StateMask(
          ACCEPTED, Arrays.copyOf(allowed, count), null, logitsSize, count, textCount, forced);
    }
    if (logitsSize - count <= listLimit) {
      int[] rejected = new int[logitsSize - count];
      int r = 0;
      int j = 0;
      for (int id = 0; id < logitsSize; id++) {
        if (j < count && allowed[j] == id) {
          j++;
        } else {
          rejected[r++] = id;
        }
      }
      return new StateMask(REJECTED, rejected, null, logitsSize, count, textCount, forced);
    }
    long[] bits = new long[words];
    for (int j = 0; j < count; j++) {
      bits[allowed[j] >>> 6] |= 1L << allowed[j];
    }
    return new StateMask(BITSET, null, bits, logitsSize, count, textCount, forced);
  }

  /** Writes the mask into {@code dst} (at least {@code logitsSize} bits); clears the rest. */
  void fill(long[] dst) {
    int words = (logitsSize + 63) >>> 6;
    if (dst.length < words) {
      throw new IllegalArgumentException(
          "mask has " + dst.length + " words, needs " + words + " for " + logitsSize + " logits");
    }
    switch (form) {
      case ACCEPTED -> {
        Arrays.fill(dst, 0L);
        int[] a = ids;
        for (int id : a) {
          dst[id >>> 6] |= 1L << id;
        }
      }
      case REJECTED -> {
        Arrays.fill(dst, 0, words, -1L);
        if (dst.length > words) {
          Arrays.fill(dst, words, dst.length, 0L);
        }
        int tail = logitsSize & 63;
        if (tail != 0) {
          dst[words - 1] = (1L << tail) - 1;
        }
        int[] r = ids;
        for (int id : r) {
          dst[id >>> 6] &= ~(1L << id);
        }
      }
      default -> {
        System.arraycopy(bits, 0, dst, 0, words);
        if (dst.length > words) {
          Arrays.fill(dst, words, dst.length, 0L);
        }
      }
    }
  }

  /** True when {@code id} is allowed. */
  boolean contains(int id) {
    if (id < 0 || id >= logitsSize) {
      return false;
    }
    return switch (form) {
      case ACCEPTED -> Arrays.binarySearch(ids, id) >= 0;
      case REJECTED -> Arrays.binarySearch(ids, id) < 0;
      default -> (bits[id >>> 6] & (1L << id)) != 0;
    };
  }

  /** Approximate heap footprint in bytes. */
  long sizeInBytes() {
    long body = ids != null ? 16L + 4L * ids.length : 16L + 8L * bits.length;
    return 48L + body + 16L + forced.length;
  }
}
