package io.veridict.core.proof;

import java.util.Set;

/**
 * One term of a security estimate: the bits an attacker must overcome on one path, that is {@code
 * -log2} of one round's soundness error (round-by-round soundness, eprint 2024/1553), in one
 * analysis regime. A regime's total is the minimum of its terms and the hash bound.
 *
 * @param name what the term bounds, e.g. {@code "FRI queries + grinding"}
 * @param regime one of {@link #CONJECTURED}, {@link #UNIQUE_DECODING}, {@link #LIST_DECODING},
 *     {@link #HASH}
 * @param bits the term's security in bits, {@code >= 0} (an error bound above 1 counts as 0)
 * @param formula the formula with this instance's numbers, for people (and the bench JSON)
 */
public record SecurityTerm(String name, String regime, double bits, String formula) {

  /**
   * Under the random-words conjecture (eprint 2025/2010 section 1.5); see {@link
   * SecurityEstimator}.
   */
  public static final String CONJECTURED = "conjectured";

  /** Proven, FRI in the unique-decoding radius {@code (1 - rho)/2}. */
  public static final String UNIQUE_DECODING = "unique-decoding";

  /** Proven, FRI up to the Johnson bound {@code 1 - sqrt(rho)}. */
  public static final String LIST_DECODING = "list-decoding";

  /** The commitment hash's collision resistance, shared by every regime. */
  public static final String HASH = "hash";

  private static final Set<String> REGIMES =
      Set.of(CONJECTURED, UNIQUE_DECODING, LIST_DECODING, HASH);

  public SecurityTerm {
    if (name == null || name.isEmpty() || formula == null) {
      throw new IllegalArgumentException("a security term needs a name and a formula");
    }
    if (!REGIMES.contains(regime)) {
      throw new IllegalArgumentException("regime must be one of " + REGIMES + ", got " + regime);
    }
    if (Double.isNaN(bits) || bits < 0) {
      throw new IllegalArgumentException(
          "bits must be a number >= 0, got " + bits + " for " + name);
    }
  }
}
