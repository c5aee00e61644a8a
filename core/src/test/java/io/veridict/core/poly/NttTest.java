package io.veridict.core.poly;

import static io.veridict.core.field.BigIntegerOracle.P;
import static io.veridict.core.field.BigIntegerOracle.big;
import static io.veridict.core.field.BigIntegerOracle.lng;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veridict.core.field.BigIntegerOracle;
import io.veridict.core.field.Goldilocks;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ntt} against {@link BigInteger} oracles: the naive O(n^2) DFT up to 2^10 (which only
 * reaches the cache-blocked stages), and a textbook recursive FFT in BigInteger arithmetic up to
 * 2^18 (which reaches the radix-4 and radix-2 stages and the parallel path, threshold 2^14). The
 * oracle roots are computed as {@code 7^((p-1)/n)} in BigInteger, independently of {@link
 * Goldilocks#rootOfUnity}.
 */
class NttTest {

  private static final long PL = BigIntegerOracle.P_LONG;

  // --- oracles ----------------------------------------------------------------------------------

  /** {@code v[i] = sum_j c[j] w^(ij)} by the definition, in BigInteger. */
  static long[] naiveDft(long[] c, long w) {
    int n = c.length;
    BigInteger bw = big(w);
    BigInteger[] pow = new BigInteger[n];
    pow[0] = BigInteger.ONE;
    for (int k = 1; k < n; k++) {
      pow[k] = pow[k - 1].multiply(bw).mod(P);
    }
    BigInteger[] bc = new BigInteger[n];
    for (int j = 0; j < n; j++) {
      bc[j] = big(c[j]);
    }
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      BigInteger s = BigInteger.ZERO;
      for (int j = 0; j < n; j++) {
        s = s.add(bc[j].multiply(pow[(int) ((long) i * j % n)]));
      }
      v[i] = lng(s.mod(P));
    }
    return v;
  }

  /** Textbook recursive radix-2 FFT (even/odd split), every operation in BigInteger. */
  static long[] referenceFft(long[] c, long w) {
    int n = c.length;
    if (n == 1) {
      return c.clone();
    }
    long[] even = new long[n / 2];
    long[] odd = new long[n / 2];
    for (int i = 0; i < n / 2; i++) {
      even[i] = c[2 * i];
      odd[i] = c[2 * i + 1];
    }
    long w2 = BigIntegerOracle.mul(w, w);
    long[] e = referenceFft(even, w2);
    long[] o = referenceFft(odd, w2);
    long[] out = new long[n];
    long wk = 1;
    for (int k = 0; k < n / 2; k++) {
      long t = BigIntegerOracle.mul(wk, o[k]);
      out[k] = BigIntegerOracle.add(e[k], t);
      out[k + n / 2] = BigIntegerOracle.sub(e[k], t);
      wk = BigIntegerOracle.mul(wk, w);
    }
    return out;
  }

  /** Horner in BigInteger. */
  static long horner(long[] c, int len, BigInteger x) {
    BigInteger acc = BigInteger.ZERO;
    for (int i = len - 1; i >= 0; i--) {
      acc = acc.multiply(x).add(big(c[i])).mod(P);
    }
    return lng(acc);
  }

  static long[] randomVector(Random r, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = BigIntegerOracle.structured(r);
    }
    return a;
  }

  static Stream<Arguments> smallLogSizesAndSeeds() {
    List<Arguments> a = new ArrayList<>();
    for (int logN = 0; logN <= 10; logN++) {
      for (long seed : new long[] {1, 2, 3}) {
        a.add(Arguments.of(logN, seed));
      }
    }
    return a.stream();
  }

  // --- forward against the naive DFT ------------------------------------------------------------

  @ParameterizedTest(name = "n=2^{0} seed {1}")
  @MethodSource("smallLogSizesAndSeeds")
  void forward_matchesNaiveDft(int logN, long seed) {
    int n = 1 << logN;
    long[] c = randomVector(new Random(seed), n);
    long[] expected = naiveDft(c, BigIntegerOracle.root(n));
    long[] got = c.clone();
    Ntt.forward(got);
    assertArrayEquals(expected, got, "n=" + n + " seed " + seed);
    long[] seq = c.clone();
    Ntt.forwardSequential(seq);
    assertArrayEquals(expected, seq, "forwardSequential n=" + n + " seed " + seed);
  }

  @ParameterizedTest(name = "n=2^{0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void referenceFft_agreesWithNaiveDft(int logN) {
    // The large-size oracle is itself checked against the definition.
    int n = 1 << logN;
    long[] c = randomVector(new Random(logN), n);
    long w = BigIntegerOracle.root(n);
    assertArrayEquals(naiveDft(c, w), referenceFft(c, w), "n=" + n);
  }

  @ParameterizedTest(name = "n=2^{0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 8, 10})
  void forward_structuredInputs_matchNaiveDft(int logN) {
    int n = 1 << logN;
    long w = BigIntegerOracle.root(n);
    long[][] inputs = new long[5][n];
    inputs[0][0] = 1; // delta -> all ones
    Arrays.fill(inputs[1], PL - 1); // constant -1 -> (-n, 0, ..., 0)
    inputs[2][n - 1] = PL - 1;
    for (int i = 0; i < n; i++) {
      inputs[3][i] = i;
      inputs[4][i] = PL - 1 - i;
    }
    for (int t = 0; t < inputs.length; t++) {
      long[] got = inputs[t].clone();
      Ntt.forward(got);
      assertArrayEquals(naiveDft(inputs[t], w), got, "input " + t + " n=" + n);
    }
    long[] delta = inputs[0].clone();
    Ntt.forward(delta);
    long[] ones = new long[n];
    Arrays.fill(ones, 1);
    assertArrayEquals(ones, delta);
  }

  // --- forward against the reference FFT at sizes that reach phase 2 and the parallel path ------

  @ParameterizedTest(name = "n=2^{0}")
  @ValueSource(ints = {11, 12, 13, 14, 15, 16, 17, 18})
  void forward_largeSizes_matchReferenceFft(int logN) {
    int n = 1 << logN;
    long seed = 1000 + logN;
    long[] c = randomVector(new Random(seed), n);
    long[] expected = referenceFft(c, BigIntegerOracle.root(n));
    long[] got = c.clone();
    Ntt.forward(got);
    assertArrayEquals(expected, got, "n=2^" + logN + " seed " + seed);
    if (logN <= 16) {
      long[] seq = c.clone();
      Ntt.forwardSequential(seq);
      assertArrayEquals(expected, seq, "forwardSequential n=2^" + logN + " seed " + seed);
    }
  }

  @Test
  void forward_concurrentCallers_agree() throws Exception {
    // Several threads share the twiddle cache and the common pool; results must not interfere.
    int logN = 15;
    int n = 1 << logN;
    Ntt.clearCache();
    long[][] inputs = new long[6][];
    long[][] expected = new long[6][];
    for (int t = 0; t < inputs.length; t++) {
      inputs[t] = randomVector(new Random(500 + t), n);
      expected[t] = referenceFft(inputs[t], BigIntegerOracle.root(n));
    }
    long[][] got = new long[6][];
    IntStream.range(0, inputs.length)
        .parallel()
        .forEach(
            t -> {
              long[] a = inputs[t].clone();
              Ntt.forward(a);
              got[t] = a;
            });
    for (int t = 0; t < inputs.length; t++) {
      assertArrayEquals(expected[t], got[t], "thread input " + t + " (seed " + (500 + t) + ")");
    }
  }

  // --- REFERENCES.md vector ---------------------------------------------------------------------

  private static final long W8_REFERENCE = 0xfffffffeff000001L;
  private static final long[] DFT_0_TO_7 = {
    0x1cL,
    0xfffc03ff03fffbfdL,
    0xfffbfffefffffffdL,
    0x4040003fffbfcL,
    0xfffffffefffffffdL,
    0xfffbfbfefc0003fdL,
    0x3fffffffffffcL,
    0x3fbfffc0003fcL
  };

  @Test
  void referencesVector_dftOfZeroToSeven() {
    long[] input = {0, 1, 2, 3, 4, 5, 6, 7};
    // The explicit root is a primitive 8th root (-2^24), and the pinned root is that same root.
    assertEquals(PL - (1L << 24), W8_REFERENCE);
    assertEquals(BigInteger.ONE, big(W8_REFERENCE).modPow(BigInteger.valueOf(8), P));
    assertEquals(P.subtract(BigInteger.ONE), big(W8_REFERENCE).modPow(BigInteger.valueOf(4), P));
    assertEquals(W8_REFERENCE, Goldilocks.rootOfUnity(3), "pinned w8 differs from REFERENCES w8");
    // 1. The vector is the DFT with the explicit root, by the definition.
    assertArrayEquals(DFT_0_TO_7, naiveDft(input, W8_REFERENCE));
    // 2. The NTT (pinned root) reproduces it.
    long[] a = input.clone();
    Ntt.forward(a);
    assertArrayEquals(DFT_0_TO_7, a);
    // 3. And inverts it.
    Ntt.inverse(a);
    assertArrayEquals(input, a);
  }

  // --- inverse ----------------------------------------------------------------------------------

  static IntStream logSizesUpTo18() {
    return IntStream.rangeClosed(0, 18);
  }

  @ParameterizedTest(name = "n=2^{0}")
  @MethodSource("logSizesUpTo18")
  void inverseOfForward_isIdentity(int logN) {
    int n = 1 << logN;
    long seed = 77 + logN;
    long[] x = randomVector(new Random(seed), n);
    long[] a = x.clone();
    Ntt.forward(a);
    Ntt.inverse(a);
    assertArrayEquals(x, a, "inverse(forward(x)) n=2^" + logN + " seed " + seed);
    Ntt.inverse(a);
    Ntt.forward(a);
    assertArrayEquals(x, a, "forward(inverse(x)) n=2^" + logN + " seed " + seed);
  }

  @ParameterizedTest(name = "n=2^{0}")
  @ValueSource(ints = {0, 1, 2, 5, 9})
  void inverse_matchesNaiveInverseDft(int logN) {
    int n = 1 << logN;
    long[] v = randomVector(new Random(logN + 31), n);
    long wInv = lng(big(BigIntegerOracle.root(n)).modInverse(P));
    long nInv = lng(BigInteger.valueOf(n).modInverse(P));
    long[] expected = naiveDft(v, wInv);
    for (int i = 0; i < n; i++) {
      expected[i] = BigIntegerOracle.mul(expected[i], nInv);
    }
    long[] got = v.clone();
    Ntt.inverse(got);
    assertArrayEquals(expected, got, "n=2^" + logN);
  }

  // --- cosets -----------------------------------------------------------------------------------

  static Stream<Arguments> cosetCases() {
    List<Arguments> a = new ArrayList<>();
    for (int logN = 0; logN <= 10; logN++) {
      int n = 1 << logN;
      for (int len : new int[] {0, 1, 2, 3, 15, 16, 17, n / 2 + 1, n}) {
        if (len <= n) {
          a.add(Arguments.of(logN, len));
        }
      }
    }
    return a.stream().distinct();
  }

  @ParameterizedTest(name = "n=2^{0} len {1}")
  @MethodSource("cosetCases")
  void evaluateOnCoset_matchesHornerAtShiftTimesPowers(int logN, int len) {
    int n = 1 << logN;
    long seed = 31L * logN + len;
    Random r = new Random(seed);
    long[] coeffs = randomVector(r, len + 3); // trailing garbage beyond len must be ignored
    BigInteger w = big(BigIntegerOracle.root(n));
    for (long shift : new long[] {1, Goldilocks.GENERATOR, BigIntegerOracle.uniform(r)}) {
      long[] got = Ntt.evaluateOnCoset(coeffs, len, shift, logN);
      assertEquals(n, got.length);
      for (int i = 0; i < n; i++) {
        BigInteger x = big(shift).multiply(w.modPow(BigInteger.valueOf(i), P)).mod(P);
        assertEquals(
            horner(coeffs, len, x),
            got[i],
            "n=2^" + logN + " len " + len + " shift " + shift + " i " + i + " seed " + seed);
      }
    }
  }

  @ParameterizedTest(name = "n=2^{0} len {1}")
  @MethodSource("largeCosetCases")
  void evaluateOnCoset_largeDomains_matchReferenceFft(int logN, int len) {
    // Parallel paths: many small cosets (per-thread scratch buffers) and one big transform.
    int n = 1 << logN;
    long seed = 9000L + logN + len;
    Random r = new Random(seed);
    long[] coeffs = randomVector(r, len);
    long shift = Goldilocks.GENERATOR;
    long[] scaled = new long[n];
    long s = 1;
    for (int j = 0; j < len; j++) {
      scaled[j] = BigIntegerOracle.mul(coeffs[j], s);
      s = BigIntegerOracle.mul(s, shift);
    }
    long[] expected = referenceFft(scaled, BigIntegerOracle.root(n));
    assertArrayEquals(
        expected, Ntt.evaluateOnCoset(coeffs, len, shift, logN), "n=2^" + logN + " len " + len);
    // Spot-check the reference itself by Horner at a few points.
    BigInteger w = big(BigIntegerOracle.root(n));
    for (int i : new int[] {0, 1, n / 2, n - 1, r.nextInt(n)}) {
      BigInteger x = big(shift).multiply(w.modPow(BigInteger.valueOf(i), P)).mod(P);
      assertEquals(horner(coeffs, len, x), expected[i], "Horner i " + i);
    }
  }

  static Stream<Arguments> largeCosetCases() {
    return Stream.of(
        Arguments.of(14, 100),
        Arguments.of(14, 1 << 14),
        Arguments.of(15, 5),
        Arguments.of(16, (1 << 14) + 1),
        Arguments.of(17, 1 << 12));
  }

  @ParameterizedTest(name = "len {0}")
  @ValueSource(ints = {(1 << 12) + 5, 1 << 15})
  void evaluateOnCoset_nestedInParallelStream_matchesSequentialCalls(int len) {
    // The prover's pattern: columns in a parallel stream, each a (possibly parallel) coset LDE.
    // Many small cosets share per-thread scratch buffers; one big coset joins inside the pool.
    int logN = 15;
    long shift = Goldilocks.GENERATOR;
    long[][] cols = new long[8][];
    long[][] expected = new long[8][];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = randomVector(new Random(3000 + c), len);
      expected[c] = Ntt.evaluateOnCoset(cols[c], len, shift, logN);
    }
    long[][] got = new long[8][];
    IntStream.range(0, cols.length)
        .parallel()
        .forEach(c -> got[c] = Ntt.evaluateOnCoset(cols[c], len, shift, logN));
    for (int c = 0; c < cols.length; c++) {
      assertArrayEquals(expected[c], got[c], "column " + c + " (seed " + (3000 + c) + ")");
    }
    // And one column against the BigInteger reference.
    long[] scaled = new long[1 << logN];
    long s = 1;
    for (int j = 0; j < len; j++) {
      scaled[j] = BigIntegerOracle.mul(cols[0][j], s);
      s = BigIntegerOracle.mul(s, shift);
    }
    assertArrayEquals(referenceFft(scaled, BigIntegerOracle.root(1 << logN)), got[0], "column 0");
  }

  @ParameterizedTest(name = "n=2^{0}")
  @ValueSource(ints = {0, 1, 3, 6, 10, 14, 16})
  void interpolateFromCoset_roundTrips(int logN) {
    int n = 1 << logN;
    long seed = 4242 + logN;
    Random r = new Random(seed);
    for (int len : new int[] {n, Math.max(1, n / 4)}) {
      long[] coeffs = randomVector(r, len);
      long shift = logN % 2 == 0 ? Goldilocks.GENERATOR : BigIntegerOracle.uniform(r) | 1;
      long[] values = Ntt.evaluateOnCoset(coeffs, len, shift, logN);
      long[] back = Ntt.interpolateFromCoset(values, shift);
      assertArrayEquals(
          Arrays.copyOf(coeffs, n), back, "n=2^" + logN + " len " + len + " seed " + seed);
    }
  }

  @Test
  void interpolateFromCoset_matchesOracleInterpolation() {
    // p(x) = sum c_i x^i with known coefficients, sampled on 7<w_8> by Horner, then interpolated.
    long[] coeffs = {5, PL - 1, 0, 1L << 40, 3, 0, 0, 9};
    BigInteger w = big(BigIntegerOracle.root(8));
    long[] values = new long[8];
    for (int i = 0; i < 8; i++) {
      values[i] =
          horner(
              coeffs, 8, BigInteger.valueOf(7).multiply(w.modPow(BigInteger.valueOf(i), P)).mod(P));
    }
    assertArrayEquals(coeffs, Ntt.interpolateFromCoset(values, 7));
  }

  @Test
  void evaluateOnCoset_polynomialLongerThanDomain_throws() {
    assertThrows(IllegalArgumentException.class, () -> Ntt.evaluateOnCoset(new long[9], 9, 1, 3));
  }

  // --- argument checks --------------------------------------------------------------------------

  @ParameterizedTest(name = "logN {0}")
  @ValueSource(ints = {-1, 31, 32, 33, Integer.MIN_VALUE})
  void evaluateOnCoset_logNOutOfRange_throws(int logN) {
    // 1 << 32 == 1 in Java (REFERENCES pitfall 3): logN = 32 must not silently mean "size 1".
    assertThrows(
        IllegalArgumentException.class, () -> Ntt.evaluateOnCoset(new long[] {5}, 1, 1, logN));
  }

  @Test
  void evaluateOnCoset_negativeLength_throws() {
    assertThrows(IllegalArgumentException.class, () -> Ntt.evaluateOnCoset(new long[4], -1, 1, 2));
  }

  @Test
  void interpolateFromCoset_zeroShift_throwsAndLeavesValuesUntouched() {
    long[] values = {1, 2, 3, 4};
    assertThrows(ArithmeticException.class, () -> Ntt.interpolateFromCoset(values, 0));
    assertArrayEquals(new long[] {1, 2, 3, 4}, values);
  }

  @ParameterizedTest(name = "length {0}")
  @ValueSource(ints = {0, 3, 5, 6, 7, 12, 1000, (1 << 10) + 1})
  void nonPowerOfTwoLength_throws(int length) {
    assertThrows(IllegalArgumentException.class, () -> Ntt.forward(new long[length]));
    assertThrows(IllegalArgumentException.class, () -> Ntt.inverse(new long[length]));
    assertThrows(IllegalArgumentException.class, () -> Ntt.forwardSequential(new long[length]));
    assertThrows(
        IllegalArgumentException.class, () -> Ntt.interpolateFromCoset(new long[length], 7));
  }

  @Test
  void twiddles_areConsecutivePowersOfThePinnedRoot() {
    for (int logN = 0; logN <= 12; logN++) {
      long[] t = Ntt.twiddles(logN);
      assertEquals(Math.max(1, (1 << logN) / 2), t.length);
      long w = BigIntegerOracle.root(1L << logN);
      for (int k = 0; k < t.length; k++) {
        assertEquals(BigIntegerOracle.pow(w, k), t[k], "logN " + logN + " k " + k);
      }
    }
  }

  @Test
  void bitReverse_isThePermutationItClaims() {
    for (int logN = 1; logN <= 10; logN++) {
      int n = 1 << logN;
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = i;
      }
      Ntt.bitReverse(a, logN);
      for (int i = 0; i < n; i++) {
        int rev = Integer.reverse(i) >>> (32 - logN);
        assertEquals(rev, a[i], "logN " + logN + " i " + i);
      }
    }
  }
}
