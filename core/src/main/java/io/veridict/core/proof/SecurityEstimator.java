package io.veridict.core.proof;

import io.veridict.core.hash.HashFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Security estimates, in bits, for Veridict's DEEP-ALI + FRI proofs: conjectured, proven in the
 * unique-decoding regime, proven in the list-decoding regime, and the hash bound, each with a
 * per-term breakdown ({@link SecurityReport}; {@code docs/security-parameters.md} has worked
 * numbers for both profiles).
 *
 * <p>Every estimate is round-by-round (eprint 2024/1553): each round of the interactive protocol
 * contributes one error term, the Fiat–Shamir transform in the random-oracle model keeps each
 * round's error, and a regime's total is the <em>minimum</em> of its terms' bits and of the hash
 * bound. Proof-of-work grinding happens once, right before the query positions are drawn, so its
 * bits add to the query term only.
 *
 * <h2>Notation</h2>
 *
 * {@code n} trace length; {@code h} zero-knowledge randomizers (at least {@code 2 numQueries + 2d},
 * rounded up to the FRI folding, 0 without ZK); {@code D} the degree bound <em>FRI checks</em>,
 * {@code finalPolyLength * a^numFriLayers} ({@link ProtocolShape#friCheckedDegreeBound()}): {@link
 * StarkLayout} makes it equal to {@code n + h}, the bound of every committed polynomial and of the
 * DEEP polynomial, and if the two ever differed the estimate would follow FRI's; {@code N} the
 * LDE domain size; {@code rho = D/N} the rate (slightly above {@code 1/blowup} with ZK); {@code rho+ = (D + 2)/N} (two openings per column, at {@code z} and {@code
 * g z}); {@code q} queries; {@code g} grinding bits; {@code |F| = p^d} the challenge field ({@code
 * log2|F|} = 128 or 192); {@code c} the degree multiple of the composition ({@code
 * max(maxConstraintDegree, numQuotientChunks)}: the chunks bound it even where periodic columns
 * raise the degree in {@code X}); {@code a} the FRI folding arity. The composition and DEEP
 * coefficients are independent random elements (one per constraint, one per column opening;
 * {@code docs/transcript.md}), so the batching errors carry no factor for the number of
 * constraints or columns; a FRI folding challenge {@code b} is used through its powers {@code 1,
 * b, ..., b^(a-1)} (a curve of degree {@code a - 1}).
 *
 * <h2>Conjectured: the random-words bound (eprint 2025/2010)</h2>
 *
 * The classic estimate {@code q * log2(1/rho) + g} rests on the ethSTARK conjecture (eprint
 * 2021/582) that Reed–Solomon proximity gaps hold up to capacity, {@code delta -> 1 - rho}. In
 * November 2025 Diamond and Gruen ("On the Distribution of the Distances of Random Words", eprint
 * 2025/2010) and Crites and Stewart ("On Reed–Solomon Proximity Gaps Conjectures", eprint
 * 2025/2046) showed that this up-to-capacity conjecture is false in general; Ben-Sasson, Carmon,
 * Haböck, Kopparty and Saraf (BCHKS25, eprint 2025/2055, Theorems 1.6, 1.9, 1.13) showed further
 * negative results beyond the Johnson radius, which alone stands proven (and improved, their
 * Theorem 1.5). A uniformly random word over {@code F_q} already lies within relative distance
 * about {@code 1 - rho - eta} of a Reed–Solomon code of rate {@code rho}, with {@code eta = rho
 * log2(e/rho) / log2 q} (the list-decoding capacity of a {@code q}-ary code), so no query catches
 * a cheating prover with probability better than {@code 1 - (rho + eta)}. Following 2025/2010
 * section 1.5 (the "random words" cut-off, formula (5), as Plonky3's {@code p3-security} crate
 * implements it), Veridict conjectures that this is also the best an attacker can do:
 *
 * <ul>
 *   <li>FRI queries: {@code q * -log2(rho + eta) + g} with {@code eta = rho log2(e/rho) /
 *       log2|F|}, {@code F} the field FRI's codewords live in. At blowup 8 over {@code 2^128}
 *       that is 2.951 bits per query instead of 3;
 *   <li>the commit-phase rounds keep their counted exceptional challenges, with list size 1 as
 *       in the unique-decoding analysis below: ALI {@code log2|F|}, DEEP {@code log2|F| - log2(c
 *       (D + 1) + D - 1)}, FRI batching {@code log2|F| - log2 N}, FRI folding {@code log2|F| -
 *       log2((a - 1) N/a)}.
 * </ul>
 *
 * This is a conjecture, not a theorem. The 2025 papers recommend proven bounds for deployment
 * and, for a conjectured figure, staying above the random-words cut-off, which is what this
 * number does. The profiles ({@link ProofOptions#standard()}, {@link ProofOptions#high()}) and the
 * verifier's policies are stated in it; every report also carries the proven figures below.
 *
 * <h2>Proven, unique decoding</h2>
 *
 * The round-by-round analysis of eprint 2024/1553, Theorem 3 (as Winterfell implements it), with
 * the correlated-agreement counts of Ben-Sasson, Carmon, Ishai, Kopparty and Saraf, "Proximity
 * Gaps for Reed–Solomon Codes" (BCIKS20, eprint 2020/654, Theorems 1.2 and 1.4: at most {@code
 * len} exceptional challenges for a line or affine space over a code of length {@code len}, {@code
 * (l - 1) len} for a degree-{@code (l - 1)} curve). Terms: queries {@code q * -log2((1 + rho+)/2) +
 * g}; ALI {@code log2|F|}; DEEP {@code log2|F| - log2(c (D + 1) + D - 1)}; FRI batching {@code
 * log2|F| - log2 N}; FRI folding {@code log2|F| - log2((a - 1) N/a)} (the first fold, over the code
 * of length {@code N/a}, is the worst round).
 *
 * <h2>Proven, list decoding up to the Johnson bound</h2>
 *
 * eprint 2024/1553 Theorem 2 (after ethSTARK, eprint 2021/582, Theorems 1–2), with the
 * proximity-gap count of BCHKS25 Theorem 1.5, which improves BCIKS20 Theorem 1.5 from {@code
 * O(n^2/eta^7)} to {@code O(n/eta^5)} exceptional challenges. For an integer {@code m >= 3}:
 * agreement {@code alpha = (1 + 1/(2m)) sqrt(rho)}, radius {@code gamma = 1 - alpha}, list size
 * {@code L = (m + 1/2)/sqrt(rho)} (Johnson bound), and with {@code m' = m + 1/2} a line over a
 * code of length {@code len} has at most {@code A(len) = (2 m'^5 + 3 m' gamma rho) len / (3
 * rho^(3/2)) + m'/sqrt(rho)} exceptional challenges. Terms: queries {@code q * -log2(alpha) + g};
 * ALI {@code log2|F| - log2 L}; DEEP {@code log2|F| - log2(L^2 (c (D + 1) + D - 1))} (the {@code
 * L^2} of Winterfell's reading of 2024/1553 Theorem 2; soundcalc and Plonky3 use {@code L}; it
 * never binds here); FRI batching {@code log2|F| - log2 A(N)} (affine batching counted as for
 * lines, BCIKS20 Theorem 1.6, as soundcalc does); FRI folding {@code log2|F| - log2 max((a - 1)
 * A(N/a), (2m + 1)(N + 1) a/sqrt(rho))} (the second count is ethSTARK's per-round folding term,
 * kept as Plonky3 does). The figure reported is for the best {@code m} in {@code [3, min(1000,
 * m_max)]}, {@code m_max} the largest {@code m} with {@code 1 + 1/(2m) > sqrt((D + 2)/D)} (the
 * {@code eta > 0} condition of ethSTARK Theorem 1, as Winterfell computes it); the query term
 * grows with {@code m} and every other term shrinks, so the best {@code m} is found by bisection.
 *
 * <h2>Hash</h2>
 *
 * Every commitment hash has a 256-bit digest: 128 bits of collision resistance (birthday bound;
 * about 85 against a quantum collision search, not used in the totals). A collision breaks a
 * Merkle commitment whatever the algebra says, so it caps every regime.
 *
 * <h2>Not covered</h2>
 *
 * The LogUp lookup argument's own error (Haböck, eprint 2022/1530; about {@code k n (W + 2) /
 * |F|} for {@code k} lookups of width {@code W}, the form {@code p3-security} uses) depends on the
 * AIR's lookups, which {@link ProtocolShape} does not describe. Over the quadratic field it stays
 * above 100 bits while {@code k n (W + 2) < 2^28}, e.g. up to 2^22 rows with 16 width-1 lookups.
 */
public final class SecurityEstimator {

  /** Collision resistance of the 256-bit commitment hashes (classical). */
  public static final int HASH_COLLISION_BITS = 128;

  /**
   * {@code log2 N} of the large end of the range {@link #worstCaseConjecturedBits} covers: the
   * largest LDE domain {@link StarkLayout} admits.
   */
  static final int WORST_CASE_LOG_LDE = 30;

  /** {@code log2 n} of the small end of that range: the smallest trace a profile is sized for. */
  static final int WORST_CASE_SMALL_LOG_TRACE = 9;

  /** Constraint degree assumed by the worst case (the quotient then needs 8 chunks). */
  static final int WORST_CASE_CONSTRAINT_DEGREE = 8;

  /** Openings per committed column: at the out-of-domain point {@code z} and at {@code g z}. */
  static final int OPENINGS_PER_COLUMN = 2;

  /** Upper end of the search for the list-decoding parameter {@code m} (as Winterfell). */
  static final int MAX_PROXIMITY_PARAMETER = 1000;

  /** {@code log2 p} for Goldilocks {@code p = 2^64 - 2^32 + 1} (just below 64). */
  static final double LOG2_P = 64 + Math.log1p(-0x1p-32 + 0x1p-64) / Math.log(2);

  private SecurityEstimator() {}

  /** {@code log2|F|} of the challenge field of {@code o}. */
  public static double challengeFieldBits(ProofOptions o) {
    return o.extension().degree() * LOG2_P;
  }

  /** Collision resistance in bits of a commitment hash (all of ours have 256-bit digests). */
  public static int hashCollisionBits(HashFunction h) {
    return switch (h) {
      case BLAKE3_256, KECCAK_256, SHA_256 -> HASH_COLLISION_BITS;
    };
  }

  /**
   * The random-words gap {@code eta = rho log2(e/rho) / log2|F|} of eprint 2025/2010 section 1.5:
   * a random word over a field of {@code 2^fieldBits} elements is within relative distance about
   * {@code 1 - rho - eta} of a Reed–Solomon code of rate {@code rho}.
   */
  static double randomWordsGap(double rho, double fieldBits) {
    return rho * log2(Math.E / rho) / fieldBits;
  }

  /**
   * BCHKS25 (eprint 2025/2055) Theorem 1.5: more than this many challenges {@code z} with {@code
   * u0 + z u1} within {@code gamma = 1 - (1 + 1/(2m)) sqrt(rho)} of a Reed–Solomon code of rate
   * {@code rho} and length {@code len} force correlated agreement.
   */
  static double johnsonExceptionalChallenges(int m, double rho, double len) {
    double mh = m + 0.5;
    double gamma = 1 - (1 + 1.0 / (2 * m)) * Math.sqrt(rho);
    return (2 * Math.pow(mh, 5) + 3 * mh * gamma * rho) * len / (3 * Math.pow(rho, 1.5))
        + mh / Math.sqrt(rho);
  }

  /**
   * The largest admissible list-decoding parameter: the largest {@code m} with {@code 1 + 1/(2m) >
   * sqrt((D + 2)/D)}, capped at {@link #MAX_PROXIMITY_PARAMETER}; below 3 when {@code D} is too
   * small for the list-decoding analysis.
   */
  static int maxProximityParameter(double degreeBound) {
    double eps = OPENINGS_PER_COLUMN / degreeBound;
    double rootMinusOne = eps / (Math.sqrt(1 + eps) + 1); // sqrt(1 + eps) - 1, without cancellation
    double x = 1 / (2 * rootMinusOne);
    long m = (long) Math.ceil(x) - 1; // strict inequality m < x
    return (int) Math.min(m, MAX_PROXIMITY_PARAMETER);
  }

  /** Estimates the security of proofs made with {@code o} for an instance of shape {@code s}. */
  public static SecurityReport estimate(ProofOptions o, ProtocolShape s) {
    Instance x = Instance.of(o, s);
    int hashBits = hashCollisionBits(o.hash());
    List<SecurityTerm> conj = conjecturedTerms(x);
    List<SecurityTerm> unique = uniqueDecodingTerms(x);
    List<SecurityTerm> list = listDecodingTerms(x);
    List<SecurityTerm> terms = new ArrayList<>(conj);
    terms.addAll(unique);
    terms.addAll(list);
    terms.add(term("commitment hash collisions", SecurityTerm.HASH, hashBits,
        o.hash().cliName() + ": 256-bit digest, birthday bound 2^128 (quantum: about 2^85)"));
    return new SecurityReport(
        total(conj, hashBits), total(unique, hashBits), total(list, hashBits), hashBits, terms);
  }

  /**
   * The numbers every term is computed from.
   *
   * @param q queries
   * @param g grinding bits
   * @param a FRI folding arity
   * @param f {@code log2|F|} of the challenge field
   * @param rho {@code D / N}
   * @param bigN {@code N}
   * @param logBigN {@code log2 N}
   * @param d {@code D}
   * @param c degree multiple of the composition
   * @param deepCount out-of-domain points at which a wrong composition can match the claimed
   *     openings, {@code c (D + 2 - 1) + (D - 1)} (2024/1553 Theorems 2-3, openings at {@code z},
   *     {@code g z})
   * @param folds whether FRI folds at least once
   */
  private record Instance(
      int q, int g, int a, double f, double rho, double bigN, int logBigN, double d, int c,
      double deepCount, boolean folds) {
    static Instance of(ProofOptions o, ProtocolShape s) {
      if (s.logFoldingArity() != o.logFoldingArity()) {
        throw new IllegalArgumentException(
            "shape folds by 2^" + s.logFoldingArity() + ", options by " + o.foldingArity());
      }
      // The bound FRI checks, not the committed polynomials' own: the protocol wins.
      double d = s.friCheckedDegreeBound();
      int c = Math.max(s.maxConstraintDegree(), s.numQuotientChunks());
      return new Instance(
          o.numQueries(), o.grindingBits(), o.foldingArity(), challengeFieldBits(o), s.rate(),
          s.ldeDomainSize(), s.logLdeDomainSize(), d, c,
          c * (d + OPENINGS_PER_COLUMN - 1) + (d - 1), s.numFriLayers() > 0);
    }
  }

  // 1. Conjectured: random-words cut-off (2025/2010 section 1.5); commit rounds with list size 1.
  private static List<SecurityTerm> conjecturedTerms(Instance x) {
    double eta = randomWordsGap(x.rho, x.f);
    List<SecurityTerm> ts = new ArrayList<>();
    ts.add(term("FRI queries + grinding", SecurityTerm.CONJECTURED,
        x.q * -log2(x.rho + eta) + x.g,
        fmt("%d * -log2(rho + eta) + %d, rho = D/N = %.5f, eta = rho log2(e/rho)/%.1f = %.5f",
            x.q, x.g, x.rho, x.f, eta)));
    ts.addAll(countedCommitTerms(SecurityTerm.CONJECTURED, x));
    return ts;
  }

  // 2. Proven, unique decoding (2024/1553 Theorem 3; BCIKS20 Theorems 1.2 and 1.4).
  private static List<SecurityTerm> uniqueDecodingTerms(Instance x) {
    double rhoPlus = (x.d + OPENINGS_PER_COLUMN) / x.bigN;
    List<SecurityTerm> ts = new ArrayList<>();
    ts.add(term("FRI queries + grinding", SecurityTerm.UNIQUE_DECODING,
        x.q * -log2((1 + rhoPlus) / 2) + x.g,
        fmt("%d * -log2((1 + rho+)/2) + %d, rho+ = (D + 2)/N = %.5f", x.q, x.g, rhoPlus)));
    ts.addAll(countedCommitTerms(SecurityTerm.UNIQUE_DECODING, x));
    return ts;
  }

  /** ALI, DEEP, FRI batching and FRI folding with list size 1 (unique decoding, conjectured). */
  private static List<SecurityTerm> countedCommitTerms(String regime, Instance x) {
    List<SecurityTerm> ts = new ArrayList<>();
    ts.add(term("constraint composition (ALI)", regime, x.f,
        fmt("%.1f: one independent coefficient per constraint, list size 1", x.f)));
    ts.add(term("DEEP out-of-domain (DEEP-ALI)", regime, x.f - log2(x.deepCount),
        fmt("%.1f - log2(c (D + 1) + D - 1), c = %d, D = %.0f", x.f, x.c, x.d)));
    ts.add(term("FRI batching (DEEP combination)", regime, x.f - log2(x.bigN),
        fmt("%.1f - log2(N), N = 2^%d", x.f, x.logBigN)));
    if (x.folds) {
      ts.add(term("FRI folding (worst round)", regime, x.f - log2((x.a - 1) * x.bigN / x.a),
          fmt("%.1f - log2((a - 1) N/a), a = %d, N = 2^%d", x.f, x.a, x.logBigN)));
    }
    return ts;
  }

  // 3. Proven, list decoding up to the Johnson bound (2024/1553 Theorem 2; BCHKS25 Thm 1.5).
  private static List<SecurityTerm> listDecodingTerms(Instance x) {
    int m = bestProximityParameter(x);
    if (m < 3) {
      return List.of(term("not applicable", SecurityTerm.LIST_DECODING, 0,
          fmt("degree bound D = %.0f is too small for m >= 3", x.d)));
    }
    double[] bits = listDecodingBits(x, m);
    double listSize = (m + 0.5) / Math.sqrt(x.rho);
    List<SecurityTerm> ts = new ArrayList<>();
    ts.add(term("FRI queries + grinding", SecurityTerm.LIST_DECODING, bits[0],
        fmt("%d * -log2((1 + 1/2m) sqrt(rho)) + %d, m = %d, rho = %.5f", x.q, x.g, m, x.rho)));
    ts.add(term("constraint composition (ALI)", SecurityTerm.LIST_DECODING, bits[1],
        fmt("%.1f - log2(L), L = (m + 1/2)/sqrt(rho) = %.1f", x.f, listSize)));
    ts.add(term("DEEP out-of-domain (DEEP-ALI)", SecurityTerm.LIST_DECODING, bits[2],
        fmt("%.1f - log2(L^2 (c (D + 1) + D - 1)), L = %.1f, c = %d, D = %.0f",
            x.f, listSize, x.c, x.d)));
    ts.add(term("FRI batching (DEEP combination)", SecurityTerm.LIST_DECODING, bits[3],
        fmt("%.1f - log2(A(N)), A(N) = 2^%.1f (BCHKS25 Thm 1.5), m = %d",
            x.f, log2(johnsonExceptionalChallenges(m, x.rho, x.bigN)), m)));
    if (x.folds) {
      ts.add(term("FRI folding (worst round)", SecurityTerm.LIST_DECODING, bits[4],
          fmt("%.1f - log2(max((a - 1) A(N/a), (2m + 1)(N + 1) a/sqrt(rho))), a = %d, m = %d",
              x.f, x.a, m)));
    }
    return ts;
  }

  /**
   * The {@code m} in {@code [3, maxProximityParameter(D)]} that maximises the list-decoding total,
   * or a value below 3 when there is none. The query term grows with {@code m} and every other
   * term shrinks (the list and the exceptional counts grow), so the optimum is where the query term
   * crosses the smallest other term; found by bisection.
   */
  static int bestProximityParameter(ProofOptions o, ProtocolShape s) {
    return bestProximityParameter(Instance.of(o, s));
  }

  /** The list-decoding total (before the hash cap) for one {@code m >= 3}, for tests. */
  static double listDecodingTotal(ProofOptions o, ProtocolShape s, int m) {
    return minOf(listDecodingBits(Instance.of(o, s), m));
  }

  private static int bestProximityParameter(Instance x) {
    int lo = 3;
    int hi = maxProximityParameter(x.d);
    if (hi < lo) {
      return hi;
    }
    if (queryMinusRest(x, lo) >= 0) {
      return lo;
    }
    if (queryMinusRest(x, hi) < 0) {
      return hi;
    }
    while (hi - lo > 1) { // queryMinusRest(lo) < 0 <= queryMinusRest(hi)
      int mid = (lo + hi) >>> 1;
      if (queryMinusRest(x, mid) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return minOf(listDecodingBits(x, hi)) > minOf(listDecodingBits(x, lo)) ? hi : lo;
  }

  /** Query term minus the smallest other list-decoding term at {@code m}; increasing in m. */
  private static double queryMinusRest(Instance x, int m) {
    double[] bits = listDecodingBits(x, m);
    double rest = Double.POSITIVE_INFINITY;
    for (int i = 1; i < bits.length; i++) {
      rest = Math.min(rest, bits[i]);
    }
    return bits[0] - rest;
  }

  /** The list-decoding terms' bits at {@code m}: queries, ALI, DEEP, batching, folding. */
  private static double[] listDecodingBits(Instance x, int m) {
    double sqrtRho = Math.sqrt(x.rho);
    double alpha = (1 + 1.0 / (2 * m)) * sqrtRho;
    double listSize = (m + 0.5) / sqrtRho;
    double fold = Double.POSITIVE_INFINITY;
    if (x.folds) {
      double curve = (x.a - 1) * johnsonExceptionalChallenges(m, x.rho, x.bigN / x.a);
      double perRound = (2 * m + 1) * (x.bigN + 1) * x.a / sqrtRho;
      fold = Math.max(0, x.f - log2(Math.max(curve, perRound)));
    }
    return new double[] {
      Math.max(0, x.q * -log2(alpha) + x.g),
      Math.max(0, x.f - log2(listSize)),
      Math.max(0, x.f - log2(listSize * listSize * x.deepCount)),
      Math.max(0, x.f - log2(johnsonExceptionalChallenges(m, x.rho, x.bigN))),
      fold
    };
  }

  private static double minOf(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  /**
   * Conjectured bits of {@code o} on its own, used to refuse option sets below {@link
   * ProofOptions#MIN_SECURE_BITS} at construction (so this never calls a {@link ProofOptions}
   * factory). It is the minimum over every trace length from {@code 2^}{@value
   * #WORST_CASE_SMALL_LOG_TRACE} rows to the largest LDE domain {@link StarkLayout} admits ({@code
   * N <= 2^30}), each with the degree bound and FRI shape the layout gives it, constraint degree 8
   * and many constraints and columns. Every size is evaluated: the rounding of the randomizer count
   * to the FRI folding makes the rate non-monotone in {@code n}. Proofs of shorter traces have a
   * higher rate and fewer bits; the verifier's policy checks the estimate for each proof's actual
   * shape. If no trace length in the range admits a proof under {@code o} (zero knowledge at
   * blowup 2, where {@code D = n + h} never fits in {@code N/2}), the result is 0: such options
   * certify nothing, and are flagged insecure rather than credited with the hash bound.
   */
  public static double worstCaseConjecturedBits(ProofOptions o) {
    double cap = hashCollisionBits(o.hash());
    double worst = cap;
    boolean anyFits = false;
    for (int logTrace = WORST_CASE_SMALL_LOG_TRACE; logTrace + o.logBlowup() <= WORST_CASE_LOG_LDE; logTrace++) {
      StarkLayout.FriPlan plan;
      try {
        plan = StarkLayout.plan(logTrace, o.logBlowup(), o);
      } catch (IllegalArgumentException e) {
        continue; // no proof of this size exists under o
      }
      anyFits = true;
      ProtocolShape shape = worstCaseShape(o, logTrace, plan);
      worst = Math.min(worst, total(conjecturedTerms(Instance.of(o, shape)), cap));
    }
    return anyFits ? worst : 0;
  }

  private static ProtocolShape worstCaseShape(ProofOptions o, int logTrace, StarkLayout.FriPlan plan) {
    int chunks = WORST_CASE_CONSTRAINT_DEGREE;
    return new ProtocolShape(
        logTrace,
        plan.degreeBound(),
        logTrace + o.logBlowup(),
        WORST_CASE_CONSTRAINT_DEGREE,
        1 << 12,
        256 + chunks,
        chunks,
        plan.numFriLayers(),
        o.logFoldingArity(),
        plan.finalPolyLength());
  }

  private static SecurityTerm term(String name, String regime, double bits, String formula) {
    return new SecurityTerm(name, regime, Math.max(0, bits), formula);
  }

  private static double total(List<SecurityTerm> ts, double cap) {
    double m = cap;
    for (SecurityTerm t : ts) {
      m = Math.min(m, t.bits());
    }
    return m;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
