package io.veridict.chain.xrpl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.chain.EntryCodec;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.xrpl.xrpl4j.codec.binary.XrplBinaryCodec;

/**
 * The memo that carries a Veridict entry on an {@code AccountSet} transaction (XRPL docs,
 * "Transaction Common Fields → Memos Field": each field is hex-encoded, and the whole {@code Memos}
 * field may be at most 1 KB in binary form).
 *
 * <pre>
 *   MemoType   = hex("veridict/" + kind)      e.g. veridict/anchor
 *   MemoFormat = hex("application/json")
 *   MemoData   = hex(EntryCodec canonical JSON), e.g. {"v":1,"kind":"anchor","root":..,"count":..,"meta":..}
 * </pre>
 *
 * Decoding is strict and never throws on foreign memos: anything that is not exactly a Veridict
 * memo is {@link Optional#empty()}.
 *
 * @param memoTypeHex uppercase hex of the MemoType
 * @param memoFormatHex uppercase hex of the MemoFormat
 * @param memoDataHex uppercase hex of the MemoData
 */
record XrplMemo(String memoTypeHex, String memoFormatHex, String memoDataHex) {
  /** XRPL's limit on the binary-serialized {@code Memos} field of one transaction. */
  static final int MAX_MEMOS_BYTES = 1024;

  static final String TYPE_PREFIX = "veridict/";
  static final String FORMAT = "application/json";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /**
   * The memo for {@code entry}.
   *
   * @throws LedgerException {@code ENTRY_TOO_LARGE} if the serialized {@code Memos} field would
   *     exceed 1 KB
   */
  static XrplMemo of(LedgerEntry entry) throws LedgerException {
    XrplMemo m = new XrplMemo(
        hex(TYPE_PREFIX + entry.kind()), hex(FORMAT), HEX.formatHex(EntryCodec.encode(entry)));
    m.checkSize(entry.kind());
    return m;
  }

  /**
   * @throws LedgerException {@code ENTRY_TOO_LARGE} if the serialized {@code Memos} field exceeds
   *     {@link #MAX_MEMOS_BYTES}. (Every valid {@link LedgerEntry} fits: the largest, a model
   *     registration with a 256-byte URI of characters JSON must escape, is about 820 bytes; the
   *     check guards the format against future growth.)
   */
  void checkSize(String what) throws LedgerException {
    int size = serializedSize();
    if (size > MAX_MEMOS_BYTES) {
      throw new LedgerException(Reason.ENTRY_TOO_LARGE, "the " + what + " entry's Memos field is "
          + size + " bytes serialized; XRPL allows at most " + MAX_MEMOS_BYTES);
    }
  }

  /** Size in bytes of the binary-serialized {@code Memos} array holding only this memo. */
  int serializedSize() {
    String json = "{\"Memos\":[{\"Memo\":{\"MemoType\":\"" + memoTypeHex + "\",\"MemoFormat\":\""
        + memoFormatHex + "\",\"MemoData\":\"" + memoDataHex + "\"}}]}";
    try {
      return XrplBinaryCodec.getInstance().encode(json).length() / 2;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a memo", e);
    }
  }

  /**
   * The Veridict entry in a transaction's {@code Memos} (rippled JSON, hex fields), if it carries
   * exactly one well-formed Veridict memo.
   */
  static Optional<LedgerEntry> decode(JsonNode memos) {
    if (memos == null || !memos.isArray() || memos.size() != 1) {
      return Optional.empty();
    }
    JsonNode m = memos.get(0).path("Memo");
    String type = text(m, "MemoType");
    String format = text(m, "MemoFormat");
    String data = text(m, "MemoData");
    if (type == null || format == null || data == null || data.length() > 2 * EntryCodec.MAX_ENCODED_BYTES) {
      return Optional.empty();
    }
    try {
      String t = new String(HEX.parseHex(type), StandardCharsets.UTF_8);
      String f = new String(HEX.parseHex(format), StandardCharsets.UTF_8);
      if (!t.startsWith(TYPE_PREFIX) || !f.equals(FORMAT)) {
        return Optional.empty();
      }
      LedgerEntry e = EntryCodec.decode(HEX.parseHex(data));
      return t.equals(TYPE_PREFIX + e.kind()) ? Optional.of(e) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() && v.textValue().length() <= 4 * EntryCodec.MAX_ENCODED_BYTES
        ? v.textValue().toUpperCase(Locale.ROOT)
        : null;
  }

  private static String hex(String s) {
    return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
