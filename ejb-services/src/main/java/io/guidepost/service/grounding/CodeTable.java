package io.guidepost.service.grounding;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The codes and descriptions of a loaded code list in list order, as one checksummed file beside
 * its Lucene index, so that reopening a list reads them in one sequential pass instead of
 * decompressing one stored Lucene document per code.
 *
 * <p>Layout (big-endian): the magic {@code GPCT}, format version {@code 1}, the number of codes
 * {@code n}, then {@code n} codes and {@code n} descriptions, each as a byte length and that many
 * bytes of UTF-8, and last the CRC-32 of everything before it (as a long). Strings are checked for
 * unpaired surrogates when parsed, so UTF-8 round-trips them exactly.
 *
 * <p>Stateless; thread-safe. Cost: linear in the text (74,000 ICD-10-CM codes: about 5 MB, tens of
 * milliseconds to write or read).
 */
final class CodeTable {
  private static final int MAGIC = 0x47504354; // "GPCT"
  private static final int VERSION = 1;

  private CodeTable() {}

  /** Writes the file and forces it to the storage device. */
  static void write(Path file, String[] codes, String[] descriptions) throws IOException {
    if (codes.length != descriptions.length) {
      throw new IllegalArgumentException("codes and descriptions differ in length");
    }
    CRC32 crc = new CRC32();
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        BufferedOutputStream buffered =
            new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(codes.length);
      for (String c : codes) {
        writeString(out, c);
      }
      for (String d : descriptions) {
        writeString(out, d);
      }
      out.flush();
      DataOutputStream trailer = new DataOutputStream(buffered);
      trailer.writeLong(crc.getValue());
      trailer.flush();
      channel.force(true);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /**
   * Reads a file written by {@link #write}; throws {@link IOException} when it is truncated,
   * corrupt (checksum), of another version or does not hold {@code expected} codes.
   */
  static CodeListParser.Parsed read(Path file, int expected) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < 20) {
      throw corrupt(file, "too short");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - Long.BYTES);
    ByteBuffer in = ByteBuffer.wrap(all);
    if (in.getLong(all.length - Long.BYTES) != crc.getValue()) {
      throw corrupt(file, "checksum mismatch");
    }
    in.limit(all.length - Long.BYTES);
    if (in.getInt() != MAGIC) {
      throw corrupt(file, "not a code table");
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw corrupt(file, "unsupported version " + version);
    }
    int n = in.getInt();
    if (n != expected) {
      throw corrupt(file, "holds " + n + " codes, expected " + expected);
    }
    try {
      String[] codes = new String[n];
      String[] descriptions = new String[n];
      for (int i = 0; i < n; i++) {
        codes[i] = readString(in, all);
      }
      for (int i = 0; i < n; i++) {
        descriptions[i] = readString(in, all);
      }
      if (in.hasRemaining()) {
        throw corrupt(file, in.remaining() + " bytes after the last description");
      }
      return new CodeListParser.Parsed(codes, descriptions);
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw corrupt(file, "truncated");
    }
  }

  private static String readString(ByteBuffer in, byte[] all) {
    int len = in.getInt();
    if (len < 0 || len > in.remaining()) {
      throw new IndexOutOfBoundsException(len);
    }
    String s = new String(all, in.position(), len, StandardCharsets.UTF_8);
    in.position(in.position() + len);
    return s;
  }

  private static IOException corrupt(Path file, String why) {
    return new IOException("code table " + file + " is unreadable: " + why);
  }
}
