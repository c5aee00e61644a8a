package io.veridict.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veridict.core.field.Goldilocks;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RPO-256 against Miden's published digests and a {@link BigInteger} model of the round function.
 *
 * <p>Vectors: {@code EXPECTED} in 0xPolygonMiden/crypto {@code
 * miden-crypto/src/hash/rescue/rpo/tests.rs} (test {@code hash_test_vectors}): entry {@code i} is
 * {@code hash_elements([0, 1, ..., i])} for i = 0..18. The MDS matrix below is {@code MDS} from
 * {@code miden-crypto/src/hash/rescue/mds/mod.rs}. Every vector exercises every round constant, so
 * a single mistyped constant fails them all.
 */
class Rpo256KatTest {
  private static final BigInteger P = new BigInteger(Long.toUnsignedString(Goldilocks.P));
  private static final BigInteger INV_ALPHA =
      BigInteger.valueOf(7).modInverse(P.subtract(BigInteger.ONE));

  private static final String[][] MIDEN_EXPECTED = {
    {"18126731724905382595", "7388557040857728717", "14290750514634285295", "7852282086160480146"},
    {"10139303045932500183", "2293916558361785533", "15496361415980502047", "17904948502382283940"},
    {"17457546260239634015", "803990662839494686", "10386005777401424878", "18168807883298448638"},
    {"13072499238647455740", "10174350003422057273", "9201651627651151113", "6872461887313298746"},
    {"2903803350580990546", "1838870750730563299", "4258619137315479708", "17334260395129062936"},
    {"8571221005243425262", "3016595589318175865", "13933674291329928438", "678640375034313072"},
    {"16314113978986502310", "14587622368743051587", "2808708361436818462", "10660517522478329440"},
    {"2242391899857912644", "12689382052053305418", "235236990017815546", "5046143039268215739"},
    {"5218076004221736204", "17169400568680971304", "8840075572473868990", "12382372614369863623"},
    {"9783834557155203486", "12317263104955018849", "3933748931816109604", "1843043029836917214"},
    {"14498234468286984551", "16837257669834682387", "6664141123711355107", "4590460158294697186"},
    {"4661800562479916067", "11794407552792839953", "9037742258721863712", "6287820818064278819"},
    {"7752693085194633729", "7379857372245835536", "9270229380648024178", "10638301488452560378"},
    {"11542686762698783357", "15570714990728449027", "7518801014067819501", "12706437751337583515"},
    {"9553923701032839042", "7281190920209838818", "2488477917448393955", "5088955350303368837"},
    {"4935426252518736883", "12584230452580950419", "8762518969632303998", "18159875708229758073"},
    {"12795429638314178838", "14360248269767567855", "3819563852436765058", "10859123583999067291"},
    {"2695742617679420093", "9151515850666059759", "15855828029180595485", "17190029785471463210"},
    {"13205273108219124830", "2524898486192849221", "14618764355375283547", "10615614265042186874"},
  };

  private static final long[][] MIDEN_MDS = {
    {7, 23, 8, 26, 13, 10, 9, 7, 6, 22, 21, 8},
    {8, 7, 23, 8, 26, 13, 10, 9, 7, 6, 22, 21},
    {21, 8, 7, 23, 8, 26, 13, 10, 9, 7, 6, 22},
    {22, 21, 8, 7, 23, 8, 26, 13, 10, 9, 7, 6},
    {6, 22, 21, 8, 7, 23, 8, 26, 13, 10, 9, 7},
    {7, 6, 22, 21, 8, 7, 23, 8, 26, 13, 10, 9},
    {9, 7, 6, 22, 21, 8, 7, 23, 8, 26, 13, 10},
    {10, 9, 7, 6, 22, 21, 8, 7, 23, 8, 26, 13},
    {13, 10, 9, 7, 6, 22, 21, 8, 7, 23, 8, 26},
    {26, 13, 10, 9, 7, 6, 22, 21, 8, 7, 23, 8},
    {8, 26, 13, 10, 9, 7, 6, 22, 21, 8, 7, 23},
    {23, 8, 26, 13, 10, 9, 7, 6, 22, 21, 8, 7},
  };

