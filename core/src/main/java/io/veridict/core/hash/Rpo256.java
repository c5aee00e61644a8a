package io.veridict.core.hash;

import io.veridict.core.field.Goldilocks;

/**
 * RPO-256: the Rescue-Prime Optimized hash over the Goldilocks field (Ashur, Kindi, Meier,
 * Szepieniec, Threadbare, "Rescue-Prime Optimized", eprint 2022/1577) with the parameters,
 * constants, sponge layout and padding of Miden's {@code Rpo256} (0xPolygonMiden/crypto, {@code
 * miden-crypto/src/hash/rescue/}), so digests agree with Miden's.
 *
 * <p>Parameters: state of {@value #STATE_WIDTH} field elements, capacity {@code state[0..4)}, rate
 * {@code state[4..12)}, digest {@code state[4..8)}; {@value #NUM_ROUNDS} rounds; S-box {@code x^7}
 * and its inverse {@code x^INV_ALPHA} with {@code INV_ALPHA = 7^-1 mod (p - 1) =
 * 10540996611094048183}. Round {@code r} (0-based) is: MDS; add {@code ARK1[r]}; {@code x^7}; MDS;
 * add {@code ARK2[r]}; {@code x^(1/7)}. The MDS matrix is the circulant with first row {@code [7,
 * 23, 8, 26, 13, 10, 9, 7, 6, 22, 21, 8]} ({@code rescue/mds/mod.rs}); the round constants are
 * Miden's {@code ARK1}/{@code ARK2} ({@code rescue/mod.rs}), written below in the same decimal
 * form so they can be compared digit for digit.
 *
 * <p>Sponge ({@link #hashElements}, Miden's {@code hash_elements}; padding rule of eprint
 * 2023/1045): the state starts at zero except {@code state[0] = n mod 8} for {@code n} input
 * elements; elements overwrite the rate eight at a time, with a permutation after each full block;
 * a final partial block is zero-filled and permuted; no permutation runs for the empty input,
 * whose digest is {@code [0, 0, 0, 0]}. The length in the capacity is what separates {@code [a, b]}
 * from {@code [a, b, 0]}. {@link #merge} (Miden's 2-to-1 {@code merge}) puts both digests in the
 * rate with a zero capacity and permutes once, so {@code merge(a, b) == hashElements(a || b)}.
 *
 * <p>Security: 128-bit collision resistance as analysed for RPO (eprint 2022/1577), for inputs
 * that are canonical field elements; the empty input's all-zero digest is a fixed, publicly known
 * value, so callers must not treat "digest is zero" as "nothing was hashed by anyone". Byte
 * strings must be encoded as field elements by the caller (Miden's byte-oriented {@code hash} is
 * not provided). All methods are stateless and thread-safe; the round-level accessors exist so
 * an AIR can express the permutation as constraints.
 */
public final class Rpo256 {
  /** Number of field elements in the state. */
  public static final int STATE_WIDTH = 12;
  /** Number of rounds of the permutation. */
  public static final int NUM_ROUNDS = 7;
  /** First state index of the capacity ({@code state[0..4)}). */
  public static final int CAPACITY_START = 0;
  /** Number of capacity elements. */
  public static final int CAPACITY_WIDTH = 4;
  /** First state index of the rate ({@code state[4..12)}). */
  public static final int RATE_START = 4;
  /** Number of rate elements absorbed per permutation. */
  public static final int RATE_WIDTH = 8;
  /** First state index of the digest ({@code state[4..8)}). */
  public static final int DIGEST_START = 4;
  /** Number of field elements in a digest. */
  public static final int DIGEST_WIDTH = 4;
  /** S-box exponent. */
  public static final long ALPHA = 7;
  /** Inverse S-box exponent {@code 7^-1 mod (p - 1)} = 10540996611094048183 (unsigned). */
  public static final long INV_ALPHA = 0x9249_2491_b6db_6db7L;

