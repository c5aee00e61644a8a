package io.veridict.prover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.hash.Blake3;
import io.veridict.core.hash.Hash256;
import io.veridict.core.merkle.MerkleVerifier;
import io.veridict.core.proof.TreeOpening;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Batched multi-openings round-trip, and every kind of lie is refused without an exception. */
class MerkleTreeTest {
  private static final Hash256 H = Blake3.INSTANCE;

  private static MerkleTree tree(int logLeaves, long seed, boolean salted) {
    SplittableRandom r = new SplittableRandom(seed);
    long[][] rows = new long[1 << logLeaves][3];
    for (long[] row : rows) {
      for (int j = 0; j < 3; j++) {
        row[j] = r.nextLong() >>> 1;
      }
    }
    MerkleTree.LeafSource src =
        new MerkleTree.LeafSource() {
          public int width() {
            return 3;
          }

          public void leaf(int i, long[] dst, int off) {
            System.arraycopy(rows[i], 0, dst, off, 3);
          }
        };
    return MerkleTree.build(H, src, logLeaves, salted ? new long[] {1, 2, 3, 4} : null, 2);
  }

  private static long[] digests(TreeOpening o) {
    int w = o.leafWidth() + o.saltLongs();
    long[] out = new long[4 * o.leafCount()];
    long[] buf = new long[w];
    for (int i = 0; i < o.leafCount(); i++) {
      System.arraycopy(o.values(), i * o.leafWidth(), buf, 0, o.leafWidth());
      System.arraycopy(o.salts(), i * o.saltLongs(), buf, o.leafWidth(), o.saltLongs());
      H.hashLongs(buf, 0, w, out, 4 * i);
    }
    return out;
  }

  private static int[] randomIndices(SplittableRandom r, int logLeaves, int count) {
    return r.ints(count, 0, 1 << logLeaves).distinct().sorted().toArray();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void openingsVerify_andEveryLieIsRefused(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int log = 1 + r.nextInt(10);
    boolean salted = r.nextBoolean();
    MerkleTree t = tree(log, seed, salted);
    int[] idx = randomIndices(r, log, 1 + r.nextInt(12));
    TreeOpening o = t.open(idx);
    long[] dig = digests(o);
    long[] root = t.root();
    String ctx = "seed " + seed;
    assertEquals(MerkleVerifier.expectedNodeCount(idx, log), o.nodeCount(), ctx);
    assertTrue(MerkleVerifier.verifyBatch(H, root, log, idx, dig, o.nodes(), o.nodeCount()), ctx);
    // Wrong root, wrong depth (winterfell #200: a lying depth must not crash or pass).
    long[] badRoot = root.clone();
    badRoot[0] ^= 1;
    assertFalse(MerkleVerifier.verifyBatch(H, badRoot, log, idx, dig, o.nodes(), o.nodeCount()), ctx);
    for (int depth : new int[] {-1, 0, log - 1, log + 1, 33, 64}) {
      if (depth != log) {
        assertFalse(MerkleVerifier.verifyBatch(H, root, depth, idx, dig, o.nodes(), o.nodeCount()), ctx + " depth " + depth);
      }
    }
    // Missing node, extra node, tampered node.
    if (o.nodeCount() > 0) {
      assertFalse(MerkleVerifier.verifyBatch(H, root, log, idx, dig, o.nodes(), o.nodeCount() - 1), ctx);
      long[] tampered = o.nodes().clone();
      tampered[r.nextInt(tampered.length)] ^= 4;
      assertFalse(MerkleVerifier.verifyBatch(H, root, log, idx, dig, tampered, o.nodeCount()), ctx);
    }
    long[] extra = Arrays.copyOf(o.nodes(), o.nodes().length + 4);
    assertFalse(MerkleVerifier.verifyBatch(H, root, log, idx, dig, extra, o.nodeCount() + 1), ctx);
    assertFalse(MerkleVerifier.verifyBatch(H, root, log, idx, dig, o.nodes(), o.nodeCount() + 1000), ctx);
    // Tampered leaf, unsorted / duplicate / out-of-range indices.
    long[] badDig = dig.clone();
    badDig[0] ^= 1;
    assertFalse(MerkleVerifier.verifyBatch(H, root, log, idx, badDig, o.nodes(), o.nodeCount()), ctx);
    if (idx.length > 1) {
      int[] swapped = idx.clone();
      int tmp = swapped[0];
      swapped[0] = swapped[1];
      swapped[1] = tmp;
      assertFalse(MerkleVerifier.verifyBatch(H, root, log, swapped, dig, o.nodes(), o.nodeCount()), ctx);
      int[] dup = idx.clone();
      dup[1] = dup[0];
      assertFalse(MerkleVerifier.verifyBatch(H, root, log, dup, dig, o.nodes(), o.nodeCount()), ctx);
    }
    int[] out = idx.clone();
    out[out.length - 1] = 1 << log;
    assertFalse(MerkleVerifier.verifyBatch(H, root, log, out, dig, o.nodes(), o.nodeCount()), ctx);
    int[] neg = idx.clone();
    neg[0] = -1;
    assertFalse(MerkleVerifier.verifyBatch(H, root, log, neg, dig, o.nodes(), o.nodeCount()), ctx);
  }

  @ParameterizedTest(name = "log leaves {0}")
  @ValueSource(ints = {0, 1, 2, 5})
  void allLeavesOpened_needNoNodes(int log) {
    MerkleTree t = tree(log, 9, true);
    int[] all = java.util.stream.IntStream.range(0, 1 << log).toArray();
    TreeOpening o = t.open(all);
    assertEquals(0, o.nodeCount());
    assertTrue(MerkleVerifier.verifyBatch(H, t.root(), log, all, digests(o), o.nodes(), 0));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12})
  void saltsDependOnKeyAndIndex(long seed) {
    MerkleTree a = tree(4, seed, true);
    long[] s0 = new long[2];
    long[] s1 = new long[2];
    a.salt(0, s0, 0);
    a.salt(1, s1, 0);
    assertFalse(Arrays.equals(s0, s1));
    MerkleTree b = tree(4, seed, true);
    assertArrayEquals(a.root(), b.root(), "same key, same rows");
  }
}
