package io.veridict.core.proof;

import io.veridict.core.field.Goldilocks;
import java.util.ArrayList;
import java.util.List;

/**
 * Security estimates for DEEP-ALI + FRI proofs, with a per-term breakdown.
 *
 * <p>Notation: {@code n} trace length, {@code D = n + h} the degree bound (h zero-knowledge
 * randomizers), {@code N} the LDE size, rate {@code rho = D/N}, {@code q} queries, {@code g}
 * grinding bits, {@code |F| = p^d} the challenge field, {@code k} polynomials batched into DEEP,
 * {@code L} FRI layers, {@code c} the maximum constraint degree.
 *
 * <h2>Conjectured (the "post-2025" estimate)</h2>
 *
 * The classical estimate {@code q log2(1/rho) + g} assumes FRI's proximity gaps hold up to
 * capacity ({@code delta = 1 - rho}). Diamond and Gruen (eprint 2025/2010) and the concurrent
 * works 2025/2046, 2025/2055 show that conjecture is false for Reed–Solomon codes in general, so
 * Veridict does <b>not</b> assume it. Our assumption is that proximity gaps hold up to {@code delta
 * = 1 - (1 + eta) rho} with a relative gap {@code eta = 1/8} below capacity, i.e. each query
 * catches a far word except with probability {@code (1 + eta) rho}. This is an explicit,
 * conservative-but-unproven assumption of this project (the papers give counterexamples, not a
 * replacement constant). Terms:
 *
 * <ul>
 *   <li>queries: {@code q * log2(1 / ((1 + eta) rho)) + g};
 *   <li>field (DEEP-ALI out-of-domain sampling and FRI commit/batching with independent random
 *       coefficients): {@code log2|F| - log2(c D)} and {@code log2|F| - log2(2 N)} (ethSTARK,
 *       eprint 2021/582, section 5, with the batching error without the {@code k} factor since
 *       coefficients are independent, and the FRI layers' errors summing to at most {@code 2N/|F|}
 *       for arity >= 2);
 *   <li>the hash: 128 bits of collision resistance for 256-bit digests (about 85 against quantum
 *       collision search, not included in the totals).
 * </ul>
 *
 * <h2>Proven</h2>
 *
 * <ul>
 *   <li>unique decoding ({@code delta = (1 - rho)/2}): queries {@code q * log2(2/(1 + rho)) + g};
 *       commit phase {@code log2|F| - log2(N (k + L))} (proximity gaps in the unique-decoding radius,
 *       ethSTARK Theorem 5 / eprint 2024/1553); DEEP-ALI {@code log2|F| - log2(c D + D)};
 *   <li>list decoding up to the Johnson bound (Ben-Sasson, Carmon, Ishai, Kopparty, Saraf,
 *       "Proximity Gaps for Reed–Solomon Codes", Theorem 8.3; ethSTARK Theorem 3): with {@code
 *       alpha = sqrt(rho) (1 + 1/(2m))}, queries {@code q * log2(1/alpha) + g}; commit phase
 *       {@code -log2( (m + 1/2)^7 / (3 rho^(3/2)) * N^2/|F| + (2m + 1)(N + 1) a L / (sqrt(rho) |F|) )};
 *       DEEP-ALI with list size {@code l = (m + 1/2)/sqrt(rho)}: {@code log2|F| - log2(l (c D + D))};
 *       the total is maximised over {@code m} in {@code [3, 32]}.
 * </ul>
 *
 * All estimates assume the random oracle model for Fiat–Shamir; round-by-round soundness of the
 * non-interactive protocol (eprint 2024/1553) is what makes grinding bits add to query bits.
 */
public final class SecurityEstimator {
  /** Relative gap below capacity assumed by the conjectured estimate. */
  public static final double CAPACITY_GAP = 1.0 / 8;
  /** Collision resistance of the 256-bit commitment hashes (classical). */
  public static final int HASH_COLLISION_BITS = 128;

  /** The worst case used to validate options on their own (see {@link #worstCaseConjecturedBits}). */
  static final int WORST_CASE_LOG_TRACE = 26;

  private static final double LOG2_P = Math.log(Goldilocks.P + 0x1p64) / Math.log(2); // p read unsigned