  /** First row of the circulant MDS matrix: {@code MDS[r][c] = MDS_FIRST_ROW[(c - r) mod 12]}. */
  private static final long[] MDS_FIRST_ROW = {7, 23, 8, 26, 13, 10, 9, 7, 6, 22, 21, 8};
  /** The full MDS matrix, row-major, derived from the first row. */
  private static final long[] MDS_MATRIX = new long[STATE_WIDTH * STATE_WIDTH];
  private static final long LOW32 = 0xFFFF_FFFFL;

  /** Miden's ARK1 (first half-round constants), as unsigned decimals. */
  private static final String[][] ARK1_DECIMAL = {
    {
      "5789762306288267392", "6522564764413701783", "17809893479458208203",
      "107145243989736508", "6388978042437517382", "15844067734406016715",
      "9975000513555218239", "3344984123768313364", "9959189626657347191",
      "12960773468763563665", "9602914297752488475", "16657542370200465908"
    },
    {
      "12987190162843096997", "653957632802705281", "4441654670647621225",
      "4038207883745915761", "5613464648874830118", "13222989726778338773",
      "3037761201230264149", "16683759727265180203", "8337364536491240715",
      "3227397518293416448", "8110510111539674682", "2872078294163232137"
    },
    {
      "18072785500942327487", "6200974112677013481", "17682092219085884187",
      "10599526828986756440", "975003873302957338", "8264241093196931281",
      "10065763900435475170", "2181131744534710197", "6317303992309418647",
      "1401440938888741532", "8884468225181997494", "13066900325715521532"
    },
    {
      "5674685213610121970", "5759084860419474071", "13943282657648897737",
      "1352748651966375394", "17110913224029905221", "1003883795902368422",
      "4141870621881018291", "8121410972417424656", "14300518605864919529",
      "13712227150607670181", "17021852944633065291", "6252096473787587650"
    },
    {
      "4887609836208846458", "3027115137917284492", "9595098600469470675",
      "10528569829048484079", "7864689113198939815", "17533723827845969040",
      "5781638039037710951", "17024078752430719006", "109659393484013511",
      "7158933660534805869", "2955076958026921730", "7433723648458773977"
    },
    {
      "16308865189192447297", "11977192855656444890", "12532242556065780287",
      "14594890931430968898", "7291784239689209784", "5514718540551361949",
      "10025733853830934803", "7293794580341021693", "6728552937464861756",
      "6332385040983343262", "13277683694236792804", "2600778905124452676"
    },
    {
      "7123075680859040534", "1034205548717903090", "7717824418247931797",
      "3019070937878604058", "11403792746066867460", "10280580802233112374",
      "337153209462421218", "13333398568519923717", "3596153696935337464",
      "8104208463525993784", "14345062289456085693", "17036731477169661256"
    }
  };
  /** Miden's ARK2 (second half-round constants), as unsigned decimals. */
  private static final String[][] ARK2_DECIMAL = {
    {
      "6077062762357204287", "15277620170502011191", "5358738125714196705",
      "14233283787297595718", "13792579614346651365", "11614812331536767105",
      "14871063686742261166", "10148237148793043499", "4457428952329675767",
      "15590786458219172475", "10063319113072092615", "14200078843431360086"
    },
    {
      "6202948458916099932", "17690140365333231091", "3595001575307484651",
      "373995945117666487", "1235734395091296013", "14172757457833931602",
      "707573103686350224", "15453217512188187135", "219777875004506018",
      "17876696346199469008", "17731621626449383378", "2897136237748376248"
    },
    {
      "8023374565629191455", "15013690343205953430", "4485500052507912973",
      "12489737547229155153", "9500452585969030576", "2054001340201038870",
      "12420704059284934186", "355990932618543755", "9071225051243523860",
      "12766199826003448536", "9045979173463556963", "12934431667190679898"
    },
    {
      "18389244934624494276", "16731736864863925227", "4440209734760478192",
      "17208448209698888938", "8739495587021565984", "17000774922218161967",
      "13533282547195532087", "525402848358706231", "16987541523062161972",
      "5466806524462797102", "14512769585918244983", "10973956031244051118"
    },
    {
      "6982293561042362913", "14065426295947720331", "16451845770444974180",
      "7139138592091306727", "9012006439959783127", "14619614108529063361",
      "1394813199588124371", "4635111139507788575", "16217473952264203365",
      "10782018226466330683", "6844229992533662050", "7446486531695178711"
    },
    {
      "3736792340494631448", "577852220195055341", "6689998335515779805",
      "13886063479078013492", "14358505101923202168", "7744142531772274164",
      "16135070735728404443", "12290902521256031137", "12059913662657709804",
      "16456018495793751911", "4571485474751953524", "17200392109565783176"
    },
    {
      "17130398059294018733", "519782857322261988", "9625384390925085478",
      "1664893052631119222", "7629576092524553570", "3485239601103661425",
      "9755891797164033838", "15218148195153269027", "16460604813734957368",
      "9643968136937729763", "3611348709641382851", "18256379591337759196"
    }
  };
  private static final long[][] ARK1 = parseConstants(ARK1_DECIMAL);
  private static final long[][] ARK2 = parseConstants(ARK2_DECIMAL);

