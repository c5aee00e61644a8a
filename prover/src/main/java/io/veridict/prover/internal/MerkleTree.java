package io.veridict.prover.internal;

import io.veridict.core.hash.Hash256;
import io.veridict.core.proof.TreeOpening;
import java.util.stream.IntStream;

/**
 * A Merkle tree over rows of committed data, with optional salted leaves and batched
 * multi-openings (the format {@link io.veridict.core.merkle.MerkleVerifier} checks).
 *
 * <p>Leaf {@code i} hashes {@code leaf(i) || salt(i)}. Salts come from a PRF keyed by 256 bits
 * drawn from {@code SecureRandom}: {@code H(saltKey || floor(i/2))} yields 256 bits, the 128-bit
 * salts of leaves {@code 2k} and {@code 2k+1} (one hash serves two leaves). Revealing the salts of
 * opened leaves reveals nothing about the key or other salts, and no per-leaf salt table is stored. Leaf digests are not
 * stored either (they are recomputed from the rows when opened), nor is the level just above the
 * leaves (recomputed from two leaves when needed): that halves the tree's memory. Nodes from two
 * levels above the leaves up live in one heap-ordered {@code long[]} (node {@code k} has children
 * {@code 2k, 2k+1}; the root is node 1; level {@code l} occupies {@code [N >> l, 2 (N >> l))}).
 */
public final class MerkleTree {

  /** Supplies leaf contents on demand. */
  public interface LeafSource {
    /** Field elements per leaf. */
    int width();

    /** Copies leaf {@code i} into {@code dst[off, off + width())}. */
    void leaf(int i, long[] dst, int off);
  }

  private final Hash256 hash;
  private final LeafSource source;
  private final long[] saltKey;
  private final int saltLongs;
  private final int depth;
  private final int leafCount;
  private final long[] nodes;
  private final long[] root = new long[4];

  private MerkleTree(Hash256 hash, LeafSource source, int logLeaves, long[] saltKey, int saltLongs) {
    this.hash = hash;
    this.source = source;
    this.saltKey = saltKey;
    if (saltKey != null && (saltLongs < 1 || saltLongs > 2 || saltKey.length != 4)) {
      throw new IllegalArgumentException("salted trees take a 4-word key and 1 or 2 salt words");
    }
    this.saltLongs = saltKey == null ? 0 : saltLongs;
    this.depth = logLeaves;
    this.leafCount = 1 << logLeaves;
    this.nodes = new long[4 * Math.max(leafCount / 2, 2)];
    build();
  }

  /**
   * Builds the tree of {@code 2^logLeaves} leaves.
   *
   * @param saltKey 4 secret words keying the salt PRF, or {@code null} for unsalted leaves
   */
  public static MerkleTree build(
      Hash256 hash, LeafSource source, int logLeaves, long[] saltKey, int saltLongs) {
    return new MerkleTree(hash, source, logLeaves, saltKey, saltLongs);
  }

  private void build() {
    int w = source.width() + saltLongs;
    if (leafCount == 1) {
      leafDigest(0, new long[w], root, 0);
      return;
    }
    if (leafCount == 2) {
      levelOneDigest(0, new long[w], new long[4], new long[4], new long[5], new long[4], root, 0);
      return;
    }
    // Level 2 (quarter of the leaves) from four leaves each, in parallel chunks.
    int quarter = leafCount >>> 2;
    int chunk = Math.max(1, Math.min(quarter, 1 << 9));
    IntStream.range(0, (quarter + chunk - 1) / chunk)
        .parallel()
        .forEach(
            c -> {
              long[] buf = new long[w];
              long[] l = new long[4];
              long[] r = new long[4];
              long[] a = new long[4];
              long[] b = new long[4];
              long[] saltIn = new long[5];
              long[] saltOut = new long[4];
              int from = c * chunk;
              int to = Math.min(quarter, from + chunk);
              for (int q = from; q < to; q++) {
                levelOneDigest(2 * q, buf, l, r, saltIn, saltOut, a, 0);
                levelOneDigest(2 * q + 1, buf, l, r, saltIn, saltOut, b, 0);
                hash.merge(a, 0, b, 0, nodes, 4 * (quarter + q));
              }
            });
    for (int size = quarter >>> 1; size >= 1; size >>>= 1) {
      final int s = size;
      if (s >= 1 << 12) {
        int c2 = 1 << 10;
        IntStream.range(0, s / c2)
            .parallel()
            .forEach(
                c -> {
                  for (int k = s + c * c2; k < s + (c + 1) * c2; k++) {
                    hash.merge(nodes, 8 * k, nodes, 8 * k + 4, nodes, 4 * k);
                  }
                });
      } else {
        for (int k = s; k < 2 * s; k++) {
          hash.merge(nodes, 8 * k, nodes, 8 * k + 4, nodes, 4 * k);
        }
      }
    }
    System.arraycopy(nodes, 4, root, 0, 4);
  }

