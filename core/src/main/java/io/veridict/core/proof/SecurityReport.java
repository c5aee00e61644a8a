package io.veridict.core.proof;

import java.util.List;
import java.util.Locale;

/**
 * A security estimate with its per-term breakdown (see {@link SecurityEstimator} for every formula
 * and its source). Each total is the minimum of its regime's terms and of the hash bound.
 *
 * @param conjecturedBits under the random-words conjecture (eprint 2025/2010 section 1.5), the
 *     figure profiles and verifier policies are stated in
 * @param provenUniqueDecodingBits proven, FRI analysed in the unique-decoding regime
 * @param provenListDecodingBits proven, FRI analysed up to the Johnson bound (best {@code m})
 * @param hashCollisionBits classical collision resistance of the commitment hash
 * @param terms every term of every regime, in the order conjectured, unique decoding, list
 *     decoding, hash
 */
public record SecurityReport(
    double conjecturedBits,
    double provenUniqueDecodingBits,
    double provenListDecodingBits,
    int hashCollisionBits,
    List<SecurityTerm> terms) {

  public SecurityReport {
    double[] totals = {conjecturedBits, provenUniqueDecodingBits, provenListDecodingBits};
    for (double b : totals) {
      if (Double.isNaN(b) || b < 0 || b > hashCollisionBits) {
        throw new IllegalArgumentException(
            "totals must be in [0, hashCollisionBits = " + hashCollisionBits + "], got " + b);
      }
    }
    terms = List.copyOf(terms);
  }

  /** The better of the two proven regimes (each is a valid lower bound on its own). */
  public double provenBits() {
    return Math.max(provenUniqueDecodingBits, provenListDecodingBits);
  }

  /** The terms of one regime ({@link SecurityTerm#CONJECTURED} etc.), in report order. */
  public List<SecurityTerm> termsOf(String regime) {
    return terms.stream().filter(t -> t.regime().equals(regime)).toList();
  }

  /** The term that sets a regime's total: its smallest term (the hash bound when none is lower). */
  public SecurityTerm bindingTerm(String regime) {
    SecurityTerm best = null;
    for (SecurityTerm t : terms) {
      if ((t.regime().equals(regime) || t.regime().equals(SecurityTerm.HASH))
          && (best == null || t.bits() < best.bits())) {
        best = t;
      }
    }
    return best;
  }

  /**
   * A readable multi-line breakdown, for example:
   *
   * <pre>
   * conjectured 100.5 bits, proven 44.4 (unique decoding) / 61.3 (list decoding), hash 128
   *   conjectured      FRI queries + grinding               100.5  27 * -log2(0.1288 + 0.0045) + 22
   *   ...
   * </pre>
   */
  public String summary() {
    StringBuilder b = new StringBuilder(toString()).append('\n');
    for (SecurityTerm t : terms) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-36s %7.1f  %s%n",
              t.regime(),
              t.name(),
              t.bits(),
              t.formula()));
    }
    return b.toString();
  }

  /** One line: the four totals. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "conjectured %.1f bits, proven %.1f (unique decoding) / %.1f (list decoding), hash %d",
        conjecturedBits,
        provenUniqueDecodingBits,
        provenListDecodingBits,
        hashCollisionBits);
  }
}
