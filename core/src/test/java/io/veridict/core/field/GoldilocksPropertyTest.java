package io.veridict.core.field;

import static io.veridict.core.field.BigIntegerOracle.P;
import static io.veridict.core.field.BigIntegerOracle.big;
import static io.veridict.core.field.BigIntegerOracle.lng;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Goldilocks} against the {@link BigIntegerOracle}: every pair of curated edge candidates,
 * then seeded random pairs drawn from shapes that stress carries (REFERENCES pitfall 12). Every
 * assertion message names the operands or the seed, so a failure can be replayed.
 */
class GoldilocksPropertyTest {

  private static final long PL = BigIntegerOracle.P_LONG;
  private static final long EPS = 0xFFFF_FFFFL; // 2^32 - 1 = 2^64 mod p

  /** Seeds for the random sweeps; add the seed of any failure seen in CI here. */
  static final long[] SEEDS = {1L, 2L, 42L, 20_261_124L, 0x5EED_CAFE_F00DL};

  static Stream<Long> seeds() {
    return java.util.Arrays.stream(SEEDS).boxed();
  }

  /**
   * Canonical edge candidates: 0, 1, 2, p-1, p-2, 2^32-1, 2^32, 2^32+1, 2^63-1, 2^63, 2^64-2^32,
   * every 2^k and 2^k +- 1 below p, p - 2^k, small and large multiples of EPSILON = 2^32 - 1, and
   * the halves of p.
   */
  static long[] edgeCandidates() {
    Set<Long> s = new LinkedHashSet<>();
    long[] fixed = {
      0,
      1,
      2,
      3,
      7,
      PL - 1,
      PL - 2,
      PL - 3,
      PL - 7,
      EPS,
      1L << 32,
      (1L << 32) + 1,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      Long.MIN_VALUE + 1,
      0xFFFF_FFFF_0000_0000L /* 2^64 - 2^32 */,
      0xFFFF_FFFE_FFFF_FFFFL,
      0xFFFF_FFFE_0000_0000L,
      0xFFFF_FFFE_0000_0001L,
      0x0000_0001_FFFF_FFFFL,
      (PL - 1) >>> 1,
      (PL + 1) >>> 1,
      0x5555_5555_5555_5555L,
      0xAAAA_AAAA_AAAA_AAAAL,
      0x1234_5678_9ABC_DEF0L,
      0x8000_0000_FFFF_FFFFL,
      0x7FFF_FFFF_8000_0000L
    };
    for (long v : fixed) {
      s.add(v);
    }
    for (int k = 0; k < 64; k++) {
      for (long d : new long[] {-1, 0, 1}) {
        s.add((1L << k) + d);
      }
      s.add(PL - (1L << k));
    }
    for (long m : new long[] {2, 3, 7, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0xFFFF_FFFEL, 0xFFFF_FFFFL}) {
      s.add(EPS * m); // EPSILON multiples, up to EPSILON^2 = 2^64 - 2^33 + 1
    }
    s.add(EPS * 0x1_0000_0000L - 1);
    return s.stream()
        .mapToLong(Long::longValue)
        .filter(v -> Long.compareUnsigned(v, PL) < 0)
        .distinct()
        .toArray();
  }

  /**
   * Raw 64-bit candidates for the reducing entry points (fromUnsigned, reduce128): the canonical
   * edges plus the non-canonical band [p, 2^64).
   */
  static long[] rawCandidates() {
    Set<Long> s = new LinkedHashSet<>();
    for (long v : edgeCandidates()) {
      s.add(v);
    }
    for (long v :
        new long[] {
          PL, PL + 1, PL + 2, PL + EPS - 1, -1L, -2L, -EPS, -(1L << 32), PL + (1L << 31)
        }) {
      s.add(v);
    }
    return s.stream().mapToLong(Long::longValue).toArray();
  }

  private static String u(long v) {
    return "0x" + Long.toHexString(v);
  }

  private static void checkBinary(long a, long b, String ctx) {
    BigInteger x = big(a);
    BigInteger y = big(b);
    assertEquals(lng(x.add(y).mod(P)), Goldilocks.add(a, b), () -> "add " + ctx);
    assertEquals(lng(x.subtract(y).mod(P)), Goldilocks.sub(a, b), () -> "sub " + ctx);
    assertEquals(lng(x.multiply(y).mod(P)), Goldilocks.mul(a, b), () -> "mul " + ctx);
  }

