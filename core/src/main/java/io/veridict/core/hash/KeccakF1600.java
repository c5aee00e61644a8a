package io.veridict.core.hash;

/**
 * The Keccak-f[1600] permutation (FIPS 202, section 3): 24 rounds of theta, rho, pi, chi, iota on
 * 25 64-bit lanes, lane {@code (x, y)} at index {@code x + 5y}. Used by {@link
 * io.veridict.core.transcript.Transcript} as its duplex-sponge permutation; checked through
 * Keccak-256 against BouncyCastle and the published {@code keccak256("")}.
 */
public final class KeccakF1600 {
  private static final long[] ROUND_CONSTANTS = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
    0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
    0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
  };
  /** Rotation offsets r[x + 5y] of the rho step. */
  private static final int[] ROTATIONS = {
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14
  };

  private KeccakF1600() {}

  /** Applies the permutation in place to {@code state} (25 lanes). */
  public static void permute(long[] state) {
    if (state.length != 25) {
      throw new IllegalArgumentException("Keccak-f[1600] state has 25 lanes, got " + state.length);
    }
    long[] c = new long[5];
    long[] b = new long[25];
    for (int round = 0; round < 24; round++) {
      // theta
      for (int x = 0; x < 5; x++) {
        c[x] = state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20];
      }
      for (int x = 0; x < 5; x++) {
        long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
        for (int y = 0; y < 25; y += 5) {
          state[y + x] ^= d;
        }
      }
      // rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
      for (int x = 0; x < 5; x++) {
        for (int y = 0; y < 5; y++) {
          b[y + 5 * ((2 * x + 3 * y) % 5)] = Long.rotateLeft(state[x + 5 * y], ROTATIONS[x + 5 * y]);
        }
      }
      // chi
      for (int x = 0; x < 5; x++) {
        for (int y = 0; y < 5; y++) {
          state[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        }
      }
      // iota
      state[0] ^= ROUND_CONSTANTS[round];
    }
  }
}
