package io.veridict.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * BLAKE3 in its default hash mode with the default 256-bit output, written from the BLAKE3
 * specification (O'Connor, Aumasson, Neves, Wilcox-O'Hearn, "BLAKE3: one function, fast
 * everywhere", 2020, section 2): the compression function, chunks of 1024 bytes chained block by
 * block, and the binary tree of chunk chaining values whose left subtree always holds the largest
 * power-of-two number of chunks that leaves at least one byte for the right. Keyed hashing, key
 * derivation and extended output are not provided.
 *
 * <p>Layout: the 32-byte digest is returned as four little-endian {@code long}s (see {@link
 * Hash256}); internally a chaining value or an eight-word block is likewise handled as
 * little-endian {@code long}s, two 32-bit BLAKE3 words each, so the word-oriented entry points need
 * no byte conversion.
 *
 * <p>Performance: {@link #merge} and {@link #hashLongs} with at most 8 words are one call of the
 * compression function on local variables with no allocation — these are the Merkle tree's node
 * and narrow-leaf hashes. Longer inputs allocate a few small arrays per call. The implementation
 * is scalar (no SIMD across chunks), so it is slower than the reference Rust crate on long inputs.
 *
 * <p>Security: the specification targets 128-bit security for collision, preimage and
 * second-preimage resistance at this 256-bit output length. Checked against the official {@code
 * test_vectors.json} (hash mode) and differentially against BouncyCastle's {@code Blake3Digest}.
 * Stateless; safe for concurrent use.
 */
public final class Blake3 implements Hash256 {
  /** The single (stateless) instance. */
  public static final Blake3 INSTANCE = new Blake3();

  /** Bytes per compression block. */
  static final int BLOCK_LEN = 64;
  /** Bytes per chunk (16 blocks). */
  static final int CHUNK_LEN = 1024;

  private static final int BLOCK_WORDS64 = BLOCK_LEN / 8;
  private static final int CHUNK_WORDS64 = CHUNK_LEN / 8;

  // Domain-separation flags of the specification.
  private static final int CHUNK_START = 1;
  private static final int CHUNK_END = 2;
  private static final int PARENT = 4;
  private static final int ROOT = 8;

  // The initialisation vector: the first 32 bits of the fractional parts of the square roots of
  // the first eight primes (the SHA-256 IV), as in the specification.
  private static final int IV0 = 0x6A09E667;
  private static final int IV1 = 0xBB67AE85;
  private static final int IV2 = 0x3C6EF372;
  private static final int IV3 = 0xA54FF53A;
  private static final int IV4 = 0x510E527F;
  private static final int IV5 = 0x9B05688C;
  private static final int IV6 = 0x1F83D9AB;
  private static final int IV7 = 0x5BE0CD19;
  /** The IV as the chaining value of hash mode (key words k0..k7), packed two words per long. */
  private static final long IV01 = pack(IV0, IV1);
  private static final long IV23 = pack(IV2, IV3);
  private static final long IV45 = pack(IV4, IV5);
  private static final long IV67 = pack(IV6, IV7);

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Blake3() {}

  @Override
  public HashFunction id() {
    return HashFunction.BLAKE3_256;
  }

  @Override
  public byte[] digest(byte[] msg) {
    int numWords = (msg.length + 7) >>> 3;
    long[] words = new long[numWords];
    int fullWords = msg.length >>> 3;
    for (int i = 0; i < fullWords; i++) {
      words[i] = (long) LONG_LE.get(msg, 8 * i);
    }
    for (int i = 8 * fullWords; i < msg.length; i++) {
      words[fullWords] |= (msg[i] & 0xFFL) << (8 * (i & 7));
    }
    long[] digestWords = new long[DIGEST_LONGS];
    hashWords(words, 0, msg.length, digestWords, 0);
    byte[] out = new byte[DIGEST_BYTES];
    for (int i = 0; i < DIGEST_LONGS; i++) {
      LONG_LE.set(out, 8 * i, digestWords[i]);
    }
    return out;
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, src.length);
    Objects.checkFromIndexSize(outOff, DIGEST_LONGS, out.length);
    if (len <= BLOCK_WORDS64) {
      // One block, one chunk: the root compression of the zero-padded block.
      compress(
          IV01, IV23, IV45, IV67,
          len > 0 ? src[off] : 0,
          len > 1 ? src[off + 1] : 0,
          len > 2 ? src[off + 2] : 0,
          len > 3 ? src[off + 3] : 0,
          len > 4 ? src[off + 4] : 0,
          len > 5 ? src[off + 5] : 0,
          len > 6 ? src[off + 6] : 0,
          len > 7 ? src[off + 7] : 0,
          0, 8 * len, CHUNK_START | CHUNK_END | ROOT, out, outOff);
      return;
    }
    hashWords(src, off, 8L * len, out, outOff);
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    // The 64-byte message left || right is exactly one block of one chunk. Every input word is
    // read before the output is written, so out may alias either input.
    compress(
        IV01, IV23, IV45, IV67,
        left[leftOff], left[leftOff + 1], left[leftOff + 2], left[leftOff + 3],
        right[rightOff], right[rightOff + 1], right[rightOff + 2], right[rightOff + 3],
        0, BLOCK_LEN, CHUNK_START | CHUNK_END | ROOT, out, outOff);
  }

  /**
   * BLAKE3 of the message formed by the first {@code byteLen} bytes of the little-endian encoding
   * of {@code words[off..]}. Any bytes past {@code byteLen} in the last word must be zero. Writes
   * the digest to {@code out[outOff..+4)} only after all input has been read.
   */
  private static void hashWords(long[] words, int off, long byteLen, long[] out, int outOff) {
    long numChunks = Math.max(1, (byteLen + CHUNK_LEN - 1) / CHUNK_LEN);
    int wordLimit = off + (int) ((byteLen + 7) >>> 3);
    subtreeChainingValue(words, off, wordLimit, byteLen, 0, numChunks, true, out, outOff);
  }

  /**
   * The chaining value of the subtree over chunks {@code [firstChunk, firstChunk + numChunks)}: a
   * chunk's own chaining value if {@code numChunks == 1}, otherwise the parent compression of the
   * left subtree (the largest power of two of chunks below {@code numChunks}) and the right
   * subtree. With {@code isRoot} the final compression carries the ROOT flag and its
   * output is the digest.
   */
  private static void subtreeChainingValue(
      long[] words,
      int off,
      int wordLimit,
      long byteLen,
      long firstChunk,
      long numChunks,
      boolean isRoot,
      long[] out,
      int outOff) {
    if (numChunks == 1) {
      int chunkLen = (int) Math.min(CHUNK_LEN, byteLen - firstChunk * CHUNK_LEN);
      chunkChainingValue(words, off, wordLimit, firstChunk, chunkLen, isRoot, out, outOff);
      return;
    }
    long leftChunks = Long.highestOneBit(numChunks - 1);
    long[] children = new long[2 * DIGEST_LONGS];
    subtreeChainingValue(
        words, off, wordLimit, byteLen, firstChunk, leftChunks, false, children, 0);
    subtreeChainingValue(
        words,
        off,
        wordLimit,
        byteLen,
        firstChunk + leftChunks,
        numChunks - leftChunks,
        false,
        children,
        DIGEST_LONGS);
    compress(
        IV01, IV23, IV45, IV67,
        children[0], children[1], children[2], children[3],
        children[4], children[5], children[6], children[7],
        0, BLOCK_LEN, PARENT | (isRoot ? ROOT : 0), out, outOff);
  }

  /**
   * The chaining value of chunk {@code chunkIndex} holding {@code chunkLen} (0..1024) bytes: its
   * blocks compressed in sequence from the IV, counter = chunk index, the first block flagged
   * CHUNK_START and the last CHUNK_END (and ROOT if the chunk is the whole input). An empty input
   * is one chunk with one empty block.
   */
  private static void chunkChainingValue(
      long[] words,
      int off,
      int wordLimit,
      long chunkIndex,
      int chunkLen,
      boolean isRoot,
      long[] out,
      int outOff) {
    int numBlocks = Math.max(1, (chunkLen + BLOCK_LEN - 1) / BLOCK_LEN);
    int firstWord = off + (int) (chunkIndex * CHUNK_WORDS64);
    long[] cv = {IV01, IV23, IV45, IV67};
    for (int block = 0; block < numBlocks; block++) {
      boolean lastBlock = block == numBlocks - 1;
      int flags =
          (block == 0 ? CHUNK_START : 0) | (lastBlock ? CHUNK_END | (isRoot ? ROOT : 0) : 0);
      int blockLen = Math.min(BLOCK_LEN, chunkLen - block * BLOCK_LEN);
      int w = firstWord + block * BLOCK_WORDS64;
      long[] target = lastBlock ? out : cv;
      int targetOff = lastBlock ? outOff : 0;
      compress(
          cv[0], cv[1], cv[2], cv[3],
          wordOrZero(words, w, wordLimit),
          wordOrZero(words, w + 1, wordLimit),
          wordOrZero(words, w + 2, wordLimit),
          wordOrZero(words, w + 3, wordLimit),
          wordOrZero(words, w + 4, wordLimit),
          wordOrZero(words, w + 5, wordLimit),
          wordOrZero(words, w + 6, wordLimit),
          wordOrZero(words, w + 7, wordLimit),
          chunkIndex, blockLen, flags, target, targetOff);
    }
  }

  /** {@code words[i]}, or the zero padding past the end of the message. */
  private static long wordOrZero(long[] words, int i, int wordLimit) {
    return i < wordLimit ? words[i] : 0L;
  }

  /**
   * The BLAKE3 compression function, truncated to the 8-word output used for chaining
   * values and for the 32-byte root output: the state is the chaining value {@code h}, four IV
   * words, the 64-bit counter, the block length and the flags; seven rounds of the G function over
   * columns then diagonals, with the message words permuted between rounds; output word {@code i}
   * is {@code v[i] ^ v[i + 8]}.
   *
   * <p>{@code hAB} packs chaining-value words A (low half) and B (high half); {@code mAB} likewise
   * packs message words. The result is written as four such longs to {@code out[outOff..+4)}
   * after every parameter has been read, so {@code out} may alias the caller's inputs.
   */
  private static void compress(
      long h01, long h23, long h45, long h67,
      long m01, long m23, long m45, long m67, long m89, long m1011, long m1213, long m1415,
      long counter, int blockLen, int flags, long[] out, int outOff) {
    int m0 = (int) m01;
    int m1 = (int) (m01 >>> 32);
    int m2 = (int) m23;
    int m3 = (int) (m23 >>> 32);
    int m4 = (int) m45;
    int m5 = (int) (m45 >>> 32);
    int m6 = (int) m67;
    int m7 = (int) (m67 >>> 32);
    int m8 = (int) m89;
    int m9 = (int) (m89 >>> 32);
    int m10 = (int) m1011;
    int m11 = (int) (m1011 >>> 32);
    int m12 = (int) m1213;
    int m13 = (int) (m1213 >>> 32);
    int m14 = (int) m1415;
    int m15 = (int) (m1415 >>> 32);

    int v0 = (int) h01;
    int v1 = (int) (h01 >>> 32);
    int v2 = (int) h23;
    int v3 = (int) (h23 >>> 32);
    int v4 = (int) h45;
    int v5 = (int) (h45 >>> 32);
    int v6 = (int) h67;
    int v7 = (int) (h67 >>> 32);
    int v8 = IV0;
    int v9 = IV1;
    int v10 = IV2;
    int v11 = IV3;
    int v12 = (int) counter;
    int v13 = (int) (counter >>> 32);
    int v14 = blockLen;
    int v15 = flags;

    for (int round = 0; round < 7; round++) {
      // G on the columns (0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15) with words (m0,m1)..(m6,m7)
      v0 += v4 + m0; v12 = rotr(v12 ^ v0, 16); v8 += v12; v4 = rotr(v4 ^ v8, 12);
      v0 += v4 + m1; v12 = rotr(v12 ^ v0, 8); v8 += v12; v4 = rotr(v4 ^ v8, 7);
      v1 += v5 + m2; v13 = rotr(v13 ^ v1, 16); v9 += v13; v5 = rotr(v5 ^ v9, 12);
      v1 += v5 + m3; v13 = rotr(v13 ^ v1, 8); v9 += v13; v5 = rotr(v5 ^ v9, 7);
      v2 += v6 + m4; v14 = rotr(v14 ^ v2, 16); v10 += v14; v6 = rotr(v6 ^ v10, 12);
      v2 += v6 + m5; v14 = rotr(v14 ^ v2, 8); v10 += v14; v6 = rotr(v6 ^ v10, 7);
      v3 += v7 + m6; v15 = rotr(v15 ^ v3, 16); v11 += v15; v7 = rotr(v7 ^ v11, 12);
      v3 += v7 + m7; v15 = rotr(v15 ^ v3, 8); v11 += v15; v7 = rotr(v7 ^ v11, 7);
      // G on the diagonals (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14) with (m8,m9)..(m14,m15)
      v0 += v5 + m8; v15 = rotr(v15 ^ v0, 16); v10 += v15; v5 = rotr(v5 ^ v10, 12);
      v0 += v5 + m9; v15 = rotr(v15 ^ v0, 8); v10 += v15; v5 = rotr(v5 ^ v10, 7);
      v1 += v6 + m10; v12 = rotr(v12 ^ v1, 16); v11 += v12; v6 = rotr(v6 ^ v11, 12);
      v1 += v6 + m11; v12 = rotr(v12 ^ v1, 8); v11 += v12; v6 = rotr(v6 ^ v11, 7);
      v2 += v7 + m12; v13 = rotr(v13 ^ v2, 16); v8 += v13; v7 = rotr(v7 ^ v8, 12);
      v2 += v7 + m13; v13 = rotr(v13 ^ v2, 8); v8 += v13; v7 = rotr(v7 ^ v8, 7);
      v3 += v4 + m14; v14 = rotr(v14 ^ v3, 16); v9 += v14; v4 = rotr(v4 ^ v9, 12);
      v3 += v4 + m15; v14 = rotr(v14 ^ v3, 8); v9 += v14; v4 = rotr(v4 ^ v9, 7);
      // The specification's message permutation: m'[i] = m[PERMUTATION[i]] with
      // PERMUTATION = 2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8.
      int p0 = m2;
      int p1 = m6;
      int p2 = m3;
      int p3 = m10;
      int p4 = m7;
      int p5 = m0;
      int p6 = m4;
      int p7 = m13;
      int p8 = m1;
      int p9 = m11;
      int p10 = m12;
      int p11 = m5;
      int p12 = m9;
      int p13 = m14;
      int p14 = m15;
      int p15 = m8;
      m0 = p0;
      m1 = p1;
      m2 = p2;
      m3 = p3;
      m4 = p4;
      m5 = p5;
      m6 = p6;
      m7 = p7;
      m8 = p8;
      m9 = p9;
      m10 = p10;
      m11 = p11;
      m12 = p12;
      m13 = p13;
      m14 = p14;
      m15 = p15;
    }

    out[outOff] = pack(v0 ^ v8, v1 ^ v9);
    out[outOff + 1] = pack(v2 ^ v10, v3 ^ v11);
    out[outOff + 2] = pack(v4 ^ v12, v5 ^ v13);
    out[outOff + 3] = pack(v6 ^ v14, v7 ^ v15);
  }

  private static int rotr(int x, int n) {
    return Integer.rotateRight(x, n);
  }

  /** Packs two 32-bit words into a long, {@code low} in the low half (little-endian order). */
  private static long pack(int low, int high) {
    return (low & 0xFFFF_FFFFL) | ((long) high << 32);
  }
}
