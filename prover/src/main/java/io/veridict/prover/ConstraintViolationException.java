package io.veridict.prover;

/**
 * The witness does not satisfy the AIR: thrown by the prover before it commits to anything, naming
 * the first failing constraint and row.
 */
public final class ConstraintViolationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Which list the failing constraint is in. */
  public enum Kind {
    /** {@link io.veridict.core.air.Air#transitionConstraints()} (rows 0 .. n-2). */
    TRANSITION,
    /** {@link io.veridict.core.air.Air#everyRowConstraints()} (rows 0 .. n-1). */
    EVERY_ROW,
    /** {@link io.veridict.core.air.Air#boundaryConstraints()} (one row each). */
    BOUNDARY
  }

  private final Kind kind;
  private final int constraintIndex;
  private final int row;

  public ConstraintViolationException(Kind kind, int constraintIndex, int row, String airName) {
    super(
        String.format(
            "witness does not satisfy AIR '%s': %s constraint %d fails at row %d",
            airName, kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), constraintIndex, row));
    this.kind = kind;
    this.constraintIndex = constraintIndex;
    this.row = row;
  }

  public Kind kind() {
    return kind;
  }

  /** Index into the AIR's constraint list of this {@link #kind()}. */
  public int constraintIndex() {
    return constraintIndex;
  }

  /** First row at which the constraint fails. */
  public int row() {
    return row;
  }
}
