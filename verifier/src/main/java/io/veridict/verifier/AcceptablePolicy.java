package io.veridict.verifier;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which proof options a verifier accepts. Checked before any expensive work.
 *
 * <p>The FRI shape is pinned, not only priced: the folding arity and the final-length parameter
 * come from the proof header, and although the security estimate follows the degree bound FRI
 * really checks for any shape, a verifier should only ever meet the shapes it was analysed and
 * tested for. A proof with another shape is refused with {@code UNACCEPTABLE_OPTIONS} and a
 * message naming the allowed values.
 *
 * @param minConjecturedBits proofs whose estimated conjectured security (for this AIR's actual
 *     shape) is below this are refused
 * @param hashes commitment hashes accepted
 * @param extensions challenge fields accepted
 * @param requireZeroKnowledge refuse proofs made with zero knowledge off
 * @param maxProofBytes refuse larger inputs outright (bounds verifier work and memory)
 * @param acceptInsecure accept options flagged insecure (below 80 bits); tests only
 * @param foldingArities FRI folding arities accepted
 * @param logFinalPolyMinLengths {@link ProofOptions#logFinalPolyMinLength()} values accepted
 */
public record AcceptablePolicy(
    int minConjecturedBits,
    Set<HashFunction> hashes,
    Set<FieldExtension> extensions,
    boolean requireZeroKnowledge,
    int maxProofBytes,
    boolean acceptInsecure,
    Set<Integer> foldingArities,
    Set<Integer> logFinalPolyMinLengths) {

  /** The FRI folding arities the named policies accept. */
  public static final Set<Integer> STANDARD_FOLDING_ARITIES = Set.of(2, 4, 8);

  /**
   * The final-length parameters the named policies accept: with {@code 2^5 .. 2^7} the degree
   * bound FRI checks is at most {@code 1/32} above {@code n} from the folding alone, and the final
   * polynomial stays below {@code 2^10} coefficients.
   */
  public static final Set<Integer> STANDARD_LOG_FINAL_POLY_MIN_LENGTHS = Set.of(5, 6, 7);

  public AcceptablePolicy {
    hashes = Set.copyOf(hashes);
    extensions = Set.copyOf(extensions);
    foldingArities = Set.copyOf(foldingArities);
    logFinalPolyMinLengths = Set.copyOf(logFinalPolyMinLengths);
    if (maxProofBytes <= 0) {
      throw new IllegalArgumentException("maxProofBytes must be positive");
    }
    if (!acceptInsecure && minConjecturedBits < 80) {
      throw new IllegalArgumentException(
          "minConjecturedBits below 80 needs insecureAcceptAnythingForTests()");
    }
    if (foldingArities.isEmpty() || logFinalPolyMinLengths.isEmpty()) {
      throw new IllegalArgumentException("a policy must accept at least one FRI shape");
    }
  }

  /** As the canonical constructor, with the named policies' FRI shapes. */
  public AcceptablePolicy(
      int minConjecturedBits,
      Set<HashFunction> hashes,
      Set<FieldExtension> extensions,
      boolean requireZeroKnowledge,
      int maxProofBytes,
      boolean acceptInsecure) {
    this(minConjecturedBits, hashes, extensions, requireZeroKnowledge, maxProofBytes, acceptInsecure,
        STANDARD_FOLDING_ARITIES, STANDARD_LOG_FINAL_POLY_MIN_LENGTHS);
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

  /** Accepts any structurally valid options, however weak, and any FRI shape. INSECURE: for tests only. */
  public static AcceptablePolicy insecureAcceptAnythingForTests() {
    Set<Integer> anyLength = new TreeSet<>();
    for (int f = 0; f <= ProofOptions.MAX_LOG_FINAL_POLY_MIN_LENGTH; f++) {
      anyLength.add(f);
    }
    return new AcceptablePolicy(
        0, EnumSet.allOf(HashFunction.class), EnumSet.allOf(FieldExtension.class), false, 64 << 20, true,
        STANDARD_FOLDING_ARITIES, anyLength);
  }

  /** The same policy, also requiring zero-knowledge proofs. */
  public AcceptablePolicy requiringZeroKnowledge() {
    return new AcceptablePolicy(minConjecturedBits, hashes, extensions, true, maxProofBytes, acceptInsecure,
        foldingArities, logFinalPolyMinLengths);
  }

  /** Whether {@code o}'s FRI shape is one this policy accepts. */
  public boolean acceptsFriShape(ProofOptions o) {
    return foldingArities.contains(o.foldingArity())
        && logFinalPolyMinLengths.contains(o.logFinalPolyMinLength());
  }
}
