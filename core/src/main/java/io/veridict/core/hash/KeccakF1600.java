package io.veridict.core.hash;

/**
 * The Keccak-f[1600] permutation of FIPS 202 (section 3.3): 24 rounds of theta, rho, pi, chi and
 * iota on a state of 25 64-bit lanes, lane {@code (x, y)} stored at index {@code x + 5y} with
 * FIPS 202's little-endian bit order within a lane.
 *
 * <p>The rotation offsets of rho (FIPS 202 Algorithm 2) and the round constants of iota
 * (Algorithm 5/6) were generated from the specification's algorithms, not copied; the round
 * function is unrolled over 25 local lanes so one call does not allocate. Checked through {@link
 * Keccak256} against the published {@code keccak256("")} vector and BouncyCastle.
 *
 * <p>This is a permutation, not a hash: sponge padding, rate and domain separation are the
 * caller's responsibility ({@link Keccak256} for Ethereum's Keccak-256; {@link
 * io.veridict.core.transcript.Transcript} for the Fiat–Shamir duplex sponge). Thread-safe: no
 * shared state.
 */
public final class KeccakF1600 {
  /** Number of lanes in the state. */
  public static final int STATE_LANES = 25;
  /** Number of rounds of Keccak-f[1600] ({@code 12 + 2 * log2(64)}). */
  public static final int NUM_ROUNDS = 24;

  /** Iota round constants RC[i], i = 0..23 (FIPS 202 Algorithm 6, generated from rc(t)). */
  private static final long[] ROUND_CONSTANTS = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
    0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
    0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
  };

  private KeccakF1600() {}

  /**
   * Applies Keccak-f[1600] in place.
   *
   * @param state the 25 lanes, lane {@code (x, y)} at index {@code x + 5y}; overwritten
   * @throws IllegalArgumentException if {@code state.length != 25}
   */
  public static void permute(long[] state) {
    if (state.length != STATE_LANES) {
      throw new IllegalArgumentException(
          "Keccak-f[1600] state must have 25 lanes, got " + state.length);
    }
    long a0 = state[0];
    long a1 = state[1];
    long a2 = state[2];
    long a3 = state[3];
    long a4 = state[4];
    long a5 = state[5];
    long a6 = state[6];
    long a7 = state[7];
    long a8 = state[8];
    long a9 = state[9];
    long a10 = state[10];
    long a11 = state[11];
    long a12 = state[12];
    long a13 = state[13];
    long a14 = state[14];
    long a15 = state[15];
    long a16 = state[16];
    long a17 = state[17];
    long a18 = state[18];
    long a19 = state[19];
    long a20 = state[20];
    long a21 = state[21];
    long a22 = state[22];
    long a23 = state[23];
    long a24 = state[24];
    for (int round = 0; round < NUM_ROUNDS; round++) {
      // theta: column parities, then each lane xors D[x] = C[x-1] ^ rotl(C[x+1], 1)
      long c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
      long c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
      long c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
      long c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
      long c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      // rho and pi: b[y + 5 * ((2x + 3y) mod 5)] = rotl(a[x + 5y] ^ d[x], r[x + 5y])
      long b0 = a0 ^ d0;
      long b16 = Long.rotateLeft(a5 ^ d0, 36);
      long b7 = Long.rotateLeft(a10 ^ d0, 3);
      long b23 = Long.rotateLeft(a15 ^ d0, 41);
      long b14 = Long.rotateLeft(a20 ^ d0, 18);
      long b10 = Long.rotateLeft(a1 ^ d1, 1);
      long b1 = Long.rotateLeft(a6 ^ d1, 44);
      long b17 = Long.rotateLeft(a11 ^ d1, 10);
      long b8 = Long.rotateLeft(a16 ^ d1, 45);
      long b24 = Long.rotateLeft(a21 ^ d1, 2);
      long b20 = Long.rotateLeft(a2 ^ d2, 62);
      long b11 = Long.rotateLeft(a7 ^ d2, 6);
      long b2 = Long.rotateLeft(a12 ^ d2, 43);
      long b18 = Long.rotateLeft(a17 ^ d2, 15);
      long b9 = Long.rotateLeft(a22 ^ d2, 61);
      long b5 = Long.rotateLeft(a3 ^ d3, 28);
      long b21 = Long.rotateLeft(a8 ^ d3, 55);
      long b12 = Long.rotateLeft(a13 ^ d3, 25);
      long b3 = Long.rotateLeft(a18 ^ d3, 21);
      long b19 = Long.rotateLeft(a23 ^ d3, 56);
      long b15 = Long.rotateLeft(a4 ^ d4, 27);
      long b6 = Long.rotateLeft(a9 ^ d4, 20);
      long b22 = Long.rotateLeft(a14 ^ d4, 39);
      long b13 = Long.rotateLeft(a19 ^ d4, 8);
      long b4 = Long.rotateLeft(a24 ^ d4, 14);
      // chi: a[x + 5y] = b[x + 5y] ^ (~b[x+1 + 5y] & b[x+2 + 5y]); iota on lane 0
      a0 = b0 ^ (~b1 & b2);
      a1 = b1 ^ (~b2 & b3);
      a2 = b2 ^ (~b3 & b4);
      a3 = b3 ^ (~b4 & b0);
      a4 = b4 ^ (~b0 & b1);
      a5 = b5 ^ (~b6 & b7);
      a6 = b6 ^ (~b7 & b8);
      a7 = b7 ^ (~b8 & b9);
      a8 = b8 ^ (~b9 & b5);
      a9 = b9 ^ (~b5 & b6);
      a10 = b10 ^ (~b11 & b12);
      a11 = b11 ^ (~b12 & b13);
      a12 = b12 ^ (~b13 & b14);
      a13 = b13 ^ (~b14 & b10);
      a14 = b14 ^ (~b10 & b11);
      a15 = b15 ^ (~b16 & b17);
      a16 = b16 ^ (~b17 & b18);
      a17 = b17 ^ (~b18 & b19);
      a18 = b18 ^ (~b19 & b15);
      a19 = b19 ^ (~b15 & b16);
      a20 = b20 ^ (~b21 & b22);
      a21 = b21 ^ (~b22 & b23);
      a22 = b22 ^ (~b23 & b24);
      a23 = b23 ^ (~b24 & b20);
      a24 = b24 ^ (~b20 & b21);
      a0 ^= ROUND_CONSTANTS[round];
    }
    state[0] = a0;
    state[1] = a1;
    state[2] = a2;
    state[3] = a3;
    state[4] = a4;
    state[5] = a5;
    state[6] = a6;
    state[7] = a7;
    state[8] = a8;
    state[9] = a9;
    state[10] = a10;
    state[11] = a11;
    state[12] = a12;
    state[13] = a13;
    state[14] = a14;
    state[15] = a15;
    state[16] = a16;
    state[17] = a17;
    state[18] = a18;
    state[19] = a19;
    state[20] = a20;
    state[21] = a21;
    state[22] = a22;
    state[23] = a23;
    state[24] = a24;
  }
}
