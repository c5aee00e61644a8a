package io.veridict.core.proof;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;

/**
 * The parameters a STARK proof is made with. Immutable; validated at construction.
 *
 * <p>Every field is absorbed into the Fiat–Shamir transcript and written in the proof header, and
 * the verifier checks them against its {@code AcceptablePolicy} before anything else.
 *
 * <p>Only two public factories create options: the named profiles {@link #standard()} and
 * {@link #high()} (and variations of them through {@code with...} methods that keep their security
 * level checked), and {@link #insecureForTests}, whose name says what it is. An option set whose
 * conjectured security falls below {@link #MIN_SECURE_BITS} cannot be built any other way.
 */
public final class ProofOptions {

  /** Options below this many conjectured bits need {@link #insecureForTests}. */
  public static final int MIN_SECURE_BITS = 80;

  /** Hard structural limits, also used to bound decoding. */
  public static final int MIN_LOG_BLOWUP = 1;
  public static final int MAX_LOG_BLOWUP = 6;
  public static final int MAX_QUERIES = 255;
  public static final int MAX_GRINDING_BITS = 32;
  public static final int MAX_LOG_FINAL_POLY_MIN_LENGTH = 7;

  private final HashFunction hash;
  private final FieldExtension extension;
  private final int logBlowup;
  private final int numQueries;
  private final int grindingBits;
  private final int foldingArity;
  private final int logFinalPolyMinLength;
  private final boolean zeroKnowledge;
  private final boolean insecure;

  private ProofOptions(
      HashFunction hash,
      FieldExtension extension,
      int logBlowup,
      int numQueries,
      int grindingBits,
      int foldingArity,
      int logFinalPolyMinLength,
      boolean zeroKnowledge,
      boolean insecure) {
    if (hash == null || extension == null) {
      throw new IllegalArgumentException("hash and extension must be set");
    }
    if (logBlowup < MIN_LOG_BLOWUP || logBlowup > MAX_LOG_BLOWUP) {
      throw new IllegalArgumentException(
          "logBlowup must be in [" + MIN_LOG_BLOWUP + ", " + MAX_LOG_BLOWUP + "], got " + logBlowup);
    }
    if (numQueries < 1 || numQueries > MAX_QUERIES) {
      throw new IllegalArgumentException(
          "numQueries must be in [1, " + MAX_QUERIES + "], got " + numQueries);
    }
    if (grindingBits < 0 || grindingBits > MAX_GRINDING_BITS) {
      throw new IllegalArgumentException(
          "grindingBits must be in [0, " + MAX_GRINDING_BITS + "], got " + grindingBits);
    }
    if (foldingArity != 2 && foldingArity != 4 && foldingArity != 8) {
      throw new IllegalArgumentException("foldingArity must be 2, 4 or 8, got " + foldingArity);
    }
    if (logFinalPolyMinLength < 0 || logFinalPolyMinLength > MAX_LOG_FINAL_POLY_MIN_LENGTH) {
      throw new IllegalArgumentException(
          "logFinalPolyMinLength must be in [0, "
              + MAX_LOG_FINAL_POLY_MIN_LENGTH
              + "], got "
              + logFinalPolyMinLength);
    }
    this.hash = hash;
    this.extension = extension;
    this.logBlowup = logBlowup;
    this.numQueries = numQueries;
    this.grindingBits = grindingBits;
    this.foldingArity = foldingArity;
    this.logFinalPolyMinLength = logFinalPolyMinLength;
    this.zeroKnowledge = zeroKnowledge;
    this.insecure = insecure;
    if (!insecure) {
      double bits = SecurityEstimator.worstCaseConjecturedBits(this);
      if (bits < MIN_SECURE_BITS) {
        throw new IllegalArgumentException(
            String.format(
                "options give %.1f conjectured bits (< %d); use insecureForTests(...) only in"
                    + " tests: %s",
                bits, MIN_SECURE_BITS, this));
      }
    }
  }

  /**
   * The {@code standard} profile: quadratic extension, blowup 8, BLAKE3, 29 queries, 20 grinding
   * bits, FRI folding by 8 to a final polynomial of at least 32 coefficients, zero knowledge on. At
   * least 100 conjectured bits (see {@link SecurityEstimator}) for every trace from {@code 2^9} to
   * {@code 2^24} rows (100.7 at {@code 2^9}, where the 64 randomizers raise the rate to {@code
   * 576/4096}); above that the quadratic field's FRI batching term {@code 128 - log2 N} binds.
   */
  public static ProofOptions standard() {
    return new ProofOptions(
        HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 29, 20, 8, 5, true, false);
  }

  /**
   * The {@code high} profile: cubic extension, blowup 8, BLAKE3, 40 queries, 21 grinding bits, FRI
   * folding by 8 to a final polynomial of at least 32 coefficients, zero knowledge on. At least 128
   * conjectured bits for every trace from {@code 2^9} rows up (the hash caps it at 128).
   */
  public static ProofOptions high() {
    return new ProofOptions(
        HashFunction.BLAKE3_256, FieldExtension.CUBIC, 3, 40, 21, 8, 5, true, false);
  }

