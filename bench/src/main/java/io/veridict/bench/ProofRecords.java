package io.veridict.bench;

import io.veridict.chain.Bytes32;
import io.veridict.chain.GateStatement;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.ProofRecord;
import io.veridict.core.hash.Keccak256;
import io.veridict.model.DecisionStatement;
import io.veridict.model.Policy;
import io.veridict.model.ProofBundle;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How a decision bundle becomes a {@link ProofRecord} (the leaf of a batch {@code MerkleBatch}), the
 * same way on every ledger.
 *
 * <ul>
 *   <li>{@code bundleDigest} = Keccak-256 of the bundle file's bytes, exactly as stored (so editing
 *       a bundle after anchoring breaks its record);
 *   <li>{@code policyId}: a policy written as 64 hex digits (with {@code 0x}) is taken as is; any
 *       other policy string is Keccak-256 of its UTF-8 bytes;
 *   <li>{@code subject}: a 20-byte address ({@code 0x} + 40 hex digits) is taken as is (lowercase);
 *       any other subject (an opaque id) becomes the last 20 bytes of Keccak-256 of its UTF-8
 *       bytes — a pseudonym; eligibility grants need a real address.
 * </ul>
 *
 * No personal data goes into a record: commitments are salted hashes and the subject is an
 * address or a hash.
 */
final class ProofRecords {
  private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final HexFormat HEX = HexFormat.of();

  private ProofRecords() {}

  /** The proof record of a bundle file (its exact bytes) and its parsed content. */
  static ProofRecord record(byte[] bundleFileBytes, ProofBundle bundle) {
    DecisionStatement s = bundle.statement();
    return new ProofRecord(
        Bytes32.of(keccak(bundleFileBytes)),
        Bytes32.fromHex(s.modelCommitment()),
        Bytes32.fromHex(s.inputCommitment()),
        Bytes32.fromHex(s.airId()),
        policyId(s.context().policyId()),
        subjectAddress(s.context().subject()));
  }

  /**
   * The statement of a bundle as a ledger records it ({@link GateStatement}, the Solidity {@code
   * DecisionStatement}): digests as they are, the policy's direction (0 at-least, 1 at-most) and
   * threshold bits, the circuit threshold, the context with the policy id as {@link #policyId}
   * and the nonce as its Keccak-256.
   *
   * @throws IllegalArgumentException when the subject is not a 20-byte address
   */
  static GateStatement gateStatement(DecisionStatement s) {
    return new GateStatement(s.version(), Bytes32.fromHex(s.airId()), Bytes32.fromHex(s.modelCommitment()),
        Bytes32.fromHex(s.inputCommitment()),
        s.policy().direction() == Policy.Direction.AT_LEAST ? GateStatement.AT_LEAST : GateStatement.AT_MOST,
        Double.doubleToLongBits(s.policy().threshold()), s.circuitThreshold(), s.decision(), s.context().chainId(),
        s.context().subject(), policyId(s.context().policyId()), GateStatement.nonceHashOf(s.context().nonce()),
        s.context().expiresAt());
  }

  static Bytes32 policyId(String policy) {
    if (BYTES32.matcher(policy).matches()) {
      return Bytes32.fromHex(policy);
    }
    return Bytes32.of(keccak(policy.getBytes(StandardCharsets.UTF_8)));
  }

  static String subjectAddress(String subject) {
    if (ADDRESS.matcher(subject).matches()) {
      return LedgerEntry.normaliseAddress(subject);
    }
    byte[] h = keccak(subject.getBytes(StandardCharsets.UTF_8));
    return "0x" + HEX.formatHex(h, 12, 32);
  }

  /** {@code 0x} + 64 lowercase hex digits: how the CLI prints every 32-byte ledger value. */
  static String hex(Bytes32 b) {
    return "0x" + b.toHex();
  }

  static boolean isAddress(String subject) {
    return ADDRESS.matcher(subject).matches();
  }

  static byte[] keccak(byte[] data) {
    return Keccak256.INSTANCE.digest(data);
  }
}