  static {
    for (int row = 0; row < STATE_WIDTH; row++) {
      for (int col = 0; col < STATE_WIDTH; col++) {
        MDS_MATRIX[row * STATE_WIDTH + col] =
            MDS_FIRST_ROW[Math.floorMod(col - row, STATE_WIDTH)];
      }
    }
  }

  private Rpo256() {}

  private static long[][] parseConstants(String[][] decimal) {
    long[][] constants = new long[NUM_ROUNDS][STATE_WIDTH];
    for (int round = 0; round < NUM_ROUNDS; round++) {
      for (int i = 0; i < STATE_WIDTH; i++) {
        long c = Long.parseUnsignedLong(decimal[round][i]);
        if (!Goldilocks.isCanonical(c)) {
          throw new ExceptionInInitializerError("non-canonical constant " + decimal[round][i]);
        }
        constants[round][i] = c;
      }
    }
    return constants;
  }

  // ---------------------------------------------------------------------------------------------
  // Constants, for AIRs

  /** Entry {@code (row, col)} of the MDS matrix (a small integer, at most 26). */
  public static long mds(int row, int col) {
    return MDS_MATRIX[checkIndex(row, STATE_WIDTH) * STATE_WIDTH + checkIndex(col, STATE_WIDTH)];
  }

  /** Constant added to {@code state[i]} after the first MDS of round {@code round} (0-based). */
  public static long ark1(int round, int i) {
    return ARK1[round][i];
  }

  /** Constant added to {@code state[i]} after the second MDS of round {@code round} (0-based). */
  public static long ark2(int round, int i) {
    return ARK2[round][i];
  }

