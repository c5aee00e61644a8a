package io.veridict.core.proof;

/**
 * The sizes of one proof instance that the security estimate depends on (see {@link
 * StarkLayout#protocolShape()}).
 *
 * @param logTraceLength {@code log2 n}
 * @param traceDegreeBound {@code D = n + h}: degree bound of every committed polynomial and of
 *     the DEEP polynomial FRI tests ({@code h} = zero-knowledge randomizers, 0 without ZK)
 * @param logLdeDomainSize {@code log2 N}
 * @param maxConstraintDegree largest constraint degree (multiple of the trace degree)
 * @param numConstraints transition plus boundary constraints
 * @param numCommittedPolynomials polynomials batched into DEEP (main, aux, quotient chunks)
 * @param numQuotientChunks quotient chunks
 * @param numFriLayers committed FRI layers
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
  public ProtocolShape {
    if (logTraceLength < 1 || logLdeDomainSize <= logTraceLength || logLdeDomainSize > 40) {
      throw new IllegalArgumentException("inconsistent domain sizes");
    }
    if (traceDegreeBound < (1L << logTraceLength) || traceDegreeBound >= (1L << logLdeDomainSize)) {
      throw new IllegalArgumentException("degree bound must be in [n, N)");
    }
    if (maxConstraintDegree < 1 || numConstraints < 1 || numCommittedPolynomials < 1
        || numQuotientChunks < 1 || numFriLayers < 0) {
      throw new IllegalArgumentException("counts must be positive");
    }
  }

  /** The code rate {@code D / N}. */
  public double rate() {
    return traceDegreeBound / Math.pow(2, logLdeDomainSize);
  }
}