  private SecurityEstimator() {}

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  /** Estimates the security of {@code o} for a proof of the given shape. */
  public static SecurityReport estimate(ProofOptions o, ProtocolShape s) {
    double fieldBits = o.extension().degree() * LOG2_P;
    double rho = s.rate();
    double n = Math.pow(2, s.logLdeDomainSize());
    double d = s.traceDegreeBound();
    int q = o.numQueries();
    int g = o.grindingBits();
    int c = s.maxConstraintDegree();
    int k = s.numCommittedPolynomials();
    int layers = s.numFriLayers();
    List<SecurityTerm> terms = new ArrayList<>();

    // Conjectured.
    double perQuery = -log2((1 + CAPACITY_GAP) * rho);
    double cQueries = q * perQuery + g;
    terms.add(new SecurityTerm("FRI queries + grinding", "conjectured", cQueries,
        String.format("%d * log2(1/(%.3f * %.5f)) + %d", q, 1 + CAPACITY_GAP, rho, g)));
    double cOod = fieldBits - log2(c * d);
    terms.add(new SecurityTerm("DEEP-ALI out-of-domain", "conjectured", cOod,
        String.format("%.1f - log2(%d * %.0f)", fieldBits, c, d)));
    double cCommit = fieldBits - log2(2 * n);
    terms.add(new SecurityTerm("FRI commit + batching", "conjectured", cCommit,
        String.format("%.1f - log2(2 * %.0f)", fieldBits, n)));
    double conjectured = min(cQueries, cOod, cCommit, HASH_COLLISION_BITS);

    // Proven, unique decoding.
    double uQueries = q * log2(2 / (1 + rho)) + g;
    terms.add(new SecurityTerm("FRI queries + grinding", "unique-decoding", uQueries,
        String.format("%d * log2(2/(1 + %.5f)) + %d", q, rho, g)));
    double uCommit = fieldBits - log2(n * (k + layers));
    terms.add(new SecurityTerm("FRI commit + batching", "unique-decoding", uCommit,
        String.format("%.1f - log2(%.0f * (%d + %d))", fieldBits, n, k, layers)));
    double uOod = fieldBits - log2(c * d + d);
    terms.add(new SecurityTerm("DEEP-ALI", "unique-decoding", uOod,
        String.format("%.1f - log2(%d * %.0f + %.0f)", fieldBits, c, d, d)));
    double unique = min(uQueries, uCommit, uOod, HASH_COLLISION_BITS);

    // Proven, list decoding up to the Johnson bound, optimised over m.
    double bestList = Double.NEGATIVE_INFINITY;
    int bestM = 3;
    double[] bestTerms = new double[3];
    for (int m = 3; m <= 32; m++) {
      double alpha = Math.sqrt(rho) * (1 + 1.0 / (2 * m));
      double lQueries = q * -log2(alpha) + g;
      double eps1 = Math.pow(m + 0.5, 7) / (3 * Math.pow(rho, 1.5)) * n * n / Math.pow(2, fieldBits);
      double eps2 = (2 * m + 1) * (n + 1) * o.foldingArity() * Math.max(1, layers) / (Math.sqrt(rho) * Math.pow(2, fieldBits));
      double lCommit = -log2(eps1 + eps2);
      double listSize = (m + 0.5) / Math.sqrt(rho);
      double lOod = fieldBits - log2(listSize * (c * d + d));
      double total = min(lQueries, lCommit, lOod, HASH_COLLISION_BITS);
      if (total > bestList) {
        bestList = total;
        bestM = m;
        bestTerms = new double[] {lQueries, lCommit, lOod};
      }
    }
    double alphaBest = Math.sqrt(rho) * (1 + 1.0 / (2 * bestM));
    terms.add(new SecurityTerm("FRI queries + grinding", "list-decoding", bestTerms[0],
        String.format("%d * log2(1/%.5f) + %d  (m = %d)", q, alphaBest, g, bestM)));
    terms.add(new SecurityTerm("FRI commit (BCIKS Thm 8.3)", "list-decoding", bestTerms[1],
        String.format("m = %d, N = %.0f, |F| = 2^%.1f", bestM, n, fieldBits)));
    terms.add(new SecurityTerm("DEEP-ALI with list size", "list-decoding", bestTerms[2],
        String.format("%.1f - log2(%.1f * (%d * %.0f + %.0f))", fieldBits, (bestM + 0.5) / Math.sqrt(rho), c, d, d)));
    terms.add(new SecurityTerm("commitment hash collisions", "hash", HASH_COLLISION_BITS,
        "256-bit digest, birthday bound (quantum: ~85)"));
    return new SecurityReport(conjectured, unique, bestList, HASH_COLLISION_BITS, terms);
  }

  /**
   * Conjectured bits of {@code o} on its own, for validating options at construction: a trace of
   * {@code 2^26} rows (the field terms shrink with the domain), constraint degree 8, 64
   * committed polynomials, and the rate of a large trace ({@code D ~ n}). Proofs of smaller traces
   * with zero knowledge have a slightly higher rate; the verifier's policy checks the estimate for
   * the actual shape.
   */
  public static double worstCaseConjecturedBits(ProofOptions o) {
    int logN = WORST_CASE_LOG_TRACE + o.logBlowup();
    int n = 1 << WORST_CASE_LOG_TRACE;
    int h = o.zeroKnowledge() ? o.numQueries() + 2 * o.extension().degree() : 0;
    ProtocolShape s = new ProtocolShape(WORST_CASE_LOG_TRACE, n + h, logN, 8, 64, 64, 8, 8);
    return estimate(o, s).conjecturedBits();
  }

  private static double min(double... v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
