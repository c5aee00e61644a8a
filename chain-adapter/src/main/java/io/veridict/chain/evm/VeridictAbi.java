package io.veridict.chain.evm;

import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerEntry.BatchAnchor;
import io.veridict.chain.GateStatement;
import io.veridict.chain.LedgerEntry.EligibilityGrant;
import io.veridict.chain.LedgerEntry.EligibilityReinstatement;
import io.veridict.chain.LedgerEntry.EligibilityRevocation;
import io.veridict.chain.LedgerEntry.ModelDeprecation;
import io.veridict.chain.LedgerEntry.ModelRegistration;
import io.veridict.contracts.generated.EligibilityGate;
import io.veridict.contracts.generated.LendingPool;
import io.veridict.contracts.generated.ModelRegistry;
import io.veridict.contracts.generated.ProofAnchor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * The ABI of the Veridict contracts as the adapter uses it: entries → calldata, event logs →
 * entries, revert data → error names. Event signatures and error selectors come from the web3j
 * wrappers generated from the compiled contracts, so an ABI change breaks the build rather than
 * the audit trail.
 *
 * <p>Log decoding is strict and total: a log that is not exactly a well-formed Veridict event
 * (wrong topic count, short or oversized data, non-canonical padding, invalid UTF-8, text the
 * {@link LedgerEntry} records reject) yields {@link Optional#empty()}, never an exception.
 */
final class VeridictAbi {
  static final String BATCH_ANCHORED = EventEncoder.encode(ProofAnchor.BATCHANCHORED_EVENT);
  static final String MODEL_REGISTERED = EventEncoder.encode(ModelRegistry.MODELREGISTERED_EVENT);
  static final String MODEL_DEPRECATED = EventEncoder.encode(ModelRegistry.MODELDEPRECATED_EVENT);
  static final String ELIGIBILITY_GRANTED =
      EventEncoder.encode(EligibilityGate.ELIGIBILITYGRANTED_EVENT);
  static final String ELIGIBILITY_REVOKED =
      EventEncoder.encode(EligibilityGate.ELIGIBILITYREVOKED_EVENT);
  static final String ELIGIBILITY_REINSTATED =
      EventEncoder.encode(EligibilityGate.ELIGIBILITYREINSTATED_EVENT);

  /** The topic-0 values of every event {@link #decode} understands. */
  static final List<String> ENTRY_TOPICS =
      List.of(BATCH_ANCHORED, MODEL_REGISTERED, MODEL_DEPRECATED, ELIGIBILITY_GRANTED,
          ELIGIBILITY_REVOKED, ELIGIBILITY_REINSTATED);

  /**
   * A decoded log: the entry, the account the event names as its writer, and for a grant the fact
   * the gate says it recorded (the caller checks it against the statement and the gate's domain).
   */
  record Decoded(LedgerEntry entry, String writer, Optional<Bytes32> fact) {}

  private static final Map<String, String> ERRORS = errorSelectors();

  private VeridictAbi() {}

  /** The contract a call goes to. */
  enum Target {
    MODEL_REGISTRY,
    PROOF_ANCHOR,
    ELIGIBILITY_GATE
  }

  /** A contract call: target and ABI-encoded calldata ({@code 0x} hex). */
  record Call(Target target, String data) {}

  /** Encodes the contract call that writes {@code entry}. */
  static Call encode(LedgerEntry entry) {
    return switch (entry) {
      case BatchAnchor a ->
          new Call(
              Target.PROOF_ANCHOR,
              fn("anchorBatch", b32(a.root()), new Uint32(a.leafCount()), b32(a.metaHash())));
      case ModelRegistration m ->
          new Call(
              Target.MODEL_REGISTRY,
              fn("register", b32(m.modelCommitment()), b32(m.airId()), b32(m.metadataHash()),
                  new Utf8String(m.metadataUri())));
      case ModelDeprecation d ->
          new Call(
              Target.MODEL_REGISTRY,
              fn("deprecate", b32(d.modelCommitment()), new Utf8String(d.reason())));
      case EligibilityGrant g ->
          new Call(
              Target.ELIGIBILITY_GATE,
              fn("grant", struct(g.statement()), new Uint64(BigInteger.valueOf(g.validUntilEpochSeconds()))));
      case EligibilityRevocation r ->
          new Call(
              Target.ELIGIBILITY_GATE,
              fn("revoke", new Address(r.subject()), b32(r.policyId()), new Utf8String(r.reason())));
      case EligibilityReinstatement r ->
          new Call(
              Target.ELIGIBILITY_GATE,
              fn("reinstate", new Address(r.subject()), b32(r.policyId()), new Utf8String(r.reason())));
    };
  }

  /** The statement as the generated wrapper's ABI struct (so the tuple type comes from the ABI). */
  static EligibilityGate.DecisionStatement struct(GateStatement s) {
    return new EligibilityGate.DecisionStatement(
        BigInteger.valueOf(s.version()), s.airId().toByteArray(), s.modelCommitment().toByteArray(),
        s.inputCommitment().toByteArray(), BigInteger.valueOf(s.direction()),
        new BigInteger(Long.toUnsignedString(s.thresholdBits())), BigInteger.valueOf(s.circuitThreshold()),
        s.decision(), BigInteger.valueOf(s.chainId()), s.borrower(), s.policyId().toByteArray(),
        s.nonceHash().toByteArray(), BigInteger.valueOf(s.expiresAt()));
  }

  /** Calldata of {@code EligibilityGate.policy(policyId)}. */
  static String policy(Bytes32 policyId) {
    return fn("policy", b32(policyId));
  }

  /** Calldata of {@code EligibilityGate.heldSince(borrower, policyId)}. */
  static String heldSince(String borrower, Bytes32 policyId) {
    return fn("heldSince", new Address(borrower), b32(policyId));
  }

  /** Calldata of {@code EligibilityGate.isFactUsed(fact)}. */
  static String isFactUsed(Bytes32 fact) {
    return fn("isFactUsed", b32(fact));
  }

  /** Calldata of {@code EligibilityGate.domainSeparator()}. */
  static String domainSeparator() {
    return fn("domainSeparator");
  }

  /** Calldata of {@code EligibilityGate.setPolicy(...)}. */
  static String setPolicy(Bytes32 policyId, Bytes32 model, int direction, long thresholdBits, long circuitThreshold,
      long maxValiditySeconds) {
    return fn("setPolicy", b32(policyId), b32(model), new org.web3j.abi.datatypes.generated.Uint8(direction),
        new Uint64(new BigInteger(Long.toUnsignedString(thresholdBits))),
        new org.web3j.abi.datatypes.generated.Int64(circuitThreshold), new Uint64(maxValiditySeconds));
  }

  /** Calldata of {@code EligibilityGate.setPolicyModel(policyId, model)}. */
  static String setPolicyModel(Bytes32 policyId, Bytes32 model) {
    return fn("setPolicyModel", b32(policyId), b32(model));
  }

  /** Calldata of {@code EligibilityGate.isEligible(borrower, policyId)}. */
  static String isEligible(String borrower, Bytes32 policyId) {
    return fn("isEligible", new Address(borrower), b32(policyId));
  }

  /** Calldata of {@code ProofAnchor.getBatch(root)}. */
  static String getBatch(Bytes32 root) {
    return fn("getBatch", b32(root));
  }

  @SuppressWarnings("rawtypes")
  private static String fn(String name, Type... args) {
    return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
  }

  private static org.web3j.abi.datatypes.generated.Bytes32 b32(Bytes32 v) {
    return new org.web3j.abi.datatypes.generated.Bytes32(v.toByteArray());
  }

  /** The name of the custom error whose selector starts {@code revertData}, if known. */
  static Optional<String> errorName(String revertData) {
    if (revertData == null || revertData.length() < 10 || !revertData.startsWith("0x")) {
      return Optional.empty();
    }
    return Optional.ofNullable(ERRORS.get(revertData.substring(0, 10).toLowerCase(java.util.Locale.ROOT)));
  }

  private static Map<String, String> errorSelectors() {
    Map<String, String> m = new HashMap<>();
    for (Class<?> c :
        List.of(ModelRegistry.class, ProofAnchor.class, EligibilityGate.class, LendingPool.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
          try {
            CustomError e = (CustomError) f.get(null);
            m.put(CustomErrorEncoder.encode(e).substring(0, 10), e.getName());
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return Map.copyOf(m);
  }

  // ---- log decoding

  /**
   * Decodes one log of a Veridict contract into the entry it records.
   *
   * @param topics the log's topics, {@code 0x} + 64 hex digits each
   * @param data the log's data
   */
  static Optional<Decoded> decode(List<String> topics, byte[] data) {
    try {
      if (topics.isEmpty()) {
        return Optional.empty();
      }
      List<Bytes32> t = topics.stream().map(Bytes32::fromHex).toList();
      String sig = topics.get(0).toLowerCase(java.util.Locale.ROOT);
      if (sig.equals(BATCH_ANCHORED) && t.size() == 4 && data.length == 64) {
        long leafCount = uint(word(data, 0), 32);
        return decoded(new BatchAnchor(t.get(1), (int) leafCount, Bytes32.of(word(data, 1))),
            address(t.get(3).toByteArray()));
      }
      if (sig.equals(MODEL_REGISTERED) && t.size() == 4 && data.length >= 128) {
        uint(word(data, 0), 32); // index
        Bytes32 metadataHash = Bytes32.of(word(data, 1));
        String uri = string(data, 2, 3);
        return decoded(new ModelRegistration(t.get(1), t.get(2), metadataHash, uri), address(t.get(3).toByteArray()));
      }
      if (sig.equals(MODEL_DEPRECATED) && t.size() == 3 && data.length >= 64) {
        return decoded(new ModelDeprecation(t.get(1), string(data, 0, 1)), address(t.get(2).toByteArray()));
      }
      if (sig.equals(ELIGIBILITY_GRANTED) && t.size() == 4 && data.length == (GateStatement.WORDS + 3) * 32) {
        GateStatement st = GateStatement.fromAbiWords(data, 0);
        String borrower = address(t.get(1).toByteArray());
        long validUntil = uint(word(data, GateStatement.WORDS), 63);
        uint(word(data, GateStatement.WORDS + 1), 32); // version
        String verifier = address(word(data, GateStatement.WORDS + 2));
        if (!st.borrower().equals(borrower) || !st.policyId().equals(t.get(2))) {
          return Optional.empty(); // topics disagree with the statement: not the gate's event
        }
        return Optional.of(new Decoded(new EligibilityGrant(st, validUntil), verifier, Optional.of(t.get(3))));
      }
      if (sig.equals(ELIGIBILITY_REVOKED) && t.size() == 4 && data.length >= 128) {
        String borrower = address(t.get(1).toByteArray());
        uint(word(data, 0), 32); // version
        String verifier = address(word(data, 1));
        return decoded(new EligibilityRevocation(borrower, t.get(2), string(data, 2, 3)), verifier);
      }
      if (sig.equals(ELIGIBILITY_REINSTATED) && t.size() == 4 && data.length >= 96) {
        String borrower = address(t.get(1).toByteArray());
        uint(word(data, 0), 64); // heldSince
        return decoded(new EligibilityReinstatement(borrower, t.get(2), string(data, 1, 2)),
            address(t.get(3).toByteArray()));
      }
      return Optional.empty();
    } catch (IllegalArgumentException | ArithmeticException e) {
      // malformed or foreign: not a Veridict entry
      return Optional.empty();
    }
  }

  /** {@link #decode}, the entry only. */
  static Optional<LedgerEntry> decodeEntry(List<String> topics, byte[] data) {
    return decode(topics, data).map(Decoded::entry);
  }

  private static Optional<Decoded> decoded(LedgerEntry e, String writer) {
    return Optional.of(new Decoded(e, writer, Optional.empty()));
  }

  private static byte[] word(byte[] data, int index) {
    int from = index * 32;
    if (from + 32 > data.length) {
      throw new IllegalArgumentException("log data too short");
    }
    return Arrays.copyOfRange(data, from, from + 32);
  }

  /** An unsigned integer of at most {@code bits} bits (63 at most here), canonically padded. */
  private static long uint(byte[] word, int bits) {
    BigInteger v = new BigInteger(1, word);
    if (v.bitLength() > Math.min(bits, 63)) {
      throw new IllegalArgumentException("integer out of range");
    }
    return v.longValueExact();
  }

  private static String address(byte[] word) {
    for (int i = 0; i < 12; i++) {
      if (word[i] != 0) {
        throw new IllegalArgumentException("address not canonically padded");
      }
    }
    return "0x" + HexFormat.of().formatHex(word, 12, 32);
  }

  /**
   * The ABI {@code string} whose head (offset) is word {@code headIndex}; the offset must point
   * right after the static part ({@code dynamicStart} words), as solc encodes a single string.
   */
  private static String string(byte[] data, int headIndex, int dynamicStart) {
    long offset = uint(word(data, headIndex), 32);
    if (offset != 32L * dynamicStart) {
      throw new IllegalArgumentException("unexpected string offset");
    }
    long len = uint(word(data, dynamicStart), 32);
    if (len > LedgerEntry.MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("string too long");
    }
    int start = 32 * (dynamicStart + 1);
    int padded = (int) ((len + 31) / 32 * 32);
    if (data.length != start + padded) {
      throw new IllegalArgumentException("string length disagrees with data length");
    }
    for (int i = start + (int) len; i < data.length; i++) {
      if (data[i] != 0) {
        throw new IllegalArgumentException("non-zero string padding");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, start, (int) len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("invalid UTF-8", e);
    }
  }
}
