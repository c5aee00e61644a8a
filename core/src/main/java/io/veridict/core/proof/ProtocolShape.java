package io.veridict.core.proof;

/**
 * The sizes of one proof instance that its security depends on, as {@link
 * StarkLayout#protocolShape()} derives them from an AIR and a set of options. {@link
 * SecurityEstimator} turns a shape and the options into bits; nothing here is read from a proof.
 *
 * <p>Example: Fibonacci (2 columns, 5 constraints of degree 1) at {@code n = 2^20} rows, blowup 8,
 * 29 queries, quadratic extension, FRI folding by 8 with final length at least {@code 2^5}, zero
 * knowledge on: 5 folds ({@code 2^20 / 8^5 = 32}), {@code h = 2*29 + 2*2 = 62} rounded up to {@code
 * 8^5 = 32768}, so {@code ProtocolShape(20, 2^20 + 2^15, 23, 1, 5, 4, 2, 5, 3, 33)} and the rate is
 * {@code 33 * 8^5 / 2^23 = 0.1289}.
 *
 * @param logTraceLength {@code log2 n}, the trace length (at least 1)
 * @param traceDegreeBound {@code D = n + h}: every committed polynomial (trace columns, quotient
 *     chunks) and the DEEP polynomial FRI tests have degree {@code < D}; {@code h} is the number
 *     of zero-knowledge randomizer coefficients, 0 when zero knowledge is off. In {@code [n, N)}.
 * @param logLdeDomainSize {@code log2 N}, the low-degree-extension domain FRI runs on; {@code >
 *     logTraceLength} and at most 40
 * @param maxConstraintDegree the largest inferred constraint degree, as a multiple of the trace
 *     degree (1 for linear constraints); at least 1
 * @param numConstraints transition, every-row and boundary constraints; at least 1
 * @param numCommittedPolynomials polynomials batched into the DEEP combination (main and
 *     auxiliary columns, quotient chunks); at least 1
 * @param numQuotientChunks chunks the composition quotient is split into; in {@code [1,
 *     numCommittedPolynomials]}
 * @param numFriLayers committed FRI folding layers (0 when the DEEP polynomial is small enough to
 *     be sent directly); in {@code [0, logLdeDomainSize]}
 * @param logFoldingArity {@code log2} of the FRI folding arity {@code a}; 1, 2 or 3
 * @param finalPolyLength coefficients of the final FRI polynomial; with the folds it fixes the
 *     degree bound FRI checks, {@link #friCheckedDegreeBound()}, which must be at least {@code
 *     traceDegreeBound} (FRI cannot accept honest proofs otherwise) and below {@code N}
 */
public record ProtocolShape(
    int logTraceLength,
    int traceDegreeBound,
    int logLdeDomainSize,
    int maxConstraintDegree,
    int numConstraints,
    int numCommittedPolynomials,
    int numQuotientChunks,
    int numFriLayers,
    int logFoldingArity,
    int finalPolyLength) {

  /** Largest supported {@code log2 N} (keeps every size exact in a {@code double}). */
  public static final int MAX_LOG_LDE_DOMAIN_SIZE = 40;

  public ProtocolShape {
    if (logTraceLength < 1) {
      throw new IllegalArgumentException(
          "logTraceLength must be at least 1, got " + logTraceLength);
    }
    if (logLdeDomainSize <= logTraceLength || logLdeDomainSize > MAX_LOG_LDE_DOMAIN_SIZE) {
      throw new IllegalArgumentException(
          "logLdeDomainSize must be in ("
              + logTraceLength
              + ", "
              + MAX_LOG_LDE_DOMAIN_SIZE
              + "] (above logTraceLength), got "
              + logLdeDomainSize);
    }
    if (traceDegreeBound < (1L << logTraceLength) || traceDegreeBound >= (1L << logLdeDomainSize)) {
      throw new IllegalArgumentException(
          "traceDegreeBound must be in [n, N) = [2^"
              + logTraceLength
              + ", 2^"
              + logLdeDomainSize
              + "), got "
              + traceDegreeBound);
    }
    if (maxConstraintDegree < 1) {
      throw new IllegalArgumentException(
          "maxConstraintDegree must be at least 1, got " + maxConstraintDegree);
    }
    if (numConstraints < 1) {
      throw new IllegalArgumentException(
          "numConstraints must be at least 1, got " + numConstraints);
    }
    if (numCommittedPolynomials < 1) {
      throw new IllegalArgumentException(
          "numCommittedPolynomials must be at least 1, got " + numCommittedPolynomials);
    }
    if (numQuotientChunks < 1 || numQuotientChunks > numCommittedPolynomials) {
      throw new IllegalArgumentException(
          "numQuotientChunks must be in [1, numCommittedPolynomials = "
              + numCommittedPolynomials
              + "], got "
              + numQuotientChunks);
    }
    if (numFriLayers < 0 || numFriLayers > logLdeDomainSize) {
      throw new IllegalArgumentException(
          "numFriLayers must be in [0, " + logLdeDomainSize + "], got " + numFriLayers);
    }
    if (logFoldingArity < 1 || logFoldingArity > 3) {
      throw new IllegalArgumentException("logFoldingArity must be 1, 2 or 3, got " + logFoldingArity);
    }
    // Fields are not assigned yet in a compact constructor: compute from the parameters.
    long checked = (long) numFriLayers * logFoldingArity > logLdeDomainSize || finalPolyLength < 1
        ? -1
        : (long) finalPolyLength << ((long) numFriLayers * logFoldingArity);
    if (checked < traceDegreeBound || checked >= (1L << logLdeDomainSize)) {
      throw new IllegalArgumentException(
          "FRI checks degree < finalPolyLength * a^numFriLayers = "
              + finalPolyLength + " * 2^" + ((long) numFriLayers * logFoldingArity)
              + ", which must be in [traceDegreeBound, N) = [" + traceDegreeBound + ", 2^"
              + logLdeDomainSize + ")");
    }
  }

  /**
   * The degree bound FRI really checks, {@code finalPolyLength * a^numFriLayers}: the verifier
   * folds {@code numFriLayers} times and compares with a polynomial of {@code finalPolyLength}
   * coefficients, so any word within the proximity bound of that code passes, whatever the
   * committed polynomials' own bound. Every estimate is computed from this value.
   */
  public long friCheckedDegreeBound() {
    return (long) finalPolyLength << ((long) numFriLayers * logFoldingArity);
  }

  /** The trace length {@code n}. */
  public long traceLength() {
    return 1L << logTraceLength;
  }

  /** The LDE domain size {@code N}. */
  public long ldeDomainSize() {
    return 1L << logLdeDomainSize;
  }

  /**
   * The code rate FRI works at, {@code rho = friCheckedDegreeBound / N}: {@code 1/blowup} without
   * zero knowledge, slightly above it with (for example {@code (2^10 + 64) / 2^13 = 0.1328} at
   * blowup 8 for the {@code standard} profile).
   */
  public double rate() {
    return friCheckedDegreeBound() / (double) ldeDomainSize();
  }
}
