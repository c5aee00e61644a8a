package io.veridict.core.poly;

import static io.veridict.core.field.BigIntegerOracle.P;
import static io.veridict.core.field.BigIntegerOracle.big;
import static io.veridict.core.field.BigIntegerOracle.hex;
import static io.veridict.core.field.BigIntegerOracle.lng;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veridict.core.field.BigIntegerOracle;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Polynomials} against naive sums {@code sum c_i x^i} computed in the {@link
 * BigIntegerOracle}, and barycentric evaluation against Horner on the interpolated coefficients.
 */
class PolynomialsTest {

  static final long[] SEEDS = {1L, 2L, 20_261_124L};

  static Stream<Arguments> extAndSeed() {
    List<Arguments> a = new ArrayList<>();
    for (FieldExtension e : FieldExtension.values()) {
      for (long s : SEEDS) {
        a.add(Arguments.of(e, s));
      }
    }
    return a.stream();
  }

  static long[] randomVector(Random r, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = BigIntegerOracle.structured(r);
    }
    return a;
  }

  /** {@code sum c_i x^i} term by term in BigInteger. */
  static long naiveSum(long[] c, int len, long x) {
    BigInteger s = BigInteger.ZERO;
    for (int i = 0; i < len; i++) {
      s = s.add(big(c[i]).multiply(big(x).modPow(BigInteger.valueOf(i), P)));
    }
    return lng(s.mod(P));
  }

  /** {@code sum c_i z^i} for interleaved extension coefficients, term by term in the oracle. */
  static long[] naiveExtSum(FieldExtension ext, long[] c, int len, long[] z) {
    int d = ext.degree();
    long[] acc = new long[d];
    for (int i = 0; i < len; i++) {
      long[] ci = java.util.Arrays.copyOfRange(c, i * d, i * d + d);
      long[] zi = BigIntegerOracle.extPow(ext, z, BigInteger.valueOf(i));
      acc = BigIntegerOracle.extAdd(ext, acc, BigIntegerOracle.extMul(ext, ci, zi));
    }
    return acc;
  }

  // --- Horner forms against naive sums
  // ------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 20_261_124})
  void evaluate_matchesNaiveSum(long seed) {
    Random r = new Random(seed);
    for (int len : new int[] {0, 1, 2, 3, 10, 64, 257}) {
      long[] c = randomVector(r, len + 2); // entries beyond len must be ignored
      long[] xs = {
        0,
        1,
        Goldilocks.P - 1,
        1L << 32,
        BigIntegerOracle.uniform(r),
        BigIntegerOracle.structured(r)
      };
      for (long x : xs) {
        assertEquals(
            naiveSum(c, len, x),
            Polynomials.evaluate(c, len, x),
            "seed " + seed + " len " + len + " x 0x" + Long.toHexString(x));
      }
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void evaluateAt_baseCoefficientsAtExtensionPoint_matchesNaiveSum(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int len : new int[] {0, 1, 2, 5, 33, 128}) {
      long[] c = randomVector(r, len + 1);
      for (int t = 0; t < 4; t++) {
        long[] z =
            t == 0 ? f.fromBase(BigIntegerOracle.uniform(r)) : BigIntegerOracle.randomExt(ext, r);
        assertArrayEquals(
            BigIntegerOracle.extEvalBaseCoeffs(ext, c, len, z),
            Polynomials.evaluateAt(f, c, len, z),
            ext + " seed " + seed + " len " + len + " z " + hex(z));
        if (t == 0) {
          // At a base-field point, agrees with the base-field evaluator.
          assertArrayEquals(
              f.fromBase(Polynomials.evaluate(c, len, z[0])),
              Polynomials.evaluateAt(f, c, len, z),
              "embedded base point, seed " + seed);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void evaluateExtAt_extensionCoefficients_matchesNaiveSum(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    int d = ext.degree();
    Random r = new Random(seed);
    for (int len : new int[] {0, 1, 2, 5, 33, 100}) {
      long[] c = randomVector(r, (len + 1) * d);
      long[] z = BigIntegerOracle.randomExt(ext, r);
      assertArrayEquals(
          naiveExtSum(ext, c, len, z),
          Polynomials.evaluateExtAt(f, c, len, z),
          ext + " seed " + seed + " len " + len + " z " + hex(z));
      // With base coefficients embedded, evaluateExtAt agrees with evaluateAt.
      long[] base = randomVector(r, len);
      long[] embedded = new long[len * d];
      for (int i = 0; i < len; i++) {
        embedded[i * d] = base[i];
      }
      assertArrayEquals(
          Polynomials.evaluateAt(f, base, len, z),
          Polynomials.evaluateExtAt(f, embedded, len, z),
          ext + " embedded, seed " + seed + " len " + len);
    }
  }

  // --- barycentric
  // --------------------------------------------------------------------------------

  static Stream<Arguments> barycentricCases() {
    List<Arguments> a = new ArrayList<>();
    for (FieldExtension e : FieldExtension.values()) {
      for (int logN : new int[] {0, 1, 2, 3, 5, 8, 10, 12}) {
        a.add(Arguments.of(e, logN));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0} n=2^{1}")
  @MethodSource("barycentricCases")
  void barycentric_matchesHornerOfInterpolatedCoefficients(FieldExtension ext, int logN) {
    ExtField f = ExtField.of(ext);
    int n = 1 << logN;
    long seed = 600L + 17 * logN + ext.degree();
    Random r = new Random(seed);
    long[] values = randomVector(r, n);
    long[] coeffs = values.clone();
    Ntt.inverse(coeffs);
    for (int t = 0; t < 3; t++) {
      long[] z =
          t == 0
              ? f.fromBase(Goldilocks.GENERATOR) // a base point outside every 2^k subgroup
              : BigIntegerOracle.randomExt(ext, r);
      String ctx = ext + " n=2^" + logN + " seed " + seed + " z " + hex(z);
      long[] bary = Polynomials.barycentric(f, values, z);
      assertArrayEquals(Polynomials.evaluateAt(f, coeffs, n, z), bary, ctx);
      if (n <= 256) {
        assertArrayEquals(
            BigIntegerOracle.extEvalBaseCoeffs(ext, coeffs, n, z), bary, "oracle " + ctx);
      }
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void barycentric_ofLowDegreePolynomial_matchesDirectEvaluation(FieldExtension ext, long seed) {
    // Values of a known degree-< n polynomial on <w_n>: barycentric must return q(z) exactly.
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    int logN = 6;
    int n = 1 << logN;
    long[] q = randomVector(r, 20);
    long[] values = Ntt.evaluateOnCoset(q, q.length, 1, logN);
    long[] z = BigIntegerOracle.randomExt(ext, r);
    assertArrayEquals(
        BigIntegerOracle.extEvalBaseCoeffs(ext, q, q.length, z),
        Polynomials.barycentric(f, values, z),
        ext + " seed " + seed + " n " + n);
  }

  @ParameterizedTest
  @EnumSource(FieldExtension.class)
  void barycentric_atPointInsideTheSubgroup_throws(FieldExtension ext) {
    ExtField f = ExtField.of(ext);
    for (int logN : new int[] {0, 1, 3, 6}) {
      int n = 1 << logN;
      long[] values = randomVector(new Random(logN), n);
      long w = Goldilocks.rootOfUnity(logN);
      for (int i = 0; i < n; i++) {
        long[] z = f.fromBase(BigIntegerOracle.pow(w, i));
        assertThrows(
            ArithmeticException.class,
            () -> Polynomials.barycentric(f, values, z),
            ext + " n " + n + " z = w^" + i);
      }
    }
  }

  @Test
  void barycentric_nonPowerOfTwoLength_throws() {
    ExtField f = ExtField.of(FieldExtension.CUBIC);
    assertThrows(
        IllegalArgumentException.class,
        () -> Polynomials.barycentric(f, new long[3], new long[] {5, 1, 0}));
  }
}
