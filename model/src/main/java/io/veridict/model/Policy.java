package io.veridict.model;

/**
 * The decision rule: approve (decision {@code true}) when the model's prediction is at least
 * ({@link Direction#AT_LEAST}) or at most ({@link Direction#AT_MOST}) {@code threshold}.
 *
 * <p>The threshold is in the model's prediction units (a probability for logistic models, points
 * for scorecards). The link is monotone, so it becomes a margin threshold (a logit for logistic
 * models) and then a fixed-point integer; no sigmoid is evaluated in the circuit.
 */
public record Policy(double threshold, Direction direction) {
  public enum Direction {
    AT_LEAST("at-least"),
    AT_MOST("at-most");

    private final String id;

    Direction(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Direction fromId(String s) {
      for (Direction d : values()) {
        if (d.id.equals(s)) {
          return d;
        }
      }
      throw new IllegalArgumentException("unknown direction '" + s + "' (at-least or at-most)");
    }
  }

  public Policy {
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite");
    }
    java.util.Objects.requireNonNull(direction);
  }

  /**
   * The threshold {@code T} the circuit compares the fixed-point margin with ({@code margin_q >=
   * T} iff the circuit's bit is 1): {@code ceil(m * 2^s)} for at-least, {@code floor(m * 2^s) + 1}
   * for at-most (then the decision is the complement), {@code m} the margin threshold.
   */
  public long circuitThreshold(ModelArchitecture a) {
    double m = a.link().inverse(threshold);
    if (direction == Direction.AT_LEAST) {
      return a.quantizeMarginThreshold(m);
    }
    double s = Math.floor(Math.scalb(m, a.marginExponent()));
    if (!(Math.abs(s) < ModelArchitecture.MARGIN_BOUND - 1)) {
      throw new IllegalArgumentException("threshold " + threshold + " is outside the model's margin range");
    }
    return (long) s + 1;
  }

  /** The decision from the circuit's bit ({@code margin_q >= circuitThreshold}). */
  public boolean decisionFromBit(boolean marginAtLeastT) {
    return direction == Direction.AT_LEAST ? marginAtLeastT : !marginAtLeastT;
  }
}
