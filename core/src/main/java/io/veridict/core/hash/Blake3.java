package io.veridict.core.hash;

/**
 * BLAKE3 with 256-bit output (BLAKE3 specification, O'Connor, Aumasson, Neves, Wilcox-O'Hearn,
 * 2020). Interim version: inputs of at most one 64-byte block (every Merkle leaf and node this
 * project hashes, and proof-of-work) and single-chunk inputs (up to 1024 bytes: FRI leaves) use
 * the compression function written here; longer inputs delegate to BouncyCastle's
 * {@code Blake3Digest}.
 */
public final class Blake3 implements Hash256 {
  public static final Blake3 INSTANCE = new Blake3();

  private static final int IV0 = 0x6A09E667;
  private static final int IV1 = 0xBB67AE85;
  private static final int IV2 = 0x3C6EF372;
  private static final int IV3 = 0xA54FF53A;
  private static final int IV4 = 0x510E527F;
  private static final int IV5 = 0x9B05688C;
  private static final int IV6 = 0x1F83D9AB;
  private static final int IV7 = 0x5BE0CD19;
  /** CHUNK_START | CHUNK_END | ROOT: a single-block, single-chunk input. */
  private static final int SINGLE_BLOCK_FLAGS = 1 | 2 | 8;
  private Blake3() {}

  @Override
  public HashFunction id() {
    return HashFunction.BLAKE3_256;
  }

  @Override
  public byte[] digest(byte[] msg) {
    return BouncyCastleDigests.digest(new org.bouncycastle.crypto.digests.Blake3Digest(256), msg);
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    if (len <= 8) {
      int[] m = new int[16];
      for (int i = 0; i < len; i++) {
        long v = src[off + i];
        m[2 * i] = (int) v;
        m[2 * i + 1] = (int) (v >>> 32);
      }
      compressSingleBlock(m, 8 * len, out, outOff);
      return;
    }
    if (len <= 128) {
      // One chunk (<= 1024 bytes): blocks chained through the compression function, the first
      // flagged CHUNK_START, the last CHUNK_END | ROOT (BLAKE3 spec, section 2.4).
      int[] cv = {IV0, IV1, IV2, IV3, IV4, IV5, IV6, IV7};
      int[] m = new int[16];
      int blocks = (len + 7) / 8;
      for (int b = 0; b < blocks; b++) {
        int from = b * 8;
        int words = Math.min(8, len - from);
        java.util.Arrays.fill(m, 0);
        for (int i = 0; i < words; i++) {
          long v = src[off + from + i];
          m[2 * i] = (int) v;
          m[2 * i + 1] = (int) (v >>> 32);
        }
        int flags = (b == 0 ? 1 : 0) | (b == blocks - 1 ? 2 | 8 : 0);
        if (b == blocks - 1) {
          compress(cv, m, 8 * words, flags, null, out, outOff);
        } else {
          compress(cv, m, 64, flags, cv, null, 0);
        }
      }
      return;
    }
    BouncyCastleDigests.hashLongs(
        new org.bouncycastle.crypto.digests.Blake3Digest(256), src, off, len, out, outOff);
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    int[] m = new int[16];
    for (int i = 0; i < 4; i++) {
      long a = left[leftOff + i];
      long b = right[rightOff + i];
      m[2 * i] = (int) a;
      m[2 * i + 1] = (int) (a >>> 32);
      m[8 + 2 * i] = (int) b;
      m[8 + 2 * i + 1] = (int) (b >>> 32);
    }
    compressSingleBlock(m, 64, out, outOff);
  }

  /** The root compression of a one-block input: chaining value IV, counter 0. */
  private static void compressSingleBlock(int[] m, int blockLen, long[] out, int outOff) {
    compress(null, m, blockLen, SINGLE_BLOCK_FLAGS, null, out, outOff);
  }

  /**
   * The compression function with counter 0 (every input here is a single chunk): chaining value
   * {@code cv} (null = IV). The new chaining value (first 8 output words) goes to {@code cvOut}
   * if non-null, else to {@code out} as 4 little-endian longs.
   */
  private static void compress(int[] cv, int[] m, int blockLen, int flags, int[] cvOut, long[] out, int outOff) {
    int m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
    int m8 = m[8], m9 = m[9], m10 = m[10], m11 = m[11], m12 = m[12], m13 = m[13], m14 = m[14], m15 = m[15];
    int v0 = IV0, v1 = IV1, v2 = IV2, v3 = IV3, v4 = IV4, v5 = IV5, v6 = IV6, v7 = IV7;
    if (cv != null) {
      v0 = cv[0];
      v1 = cv[1];
      v2 = cv[2];
      v3 = cv[3];
      v4 = cv[4];
      v5 = cv[5];
      v6 = cv[6];
      v7 = cv[7];
    }
    int v8 = IV0, v9 = IV1, v10 = IV2, v11 = IV3;
    int v12 = 0, v13 = 0, v14 = blockLen, v15 = flags;
    for (int r = 0; r < 7; r++) {
      v0 += v4 + m0; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
      v0 += v4 + m1; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
      v1 += v5 + m2; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
      v1 += v5 + m3; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
      v2 += v6 + m4; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
      v2 += v6 + m5; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
      v3 += v7 + m6; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
      v3 += v7 + m7; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
      v0 += v5 + m8; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
      v0 += v5 + m9; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
      v1 += v6 + m10; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
      v1 += v6 + m11; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
      v2 += v7 + m12; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
      v2 += v7 + m13; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
      v3 += v4 + m14; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
      v3 += v4 + m15; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
      // Message permutation for the next round.
      int t0 = m0, t1 = m1, t2 = m2, t3 = m3, t4 = m4, t5 = m5, t6 = m6, t7 = m7;
      int t8 = m8, t9 = m9, t10 = m10, t11 = m11, t12 = m12, t13 = m13, t14 = m14, t15 = m15;
      m0 = t2;
      m1 = t6;
      m2 = t3;
      m3 = t10;
      m4 = t7;
      m5 = t0;
      m6 = t4;
      m7 = t13;
      m8 = t1;
      m9 = t11;
      m10 = t12;
      m11 = t5;
      m12 = t9;
      m13 = t14;
      m14 = t15;
      m15 = t8;
    }
    if (cvOut != null) {
      cvOut[0] = v0 ^ v8;
      cvOut[1] = v1 ^ v9;
      cvOut[2] = v2 ^ v10;
      cvOut[3] = v3 ^ v11;
      cvOut[4] = v4 ^ v12;
      cvOut[5] = v5 ^ v13;
      cvOut[6] = v6 ^ v14;
      cvOut[7] = v7 ^ v15;
      return;
    }
    out[outOff] = ((v0 ^ v8) & 0xFFFFFFFFL) | ((long) (v1 ^ v9) << 32);
    out[outOff + 1] = ((v2 ^ v10) & 0xFFFFFFFFL) | ((long) (v3 ^ v11) << 32);
    out[outOff + 2] = ((v4 ^ v12) & 0xFFFFFFFFL) | ((long) (v5 ^ v13) << 32);
    out[outOff + 3] = ((v6 ^ v14) & 0xFFFFFFFFL) | ((long) (v7 ^ v15) << 32);
  }
}
