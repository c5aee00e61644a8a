package io.veridict.model;

/** Argument checks shared by the model records. */
final class ModelChecks {
  private ModelChecks() {}

  static void finite(double v, String what) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be finite, got " + v);
    }
  }
}