  private static void checkUnary(long a, String ctx) {
    BigInteger x = big(a);
    assertEquals(lng(x.negate().mod(P)), Goldilocks.neg(a), () -> "neg " + ctx);
    assertEquals(lng(x.multiply(x).mod(P)), Goldilocks.square(a), () -> "square " + ctx);
    if (a != 0) {
      assertEquals(lng(x.modInverse(P)), Goldilocks.inv(a), () -> "inv " + ctx);
    }
  }

  // --- add / sub / mul / neg / square / inv --------------------------------------------------

  @Test
  void edgeCandidates_areCanonicalAndNumerous() {
    long[] e = edgeCandidates();
    assertTrue(e.length > 200, "expected a wide edge set, got " + e.length);
    for (long v : e) {
      assertTrue(Goldilocks.isCanonical(v), u(v));
    }
  }

  @Test
  void allEdgePairs_addSubMul_matchBigInteger() {
    long[] e = edgeCandidates();
    for (long a : e) {
      for (long b : e) {
        checkBinary(a, b, "a=" + u(a) + " b=" + u(b));
      }
    }
  }

  @Test
  void allEdges_negSquareInv_matchBigInteger() {
    for (long a : edgeCandidates()) {
      checkUnary(a, "a=" + u(a));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomPairs_addSubMul_matchBigInteger(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      long a = i % 2 == 0 ? BigIntegerOracle.uniform(r) : BigIntegerOracle.structured(r);
      long b = i % 3 == 0 ? BigIntegerOracle.uniform(r) : BigIntegerOracle.structured(r);
      checkBinary(a, b, "seed " + seed + " #" + i + " a=" + u(a) + " b=" + u(b));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomElements_negSquareInv_matchBigInteger(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 3_000; i++) {
      long a = BigIntegerOracle.structured(r);
      checkUnary(a, "seed " + seed + " #" + i + " a=" + u(a));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomEdgeMixedPairs_matchBigInteger(long seed) {
    // One operand from the edge set, one random: catches carries that need a "special" partner.
    Random r = new Random(seed);
    long[] e = edgeCandidates();
    for (long a : e) {
      for (int i = 0; i < 40; i++) {
        long b = BigIntegerOracle.structured(r);
        checkBinary(a, b, "seed " + seed + " a=" + u(a) + " b=" + u(b));
        checkBinary(b, a, "seed " + seed + " a=" + u(b) + " b=" + u(a));
      }
    }
  }

  @Test
  void inverse_ofZero_throwsArithmeticException() {
    assertThrows(ArithmeticException.class, () -> Goldilocks.inv(0));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void inverse_timesSelf_isOne(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      long a = BigIntegerOracle.structured(r);
      if (a == 0) {
        continue;
      }
      assertEquals(1L, Goldilocks.mul(a, Goldilocks.inv(a)), "seed " + seed + " a=" + u(a));
    }
  }

  // --- exp
  // ----------------------------------------------------------------------------------------

  static long[] exponentCandidates() {
    return new long[] {
      0,
      1,
      2,
      3,
      7,
      64,
      0xFFFF_FFFFL,
      1L << 32,
      PL - 2,
      PL - 1,
      PL,
      PL + 1,
      (PL - 1) >>> 1,
      (PL - 1) >>> 32,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      -1L /* 2^64 - 1 */,
      -2L
    };
  }

  @Test
  void exp_edgeBasesAndExponents_matchModPow() {
    for (long a : edgeCandidates()) {
      for (long e : exponentCandidates()) {
        assertEquals(
            lng(big(a).modPow(big(e), P)),
            Goldilocks.exp(a, e),
            "exp a=" + u(a) + " e=" + Long.toUnsignedString(e));
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void exp_random_matchesModPow(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 1_000; i++) {
      long a = BigIntegerOracle.structured(r);
      long e = r.nextLong();
      assertEquals(
          lng(big(a).modPow(big(e), P)),
          Goldilocks.exp(a, e),
          "seed " + seed + " a=" + u(a) + " e=" + Long.toUnsignedString(e));
    }
  }

  @Test
  void exp_zeroToTheZero_isOne() {
    assertEquals(1L, Goldilocks.exp(0, 0));
    assertEquals(0L, Goldilocks.exp(0, 5));
  }

  // --- reduce128
  // ----------------------------------------------------------------------------------

  private static void checkReduce128(long lo, long hi, String ctx) {
    BigInteger x = big(hi).shiftLeft(64).add(big(lo));
    assertEquals(lng(x.mod(P)), Goldilocks.reduce128(lo, hi), () -> "reduce128 " + ctx);
  }

  @Test
  void reduce128_allRawCandidatePairs_matchBigInteger() {
    long[] raw = rawCandidates();
    for (long lo : raw) {
      for (long hi : raw) {
        checkReduce128(lo, hi, "lo=" + u(lo) + " hi=" + u(hi));
      }
    }
  }

  @Test
  void reduce128_allOnesAndExtremes_matchBigInteger() {
    checkReduce128(-1L, -1L, "all ones");
    checkReduce128(0, -1L, "hi all ones");
    checkReduce128(-1L, 0, "lo all ones");
    checkReduce128(0, 0, "zero");
    // (p-1)^2 is the largest product mul() ever feeds in.
    BigInteger sq = P.subtract(BigInteger.ONE).pow(2);
    checkReduce128(sq.longValue(), sq.shiftRight(64).longValue(), "(p-1)^2");
    // hh = hi >>> 32 larger than lo: the borrow branch.
    checkReduce128(0, 0xFFFF_FFFF_0000_0000L, "borrow, hl = 0");
    checkReduce128(0xFFFF_FFFEL, 0xFFFF_FFFF_FFFF_FFFFL, "borrow, hl max");
    checkReduce128(0, 0x0000_0001_0000_0000L, "borrow, hh = 1");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void reduce128_random128BitValues_matchBigInteger(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      long lo = r.nextLong();
      long hi =
          switch (i % 4) {
            case 0 -> r.nextLong();
            case 1 -> PL + (r.nextLong() & 0x7FFF_FFFFL); // hi in [p, 2^64): beyond any product
            case 2 -> -1L - r.nextInt(1 << 20);
            default -> (long) r.nextInt() & EPS; // hh = 0
          };
      long lo2 = i % 5 == 0 ? r.nextInt(1 << 20) : lo; // small lo forces lo < hh
      checkReduce128(lo2, hi, "seed " + seed + " #" + i + " lo=" + u(lo2) + " hi=" + u(hi));
    }
  }

  // --- fromUnsigned / fromSigned / isCanonical ---------------------------------------------------

  @Test
  void fromUnsigned_rawCandidates_matchBigInteger() {
    for (long v : rawCandidates()) {
      assertEquals(lng(big(v).mod(P)), Goldilocks.fromUnsigned(v), "fromUnsigned " + u(v));
    }
  }

  @Test
  void fromSigned_edges_matchBigInteger() {
    List<Long> vals = new ArrayList<>();
    for (long v : rawCandidates()) {
      vals.add(v);
      vals.add(-v);
    }
    vals.add(Long.MIN_VALUE);
    vals.add(Long.MIN_VALUE + 1);
    vals.add(-PL); // 2^32 - 1 as a signed long
    for (long v : vals) {
      assertEquals(lng(BigInteger.valueOf(v).mod(P)), Goldilocks.fromSigned(v), "fromSigned " + v);
    }
    assertEquals(PL - 1, Goldilocks.fromSigned(-1));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fromUnsignedAndFromSigned_random_matchBigInteger(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      long v = i % 2 == 0 ? r.nextLong() : -1L - r.nextInt(1 << 30);
      assertEquals(lng(big(v).mod(P)), Goldilocks.fromUnsigned(v), "seed " + seed + " " + u(v));
      assertEquals(
          lng(BigInteger.valueOf(v).mod(P)), Goldilocks.fromSigned(v), "seed " + seed + " " + v);
    }
  }

  @Test
  void isCanonical_edgeCases() {
    assertTrue(Goldilocks.isCanonical(0));
    assertTrue(Goldilocks.isCanonical(1));
    assertTrue(Goldilocks.isCanonical(PL - 1));
    assertTrue(Goldilocks.isCanonical(Long.MAX_VALUE)); // 2^63 - 1 < p
    assertTrue(Goldilocks.isCanonical(Long.MIN_VALUE)); // 2^63 < p although negative as signed
    assertTrue(Goldilocks.isCanonical(0xFFFF_FFFF_0000_0000L)); // p - 1 = 2^64 - 2^32
    assertFalse(Goldilocks.isCanonical(PL));
    assertFalse(Goldilocks.isCanonical(PL + 1));
    assertFalse(Goldilocks.isCanonical(-1L));
    assertFalse(Goldilocks.isCanonical(-2L));
    assertFalse(Goldilocks.isCanonical(0xFFFF_FFFF_7FFF_FFFFL));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void isCanonical_random_matchesBigInteger(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      long v = i % 2 == 0 ? r.nextLong() : PL - 1000 + r.nextInt(2000);
      assertEquals(big(v).compareTo(P) < 0, Goldilocks.isCanonical(v), "seed " + seed + " " + u(v));
    }
  }

  // --- batchInverse ------------------------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void batchInverse_matchesIndividualInverses(long seed) {
    Random r = new Random(seed);
    for (int len : new int[] {0, 1, 2, 3, 17, 256, 1000}) {
      long[] v = new long[len];
      for (int i = 0; i < len; i++) {
        do {
          v[i] = BigIntegerOracle.structured(r);
        } while (v[i] == 0);
      }
      long[] inv = Goldilocks.batchInverse(v);
      for (int i = 0; i < len; i++) {
        assertEquals(
            lng(big(v[i]).modInverse(P)), inv[i], "seed " + seed + " len " + len + " i " + i);
      }
    }
  }

  @Test
  void batchInverse_subrange_leavesOutsideUntouched() {
    long[] v = {0, 5, PL - 1, 1L << 32, 0};
    Goldilocks.batchInverse(v, 1, 3);
    assertEquals(0, v[0]);
    assertEquals(0, v[4]);
    assertEquals(Goldilocks.inv(5), v[1]);
    assertEquals(PL - 1, v[2]); // -1 is its own inverse
    assertEquals(lng(big(1L << 32).modInverse(P)), v[3]);
  }

  @Test
  void batchInverse_withZero_throwsAndLeavesArrayUnchanged() {
    long[] v = {3, 4, 0, 6};
    long[] before = v.clone();
    assertThrows(ArithmeticException.class, () -> Goldilocks.batchInverse(v, 0, 4));
    assertArrayEquals(before, v);
    assertThrows(ArithmeticException.class, () -> Goldilocks.batchInverse(new long[] {0}));
  }

  // --- roots of unity ---------------------------------------------------------------------------

  @Test
  void twoAdicRoot_equalsGeneratorToTheOddPartOfPMinusOne() {
    BigInteger expected =
        BigInteger.valueOf(7).modPow(P.subtract(BigInteger.ONE).shiftRight(32), P);
    assertEquals(expected, big(Goldilocks.TWO_ADIC_ROOT));
    assertEquals(0x185629dcda58878cL, Goldilocks.TWO_ADIC_ROOT);
    assertEquals(Goldilocks.TWO_ADIC_ROOT, Goldilocks.rootOfUnity(32));
  }

  @Test
  void pinnedConstants_matchTheField() {
    assertEquals(P, big(Goldilocks.P));
    assertEquals(BigInteger.ONE.shiftLeft(64).mod(P), big(Goldilocks.EPSILON));
    assertEquals(7L, Goldilocks.GENERATOR);
    assertEquals(32, Goldilocks.TWO_ADICITY);
    BigInteger pm1 = P.subtract(BigInteger.ONE);
    assertEquals(32, pm1.getLowestSetBit(), "two-adicity of p - 1");
  }

  @Test
  void generator_hasFullOrder() {
    // p - 1 = 2^32 * 3 * 5 * 17 * 257 * 65537; g generates iff g^((p-1)/q) != 1 for each prime q.
    BigInteger pm1 = P.subtract(BigInteger.ONE);
    long[] primes = {2, 3, 5, 17, 257, 65537};
    BigInteger prod = BigInteger.ONE.shiftLeft(32);
    for (long q : primes) {
      if (q != 2) {
        prod = prod.multiply(BigInteger.valueOf(q));
      }
    }
    assertEquals(pm1, prod, "factorisation of p - 1");
    for (long q : primes) {
      BigInteger e = pm1.divide(BigInteger.valueOf(q));
      assertNotEquals(
          BigInteger.ONE,
          BigInteger.valueOf(Goldilocks.GENERATOR).modPow(e, P),
          "7^((p-1)/" + q + ")");
    }
  }

  static IntStream logOrders() {
    return IntStream.rangeClosed(0, 32);
  }

  @ParameterizedTest(name = "2^{0}")
  @MethodSource("logOrders")
  void rootOfUnity_hasOrderExactlyTwoToTheK(int k) {
    long w = Goldilocks.rootOfUnity(k);
    assertTrue(Goldilocks.isCanonical(w));
    BigInteger bw = big(w);
    assertEquals(BigInteger.ONE, bw.modPow(BigInteger.ONE.shiftLeft(k), P), "w^(2^k) for k=" + k);
    if (k > 0) {
      BigInteger half = bw.modPow(BigInteger.ONE.shiftLeft(k - 1), P);
      assertNotEquals(BigInteger.ONE, half, "w^(2^(k-1)) for k=" + k);
      assertEquals(P.subtract(BigInteger.ONE), half, "w^(2^(k-1)) must be -1, k=" + k);
    }
    // Same root the oracle derives independently: 7^((p-1)/2^k).
    assertEquals(BigIntegerOracle.root(1L << k), w, "7^((p-1)/2^k) for k=" + k);
    if (k > 0) {
      assertEquals(Goldilocks.rootOfUnity(k - 1), Goldilocks.square(w), "compatibility, k=" + k);
    }
  }

  @Test
  void rootOfUnity_smallOrdersHaveKnownValues() {
    assertEquals(1L, Goldilocks.rootOfUnity(0));
    assertEquals(PL - 1, Goldilocks.rootOfUnity(1));
    assertEquals(0xfffffffeff000001L, Goldilocks.rootOfUnity(3)); // -2^24, the REFERENCES w8
  }

  @ParameterizedTest(name = "logOrder {0}")
  @ValueSource(ints = {-1, 33, 64, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void rootOfUnity_outOfRange_throws(int logOrder) {
    assertThrows(IllegalArgumentException.class, () -> Goldilocks.rootOfUnity(logOrder));
  }

  // --- bytes ----------------------------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void bytesLe_roundTripAndLayout(long seed) {
    Random r = new Random(seed);
    List<Long> values = new ArrayList<>();
    for (long v : rawCandidates()) {
      values.add(v);
    }
    for (int i = 0; i < 1000; i++) {
      values.add(r.nextLong());
    }
    for (long v : values) {
      int off = r.nextInt(9);
      byte[] buf = new byte[off + 8 + 3];
      r.nextBytes(buf);
      byte[] before = buf.clone();
      Goldilocks.toBytesLe(v, buf, off);
      assertEquals(v, Goldilocks.fromBytesLe(buf, off), "seed " + seed + " " + u(v));
      // Layout: byte i is bits 8i..8i+7, and nothing outside [off, off+8) is touched.
      for (int i = 0; i < buf.length; i++) {
        if (i >= off && i < off + 8) {
          assertEquals((byte) big(v).shiftRight(8 * (i - off)).intValue(), buf[i], "byte " + i);
        } else {
          assertEquals(before[i], buf[i], "outside byte " + i);
        }
      }
    }
  }

  @Test
  void bytesLe_knownEncoding() {
    byte[] out = new byte[8];
    Goldilocks.toBytesLe(PL - 1, out, 0);
    assertArrayEquals(new byte[] {0, 0, 0, 0, -1, -1, -1, -1}, out);
    Goldilocks.toBytesLe(0x0102_0304_0506_0708L, out, 0);
    assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, out);
    // fromBytesLe does not reduce: the caller checks canonicity.
    byte[] ones = {-1, -1, -1, -1, -1, -1, -1, -1};
    assertEquals(-1L, Goldilocks.fromBytesLe(ones, 0));
    assertFalse(Goldilocks.isCanonical(Goldilocks.fromBytesLe(ones, 0)));
  }

  @Test
  void toString_isUnsignedDecimal() {
    assertEquals(P.subtract(BigInteger.ONE).toString(), Goldilocks.toString(PL - 1));
    assertEquals("0", Goldilocks.toString(0));
  }
}
