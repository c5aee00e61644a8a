package io.veridict.core.proof;

/**
 * The sizes of one proof instance that its security depends on, as {@link
 * StarkLayout#protocolShape()} derives them from an AIR and a set of options. {@link
 * SecurityEstimator} turns a shape and the options into bits; nothing here is read from a proof.
 *
 * <p>Example: Fibonacci (2 columns, 5 constraints of degree 1) at {@code n = 2^20} rows, blowup 8,
 * 27 queries, quadratic extension, zero knowledge on: {@code h = 27 + 2*2 = 31}, so {@code
 * ProtocolShape(20, 2^20 + 31, 23, 1, 5, 4, 2, 6)} and the rate is {@code (2^20 + 31) / 2^23}.
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
 */
public record ProtocolShape(
    int logTraceLength,
    int traceDegreeBound,
    int logLdeDomainSize,
    int maxConstraintDegree,
    int numConstraints,
    int numCommittedPolynomials,
    int numQuotientChunks,
    int numFriLayers) {

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
   * The code rate {@code rho = D / N} FRI works at: {@code 1/blowup} without zero knowledge,
   * slightly above it with (for example {@code (2^10 + 31) / 2^13 = 0.1288} at blowup 8).
   */
  public double rate() {
    return traceDegreeBound / (double) ldeDomainSize();
  }
}