  private static BigInteger big(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  private static long[] expectedDigest(int i) {
    long[] d = new long[4];
    for (int k = 0; k < 4; k++) {
      d[k] = Long.parseUnsignedLong(MIDEN_EXPECTED[i][k]);
    }
    return d;
  }

  private static long randomElement(Random random) {
    long v;
    do {
      v = random.nextLong();
    } while (!Goldilocks.isCanonical(v));
    return v;
  }

  private static long[] randomState(Random random) {
    long[] s = new long[Rpo256.STATE_WIDTH];
    for (int i = 0; i < s.length; i++) {
      s[i] = randomElement(random);
    }
    return s;
  }

  /** Curated states: zero, all p-1 (largest lazy MDS sums), mixed 2^32 boundaries. */
  private static List<long[]> edgeStates() {
    long p = Goldilocks.P;
    List<long[]> states = new ArrayList<>();
    states.add(new long[12]);
    long[] max = new long[12];
    Arrays.fill(max, p - 1);
    states.add(max);
    states.add(
        new long[] {p - 1, 0, 1, 0xFFFF_FFFFL, 1L << 32, p - 2, 7, p - 1, 0, 2, 1L << 63, 5});
    long[] ones = new long[12];
    Arrays.fill(ones, 1);
    states.add(ones);
    return states;
  }

  // --- BigInteger model of one round, from the definition ------------------------------------

  private static BigInteger[] modelMds(BigInteger[] s) {
    BigInteger[] r = new BigInteger[12];
    for (int row = 0; row < 12; row++) {
      BigInteger acc = BigInteger.ZERO;
      for (int col = 0; col < 12; col++) {
        acc = acc.add(BigInteger.valueOf(MIDEN_MDS[row][col]).multiply(s[col]));
      }
      r[row] = acc.mod(P);
    }
    return r;
  }

  private static long[] modelRound(long[] state, int round) {
    BigInteger[] s = new BigInteger[12];
    for (int i = 0; i < 12; i++) {
      s[i] = big(state[i]);
    }
    s = modelMds(s);
    for (int i = 0; i < 12; i++) {
      s[i] = s[i].add(big(Rpo256.ark1(round, i))).mod(P).modPow(BigInteger.valueOf(7), P);
    }
    s = modelMds(s);
    for (int i = 0; i < 12; i++) {
      s[i] = s[i].add(big(Rpo256.ark2(round, i))).mod(P).modPow(INV_ALPHA, P);
    }
    long[] out = new long[12];
    for (int i = 0; i < 12; i++) {
      out[i] = s[i].longValue();
    }
    return out;
  }

  // --- Known answers -------------------------------------------------------------------------

  @ParameterizedTest(name = "hash_elements([0..{0}])")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18})
  void hashElements_matchesMidenVector(int i) {
    long[] elements = new long[i + 1];
    for (int k = 0; k <= i; k++) {
      elements[k] = k;
    }
    assertArrayEquals(expectedDigest(i), Rpo256.hashElements(elements), "EXPECTED[" + i + "]");
  }

  @Test
  void mdsMatrix_isMidens() {
    for (int row = 0; row < 12; row++) {
      for (int col = 0; col < 12; col++) {
        assertEquals(MIDEN_MDS[row][col], Rpo256.mds(row, col), "MDS[" + row + "][" + col + "]");
      }
    }
    assertThrows(IndexOutOfBoundsException.class, () -> Rpo256.mds(12, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Rpo256.mds(0, -1));
  }

  @Test
  void roundConstants_spotCheckAgainstMidenDecimals() {
    assertEquals(Long.parseUnsignedLong("5789762306288267392"), Rpo256.ark1(0, 0));
    assertEquals(Long.parseUnsignedLong("17809893479458208203"), Rpo256.ark1(0, 2));
    assertEquals(Long.parseUnsignedLong("17036731477169661256"), Rpo256.ark1(6, 11));
    assertEquals(Long.parseUnsignedLong("6077062762357204287"), Rpo256.ark2(0, 0));
    assertEquals(Long.parseUnsignedLong("18389244934624494276"), Rpo256.ark2(3, 0));
    assertEquals(Long.parseUnsignedLong("18256379591337759196"), Rpo256.ark2(6, 11));
  }

  @Test
  void parameters_areMidens() {
    assertEquals(12, Rpo256.STATE_WIDTH);
    assertEquals(7, Rpo256.NUM_ROUNDS);
    assertEquals(0, Rpo256.CAPACITY_START);
    assertEquals(4, Rpo256.CAPACITY_WIDTH);
    assertEquals(4, Rpo256.RATE_START);
    assertEquals(8, Rpo256.RATE_WIDTH);
    assertEquals(4, Rpo256.DIGEST_START);
    assertEquals(4, Rpo256.DIGEST_WIDTH);
    assertEquals(7, Rpo256.ALPHA);
    assertEquals(new BigInteger("10540996611094048183"), INV_ALPHA);
    assertEquals(INV_ALPHA, big(Rpo256.INV_ALPHA));
  }

  // --- Sponge --------------------------------------------------------------------------------

  @Test
  void merge_equalsHashElementsOfTheConcatenation() {
    long[] left = {0, 1, 2, 3};
    long[] right = {4, 5, 6, 7};
    assertArrayEquals(expectedDigest(7), Rpo256.merge(left, right), "Miden's hash_elements test");
    long seed = 51;
    Random random = new Random(seed);
    for (int k = 0; k < 20; k++) {
      long[] eight = new long[8];
      for (int i = 0; i < 8; i++) {
        eight[i] = randomElement(random);
      }
      assertArrayEquals(
          Rpo256.hashElements(eight),
          Rpo256.merge(Arrays.copyOf(eight, 4), Arrays.copyOfRange(eight, 4, 8)),
          "seed " + seed + " case " + k);
    }
  }

  @Test
  void hashElements_emptyInput_isTheZeroDigest() {
    assertArrayEquals(new long[4], Rpo256.hashElements(new long[0]));
  }

  @Test
  void hashElements_lengthInCapacity_separatesTrailingZeros() {
    long seed = 52;
    Random random = new Random(seed);
    for (int len = 1; len <= 17; len++) {
      long[] elements = new long[len];
      for (int i = 0; i < len; i++) {
        elements[i] = randomElement(random);
      }
      long[] padded = Arrays.copyOf(elements, len + 1);
      assertFalse(
          Arrays.equals(Rpo256.hashElements(elements), Rpo256.hashElements(padded)),
          "seed " + seed + ": " + len + " elements vs the same with a trailing zero");
    }
  }

  @Test
  void hashElements_doesNotModifyItsInput() {
    long[] elements = {9, 8, 7, 6, 5, 4, 3, 2, 1};
    long[] copy = elements.clone();
    Rpo256.hashElements(elements);
    assertArrayEquals(copy, elements);
  }

  @Test
  void rejects_nonCanonicalElementsAndWrongSizes() {
    assertThrows(
        IllegalArgumentException.class, () -> Rpo256.hashElements(new long[] {Goldilocks.P}));
    assertThrows(IllegalArgumentException.class, () -> Rpo256.hashElements(new long[] {0, -1L}));
    assertThrows(IllegalArgumentException.class, () -> Rpo256.merge(new long[3], new long[4]));
    assertThrows(
        IllegalArgumentException.class,
        () -> Rpo256.merge(new long[4], new long[] {0, 0, 0, Goldilocks.P}));
    assertThrows(IllegalArgumentException.class, () -> Rpo256.permute(new long[11]));
    assertThrows(IllegalArgumentException.class, () -> Rpo256.applyRound(new long[13], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Rpo256.applyRound(new long[12], 7));
  }

  // --- Permutation against the model -----------------------------------------------------------

  @Test
  void applyRound_matchesBigIntegerModel() {
    long seed = 53;
    Random random = new Random(seed);
    List<long[]> states = edgeStates();
    for (int k = 0; k < 30; k++) {
      states.add(randomState(random));
    }
    for (int k = 0; k < states.size(); k++) {
      for (int round = 0; round < Rpo256.NUM_ROUNDS; round++) {
        long[] state = states.get(k).clone();
        Rpo256.applyRound(state, round);
        assertArrayEquals(
            modelRound(states.get(k), round),
            state,
            "seed " + seed + " state " + k + " round " + round);
      }
    }
  }

  @Test
  void permute_isSevenModelRounds() {
    long seed = 54;
    Random random = new Random(seed);
    for (int k = 0; k < 5; k++) {
      long[] state = randomState(random);
      long[] expected = state.clone();
      for (int round = 0; round < 7; round++) {
        expected = modelRound(expected, round);
      }
      Rpo256.permute(state);
      assertArrayEquals(expected, state, "seed " + seed + " case " + k);
    }
  }

  @Test
  void applyMds_matchesPlainMatrixProduct() {
    long seed = 55;
    Random random = new Random(seed);
    List<long[]> states = edgeStates();
    for (int k = 0; k < 200; k++) {
      states.add(randomState(random));
    }
    for (int k = 0; k < states.size(); k++) {
      long[] state = states.get(k);
      long[] plain = new long[12];
      for (int row = 0; row < 12; row++) {
        long acc = 0;
        for (int col = 0; col < 12; col++) {
          acc = Goldilocks.add(acc, Goldilocks.mul(MIDEN_MDS[row][col], state[col]));
        }
        plain[row] = acc;
      }
      long[] fast = state.clone();
      Rpo256.applyMds(fast);
      assertArrayEquals(plain, fast, "seed " + seed + " state " + k);
    }
  }

  @Test
  void sboxInverse_invertsTheSbox_andMatchesBigInteger() {
    long seed = 56;
    Random random = new Random(seed);
    List<Long> values = new ArrayList<>();
    long p = Goldilocks.P;
    for (long v : new long[] {0, 1, 2, 7, p - 1, p - 2, 0xFFFF_FFFFL, 1L << 32, 1L << 63}) {
      values.add(v);
    }
    for (int k = 0; k < 300; k++) {
      values.add(randomElement(random));
    }
    for (long x : values) {
      long root = Rpo256.sboxInverse(x);
      assertEquals(big(x).modPow(INV_ALPHA, P).longValue(), root, "seed " + seed + " x = " + x);
      assertEquals(x, Rpo256.sbox(root), "(x^(1/7))^7, seed " + seed + " x = " + x);
      assertEquals(
          x, Rpo256.sboxInverse(Rpo256.sbox(x)), "(x^7)^(1/7), seed " + seed + " x = " + x);
      assertEquals(big(x).modPow(BigInteger.valueOf(7), P).longValue(), Rpo256.sbox(x));
    }
  }
}
