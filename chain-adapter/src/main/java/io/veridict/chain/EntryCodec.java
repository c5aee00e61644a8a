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
 *   {"v":2,"kind":"grant","statement":STATEMENT,"validUntil":N}
 *   {"v":1,"kind":"revoke","subject":0xHEX40,"policy":HEX64,"reason":TEXT}
 *   {"v":1,"kind":"reinstate","subject":0xHEX40,"policy":HEX64,"reason":TEXT}
 *
 *   STATEMENT = {"version":N,"air":HEX64,"model":HEX64,"input":HEX64,"direction":0|1,
 *                "thresholdBits":HEX16,"circuitThreshold":N,"decision":BOOL,"chainId":N,
 *                "borrower":0xHEX40,"policy":HEX64,"nonce":HEX64,"expiresAt":N}
 * </pre>
 *
 * <p>Grants are format 2: format 1 carried a caller-supplied fact, which let a grant name any
 * digest; a format-1 grant is refused (issue 21).
 *
 * <p>Encoding is canonical (fixed field order, lowercase hex, no whitespace), so the same entry
 * always has the same bytes. Decoding is strict: exactly these fields with these types, bounded
 * input; anything else is rejected, so a foreign or hostile memo/line can never become an entry.
 */
public final class EntryCodec {
  /** Format version written in {@code "v"} (all kinds but grants). */
  public static final int VERSION = 1;

  /** Format version of grant entries (they carry the whole statement). */
  public static final int GRANT_VERSION = 2;

  /** Upper bound on an encoded entry, far above the largest valid one (about 700 bytes). */
  public static final int MAX_ENCODED_BYTES = 4096;

  static final ObjectMapper JSON = new ObjectMapper();

  private EntryCodec() {}

  /** The canonical JSON object of {@code entry}. */
  public static ObjectNode toJson(LedgerEntry entry) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", entry instanceof LedgerEntry.EligibilityGrant ? GRANT_VERSION : VERSION);
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
        GateStatement st = g.statement();
        ObjectNode so = o.putObject("statement");
        so.put("version", st.version());
        so.put("air", st.airId().toHex());
        so.put("model", st.modelCommitment().toHex());
        so.put("input", st.inputCommitment().toHex());
        so.put("direction", st.direction());
        so.put("thresholdBits", String.format("%016x", st.thresholdBits()));
        so.put("circuitThreshold", st.circuitThreshold());
        so.put("decision", st.decision());
        so.put("chainId", st.chainId());
        so.put("borrower", st.borrower());
        so.put("policy", st.policyId().toHex());
        so.put("nonce", st.nonceHash().toHex());
        so.put("expiresAt", st.expiresAt());
        o.put("validUntil", g.validUntilEpochSeconds());
      }
      case LedgerEntry.EligibilityReinstatement r -> {
        o.put("subject", r.subject());
        o.put("policy", r.policyId().toHex());
        o.put("reason", r.reason());
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
    String kind = text(n, "kind");
    int expectedVersion = kind.equals("grant") ? GRANT_VERSION : VERSION;
    if (!n.path("v").isInt() || n.get("v").intValue() != expectedVersion) {
      throw new IllegalArgumentException(kind.equals("grant") && n.path("v").isInt() && n.get("v").intValue() == 1
          ? "grant entries of format 1 (a caller-supplied fact) are no longer accepted; format " + GRANT_VERSION
              + " carries the statement"
          : "entry version must be " + expectedVersion);
    }
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
        fields(n, "statement", "validUntil");
        yield new LedgerEntry.EligibilityGrant(statement(n.get("statement")), integer(n, "validUntil"));
      }
      case "reinstate" -> {
        fields(n, "subject", "policy", "reason");
        yield new LedgerEntry.EligibilityReinstatement(
            text(n, "subject"), hex(n, "policy"), text(n, "reason"));
      }
      case "revoke" -> {
        fields(n, "subject", "policy", "reason");
        yield new LedgerEntry.EligibilityRevocation(
            text(n, "subject"), hex(n, "policy"), text(n, "reason"));
      }
      default -> throw new IllegalArgumentException("unknown entry kind");
    };
  }

  private static GateStatement statement(JsonNode s) {
    if (s == null || !s.isObject()) {
      throw new IllegalArgumentException("statement must be an object");
    }
    exactly(s, Set.of("version", "air", "model", "input", "direction", "thresholdBits", "circuitThreshold",
        "decision", "chainId", "borrower", "policy", "nonce", "expiresAt"));
    String bits = text(s, "thresholdBits");
    if (!bits.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("thresholdBits must be 16 lowercase hex digits");
    }
    if (!s.get("decision").isBoolean()) {
      throw new IllegalArgumentException("decision must be a boolean");
    }
    long version = integer(s, "version");
    long direction = integer(s, "direction");
    if (version > Integer.MAX_VALUE || direction > 1 || version < 0 || direction < 0) {
      throw new IllegalArgumentException("version or direction out of range");
    }
    return new GateStatement((int) version, hex(s, "air"), hex(s, "model"), hex(s, "input"), (int) direction,
        Long.parseUnsignedLong(bits, 16), integer(s, "circuitThreshold"), s.get("decision").booleanValue(),
        integer(s, "chainId"), text(s, "borrower"), hex(s, "policy"), hex(s, "nonce"), integer(s, "expiresAt"));
  }

  private static long integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer");
    }
    return v.longValue();
  }

  private static void exactly(JsonNode n, Set<String> expected) {
    int count = 0;
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      if (!expected.contains(it.next())) {
        throw new IllegalArgumentException("unexpected field in entry");
      }
      count++;
    }
    if (count != expected.size()) {
      throw new IllegalArgumentException("entry lacks a field; needs " + expected);
    }
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
