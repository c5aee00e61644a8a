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
 *   <li>{@code h}: randomizer coefficients per committed polynomial when zero knowledge is on
 *       ({@code numQueries + 2 * extensionDegree}: one per opened query plus the base-field
 *       coordinates of the two out-of-domain openings), else 0.
 *   <li>{@code D = n + h}: degree bound of trace polynomials, quotient chunks and the DEEP
 *       polynomial; FRI proves proximity to degree {@code < D} on the LDE domain of size {@code N}.
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
    randomizerCount = opts.zeroKnowledge() ? opts.numQueries() + 2 * extDegree : 0;
    degreeBound = traceLength + randomizerCount;
    if (degreeBound * 2L > ldeSize) {
      throw new IllegalArgumentException(
          "trace of 2^" + logTraceLength + " rows is too short for " + randomizerCount
              + " zero-knowledge randomizers at blowup " + (1 << logBlowup));
    }
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
    int arity = opts.foldingArity();
    long dcur = degreeBound;
    long m = ldeSize;
    int layers = 0;
    long maxFinal = 1L << opts.logFinalPolyMaxLen();
    while (dcur > maxFinal && m / arity >= 2 * ((dcur + arity - 1) / arity)) {
      dcur = (dcur + arity - 1) / arity;
      m /= arity;
      layers++;
    }
    numFriLayers = layers;
    finalPolyLength = (int) dcur;
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
        numFriLayers);
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
