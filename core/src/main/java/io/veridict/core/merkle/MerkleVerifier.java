package io.veridict.core.merkle;

import io.veridict.core.hash.Hash256;

/**
 * Verification of batched Merkle multi-openings.
 *
 * <p>Tree layout: a complete binary tree with {@code 2^depth} leaves; node digests are {@code
 * merge(left, right)}; leaf digests are computed by the caller (they include any salt). A batch
 * opening for strictly increasing leaf indices lists, level by level from the leaves up and in
 * increasing index order within a level, the digest of every sibling that the verifier cannot
 * compute itself (i.e. whose index is not itself known at that level). See {@code
 * docs/proof-format.md}.
 *
 * <p>Robustness: every check is bounded by the arguments; malformed input (unsorted or
 * out-of-range indices, a depth that disagrees with the node count, leftover or missing nodes)
 * makes {@link #verifyBatch} return {@code false}; it never throws on bad data and allocates at
 * most {@code O(indices.length)}.
 */
public final class MerkleVerifier {
  private MerkleVerifier() {}

  /** The exact number of sibling nodes a batch opening of {@code sortedIndices} contains. */
  public static int expectedNodeCount(int[] sortedIndices, int depth) {
    int[] cur = sortedIndices.clone();
    int len = cur.length;
    int count = 0;
    for (int level = 0; level < depth; level++) {
      int next = 0;
      for (int i = 0; i < len; i++) {
        int idx = cur[i];
        if ((idx & 1) == 0 && i + 1 < len && cur[i + 1] == (idx | 1)) {
          i++;
        } else {
          count++;
        }
        int parent = idx >>> 1;
        if (next == 0 || cur[next - 1] != parent) {
          cur[next++] = parent;
        }
      }
      len = next;
    }
    return count;
  }

  /**
   * Checks that the leaves with digests {@code leafDigests} (4 longs per index, same order as
   * {@code sortedIndices}) lie at those indices in the tree of the given depth and root.
   *
   * @param nodes sibling digests, 4 longs each, {@code nodeCount} of them
   */
  public static boolean verifyBatch(
      Hash256 hash,
      long[] root,
      int depth,
      int[] sortedIndices,
      long[] leafDigests,
      long[] nodes,
      int nodeCount) {
    int k = sortedIndices.length;
    if (depth < 0 || depth > 32 || k == 0 || root.length != 4 || leafDigests.length != 4L * k) {
      return false;
    }
    if (nodes.length < 4L * nodeCount || nodeCount < 0 || nodeCount > (long) k * depth) {
      return false;
    }
    long limit = 1L << depth;
    for (int i = 0; i < k; i++) {
      long idx = sortedIndices[i] & 0xFFFFFFFFL;
      if (sortedIndices[i] < 0 || idx >= limit || (i > 0 && sortedIndices[i] <= sortedIndices[i - 1])) {
        return false;
      }
    }
    int[] idx = sortedIndices.clone();
    long[] dig = leafDigests.clone();
    int len = k;
    int used = 0;
    long[] left = new long[4];
    long[] right = new long[4];
    for (int level = 0; level < depth; level++) {
      int next = 0;
      for (int i = 0; i < len; i++) {
        int cur = idx[i];
        boolean curIsLeft = (cur & 1) == 0;
        if (curIsLeft && i + 1 < len && idx[i + 1] == (cur | 1)) {
          System.arraycopy(dig, 4 * i, left, 0, 4);
          System.arraycopy(dig, 4 * (i + 1), right, 0, 4);
          i++;
        } else {
          if (used >= nodeCount) {
            return false;
          }
          if (curIsLeft) {
            System.arraycopy(dig, 4 * i, left, 0, 4);
            System.arraycopy(nodes, 4 * used, right, 0, 4);
          } else {
            System.arraycopy(nodes, 4 * used, left, 0, 4);
            System.arraycopy(dig, 4 * i, right, 0, 4);
          }
          used++;
        }
        // Parents of increasing indices are non-decreasing; consecutive duplicates were merged.
        hash.merge(left, 0, right, 0, dig, 4 * next);
        idx[next] = cur >>> 1;
        next++;
      }
      len = next;
    }
    if (used != nodeCount || len != 1) {
      return false;
    }
    return dig[0] == root[0] && dig[1] == root[1] && dig[2] == root[2] && dig[3] == root[3];
  }
}