  private static int checkIndex(int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " not in [0, " + size + ")");
    }
    return index;
  }

  // ---------------------------------------------------------------------------------------------
  // Hash

  /**
   * Miden's {@code hash_elements}: the digest of {@code elements} (see the class comment for the
   * sponge and its length-based domain separation).
   *
   * @param elements canonical field elements (unsigned values below p); not modified
   * @return a new array of the {@value #DIGEST_WIDTH} digest elements
   * @throws IllegalArgumentException if an element is not canonical
   */
  public static long[] hashElements(long[] elements) {
    requireCanonical(elements, "elements");
    long[] state = new long[STATE_WIDTH];
    state[CAPACITY_START] = elements.length % RATE_WIDTH;
    int ratePos = 0;
    for (long element : elements) {
      state[RATE_START + ratePos] = element;
      ratePos++;
      if (ratePos == RATE_WIDTH) {
        permute(state);
        ratePos = 0;
      }
    }
    if (ratePos > 0) {
      for (int i = ratePos; i < RATE_WIDTH; i++) {
        state[RATE_START + i] = 0;
      }
      permute(state);
    }
    return digestOf(state);
  }

  /**
   * Miden's 2-to-1 {@code merge}: the digests in the rate, zero capacity, one permutation. Equal to
   * {@code hashElements} of the eight concatenated elements.
   *
   * @throws IllegalArgumentException if a digest does not have 4 canonical elements
   */
  public static long[] merge(long[] left, long[] right) {
    requireDigest(left, "left");
    requireDigest(right, "right");
    long[] state = new long[STATE_WIDTH];
    System.arraycopy(left, 0, state, RATE_START, DIGEST_WIDTH);
    System.arraycopy(right, 0, state, RATE_START + DIGEST_WIDTH, DIGEST_WIDTH);
    permute(state);
    return digestOf(state);
  }

  private static long[] digestOf(long[] state) {
    long[] digest = new long[DIGEST_WIDTH];
    System.arraycopy(state, DIGEST_START, digest, 0, DIGEST_WIDTH);
    return digest;
  }

  private static void requireDigest(long[] digest, String name) {
    if (digest.length != DIGEST_WIDTH) {
      throw new IllegalArgumentException(
          name + " digest must have " + DIGEST_WIDTH + " elements, got " + digest.length);
    }
    requireCanonical(digest, name);
  }

  private static void requireCanonical(long[] values, String name) {
    for (int i = 0; i < values.length; i++) {
      if (!Goldilocks.isCanonical(values[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "] = " + Long.toUnsignedString(values[i])
                + " is not a canonical field element (must be < p)");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Permutation

  /**
   * The RPO permutation: rounds 0..6 in order.
   *
   * @param state {@value #STATE_WIDTH} canonical field elements, permuted in place
   * @throws IllegalArgumentException if {@code state.length != 12}
   */
  public static void permute(long[] state) {
    requireState(state);
    for (int round = 0; round < NUM_ROUNDS; round++) {
      round(state, round);
    }
  }

  /**
   * Round {@code round} (0-based) of the permutation, in place: MDS, ARK1, {@code x^7}, MDS, ARK2,
   * {@code x^(1/7)}. The state must hold canonical field elements.
   */
  public static void applyRound(long[] state, int round) {
    requireState(state);
    round(state, checkIndex(round, NUM_ROUNDS));
  }

  private static void round(long[] state, int round) {
    long[] ark1 = ARK1[round];
    long[] ark2 = ARK2[round];
    applyMds(state);
    for (int i = 0; i < STATE_WIDTH; i++) {
      state[i] = sbox(Goldilocks.add(state[i], ark1[i]));
    }
    applyMds(state);
    for (int i = 0; i < STATE_WIDTH; i++) {
      state[i] = sboxInverse(Goldilocks.add(state[i], ark2[i]));
    }
  }

  private static void requireState(long[] state) {
    if (state.length != STATE_WIDTH) {
      throw new IllegalArgumentException(
          "RPO state must have " + STATE_WIDTH + " elements, got " + state.length);
    }
  }

  /**
   * Multiplies the state by the MDS matrix in place: {@code state <- MDS * state}.
   *
   * <p>Lazy reduction: each element is split into 32-bit halves, {@code s = hi * 2^32 + lo}; as
   * the matrix entries sum to 160 per row, both {@code sum(c * lo)} and {@code sum(c * hi)} stay
   * below {@code 2^40}, so a row is accumulated exactly in two longs and reduced once as the
   * 128-bit value {@code sumLo + sumHi * 2^32}. Canonical inputs give canonical outputs.
   */
  public static void applyMds(long[] state) {
    long s0 = state[0];
    long s1 = state[1];
    long s2 = state[2];
    long s3 = state[3];
    long s4 = state[4];
    long s5 = state[5];
    long s6 = state[6];
    long s7 = state[7];
    long s8 = state[8];
    long s9 = state[9];
    long s10 = state[10];
    long s11 = state[11];
    for (int row = 0; row < STATE_WIDTH; row++) {
      int m = row * STATE_WIDTH;
      long c0 = MDS_MATRIX[m];
      long c1 = MDS_MATRIX[m + 1];
      long c2 = MDS_MATRIX[m + 2];
      long c3 = MDS_MATRIX[m + 3];
      long c4 = MDS_MATRIX[m + 4];
      long c5 = MDS_MATRIX[m + 5];
      long c6 = MDS_MATRIX[m + 6];
      long c7 = MDS_MATRIX[m + 7];
      long c8 = MDS_MATRIX[m + 8];
      long c9 = MDS_MATRIX[m + 9];
      long c10 = MDS_MATRIX[m + 10];
      long c11 = MDS_MATRIX[m + 11];
      long sumLo =
          c0 * (s0 & LOW32) + c1 * (s1 & LOW32) + c2 * (s2 & LOW32) + c3 * (s3 & LOW32)
              + c4 * (s4 & LOW32) + c5 * (s5 & LOW32) + c6 * (s6 & LOW32) + c7 * (s7 & LOW32)
              + c8 * (s8 & LOW32) + c9 * (s9 & LOW32) + c10 * (s10 & LOW32)
              + c11 * (s11 & LOW32);
      long sumHi =
          c0 * (s0 >>> 32) + c1 * (s1 >>> 32) + c2 * (s2 >>> 32) + c3 * (s3 >>> 32)
              + c4 * (s4 >>> 32) + c5 * (s5 >>> 32) + c6 * (s6 >>> 32) + c7 * (s7 >>> 32)
              + c8 * (s8 >>> 32) + c9 * (s9 >>> 32) + c10 * (s10 >>> 32)
              + c11 * (s11 >>> 32);
      // value = sumLo + sumHi * 2^32 < 2^40 + 2^72, as a 128-bit (hi, lo) pair
      long lo = sumLo + (sumHi << 32);
      long carry = Long.compareUnsigned(lo, sumLo) < 0 ? 1 : 0;
      long hi = (sumHi >>> 32) + carry;
      state[row] = Goldilocks.reduce128(lo, hi);
    }
  }

  /** The S-box {@code x^7}. */
  public static long sbox(long x) {
    long x2 = Goldilocks.mul(x, x);
    long x3 = Goldilocks.mul(x2, x);
    long x4 = Goldilocks.mul(x2, x2);
    return Goldilocks.mul(x3, x4);
  }

  /**
   * The inverse S-box {@code x^INV_ALPHA = x^(1/7)}, the unique {@code y} with {@code y^7 = x}.
   *
   * <p>Addition chain (71 multiplications), derived from the shape of the exponent: with {@code
   * S = sum_{i<10} 8^i} (binary {@code (001)} repeated ten times), {@code INV_ALPHA = 16 * S *
   * (2^32 + 3) + 7}. First {@code q = x^S} by doubling the repeated pattern ({@code x^(S_{a+b}) =
   * (x^(S_a))^(8^b) * x^(S_b)}), then {@code ((q^(2^32) * q^3)^16) * x^7}.
   */
  public static long sboxInverse(long x) {
    long x2 = Goldilocks.mul(x, x);
    long x3 = Goldilocks.mul(x2, x);
    long x6 = Goldilocks.mul(x3, x3);
    long x7 = Goldilocks.mul(x6, x);
    long x8 = Goldilocks.mul(x6, x2);
    // q_k = x^(S_k), S_k = sum_{i<k} 8^i
    long q2 = Goldilocks.mul(x8, x); // S_2 = 9
    long q4 = Goldilocks.mul(squareTimes(q2, 6), q2);
    long q8 = Goldilocks.mul(squareTimes(q4, 12), q4);
    long q9 = Goldilocks.mul(squareTimes(q8, 3), x);
    long q10 = Goldilocks.mul(squareTimes(q9, 3), x);
    long q10Cubed = Goldilocks.mul(Goldilocks.mul(q10, q10), q10);
    long t = Goldilocks.mul(squareTimes(q10, 32), q10Cubed);
    return Goldilocks.mul(squareTimes(t, 4), x7);
  }

  private static long squareTimes(long x, int times) {
    for (int i = 0; i < times; i++) {
      x = Goldilocks.mul(x, x);
    }
    return x;
  }
}
