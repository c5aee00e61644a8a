package io.veridict.core.field;

import static io.veridict.core.field.BigIntegerOracle.P;
import static io.veridict.core.field.BigIntegerOracle.big;
import static io.veridict.core.field.BigIntegerOracle.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ext2}, {@link Ext3} and {@link ExtField} against a {@link BigIntegerOracle} that
 * multiplies polynomials in full and reduces them by the modulus ({@code u^2 - 7}, {@code u^3 - u -
 * 1}), plus algebraic laws on seeded random elements and proofs that both moduli are irreducible.
 */
class FieldExtensionTest {

  private static final long PL = BigIntegerOracle.P_LONG;
  static final long[] SEEDS = {1L, 7L, 99L, 20_261_124L};

  static Stream<Arguments> extAndSeed() {
    List<Arguments> a = new ArrayList<>();
    for (FieldExtension e : FieldExtension.values()) {
      for (long s : SEEDS) {
        a.add(Arguments.of(e, s));
      }
    }
    return a.stream();
  }

  /** Coefficient edge values; every element with coefficients from this set is an edge element. */
  private static final long[] COEFF_EDGES = {
    0, 1, 2, 7, PL - 1, PL - 2, 1L << 32, 0xFFFF_FFFFL, Long.MIN_VALUE
  };

  static List<long[]> edgeElements(FieldExtension ext) {
    List<long[]> out = new ArrayList<>();
    int d = ext.degree();
    int n = COEFF_EDGES.length;
    int total = (int) Math.pow(n, d);
    for (int idx = 0; idx < total; idx++) {
      long[] a = new long[d];
      int x = idx;
      for (int i = 0; i < d; i++) {
        a[i] = COEFF_EDGES[x % n];
        x /= n;
      }
      out.add(a);
    }
    return out;
  }

