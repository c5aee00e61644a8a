package io.veridict.verifier;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which proof options a verifier accepts. Checked before any expensive work.
 *
 * @param minConjecturedBits proofs whose estimated conjectured security (for this AIR's actual
 *     shape) is below this are refused
 * @param hashes commitment hashes accepted
 * @param extensions challenge fields accepted
 * @param requireZeroKnowledge refuse proofs made with zero knowledge off
 * @param maxProofBytes refuse larger inputs outright (bounds verifier work and memory)
 * @param acceptInsecure accept options flagged insecure (below 80 bits); tests only
 */
public record AcceptablePolicy(
    int minConjecturedBits,
    Set<HashFunction> hashes,
    Set<FieldExtension> extensions,
    boolean requireZeroKnowledge,
    int maxProofBytes,
    boolean acceptInsecure) {

  public AcceptablePolicy {
    hashes = Set.copyOf(hashes);
    extensions = Set.copyOf(extensions);
    if (maxProofBytes <= 0) {
      throw new IllegalArgumentException("maxProofBytes must be positive");
    }
    if (!acceptInsecure && minConjecturedBits < 80) {
      throw new IllegalArgumentException(
          "minConjecturedBits below 80 needs insecureAcceptAnythingForTests()");
    }
  }

  /** Default: at least 100 conjectured bits, any supported hash and extension, 4 MiB. */
  public static AcceptablePolicy standard() {
    return new AcceptablePolicy(
        100, EnumSet.allOf(HashFunction.class), EnumSet.allOf(FieldExtension.class), false, 4 << 20, false);
  }

  /** At least 128 conjectured bits (the {@code high} profile). */
  public static AcceptablePolicy high() {
    return new AcceptablePolicy(
        128, EnumSet.allOf(HashFunction.class), EnumSet.allOf(FieldExtension.class), false, 4 << 20, false);
  }

  /** Accepts any structurally valid options, however weak. INSECURE: for tests only. */
  public static AcceptablePolicy insecureAcceptAnythingForTests() {
    return new AcceptablePolicy(
        0, EnumSet.allOf(HashFunction.class), EnumSet.allOf(FieldExtension.class), false, 64 << 20, true);
  }

  /** The same policy, also requiring zero-knowledge proofs. */
  public AcceptablePolicy requiringZeroKnowledge() {
    return new AcceptablePolicy(minConjecturedBits, hashes, extensions, true, maxProofBytes, acceptInsecure);
  }
}
