package io.veridict.core.air;

import java.util.List;

/**
 * An algebraic intermediate representation: the shape of an execution trace and the polynomial
 * constraints it must satisfy, as data.
 *
 * <p>Both the prover and the verifier build the same {@code Air} from public information (trace
 * length and the statement's parameters); the verifier never takes constraints from a proof. Public
 * input <em>values</em> are not part of the AIR: constraints refer to them symbolically with {@link
 * Expr.PublicInput}, and the values are passed to prove/verify separately, so the {@linkplain
 * AirIdentity AIR identity} depends only on the constraint system.
 *
 * <p>Transition constraints must vanish on every pair of consecutive rows {@code (i, i+1)} for
 * {@code i < n - 1}; boundary constraints at their row. Auxiliary columns are extension-field columns
 * built after the main trace is committed, from {@link #numAuxChallenges()} random challenges
 * (e.g. LogUp running sums).
 *
 * <p>Implementations must be immutable.
 */
public interface Air {

  /** Short stable name, e.g. {@code "fibonacci"}; part of the AIR identity. */
  String name();

  /** {@code log2} of the number of trace rows. */
  int logTraceLength();

  default int traceLength() {
    return 1 << logTraceLength();
  }

  /** Number of main (base-field) columns. */
  int mainWidth();

  /** Number of auxiliary (extension-field) columns; 0 if none. */
  default int auxWidth() {
    return 0;
  }

  /** Number of extension challenges the auxiliary columns depend on. */
  default int numAuxChallenges() {
    return 0;
  }

  /** Number of public inputs the constraints refer to. */
  int numPublicInputs();

  /**
   * Periodic columns: each array's length is a power of two dividing the trace length, and row
   * {@code i} sees value {@code column[i mod length]}.
   */
  default List<long[]> periodicColumns() {
    return List.of();
  }

  /** Constraints over consecutive rows. */
  List<Expr> transitionConstraints();

  /** Constraints at single rows. */
  List<BoundaryConstraint> boundaryConstraints();
}
