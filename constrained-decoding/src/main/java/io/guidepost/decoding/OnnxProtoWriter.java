package io.guidepost.decoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal Protocol Buffers wire-format encoder, enough to write ONNX {@code ModelProto} files.
 *
 * <p>Each instance accumulates the encoded fields of one message in a growable byte array; nested
 * messages are encoded separately and embedded as length-delimited fields. Only the wire types ONNX
 * needs are supported: varint (0), 32-bit (5) and length-delimited (2). Field numbers are taken
 * from the published ONNX IR specification and live in {@link OnnxGraphBuilder}.
 *
 * <p>Not thread-safe. Cost: amortised O(1) per byte written.
 */
final class OnnxProtoWriter {

  private static final int WIRE_VARINT = 0;
  private static final int WIRE_LENGTH_DELIMITED = 2;
  private static final int WIRE_FIXED32 = 5;

  private byte[] bytes = new byte[64];
  private int size;

  /** Writes an integer field (int32, int64 or enum) as a varint; negative values take 10 bytes. */
  OnnxProtoWriter varint(int field, long value) {
    tag(field, WIRE_VARINT);
    rawVarint(value);
    return this;
  }

  /** Writes a float field as its IEEE-754 bits (wire type 5, little-endian). */
  OnnxProtoWriter float32(int field, float value) {
    tag(field, WIRE_FIXED32);
    int bits = Float.floatToRawIntBits(value);
    ensure(4);
    bytes[size++] = (byte) bits;
    bytes[size++] = (byte) (bits >>> 8);
    bytes[size++] = (byte) (bits >>> 16);
    bytes[size++] = (byte) (bits >>> 24);
    return this;
  }

  /** Writes a UTF-8 string field. */
  OnnxProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a bytes field. */
  OnnxProtoWriter bytes(int field, byte[] value) {
    tag(field, WIRE_LENGTH_DELIMITED);
    rawVarint(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, bytes, size, value.length);
    size += value.length;
    return this;
  }

  /** Embeds another message as a length-delimited field. */
  OnnxProtoWriter message(int field, OnnxProtoWriter message) {
    tag(field, WIRE_LENGTH_DELIMITED);
    rawVarint(message.size);
    ensure(message.size);
    System.arraycopy(message.bytes, 0, bytes, size, message.size);
    size += message.size;
    return this;
  }

  /** Writes a repeated integer field in packed form (one length-delimited run of varints). */
  OnnxProtoWriter packedVarints(int field, long[] values) {
    OnnxProtoWriter run = new OnnxProtoWriter();
    for (long v : values) {
      run.rawVarint(v);
    }
    tag(field, WIRE_LENGTH_DELIMITED);
    rawVarint(run.size);
    ensure(run.size);
    System.arraycopy(run.bytes, 0, bytes, size, run.size);
    size += run.size;
    return this;
  }

  /** The encoded message. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  int size() {
    return size;
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long value) {
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  private void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }
}
