package io.veridict.core.proof;

import java.util.List;

/**
 * A security estimate with its per-term breakdown. Each total is the minimum of its regime's terms
 * and the hash bound.
 *
 * @param conjecturedBits under the conjecture stated in {@link SecurityEstimator}
 * @param provenUniqueDecodingBits proven, FRI in the unique-decoding regime
 * @param provenListDecodingBits proven, FRI up to the Johnson bound
 * @param hashCollisionBits classical collision resistance of the commitment hash
 */
public record SecurityReport(
    double conjecturedBits,
    double provenUniqueDecodingBits,
    double provenListDecodingBits,
    int hashCollisionBits,
    List<SecurityTerm> terms) {
  public SecurityReport {
    terms = List.copyOf(terms);
  }

  /** A readable multi-line breakdown. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("conjectured %.1f bits, proven %.1f (unique decoding) / %.1f (list decoding), hash %d%n",
        conjecturedBits, provenUniqueDecodingBits, provenListDecodingBits, hashCollisionBits));
    for (SecurityTerm t : terms) {
      b.append(String.format("  %-16s %-34s %7.1f  %s%n", t.regime(), t.name(), t.bits(), t.formula()));
    }
    return b.toString();
  }
}
