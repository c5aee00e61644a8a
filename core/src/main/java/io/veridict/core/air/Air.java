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
 * <p>Each constraint list states the rows its constraints cover, and so the divisor the quotient
 * uses ({@code g} the trace domain's generator):
 *
 * <ul>
 *   <li>{@linkplain #transitionConstraints() transition} constraints relate row {@code i} to row
 *       {@code i + 1} and vanish for {@code i = 0 .. n-2}: divisor {@code (x^n - 1)/(x - g^(n-1))};
 *       the last row has no next row (it would wrap to row 0);
 *   <li>{@linkplain #everyRowConstraints() every-row} constraints read the current row only and
 *       vanish on all rows {@code 0 .. n-1}: divisor {@code x^n - 1};
 *   <li>{@linkplain #boundaryConstraints() boundary} constraints vanish at their one row: divisor
 *       {@code x - g^row}.
 * </ul>
 *
 * <p>A constraint over the current row alone belongs in the every-row list: as a transition it
 * would leave the last row unconstrained, which {@link AirIdentity#validate} refuses. Auxiliary
 * columns are extension-field columns built after the main trace is committed, from {@link
 * #numAuxChallenges()} random challenges (e.g. LogUp running sums).
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

  /**
   * Constraints over consecutive rows, each vanishing on rows {@code (i, i+1)} for {@code i = 0 ..
   * n-2}. Each must refer to the next row (else it belongs in {@link #everyRowConstraints()}).
   */
  List<Expr> transitionConstraints();

  /**
   * Constraints over the current row alone, each vanishing on every row {@code 0 .. n-1}, the last
   * row and padding rows included. None may refer to the next row. Default: none.
   */
  default List<Expr> everyRowConstraints() {
    return List.of();
  }

  /** Constraints at single rows. */
  List<BoundaryConstraint> boundaryConstraints();
}
