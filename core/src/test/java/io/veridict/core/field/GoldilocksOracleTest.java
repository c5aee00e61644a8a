package io.veridict.core.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goldilocks arithmetic against a {@link BigInteger} oracle: every pair of curated edge values,
 * plus seeded random pairs (REFERENCES pitfall 12: fast paths checked differentially).
 */
class GoldilocksOracleTest {
  static final BigInteger P = new BigInteger("18446744069414584321");
  static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

  static BigInteger big(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  static long lng(BigInteger b) {
    return b.longValue();
  }

  /** Edge candidates: 0, 1, 2, p-1, p-2, 2^32 +- 1, every 2^k and 2^k +- 1 below p, ... */
  static List<Long> edges() {
    List<Long> e = new ArrayList<>();
    long p = Goldilocks.P;
    for (long v : new long[] {0, 1, 2, 3, 7, p - 1, p - 2, p - 3, 0xFFFF_FFFFL, 1L << 32, (1L << 32) + 1,
        0xFFFF_FFFF_0000_0000L, 0xFFFF_FFFE_FFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 0x8000_0000_0000_0001L}) {
      e.add(Goldilocks.fromUnsigned(v));
    }
    for (int k = 0; k < 64; k++) {
      for (long d : new long[] {-1, 0, 1}) {
        long v = (1L << k) + d;
        if (Long.compareUnsigned(v, p) < 0) {
          e.add(v);
        }
      }
    }
    return e;
  }

  private static void checkPair(long a, long b, String ctx) {
    BigInteger x = big(a);
    BigInteger y = big(b);
    assertEquals(lng(x.add(y).mod(P)), Goldilocks.add(a, b), "add " + ctx);
    assertEquals(lng(x.subtract(y).mod(P)), Goldilocks.sub(a, b), "sub " + ctx);
    assertEquals(lng(x.multiply(y).mod(P)), Goldilocks.mul(a, b), "mul " + ctx);
  }

  @Test
  void allEdgePairs_matchTheOracle() {
    List<Long> e = edges();
    for (long a : e) {
      assertTrue(Goldilocks.isCanonical(a));
      assertEquals(lng(big(a).negate().mod(P)), Goldilocks.neg(a), "neg " + Long.toUnsignedString(a));
      assertEquals(lng(big(a).multiply(big(a)).mod(P)), Goldilocks.square(a));
      for (long b : e) {
        checkPair(a, b, Long.toUnsignedString(a) + ", " + Long.toUnsignedString(b));
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 20261124})
  void randomPairs_matchTheOracle(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      long a = Goldilocks.fromUnsigned(r.nextLong());
      long b = Goldilocks.fromUnsigned(r.nextLong());
      checkPair(a, b, "seed " + seed + " #" + i);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4, 5})
  void reduce128_matchesTheOracleOnArbitrary128BitValues(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[][] fixed = {{0, 0}, {-1L, -1L}, {-1L, 0}, {0, -1L}, {Goldilocks.P, 0}, {0, Goldilocks.P}, {-1L, 0xFFFF_FFFFL}};
    for (long[] c : fixed) {
      BigInteger v = big(c[1]).shiftLeft(64).add(big(c[0]));
      assertEquals(lng(v.mod(P)), Goldilocks.reduce128(c[0], c[1]));
    }
    for (int i = 0; i < 20_000; i++) {
      long lo = r.nextLong();
      long hi = r.nextLong();
      BigInteger v = big(hi).shiftLeft(64).add(big(lo));
      assertEquals(lng(v.mod(P)), Goldilocks.reduce128(lo, hi), "seed " + seed + " #" + i);
    }
  }

  @Test
  void expInvAndBatchInverse_matchTheOracle() {
    SplittableRandom r = new SplittableRandom(6);
    long[] vals = new long[500];
    for (int i = 0; i < vals.length; i++) {
      long a = Goldilocks.fromUnsigned(r.nextLong() | 1);
      long e = r.nextLong();
      vals[i] = a;
      assertEquals(lng(big(a).modPow(big(e), P)), Goldilocks.exp(a, e), "exp seed 6 #" + i);
      assertEquals(lng(big(a).modInverse(P)), Goldilocks.inv(a), "inv seed 6 #" + i);
    }
    long[] inv = Goldilocks.batchInverse(vals);
    for (int i = 0; i < vals.length; i++) {
      assertEquals(1, Goldilocks.mul(vals[i], inv[i]));
    }
    assertThrows(ArithmeticException.class, () -> Goldilocks.inv(0));
    assertThrows(ArithmeticException.class, () -> Goldilocks.batchInverse(new long[] {1, 0, 2}));
  }

  @Test
  void fromUnsignedAndFromSigned() {
    assertEquals(0, Goldilocks.fromUnsigned(Goldilocks.P));
    assertEquals(0xFFFF_FFFEL, Goldilocks.fromUnsigned(-1L));
    assertEquals(Goldilocks.P - 1, Goldilocks.fromSigned(-1));
    assertEquals(lng(BigInteger.valueOf(Long.MIN_VALUE).mod(P)), Goldilocks.fromSigned(Long.MIN_VALUE));
    assertEquals(5, Goldilocks.fromSigned(5));
  }

  @Test
  void rootsOfUnityHaveExactOrder_andArePlonky3s() {
    BigInteger g = BigInteger.valueOf(7);
    assertEquals(lng(g.modPow(P.subtract(BigInteger.ONE).shiftRight(32), P)), Goldilocks.TWO_ADIC_ROOT);
    assertEquals(0x185629dcda58878cL, Goldilocks.TWO_ADIC_ROOT);
    for (int k = 0; k <= 32; k++) {
      long w = Goldilocks.rootOfUnity(k);
      assertEquals(1, Goldilocks.exp(w, 1L << k), "order divides 2^" + k);
      if (k > 0) {
        assertNotEquals(1, Goldilocks.exp(w, 1L << (k - 1)), "order is exactly 2^" + k);
        assertEquals(Goldilocks.rootOfUnity(k - 1), Goldilocks.mul(w, w));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Goldilocks.rootOfUnity(33));
    assertThrows(IllegalArgumentException.class, () -> Goldilocks.rootOfUnity(-1));
  }

  @Test
  void littleEndianBytesRoundTrip() {
    byte[] b = new byte[8];
    for (long v : edges()) {
      Goldilocks.toBytesLe(v, b, 0);
      assertEquals(v, Goldilocks.fromBytesLe(b, 0));
      assertEquals(v & 0xFF, b[0] & 0xFF);
    }
  }
}
