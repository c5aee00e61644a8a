package io.veridict.core.proof;

import io.veridict.core.air.Air;
import io.veridict.core.air.AirIdentity;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Degrees;
import io.veridict.core.air.Expr;

/**
 * Every size the protocol derives from an AIR and a set of options. Prover and verifier both
 * compute it; nothing here is ever read from a proof.
 *
 * <ul>
 *   <li>{@code L} FRI folds by the arity {@code a}: the most that keep {@code n / a^L >= 2^f}, {@code
 *       f = logFinalPolyMinLength} (no fold when {@code n < 2^f}).
 *   <li>{@code h}: zero-knowledge randomizer coefficients per committed polynomial: at least {@link
 *       #minimumRandomizers} ({@code 2 numQueries + 2 d}: every evaluation of a column the proof opens
 *       or lets the verifier derive, see {@code docs/security.md}), rounded up to a multiple of
 *       {@code a^L}; 0 without zero knowledge.
 *   <li>{@code D = n + h}: the degree bound of trace polynomials, quotient chunks and the DEEP
 *       polynomial. Since {@code a^L} divides {@code D}, FRI folds it exactly: the final polynomial
 *       has {@code D / a^L} coefficients and FRI checks degree {@code < finalPolyLength * a^L = D},
 *       the bound the security estimate uses ({@link #friCheckedDegreeBound}). Rounding up at each
 *       fold instead would let FRI accept degree up to {@code N/2} while the estimate assumed
 *       {@code D} (REFERENCES pitfall 21).
 *   <li>{@code numQuotientChunks}: the composition quotient (degree inferred from the constraints:
 *       {@code deg - (n - 1)} for a transition constraint of degree {@code deg}, {@code deg - n} for
 *       an every-row one, {@code deg - 1} for a boundary one) is split into chunks of {@code n}
 *       coefficients (each masked up to degree {@code < D}); at least 2 with zero knowledge so every
 *       chunk carries randomness.
 *   <li>the composition is evaluated on the sub-coset of the LDE domain of size {@code nCe}, the
 *       next power of two {@code >= numQuotientChunks * n}.
 * </ul>
 */
public final class StarkLayout {
  /** Salt words (64-bit) per salted Merkle leaf: 128 bits. */
  public static final int SALT_LONGS = 2;

  public final int logTraceLength;
  public final int traceLength;
  public final int logBlowup;
  public final int logLdeSize;
  public final int ldeSize;
  public final int extDegree;
  public final int randomizerCount;
  public final int degreeBound;
  public final int mainWidth;
  public final int auxWidth;
  public final int auxCoordWidth;
  public final int numQuotientChunks;
  public final int compositionWidth;
  public final int logCompositionDomain;
  public final int numTransitions;
  public final int numEveryRow;
  public final int numBoundaries;
  public final int maxConstraintDegree;
  public final long[] periodicDegrees;
  public final int numFriLayers;
  public final int finalPolyLength;
  public final int saltLongs;
  public final int logFoldingArity;

  private StarkLayout(Air air, ProofOptions opts) {
    AirIdentity.validate(air);
    logTraceLength = air.logTraceLength();
    traceLength = 1 << logTraceLength;
    logBlowup = opts.logBlowup();
    logLdeSize = logTraceLength + logBlowup;
    if (logLdeSize > 30) {
      throw new IllegalArgumentException("LDE domain 2^" + logLdeSize + " is too large (max 2^30)");
    }
    ldeSize = 1 << logLdeSize;
    extDegree = opts.extension().degree();
    FriPlan plan = plan(logTraceLength, logBlowup, opts);
    randomizerCount = plan.randomizerCount();
    degreeBound = plan.degreeBound();
    numFriLayers = plan.numFriLayers();
    finalPolyLength = plan.finalPolyLength();
    mainWidth = air.mainWidth();
    auxWidth = air.auxWidth();
    auxCoordWidth = auxWidth * extDegree;
    saltLongs = opts.zeroKnowledge() ? SALT_LONGS : 0;
    periodicDegrees = Degrees.periodicDegrees(air.periodicColumns(), traceLength);
    long traceDegree = degreeBound - 1;
    long maxQuotientDegree = 0;
    int maxMultiple = 1;
    for (Expr e : air.transitionConstraints()) {
      // Divisor (x^n - 1)/(x - g^(n-1)), of degree n - 1.
      long deg = Degrees.degree(e, traceDegree, periodicDegrees);
      maxQuotientDegree = Math.max(maxQuotientDegree, deg - (traceLength - 1));
      maxMultiple = Math.max(maxMultiple, Degrees.traceDegreeMultiple(e));
    }
    for (Expr e : air.everyRowConstraints()) {
      // Divisor x^n - 1, of degree n.
      long deg = Degrees.degree(e, traceDegree, periodicDegrees);
      maxQuotientDegree = Math.max(maxQuotientDegree, deg - traceLength);
      maxMultiple = Math.max(maxMultiple, Degrees.traceDegreeMultiple(e));
    }
    for (BoundaryConstraint b : air.boundaryConstraints()) {
      long deg = Degrees.degree(b.expr(), traceDegree, periodicDegrees);
      maxQuotientDegree = Math.max(maxQuotientDegree, deg - 1);
      maxMultiple = Math.max(maxMultiple, Degrees.traceDegreeMultiple(b.expr()));
    }
    maxConstraintDegree = maxMultiple;
    numTransitions = air.transitionConstraints().size();
    numEveryRow = air.everyRowConstraints().size();
    numBoundaries = air.boundaryConstraints().size();
    long quotientLength = maxQuotientDegree + 1;
    int chunks = (int) ((quotientLength + traceLength - 1) / traceLength);
    chunks = Math.max(chunks, opts.zeroKnowledge() ? 2 : 1);
    numQuotientChunks = chunks;
    long ce = Long.highestOneBit((long) chunks * traceLength);
    if (ce < (long) chunks * traceLength) {
      ce <<= 1;
    }
    if (ce > ldeSize) {
      throw new IllegalArgumentException(
          "constraint degree too high for blowup " + (1 << logBlowup) + ": the quotient needs "
              + chunks + " chunks of " + traceLength + " coefficients; raise the blowup");
    }
    logCompositionDomain = Long.numberOfTrailingZeros(ce);
    compositionWidth = chunks * extDegree + (opts.zeroKnowledge() ? extDegree : 0);
    logFoldingArity = opts.logFoldingArity();
  }

