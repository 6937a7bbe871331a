package io.huitong.hub.files.impl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of file the hub tells apart by their first bytes (magic bytes, 文件头), never by name or declared
 * media type. The table, which docs/files.md repeats:
 *
 * <pre>
 * pdf   25 50 44 46 2D                 "%PDF-"
 * png   89 50 4E 47 0D 0A 1A 0A
 * jpeg  FF D8 FF
 * gif   "GIF87a" or "GIF89a"
 * tiff  "II" 2A 00 or "MM" 00 2A
 * bmp   "BM", 4 bytes of size, 4 zero bytes
 * webp  "RIFF", 4 bytes of size, "WEBP"
 * zip   "PK" 03 04 (or "PK" 05 06, an empty archive), and the containers told apart by the names of the entries whose
 *       local headers lie in the first {@link #HEAD} bytes:
 *   ofd   an entry OFD.xml at the root (GB/T 33190, the Chinese fixed-layout format)
 *   docx  an entry under word/      xlsx  under xl/      pptx  under ppt/
 * </pre>
 *
 * Anything else is {@link #UNKNOWN}.
 */
enum FileType {
  PDF, OFD, DOCX, XLSX, PPTX, ZIP, JPEG, PNG, GIF, TIFF, BMP, WEBP, UNKNOWN;

  /** How many leading bytes a decision needs at most: the zip containers' entries are looked for in them. */
  static final int HEAD = 8192;

  private static final int LOCAL_HEADER_LENGTH = 30;
  /** A byte of a signature that may be anything. */
  private static final int ANY = -1;

  private record Signature(FileType type, int[] bytes) {
  }

  private static final Signature[] SIGNATURES = {
      sig(PDF, "%PDF-"),
      sig(PNG, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A),
      sig(JPEG, 0xFF, 0xD8, 0xFF),
      sig(GIF, "GIF87a"),
      sig(GIF, "GIF89a"),
      sig(TIFF, 'I', 'I', 0x2A, 0x00),
      sig(TIFF, 'M', 'M', 0x00, 0x2A),
      sig(BMP, 'B', 'M', ANY, ANY, ANY, ANY, 0, 0, 0, 0),
      sig(WEBP, 'R', 'I', 'F', 'F', ANY, ANY, ANY, ANY, 'W', 'E', 'B', 'P'),
      sig(ZIP, 'P', 'K', 3, 4),
      sig(ZIP, 'P', 'K', 5, 6),
  };

  private static Signature sig(FileType type, int... bytes) {
    return new Signature(type, bytes);
  }

  private static Signature sig(FileType type, String ascii) {
    return new Signature(type, ascii.chars().toArray());
  }

  /** The name in configuration and in problems: {@code pdf}, {@code docx}, {@code unknown}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code label}, or null. */
  static FileType labelled(String label) {
    return Arrays.stream(values()).filter(t -> t != UNKNOWN && t.label().equals(label)).findFirst().orElse(null);
  }

  /**
   * What {@code head}, the first bytes of a file, says the file is; null when more bytes are needed to tell.
   *
   * @param whole true when no more bytes will come: the file ends there, or {@code head} has {@link #HEAD} bytes
   */
  static FileType detect(byte[] head, boolean whole) {
    boolean wanting = false;
    for (Signature s : SIGNATURES) {
      int n = Math.min(head.length, s.bytes().length);
      if (matches(head, s.bytes(), n)) {
        if (n < s.bytes().length) {
          wanting = true;
        } else {
          return s.type() == ZIP ? container(head, whole) : s.type();
        }
      }
    }
    return wanting && !whole ? null : UNKNOWN;
  }

  private static boolean matches(byte[] head, int[] signature, int n) {
    for (int i = 0; i < n; i++) {
      if (signature[i] != ANY && (head[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A zip archive's kind by the entries whose local headers lie in {@code head}. Looking for every local header
   * rather than walking from one to the next still works when the sizes are only in data descriptors after the data
   * (as streaming zip writers leave them).
   */
  private static FileType container(byte[] head, boolean whole) {
    for (int i = 0; i + LOCAL_HEADER_LENGTH <= head.length; i++) {
      if (head[i] == 'P' && head[i + 1] == 'K' && head[i + 2] == 3 && head[i + 3] == 4) {
        int nameLength = (head[i + 26] & 0xFF) | (head[i + 27] & 0xFF) << 8;
        if (i + LOCAL_HEADER_LENGTH + nameLength <= head.length) {
          String name = new String(head, i + LOCAL_HEADER_LENGTH, nameLength, StandardCharsets.UTF_8);
          FileType kind = name.equals("OFD.xml") ? OFD : name.startsWith("word/") ? DOCX
              : name.startsWith("xl/") ? XLSX : name.startsWith("ppt/") ? PPTX : null;
          if (kind != null) {
            return kind;
          }
        }
      }
    }
    return whole ? ZIP : null;
  }
}