  /**
   * Options with no security floor, for unit tests that need tiny proofs. The result is flagged
   * {@link #isInsecure()}; a default {@code AcceptablePolicy} rejects it.
   */
  public static ProofOptions insecureForTests(
      HashFunction hash,
      FieldExtension extension,
      int logBlowup,
      int numQueries,
      int grindingBits,
      int foldingArity,
      int logFinalPolyMinLength,
      boolean zeroKnowledge) {
    return new ProofOptions(
        hash,
        extension,
        logBlowup,
        numQueries,
        grindingBits,
        foldingArity,
        logFinalPolyMinLength,
        zeroKnowledge,
        true);
  }

  /**
   * Rebuilds options as decoded from a proof header. The result is flagged insecure exactly when
   * it does not meet {@link #MIN_SECURE_BITS}; it is up to the verifier's policy to refuse it.
   *
   * @throws IllegalArgumentException if a field is outside its structural range
   */
  public static ProofOptions fromHeader(
      HashFunction hash,
      FieldExtension extension,
      int logBlowup,
      int numQueries,
      int grindingBits,
      int foldingArity,
      int logFinalPolyMinLength,
      boolean zeroKnowledge) {
    ProofOptions probe =
        new ProofOptions(
            hash,
            extension,
            logBlowup,
            numQueries,
            grindingBits,
            foldingArity,
            logFinalPolyMinLength,
            zeroKnowledge,
            true);
    boolean secure = SecurityEstimator.worstCaseConjecturedBits(probe) >= MIN_SECURE_BITS;
    return secure ? probe.withInsecureFlag(false) : probe;
  }

  private ProofOptions withInsecureFlag(boolean flag) {
    return new ProofOptions(
        hash,
        extension,
        logBlowup,
        numQueries,
        grindingBits,
        foldingArity,
        logFinalPolyMinLength,
        zeroKnowledge,
        flag);
  }

  /** Same options with another commitment hash (security is re-checked). */
  public ProofOptions withHash(HashFunction newHash) {
    return new ProofOptions(
        newHash,
        extension,
        logBlowup,
        numQueries,
        grindingBits,
        foldingArity,
        logFinalPolyMinLength,
        zeroKnowledge,
        insecure);
  }

  /** Same options with another FRI folding arity (2, 4 or 8). */
  public ProofOptions withFoldingArity(int arity) {
    return new ProofOptions(
        hash,
        extension,
        logBlowup,
        numQueries,
        grindingBits,
        arity,
        logFinalPolyMinLength,
        zeroKnowledge,
        insecure);
  }

  /**
   * Same options with zero knowledge <b>off</b>: proofs then leak information about the witness.
   * Exists only to benchmark against non-ZK provers; never use it for private data.
   */
  public ProofOptions withoutZeroKnowledgeForBenchmarks() {
    return new ProofOptions(
        hash,
        extension,
        logBlowup,
        numQueries,
        grindingBits,
        foldingArity,
        logFinalPolyMinLength,
        false,
        insecure);
  }

  public HashFunction hash() {
    return hash;
  }

  public FieldExtension extension() {
    return extension;
  }

  public int logBlowup() {
    return logBlowup;
  }

  public int blowup() {
    return 1 << logBlowup;
  }

  public int numQueries() {
    return numQueries;
  }

  public int grindingBits() {
    return grindingBits;
  }

  public int foldingArity() {
    return foldingArity;
  }

  public int logFoldingArity() {
    return Integer.numberOfTrailingZeros(foldingArity);
  }

  /**
   * FRI folds as often as it can while the trace length, folded, stays at least {@code
   * 2^logFinalPolyMinLength}: {@code L = floor((log2 n - f) / log2 a)} folds, and the final
   * polynomial has {@code (n + h) / a^L} coefficients, at least {@code 2^f} (see {@link
   * StarkLayout}). A longer final polynomial means fewer FRI layers and a degree bound closer to
   * {@code n}; the verifier's policy pins the values it accepts.
   */
  public int logFinalPolyMinLength() {
    return logFinalPolyMinLength;
  }

  public boolean zeroKnowledge() {
    return zeroKnowledge;
  }

  /** True for options made by {@link #insecureForTests} or decoded below the security floor. */
  public boolean isInsecure() {
    return insecure;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProofOptions p
        && hash == p.hash
        && extension == p.extension
        && logBlowup == p.logBlowup
        && numQueries == p.numQueries
        && grindingBits == p.grindingBits
        && foldingArity == p.foldingArity
        && logFinalPolyMinLength == p.logFinalPolyMinLength
        && zeroKnowledge == p.zeroKnowledge
        && insecure == p.insecure;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        hash,
        extension,
        logBlowup,
        numQueries,
        grindingBits,
        foldingArity,
        logFinalPolyMinLength,
        zeroKnowledge,
        insecure);
  }

  @Override
  public String toString() {
    return "ProofOptions{hash="
        + hash.cliName()
        + ", extension="
        + extension
        + ", logBlowup="
        + logBlowup
        + ", numQueries="
        + numQueries
        + ", grindingBits="
        + grindingBits
        + ", foldingArity="
        + foldingArity
        + ", logFinalPolyMinLength="
        + logFinalPolyMinLength
        + ", zeroKnowledge="
        + zeroKnowledge
        + (insecure ? ", INSECURE" : "")
        + "}";
  }
}
