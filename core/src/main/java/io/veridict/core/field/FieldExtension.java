package io.veridict.core.field;

/**
 * The extension of Goldilocks from which verifier challenges (composition coefficients, the
 * out-of-domain point, DEEP and FRI coefficients, LogUp challenges) are drawn.
 *
 * <ul>
 *   <li>{@link #QUADRATIC}: {@code F_p[u] / (u^2 - 7)} (7 is a quadratic non-residue since it
 *       generates the unit group); about 128 bits. Same polynomial as Plonky3.
 *   <li>{@link #CUBIC}: {@code F_p[u] / (u^3 - u - 1)} (irreducible: no root in {@code F_p}, tested
 *       in {@code FieldExtensionTest}); about 192 bits. Same polynomial as Winterfell.
 * </ul>
 *
 * <p>Elements are stored as {@code degree()} consecutive canonical longs, lowest coefficient first;
 * vectors of extension elements are interleaved ({@code v[d*i .. d*i+d)} is element {@code i}).
 */
public enum FieldExtension {
  QUADRATIC(2, 1),
  CUBIC(3, 2);

  private final int degree;
  private final int code;

  FieldExtension(int degree, int code) {
    this.degree = degree;
    this.code = code;
  }

  /** Degree of the extension over Goldilocks (number of longs per element). */
  public int degree() {
    return degree;
  }

  /** Stable wire code used in proof headers. */
  public int code() {
    return code;
  }

  /** Approximate size of the field in bits ({@code 64 * degree}). */
  public int fieldBits() {
    return 64 * degree;
  }

  /** The extension with wire code {@code code}, or {@code null}. */
  public static FieldExtension fromCode(int code) {
    for (FieldExtension e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return null;
  }
}
