package io.veridict.prover;

/**
 * The private execution trace a prover commits to.
 *
 * <p>Values are canonical Goldilocks elements. Implementations are supplied by the code that
 * knows the computation (e.g. an example AIR's trace builder); the prover checks the trace against
 * the AIR before committing.
 */
public interface Witness {

  /** The main trace: {@code air.mainWidth()} columns of {@code air.traceLength()} values. */
  long[][] mainTrace();

  /**
   * Builds the auxiliary columns after the main trace is committed. Each returned column holds
   * {@code traceLength} extension elements, interleaved ({@code extDegree} longs each).
   *
   * @param mainTrace the committed main trace
   * @param challenges the AIR's auxiliary challenges, interleaved extension elements
   * @param extDegree extension degree of the proof
   */
  default long[][] auxTrace(long[][] mainTrace, long[] challenges, int extDegree) {
    throw new UnsupportedOperationException("this witness has no auxiliary columns");
  }
}