  private static boolean isZero(long[] a) {
    for (long v : a) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkBinary(ExtField f, long[] a, long[] b, String ctx) {
    FieldExtension e = f.extension();
    assertArrayEquals(BigIntegerOracle.extAdd(e, a, b), f.add(a, b), () -> "add " + ctx);
    assertArrayEquals(BigIntegerOracle.extSub(e, a, b), f.sub(a, b), () -> "sub " + ctx);
    assertArrayEquals(BigIntegerOracle.extMul(e, a, b), f.mul(a, b), () -> "mul " + ctx);
  }

  // --- oracle agreement -------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(FieldExtension.class)
  void allEdgePairs_addSubMul_matchPolynomialOracle(FieldExtension ext) {
    ExtField f = ExtField.of(ext);
    List<long[]> edges = edgeElements(ext);
    // All pairs for the quadratic (81^2); for the cubic (729 elements) pair each with a stride.
    int stride = ext == FieldExtension.QUADRATIC ? 1 : 7;
    for (int i = 0; i < edges.size(); i++) {
      for (int j = i % stride; j < edges.size(); j += stride) {
        long[] a = edges.get(i);
        long[] b = edges.get(j);
        checkBinary(f, a, b, ext + " a=" + hex(a) + " b=" + hex(b));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(FieldExtension.class)
  void allEdges_inverse_matchesOracle(FieldExtension ext) {
    ExtField f = ExtField.of(ext);
    for (long[] a : edgeElements(ext)) {
      if (isZero(a)) {
        continue;
      }
      long[] inv = f.inv(a);
      assertArrayEquals(BigIntegerOracle.extInv(ext, a), inv, ext + " inv " + hex(a));
      assertArrayEquals(f.one(), f.mul(a, inv), ext + " a*inv(a) " + hex(a));
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void randomPairs_addSubMul_matchPolynomialOracle(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int i = 0; i < 5_000; i++) {
      long[] a = BigIntegerOracle.randomExt(ext, r);
      long[] b = BigIntegerOracle.randomExt(ext, r);
      checkBinary(f, a, b, ext + " seed " + seed + " #" + i + " a=" + hex(a) + " b=" + hex(b));
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void randomInverse_matchesOracleAndIsAnInverse(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int i = 0; i < 300; i++) {
      long[] a = BigIntegerOracle.randomNonZeroExt(ext, r);
      long[] inv = f.inv(a);
      String ctx = ext + " seed " + seed + " #" + i + " a=" + hex(a);
      assertArrayEquals(BigIntegerOracle.extInv(ext, a), inv, "inv " + ctx);
      assertArrayEquals(f.one(), f.mul(a, inv), "a*inv(a) " + ctx);
      assertArrayEquals(f.one(), BigIntegerOracle.extMul(ext, a, inv), "oracle a*inv(a) " + ctx);
    }
    for (int i = 0; i < 3_000; i++) {
      long[] a = BigIntegerOracle.randomNonZeroExt(ext, r);
      assertArrayEquals(
          f.one(), f.mul(a, f.inv(a)), ext + " seed " + seed + " a*inv(a), a=" + hex(a));
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void mulBaseAndNeg_matchOracle(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      long[] a = BigIntegerOracle.randomExt(ext, r);
      long s = BigIntegerOracle.structured(r);
      String ctx = ext + " seed " + seed + " a=" + hex(a) + " s=0x" + Long.toHexString(s);
      assertArrayEquals(BigIntegerOracle.extMul(ext, a, f.fromBase(s)), f.mulBase(a, s), ctx);
      assertArrayEquals(BigIntegerOracle.extSub(ext, f.zero(), a), f.neg(a), "neg " + ctx);
    }
  }

  @Test
  void generatorRelations_uSquaredIsSeven_uCubedIsUPlusOne() {
    ExtField q = ExtField.of(FieldExtension.QUADRATIC);
    assertArrayEquals(new long[] {7, 0}, q.mul(new long[] {0, 1}, new long[] {0, 1}));
    assertEquals(7L, Ext2.W);
    ExtField c = ExtField.of(FieldExtension.CUBIC);
    long[] u = {0, 1, 0};
    assertArrayEquals(new long[] {0, 0, 1}, c.mul(u, u));
    assertArrayEquals(new long[] {1, 1, 0}, c.mul(c.mul(u, u), u));
    assertArrayEquals(new long[] {0, 1, 1}, c.exp(u, 4));
  }

  // --- algebraic laws ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void ringLaws_holdOnRandomTriples(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int i = 0; i < 3_000; i++) {
      long[] a = BigIntegerOracle.randomExt(ext, r);
      long[] b = BigIntegerOracle.randomExt(ext, r);
      long[] c = BigIntegerOracle.randomExt(ext, r);
      String ctx = ext + " seed " + seed + " #" + i + " " + hex(a) + hex(b) + hex(c);
      assertArrayEquals(f.mul(f.mul(a, b), c), f.mul(a, f.mul(b, c)), "mul assoc " + ctx);
      assertArrayEquals(f.mul(a, b), f.mul(b, a), "mul comm " + ctx);
      assertArrayEquals(f.add(f.add(a, b), c), f.add(a, f.add(b, c)), "add assoc " + ctx);
      assertArrayEquals(
          f.add(f.mul(a, b), f.mul(a, c)), f.mul(a, f.add(b, c)), "distributivity " + ctx);
      assertArrayEquals(
          f.sub(f.mul(a, b), f.mul(a, c)), f.mul(a, f.sub(b, c)), "distributivity sub " + ctx);
      assertArrayEquals(a, f.add(f.sub(a, b), b), "sub/add " + ctx);
      assertArrayEquals(f.zero(), f.add(a, f.neg(a)), "neg " + ctx);
      assertArrayEquals(a, f.mul(a, f.one()), "one " + ctx);
      assertArrayEquals(f.zero(), f.mul(a, f.zero()), "zero " + ctx);
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void exp_matchesRepeatedMultiplicationAndOracle(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int t = 0; t < 20; t++) {
      long[] a = BigIntegerOracle.randomExt(ext, r);
      long[] acc = f.one();
      for (int e = 0; e <= 70; e++) {
        assertArrayEquals(acc, f.exp(a, e), ext + " seed " + seed + " a=" + hex(a) + " e=" + e);
        acc = f.mul(acc, a);
      }
    }
    for (int t = 0; t < 50; t++) {
      long[] a = BigIntegerOracle.randomExt(ext, r);
      long e = t == 0 ? -1L : r.nextLong(); // -1L: the exponent 2^64 - 1, read unsigned
      assertArrayEquals(
          BigIntegerOracle.extPow(ext, a, big(e)),
          f.exp(a, e),
          ext + " seed " + seed + " a=" + hex(a) + " e=" + Long.toUnsignedString(e));
    }
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void frobenius_hasOrderDegreeAndNormIsBase(FieldExtension ext, long seed) {
    // x -> x^p is the Frobenius automorphism: applied d times it is the identity, and the product
    // of the d conjugates (the norm) lies in the base field. This pins the field structure.
    ExtField f = ExtField.of(ext);
    Random r = new Random(seed);
    for (int t = 0; t < 20; t++) {
      long[] a = BigIntegerOracle.randomExt(ext, r);
      long[] conj = a;
      long[] norm = a;
      for (int k = 1; k < ext.degree(); k++) {
        conj = f.exp(conj, PL);
        assertFalse(Arrays.equals(a, conj) && !f.isBase(a, 0), "Frobenius fixed a non-base a");
        norm = f.mul(norm, conj);
      }
      assertArrayEquals(a, f.exp(conj, PL), ext + " seed " + seed + " a^(p^d) != a " + hex(a));
      assertTrue(f.isBase(norm, 0), ext + " seed " + seed + " norm not in base field " + hex(a));
      if (ext == FieldExtension.QUADRATIC) {
        // a^p = a0 - a1 u, since u^p = 7^((p-1)/2) u = -u.
        assertArrayEquals(new long[] {a[0], Goldilocks.neg(a[1])}, f.exp(a, PL), hex(a));
      }
    }
  }

  // --- aliasing and offsets ---------------------------------------------------------------------

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void offsetsAndAliasing_giveTheSameResults(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    int d = ext.degree();
    Random r = new Random(seed);
    for (int t = 0; t < 200; t++) {
      long[] a = BigIntegerOracle.randomNonZeroExt(ext, r);
      long[] b = BigIntegerOracle.randomNonZeroExt(ext, r);
      long s = BigIntegerOracle.structured(r);
      String ctx = ext + " seed " + seed + " a=" + hex(a) + " b=" + hex(b);
      long[][] expected = {f.add(a, b), f.sub(a, b), f.mul(a, b), f.mulBase(a, s), f.inv(a)};
      for (int op = 0; op < expected.length; op++) {
        // Embedded at offsets in one shared vector; the output overwrites a, then b.
        for (int target = 0; target < 2; target++) {
          long[] v = new long[4 * d];
          Arrays.fill(v, 0x1234L);
          System.arraycopy(a, 0, v, d, d);
          System.arraycopy(b, 0, v, 3 * d, d);
          int oi = target == 0 ? d : 3 * d;
          if (op == 4 && target == 1) {
            oi = 2 * d; // inv is unary: also try a distinct output slot
          }
          switch (op) {
            case 0 -> f.add(v, d, v, 3 * d, v, oi);
            case 1 -> f.sub(v, d, v, 3 * d, v, oi);
            case 2 -> f.mul(v, d, v, 3 * d, v, oi);
            case 3 -> f.mulBase(v, d, s, v, oi);
            default -> f.inv(v, d, v, oi);
          }
          assertArrayEquals(
              expected[op],
              Arrays.copyOfRange(v, oi, oi + d),
              "op " + op + " -> " + oi + " " + ctx);
          assertEquals(0x1234L, v[0], "slot 0 clobbered " + ctx);
        }
      }
      // a * a in place.
      long[] sq = a.clone();
      f.mul(sq, 0, sq, 0, sq, 0);
      assertArrayEquals(f.mul(a, a), sq, "square in place " + ctx);
    }
  }

  @Test
  void ext2AndExt3_directEntryPoints_agreeWithExtField() {
    Random r = new Random(5);
    for (int t = 0; t < 500; t++) {
      long[] a2 = BigIntegerOracle.randomNonZeroExt(FieldExtension.QUADRATIC, r);
      long[] b2 = BigIntegerOracle.randomExt(FieldExtension.QUADRATIC, r);
      long[] o = new long[2];
      Ext2.mul2(a2, 0, b2, 0, o, 0);
      assertArrayEquals(BigIntegerOracle.extMul(FieldExtension.QUADRATIC, a2, b2), o);
      Ext2.inv2(a2, 0, o, 0);
      assertArrayEquals(BigIntegerOracle.extInv(FieldExtension.QUADRATIC, a2), o);
      long[] a3 = BigIntegerOracle.randomNonZeroExt(FieldExtension.CUBIC, r);
      long[] b3 = BigIntegerOracle.randomExt(FieldExtension.CUBIC, r);
      long[] o3 = new long[3];
      Ext3.mul3(a3, 0, b3, 0, o3, 0);
      assertArrayEquals(BigIntegerOracle.extMul(FieldExtension.CUBIC, a3, b3), o3);
      Ext3.inv3(a3, 0, o3, 0);
      assertArrayEquals(BigIntegerOracle.extInv(FieldExtension.CUBIC, a3), o3);
    }
  }

  // --- batch inverse and zero -------------------------------------------------------------------

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("extAndSeed")
  void batchInverse_matchesIndividualInverses(FieldExtension ext, long seed) {
    ExtField f = ExtField.of(ext);
    int d = ext.degree();
    Random r = new Random(seed);
    for (int count : new int[] {0, 1, 2, 5, 64, 333}) {
      int first = r.nextInt(3);
      int trailing = 2;
      long[] v = new long[(first + count + trailing) * d];
      for (int i = 0; i < v.length / d; i++) {
        System.arraycopy(BigIntegerOracle.randomNonZeroExt(ext, r), 0, v, i * d, d);
      }
      long[] before = v.clone();
      f.batchInverse(v, first, count);
      for (int i = 0; i < v.length / d; i++) {
        long[] orig = Arrays.copyOfRange(before, i * d, i * d + d);
        long[] got = Arrays.copyOfRange(v, i * d, i * d + d);
        boolean inRange = i >= first && i < first + count;
        assertArrayEquals(
            inRange ? f.inv(orig) : orig,
            got,
            ext + " seed " + seed + " count " + count + " first " + first + " element " + i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(FieldExtension.class)
  void inverseOfZero_throws(FieldExtension ext) {
    ExtField f = ExtField.of(ext);
    assertThrows(ArithmeticException.class, () -> f.inv(f.zero()));
    if (ext == FieldExtension.QUADRATIC) {
      assertThrows(ArithmeticException.class, () -> Ext2.inv2(new long[2], 0, new long[2], 0));
    } else {
      assertThrows(ArithmeticException.class, () -> Ext3.inv3(new long[3], 0, new long[3], 0));
    }
    long[] v = new long[3 * ext.degree()];
    Arrays.fill(v, 0, ext.degree(), 5);
    Arrays.fill(v, 2 * ext.degree(), 3 * ext.degree(), 9);
    long[] before = v.clone();
    assertThrows(ArithmeticException.class, () -> f.batchInverse(v, 0, 3));
    assertArrayEquals(before, v, "batchInverse must not modify the vector before throwing");
  }

  // --- metadata ---------------------------------------------------------------------------------

  @Test
  void enumMetadata_isStable() {
    assertEquals(2, FieldExtension.QUADRATIC.degree());
    assertEquals(3, FieldExtension.CUBIC.degree());
    assertEquals(128, FieldExtension.QUADRATIC.fieldBits());
    assertEquals(192, FieldExtension.CUBIC.fieldBits());
    assertEquals(1, FieldExtension.QUADRATIC.code());
    assertEquals(2, FieldExtension.CUBIC.code());
    assertSame(FieldExtension.QUADRATIC, FieldExtension.fromCode(1));
    assertSame(FieldExtension.CUBIC, FieldExtension.fromCode(2));
    assertNull(FieldExtension.fromCode(0));
    assertNull(FieldExtension.fromCode(3));
    assertSame(FieldExtension.CUBIC, ExtField.of(FieldExtension.CUBIC).extension());
    assertEquals(3, ExtField.of(FieldExtension.CUBIC).degree());
    ExtField q = ExtField.of(FieldExtension.QUADRATIC);
    assertArrayEquals(new long[] {9, 0}, q.fromBase(9));
    assertTrue(q.isBase(q.fromBase(9), 0));
    assertFalse(q.isBase(new long[] {9, 1}, 0));
    assertTrue(q.isZero(q.zero(), 0));
    assertTrue(q.equals(new long[] {0, 1, 2}, 1, new long[] {1, 2}, 0));
  }

  // --- irreducibility of the moduli --------------------------------------------------------------

  @Test
  void quadraticModulus_sevenIsANonResidue() {
    // Euler's criterion: 7^((p-1)/2) = -1 iff 7 is not a square, iff u^2 - 7 is irreducible.
    BigInteger legendre = BigInteger.valueOf(7).modPow(P.subtract(BigInteger.ONE).shiftRight(1), P);
    assertEquals(P.subtract(BigInteger.ONE), legendre);
  }

  @Test
  void cubicModulus_hasNoRootInBaseField_henceIrreducible() {
    // A cubic is irreducible over F_p iff it has no root in F_p, iff gcd(x^p - x, f) = 1 (x^p - x
    // is the product of all (x - c), c in F_p). Compute r = x^p mod f by square-and-multiply.
    BigInteger[] f = BigIntegerOracle.modulus(FieldExtension.CUBIC); // x^3 - x - 1
    BigInteger[] xp = polyPowX(P, f);
    BigInteger[] xpMinusX = xp.clone();
    xpMinusX[1] = xpMinusX[1].subtract(BigInteger.ONE).mod(P);
    BigInteger[] g = polyGcd(toMod(f), trim(xpMinusX));
    assertEquals(1, g.length, "gcd(x^p - x, x^3 - x - 1) must be a non-zero constant");
    assertNotEquals(BigInteger.ZERO, g[0]);
    // Sanity for the gcd routine: x^(p^3) = x mod f, so f divides x^(p^3) - x (f splits over
    // F_{p^3}), and the same gcd for a reducible cubic (x^3 - x, roots 0 and +-1) has degree 3.
    assertArrayEquals(
        new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.ZERO}, polyPowX(P.pow(3), f));
    BigInteger[] reducible = {
      BigInteger.ZERO, BigInteger.ONE.negate(), BigInteger.ZERO, BigInteger.ONE
    };
    BigInteger[] xpr = polyPowX(P, reducible);
    xpr[1] = xpr[1].subtract(BigInteger.ONE).mod(P);
    assertEquals(4, polyGcd(toMod(reducible), trim(xpr)).length, "gcd for x^3 - x has degree 3");
  }

  @Test
  void cubicFrobeniusOfU_matchesTheOraclePolynomialPower() {
    // Ties Ext3 to the irreducibility computation: u^p in Ext3 equals x^p mod f.
    BigInteger[] xp = polyPowX(P, BigIntegerOracle.modulus(FieldExtension.CUBIC));
    long[] expected = {xp[0].longValue(), xp[1].longValue(), xp[2].longValue()};
    ExtField c = ExtField.of(FieldExtension.CUBIC);
    long[] up = c.exp(new long[] {0, 1, 0}, PL);
    assertArrayEquals(expected, up);
    assertFalse(c.isBase(up, 0));
  }

  /** {@code x^e mod f} over F_p (coefficients reduced, length deg f). */
  private static BigInteger[] polyPowX(BigInteger e, BigInteger[] f) {
    int d = f.length - 1;
    BigInteger[] result = new BigInteger[d];
    BigInteger[] base = new BigInteger[d];
    Arrays.fill(result, BigInteger.ZERO);
    Arrays.fill(base, BigInteger.ZERO);
    result[0] = BigInteger.ONE;
    base[1] = BigInteger.ONE;
    for (int i = 0; i < e.bitLength(); i++) {
      if (e.testBit(i)) {
        result = BigIntegerOracle.polyMod(BigIntegerOracle.polyMul(result, base), f);
      }
      base = BigIntegerOracle.polyMod(BigIntegerOracle.polyMul(base, base), f);
    }
    return result;
  }

  private static BigInteger[] toMod(BigInteger[] a) {
    BigInteger[] r = new BigInteger[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i].mod(P);
    }
    return trim(r);
  }

  /** Drops leading zero coefficients (keeps at least one). */
  private static BigInteger[] trim(BigInteger[] a) {
    int n = a.length;
    while (n > 1 && a[n - 1].signum() == 0) {
      n--;
    }
    return Arrays.copyOf(a, n);
  }

  private static boolean isZeroPoly(BigInteger[] a) {
    return a.length == 1 && a[0].signum() == 0;
  }

  /** Euclid over F_p; returns a gcd (not normalised) with trimmed coefficients. */
  private static BigInteger[] polyGcd(BigInteger[] a, BigInteger[] b) {
    while (!isZeroPoly(b)) {
      BigInteger[] r = polyRem(a, b);
      a = b;
      b = r;
    }
    return a;
  }

  private static BigInteger[] polyRem(BigInteger[] a, BigInteger[] b) {
    BigInteger[] r = a.clone();
    int db = b.length - 1;
    BigInteger leadInv = b[db].modInverse(P);
    for (int k = r.length - 1; k >= db; k--) {
      BigInteger q = r[k].multiply(leadInv).mod(P);
      if (q.signum() == 0) {
        continue;
      }
      for (int i = 0; i <= db; i++) {
        r[k - db + i] = r[k - db + i].subtract(q.multiply(b[i])).mod(P);
      }
    }
    return trim(Arrays.copyOf(r, Math.max(1, db)));
  }
}
