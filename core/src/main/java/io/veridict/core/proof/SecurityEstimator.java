package io.veridict.core.proof;

import java.util.List;

/**
 * INTERIM placeholder (the real estimator is being written): the classic
 * {@code queries * logBlowup + grinding} estimate, which is known to be slightly optimistic.
 */
public final class SecurityEstimator {
  private SecurityEstimator() {}

  public static double worstCaseConjecturedBits(ProofOptions o) {
    return o.numQueries() * o.logBlowup() + o.grindingBits();
  }

  public static SecurityReport estimate(ProofOptions o, ProtocolShape shape) {
    double bits = worstCaseConjecturedBits(o);
    return new SecurityReport(bits, bits / 2, bits / 2, 128, List.of());
  }
}