  /** Digest of the level-1 node {@code p} (parent of leaves {@code 2p, 2p+1}). */
  private void levelOneDigest(
      int p, long[] buf, long[] l, long[] r, long[] saltIn, long[] saltOut, long[] out, int outOff) {
    int w0 = source.width();
    int w = w0 + saltLongs;
    if (saltLongs > 0) {
      // One PRF call gives the salts of both children (leaves 2p and 2p+1).
      saltIn[0] = saltKey[0];
      saltIn[1] = saltKey[1];
      saltIn[2] = saltKey[2];
      saltIn[3] = saltKey[3];
      saltIn[4] = p;
      hash.hashLongs(saltIn, 0, 5, saltOut, 0);
      source.leaf(2 * p, buf, 0);
      System.arraycopy(saltOut, 0, buf, w0, saltLongs);
      hash.hashLongs(buf, 0, w, l, 0);
      source.leaf(2 * p + 1, buf, 0);
      System.arraycopy(saltOut, 2, buf, w0, saltLongs);
      hash.hashLongs(buf, 0, w, r, 0);
    } else {
      leafDigest(2 * p, buf, l, 0);
      leafDigest(2 * p + 1, buf, r, 0);
    }
    hash.merge(l, 0, r, 0, out, outOff);
  }

  /** Writes leaf {@code i}'s salt into {@code dst[off, off + saltLongs)}. */
  public void salt(int i, long[] dst, int off) {
    if (saltLongs == 0) {
      return;
    }
    long[] in = {saltKey[0], saltKey[1], saltKey[2], saltKey[3], i >>> 1};
    long[] out = new long[4];
    hash.hashLongs(in, 0, 5, out, 0);
    System.arraycopy(out, (i & 1) * 2, dst, off, saltLongs);
  }

  private void leafDigest(int i, long[] buf, long[] out, int outOff) {
    int w = source.width();
    source.leaf(i, buf, 0);
    if (saltLongs > 0) {
      salt(i, buf, w);
    }
    hash.hashLongs(buf, 0, w + saltLongs, out, outOff);
  }

  public long[] root() {
    return root.clone();
  }

  public int depth() {
    return depth;
  }

  private void digestAt(int level, int index, long[] buf, long[] out, int outOff) {
    if (level == 0) {
      leafDigest(index, buf, out, outOff);
    } else if (level == 1) {
      levelOneDigest(index, buf, new long[4], new long[4], new long[5], new long[4], out, outOff);
    } else {
      int k = (leafCount >>> level) + index;
      System.arraycopy(nodes, 4 * k, out, outOff, 4);
    }
  }

  /** Opens the leaves at strictly increasing {@code sortedIndices} with one batched proof. */
  public TreeOpening open(int[] sortedIndices) {
    int w = source.width();
    int k = sortedIndices.length;
    long[] values = new long[k * w];
    long[] salts = new long[k * saltLongs];
    for (int i = 0; i < k; i++) {
      source.leaf(sortedIndices[i], values, i * w);
      salt(sortedIndices[i], salts, i * saltLongs);
    }
    int count = io.veridict.core.merkle.MerkleVerifier.expectedNodeCount(sortedIndices, depth);
    long[] out = new long[4 * count];
    long[] buf = new long[w + saltLongs];
    int used = 0;
    int[] cur = sortedIndices.clone();
    int len = k;
    for (int level = 0; level < depth; level++) {
      int next = 0;
      for (int i = 0; i < len; i++) {
        int idx = cur[i];
        if ((idx & 1) == 0 && i + 1 < len && cur[i + 1] == (idx | 1)) {
          i++;
        } else {
          digestAt(level, idx ^ 1, buf, out, 4 * used);
          used++;
        }
        int parent = idx >>> 1;
        if (next == 0 || cur[next - 1] != parent) {
          cur[next++] = parent;
        }
      }
      len = next;
    }
    return new TreeOpening(k, w, saltLongs, values, salts, out);
  }
}
