package io.veridict.chain;

import io.veridict.core.hash.Keccak256;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One proof record, the leaf value of a {@link MerkleBatch}: what ties a decision bundle to a
 * model, an input commitment, a circuit, a policy and a (pseudonymous) subject. Contains no
 * personal data: the commitments are salted digests and the subject is an address.
 *
 * <p>Its leaf is the OpenZeppelin {@code StandardMerkleTree} leaf over the Solidity tuple
 *
 * <pre>
 *   (bytes32 bundleDigest, bytes32 modelCommitment, bytes32 inputCommitment,
 *    bytes32 airId, bytes32 policyId, address subject)
 * </pre>
 *
 * that is {@code keccak256(bytes.concat(keccak256(abi.encode(...))))}, exactly what {@code
 * ProofAnchor.recordLeaf} computes on chain and what {@code golden.mjs} feeds to
 * {@code @openzeppelin/merkle-tree}.
 *
 * @param bundleDigest Keccak-256 of the bundle file's bytes
 * @param modelCommitment the model commitment the proof is for
 * @param inputCommitment the commitment to the (private) input
 * @param airId the identity of the decision circuit
 * @param policyId the policy the decision was made under
 * @param subject a 20-byte address, {@code 0x} + 40 hex digits; normalised to lowercase
 */
public record ProofRecord(
    Bytes32 bundleDigest,
    Bytes32 modelCommitment,
    Bytes32 inputCommitment,
    Bytes32 airId,
    Bytes32 policyId,
    String subject) {

  /** Length of {@link #abiEncode()}: six 32-byte words. */
  public static final int ABI_ENCODED_BYTES = 6 * 32;

  public ProofRecord {
    Objects.requireNonNull(bundleDigest, "bundleDigest");
    Objects.requireNonNull(modelCommitment, "modelCommitment");
    Objects.requireNonNull(inputCommitment, "inputCommitment");
    Objects.requireNonNull(airId, "airId");
    Objects.requireNonNull(policyId, "policyId");
    subject = LedgerEntry.normaliseAddress(subject);
  }

  /**
   * The Solidity {@code abi.encode} of the tuple: five {@code bytes32} words, then the address
   * left-padded with 12 zero bytes to a word. All types are static, so there are no offsets.
   */
  public byte[] abiEncode() {
    byte[] out = new byte[ABI_ENCODED_BYTES];
    bundleDigest.copyTo(out, 0);
    modelCommitment.copyTo(out, 32);
    inputCommitment.copyTo(out, 64);
    airId.copyTo(out, 96);
    policyId.copyTo(out, 128);
    byte[] address = HexFormat.of().parseHex(subject.substring(2));
    System.arraycopy(address, 0, out, ABI_ENCODED_BYTES - 20, 20);
    return out;
  }

  /** The double-hashed OpenZeppelin leaf: {@code keccak256(keccak256(abiEncode()))}. */
  public Bytes32 leafHash() {
    return MerkleBatch.leafHash(abiEncode());
  }

  /** {@code keccak256(data)}, the hash this package uses everywhere on the EVM side. */
  static byte[] keccak(byte[] data) {
    return Keccak256.INSTANCE.digest(data);
  }
}