  /**
   * The sizes fixed by the trace length and the options alone: randomizer count, degree bound and
   * FRI shape. {@code a^numFriLayers} divides {@code degreeBound}, and {@code finalPolyLength *
   * a^numFriLayers == degreeBound}.
   */
  record FriPlan(int randomizerCount, int degreeBound, int numFriLayers, int finalPolyLength) {}

  /**
   * The plan for {@code 2^logTraceLength} rows at blowup {@code 2^logBlowup} (given separately so
   * the estimator can scan trace lengths without an AIR).
   *
   * @throws IllegalArgumentException if the degree bound does not fit in half the LDE domain
   */
  static FriPlan plan(int logTraceLength, int logBlowup, ProofOptions opts) {
    int n = 1 << logTraceLength;
    int logArity = opts.logFoldingArity();
    int f = opts.logFinalPolyMinLength();
    int layers = logTraceLength > f ? (logTraceLength - f) / logArity : 0;
    long step = 1L << (layers * logArity); // a^L, divides n
    long minRand = minimumRandomizers(opts);
    long h = (minRand + step - 1) / step * step;
    long degreeBound = n + h;
    long ldeSize = 1L << (logTraceLength + logBlowup);
    if (degreeBound * 2 > ldeSize) {
      throw new IllegalArgumentException(
          "trace of 2^" + logTraceLength + " rows is too short for " + h
              + " zero-knowledge randomizers at blowup " + (1 << logBlowup) + " (FRI folding by "
              + opts.foldingArity() + " with final length 2^" + f + ")");
    }
    long finalLength = degreeBound / step;
    if (finalLength > ProofCodec.MAX_FINAL_POLY) {
      // Unreachable with logFinalPolyMinLength <= 7 (at most 2^10 + h coefficients); kept so an
      // honest proof can never be one the decoder refuses.
      throw new IllegalArgumentException("final FRI polynomial of " + finalLength
          + " coefficients exceeds the proof format's " + ProofCodec.MAX_FINAL_POLY);
    }
    return new FriPlan((int) h, (int) degreeBound, layers, (int) finalLength);
  }

  /**
   * The fewest randomizer coefficients zero knowledge needs per committed column: {@code 2 q + 2 d}
   * with {@code q} queries and extension degree {@code d}, 0 without zero knowledge. A column is
   * opened at the {@code q} query points {@code x_k}; through the composition openings (whose
   * masks telescope, so they give the quotient at {@code x_k}) the verifier can derive one more
   * evaluation per query, at {@code g x_k}; and the out-of-domain frame gives the values at {@code
   * z} and {@code g z}, {@code d} base-field coordinates each. A randomizer {@code r} of {@code h}
   * coefficients in {@code T + Z_H r} makes any {@code h} such evaluations uniform and independent
   * of the witness (docs/security.md has the whole count).
   */
  public static int minimumRandomizers(ProofOptions opts) {
    return opts.zeroKnowledge() ? 2 * opts.numQueries() + 2 * opts.extension().degree() : 0;
  }

  /**
   * The degree bound FRI really checks: {@code finalPolyLength * a^numFriLayers}. It equals {@link
   * #degreeBound} by construction; the security estimate is computed from this one.
   */
  public long friCheckedDegreeBound() {
    return (long) finalPolyLength << (numFriLayers * logFoldingArity);
  }

  /** The layout for {@code air} under {@code opts}. @throws IllegalArgumentException if unsupported */
  public static StarkLayout of(Air air, ProofOptions opts) {
    return new StarkLayout(air, opts);
  }

  /** {@code log2} of the evaluation-domain size of FRI layer {@code layer} (layer 0 = LDE). */
  public int logFriDomain(int layer) {
    return logLdeSize - layer * logFoldingArity;
  }

  /**
   * Constraints of all kinds: one composition coefficient each, drawn in the order transition,
   * every-row, boundary.
   */
  public int numConstraints() {
    return numTransitions + numEveryRow + numBoundaries;
  }

  /** The shape summary the security estimator takes. */
  public ProtocolShape protocolShape() {
    return new ProtocolShape(
        logTraceLength,
        degreeBound,
        logLdeSize,
        maxConstraintDegree,
        numConstraints(),
        mainWidth + auxWidth + numQuotientChunks,
        numQuotientChunks,
        numFriLayers,
        logFoldingArity,
        finalPolyLength);
  }

  /** The security estimate of {@code o} for this layout. */
  public SecurityReport securityReport(ProofOptions o) {
    return SecurityEstimator.estimate(o, protocolShape());
  }

  /** Conjectured security bits of {@code o} for this layout. */
  public double conjecturedBits(ProofOptions o) {
    return securityReport(o).conjecturedBits();
  }
}
