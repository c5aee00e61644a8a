package io.veridict.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * The self-describing JSON form of a {@link LedgerEntry}, shared by the {@link LocalLedger} file
 * and the XRPL memo ({@code MemoFormat application/json}); see {@code docs/ledger.md}.
 *
 * <pre>
 *   {"v":1,"kind":"anchor","root":HEX64,"count":N,"meta":HEX64}
 *   {"v":1,"kind":"model","model":HEX64,"air":HEX64,"metaHash":HEX64,"uri":TEXT}
 *   {"v":1,"kind":"deprecate","model":HEX64,"reason":TEXT}
 *   {"v":1,"kind":"grant","subject":0xHEX40,"policy":HEX64,"fact":HEX64,"validUntil":N}
 *   {"v":1,"kind":"revoke","subject":0xHEX40,"policy":HEX64,"reason":TEXT}
 * </pre>
 *
 * <p>Encoding is canonical (fixed field order, lowercase hex, no whitespace), so the same entry
 * always has the same bytes. Decoding is strict: exactly these fields with these types, bounded
 * input; anything else is rejected, so a foreign or hostile memo/line can never become an entry.
 */
public final class EntryCodec {
  /** Format version written in {@code "v"}. */
  public static final int VERSION = 1;

  /** Upper bound on an encoded entry, far above the largest valid one (about 700 bytes). */
  public static final int MAX_ENCODED_BYTES = 4096;

  static final ObjectMapper JSON = new ObjectMapper();

  private EntryCodec() {}

  /** The canonical JSON object of {@code entry}. */
  public static ObjectNode toJson(LedgerEntry entry) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("kind", entry.kind());
    switch (entry) {
      case LedgerEntry.BatchAnchor a -> {
        o.put("root", a.root().toHex());
        o.put("count", a.leafCount());
        o.put("meta", a.metaHash().toHex());
      }
      case LedgerEntry.ModelRegistration m -> {
        o.put("model", m.modelCommitment().toHex());
        o.put("air", m.airId().toHex());
        o.put("metaHash", m.metadataHash().toHex());
        o.put("uri", m.metadataUri());
      }
      case LedgerEntry.ModelDeprecation d -> {
        o.put("model", d.modelCommitment().toHex());
        o.put("reason", d.reason());
      }
      case LedgerEntry.EligibilityGrant g -> {
        o.put("subject", g.subject());
        o.put("policy", g.policyId().toHex());
        o.put("fact", g.fact().toHex());
        o.put("validUntil", g.validUntilEpochSeconds());
      }
      case LedgerEntry.EligibilityRevocation r -> {
        o.put("subject", r.subject());
        o.put("policy", r.policyId().toHex());
        o.put("reason", r.reason());
      }
    }
    return o;
  }

  /** The canonical UTF-8 bytes of {@link #toJson}. */
  public static byte[] encode(LedgerEntry entry) {
    return toJson(entry).toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses the canonical bytes.
   *
   * @throws IllegalArgumentException if the bytes are not exactly a canonical entry
   */
  public static LedgerEntry decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_ENCODED_BYTES) {
      throw new IllegalArgumentException(
          "an encoded entry is 1.." + MAX_ENCODED_BYTES + " bytes");
    }
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("entry is not JSON");
    }
    LedgerEntry e = fromJson(n);
    if (!java.util.Arrays.equals(encode(e), bytes)) {
      throw new IllegalArgumentException("entry is not in canonical form");
    }
    return e;
  }

  /**
   * Parses an entry object (not necessarily canonical bytes, but exactly the right fields).
   *
   * @throws IllegalArgumentException with the rule that was broken
   */
  public static LedgerEntry fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("entry must be a JSON object");
    }
    if (!n.path("v").isInt() || n.get("v").intValue() != VERSION) {
      throw new IllegalArgumentException("entry version must be " + VERSION);
    }
    String kind = text(n, "kind");
    return switch (kind) {
      case "anchor" -> {
        fields(n, "root", "count", "meta");
        if (!n.get("count").isInt()) {
          throw new IllegalArgumentException("count must be an integer");
        }
        yield new LedgerEntry.BatchAnchor(hex(n, "root"), n.get("count").intValue(), hex(n, "meta"));
      }
      case "model" -> {
        fields(n, "model", "air", "metaHash", "uri");
        yield new LedgerEntry.ModelRegistration(
            hex(n, "model"), hex(n, "air"), hex(n, "metaHash"), text(n, "uri"));
      }
      case "deprecate" -> {
        fields(n, "model", "reason");
        yield new LedgerEntry.ModelDeprecation(hex(n, "model"), text(n, "reason"));
      }
      case "grant" -> {
        fields(n, "subject", "policy", "fact", "validUntil");
        if (!n.get("validUntil").canConvertToExactIntegral() || !n.get("validUntil").canConvertToLong()) {
          throw new IllegalArgumentException("validUntil must be an integer");
        }
        yield new LedgerEntry.EligibilityGrant(
            text(n, "subject"), hex(n, "policy"), hex(n, "fact"), n.get("validUntil").longValue());
      }
      case "revoke" -> {
        fields(n, "subject", "policy", "reason");
        yield new LedgerEntry.EligibilityRevocation(
            text(n, "subject"), hex(n, "policy"), text(n, "reason"));
      }
      default -> throw new IllegalArgumentException("unknown entry kind");
    };
  }

  private static void fields(JsonNode n, String... names) {
    Set<String> expected = new java.util.HashSet<>(Set.of(names));
    expected.add("v");
    expected.add("kind");
    int count = 0;
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!expected.contains(f)) {
        throw new IllegalArgumentException("unexpected field in entry");
      }
      count++;
    }
    if (count != expected.size()) {
      throw new IllegalArgumentException("entry lacks a field; needs " + expected);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return v.textValue();
  }

  private static Bytes32 hex(JsonNode n, String field) {
    String s = text(n, field);
    if (s.length() != 64 || !s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(field + " must be 64 lowercase hex digits");
    }
    return Bytes32.fromHex(s);
  }
}
