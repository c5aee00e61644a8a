package io.veridict.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A Merkle tree over a batch of leaves, bit-for-bit compatible with OpenZeppelin's {@code
 * StandardMerkleTree} ({@code @openzeppelin/merkle-tree} 1.0.x) and verifiable on chain with
 * {@code MerkleProof.verify} / {@code MerkleProof.multiProofVerify}.
 *
 * <p>The construction, as in the OpenZeppelin library:
 *
 * <ol>
 *   <li>leaf hash: {@code keccak256(bytes.concat(keccak256(abi.encode(values))))} — the double
 *       hash keeps a leaf from ever being mistaken for an inner node (second-preimage defence);
 *   <li>the leaves are sorted by hash (unsigned bytes; a stable sort, so equal leaves keep their
 *       input order) and laid out right to left at the end of a flat array of {@code 2n - 1}
 *       nodes: sorted leaf {@code i} sits at {@code tree[2n - 2 - i]};
 *   <li>inner node {@code i} is {@code hashPair(tree[2i + 1], tree[2i + 2])}, computed from the
 *       end towards {@code tree[0]}, the root, where {@code hashPair(a, b) = keccak256(min(a, b)
 *       || max(a, b))} (sorted pairs, so a proof needs no left/right flags);
 *   <li>a proof for tree node {@code j} lists the siblings from the leaf up to the root.
 * </ol>
 *
 * <p>Values are addressed by their index in the input list ("value index"), as {@code
 * tree.getProof(i)} does; {@link #treeIndex} maps them to the array layout. Immutable and
 * thread-safe. Golden vectors produced by the npm library itself are checked in {@code
 * MerkleBatchKatTest}.
 */
public final class MerkleBatch {

  /** Upper bound on the number of leaves, to bound memory (2 &times; 32 bytes per leaf). */
  public static final int MAX_LEAVES = 1 << 20;

  private final Bytes32[] tree;
  private final int[] treeIndexOfValue;

  private MerkleBatch(Bytes32[] tree, int[] treeIndexOfValue) {
    this.tree = tree;
    this.treeIndexOfValue = treeIndexOfValue;
  }

  /**
   * Builds the tree of proof records, in the order given.
   *
   * @throws BatchException {@code EMPTY} for no records, {@code TOO_LARGE} above {@link
   *     #MAX_LEAVES}
   */
  public static MerkleBatch ofRecords(List<ProofRecord> records) throws BatchException {
    Objects.requireNonNull(records, "records");
    checkSize(records.size());
    List<Bytes32> leaves = new ArrayList<>(records.size());
    for (ProofRecord r : records) {
      leaves.add(r.leafHash());
    }
    return ofLeafHashes(leaves);
  }

  /**
   * Builds the tree of arbitrary ABI-encoded leaf values (for leaf encodings other than {@link
   * ProofRecord}); each element is the {@code abi.encode(...)} of one value.
   *
   * @throws BatchException {@code EMPTY}, {@code TOO_LARGE}, or {@code MALFORMED_LEAF} if an
   *     encoding is empty or not a whole number of 32-byte words
   */
  public static MerkleBatch ofAbiEncoded(List<byte[]> encodedValues) throws BatchException {
    Objects.requireNonNull(encodedValues, "encodedValues");
    checkSize(encodedValues.size());
    List<Bytes32> leaves = new ArrayList<>(encodedValues.size());
    for (int i = 0; i < encodedValues.size(); i++) {
      byte[] e = Objects.requireNonNull(encodedValues.get(i), "encoded value");
      if (e.length == 0 || e.length % 32 != 0) {
        throw new BatchException(
            BatchException.Reason.MALFORMED_LEAF,
            "value " + i + " is " + e.length + " bytes; an ABI encoding is a positive multiple of 32");
      }
      leaves.add(leafHash(e));
    }
    return ofLeafHashes(leaves);
  }

  /**
   * Builds the tree from already double-hashed leaves (value order = list order).
   *
   * @throws BatchException {@code EMPTY}, {@code TOO_LARGE}
   */
  public static MerkleBatch ofLeafHashes(List<Bytes32> leafHashes) throws BatchException {
    Objects.requireNonNull(leafHashes, "leafHashes");
    int n = leafHashes.size();
    checkSize(n);
    // 1. sort the value indices by leaf hash (stable: List.sort is a merge sort).
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
      Objects.requireNonNull(leafHashes.get(i), "leaf hash");
    }
    order.sort(Comparator.comparing(leafHashes::get));
    // 2. lay the sorted leaves out right to left at the end of the array.
    Bytes32[] tree = new Bytes32[2 * n - 1];
    int[] treeIndexOfValue = new int[n];
    for (int sorted = 0; sorted < n; sorted++) {
      int valueIndex = order.get(sorted);
      int treeIndex = tree.length - 1 - sorted;
      tree[treeIndex] = leafHashes.get(valueIndex);
      treeIndexOfValue[valueIndex] = treeIndex;
    }
    // 3. inner nodes from the last one up to the root.
    for (int i = tree.length - 1 - n; i >= 0; i--) {
      tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
    }
    return new MerkleBatch(tree, treeIndexOfValue);
  }

  private static void checkSize(int n) throws BatchException {
    if (n == 0) {
      throw new BatchException(
          BatchException.Reason.EMPTY, "a batch needs at least one record; got none");
    }
    if (n > MAX_LEAVES) {
      throw new BatchException(
          BatchException.Reason.TOO_LARGE,
          "a batch holds at most " + MAX_LEAVES + " records; got " + n);
    }
  }

  /** {@code keccak256(bytes.concat(keccak256(abiEncoded)))}: the OpenZeppelin standard leaf. */
  public static Bytes32 leafHash(byte[] abiEncoded) {
    Objects.requireNonNull(abiEncoded, "abiEncoded");
    return Bytes32.of(ProofRecord.keccak(ProofRecord.keccak(abiEncoded)));
  }

  /** {@code keccak256(min(a, b) || max(a, b))} in unsigned byte order (OpenZeppelin commutative hash). */
  public static Bytes32 hashPair(Bytes32 a, Bytes32 b) {
    byte[] buf = new byte[64];
    if (a.compareTo(b) <= 0) {
      a.copyTo(buf, 0);
      b.copyTo(buf, 32);
    } else {
      b.copyTo(buf, 0);
      a.copyTo(buf, 32);
    }
    return Bytes32.of(ProofRecord.keccak(buf));
  }

  /** The Merkle root, {@code tree[0]}. */
  public Bytes32 root() {
    return tree[0];
  }

  /** Number of leaves (values). */
  public int size() {
    return treeIndexOfValue.length;
  }

  /** The whole node array in OpenZeppelin's layout ({@code tree.tree} in the npm library). */
  public List<Bytes32> tree() {
    return List.of(tree);
  }

  /** Where value {@code valueIndex} sits in {@link #tree()}. */
  public int treeIndex(int valueIndex) {
    return treeIndexOfValue[Objects.checkIndex(valueIndex, size())];
  }

  /** The leaf hash of value {@code valueIndex}. */
  public Bytes32 leafHash(int valueIndex) {
    return tree[treeIndex(valueIndex)];
  }

  /** The inclusion proof of value {@code valueIndex}: sibling hashes from the leaf up. */
  public List<Bytes32> proof(int valueIndex) {
    int j = treeIndex(valueIndex);
    List<Bytes32> proof = new ArrayList<>();
    while (j > 0) {
      proof.add(tree[sibling(j)]);
      j = parent(j);
    }
    return List.copyOf(proof);
  }

  /**
   * Whether {@code proof} proves that {@code leafHash} is in the tree with root {@code root}
   * (OpenZeppelin {@code MerkleProof.verify}). Never throws on hostile input; a {@code null} or
   * oversized proof is simply false.
   */
  public static boolean verify(Bytes32 root, Bytes32 leafHash, List<Bytes32> proof) {
    if (root == null || leafHash == null || proof == null || proof.size() > 64) {
      return false;
    }
    Bytes32 h = leafHash;
    for (Bytes32 p : proof) {
      if (p == null) {
        return false;
      }
      h = hashPair(h, p);
    }
    return h.equals(root);
  }

  /** Convenience: whether {@code record} is in the tree with root {@code root}. */
  public static boolean verify(Bytes32 root, ProofRecord record, List<Bytes32> proof) {
    return record != null && verify(root, record.leafHash(), proof);
  }

  /**
   * A multiproof for several values at once, in OpenZeppelin's format.
   *
   * @param leafHashes the proven leaves, in the order the verifier consumes them (descending tree
   *     index, as {@code getMultiProof} returns them)
   * @param proof the sibling hashes not derivable from the leaves
   * @param proofFlags for each hashing step, whether the second operand comes from the leaves /
   *     computed nodes (true) or from {@code proof} (false)
   */
  public record MultiProof(List<Bytes32> leafHashes, List<Bytes32> proof, List<Boolean> proofFlags) {
    public MultiProof {
      leafHashes = List.copyOf(leafHashes);
      proof = List.copyOf(proof);
      proofFlags = List.copyOf(proofFlags);
    }
  }

  /**
   * A multiproof for the given value indices (OpenZeppelin {@code getMultiProof}).
   *
   * @throws IllegalArgumentException on a duplicate index
   */
  public MultiProof multiProof(int... valueIndices) {
    int[] idx = new int[valueIndices.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = treeIndex(valueIndices[i]);
    }
    // descending tree index
    Integer[] boxed = Arrays.stream(idx).boxed().sorted(Comparator.reverseOrder()).toArray(Integer[]::new);
    for (int i = 1; i < boxed.length; i++) {
      if (boxed[i].equals(boxed[i - 1])) {
        throw new IllegalArgumentException("duplicate value index in multiproof request");
      }
    }
    List<Bytes32> leaves = new ArrayList<>();
    for (int t : boxed) {
      leaves.add(tree[t]);
    }
    java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>(Arrays.asList(boxed));
    List<Bytes32> proof = new ArrayList<>();
    List<Boolean> flags = new ArrayList<>();
    while (!stack.isEmpty() && stack.peekFirst() > 0) {
      int j = stack.pollFirst();
      int s = sibling(j);
      int p = parent(j);
      if (!stack.isEmpty() && stack.peekFirst() == s) {
        flags.add(true);
        stack.pollFirst();
      } else {
        flags.add(false);
        proof.add(tree[s]);
      }
      stack.addLast(p);
    }
    if (valueIndices.length == 0) {
      proof.add(tree[0]);
    }
    return new MultiProof(leaves, proof, flags);
  }

  /**
   * Whether {@code mp} proves all its leaves against {@code root} (OpenZeppelin {@code
   * MerkleProof.multiProofVerify}, including its checks that every proof element and leaf is
   * consumed exactly once). Never throws on hostile input.
   */
  public static boolean verifyMultiProof(Bytes32 root, MultiProof mp) {
    if (root == null || mp == null) {
      return false;
    }
    int leavesLen = mp.leafHashes().size();
    int proofLen = mp.proof().size();
    int steps = mp.proofFlags().size();
    if (leavesLen + proofLen != steps + 1 || steps > 2 * MAX_LEAVES) {
      return false;
    }
    Bytes32[] hashes = new Bytes32[steps];
    int leafPos = 0;
    int hashPos = 0;
    int proofPos = 0;
    for (int i = 0; i < steps; i++) {
      Bytes32 a;
      if (leafPos < leavesLen) {
        a = mp.leafHashes().get(leafPos++);
      } else if (hashPos < i) {
        a = hashes[hashPos++];
      } else {
        return false; // would read a node not computed yet
      }
      Bytes32 b;
      Boolean flag = mp.proofFlags().get(i);
      if (flag == null) {
        return false;
      }
      if (flag) {
        if (leafPos < leavesLen) {
          b = mp.leafHashes().get(leafPos++);
        } else if (hashPos < i) {
          b = hashes[hashPos++];
        } else {
          return false;
        }
      } else {
        if (proofPos >= proofLen) {
          return false;
        }
        b = mp.proof().get(proofPos++);
      }
      if (a == null || b == null) {
        return false;
      }
      hashes[i] = hashPair(a, b);
    }
    Bytes32 computed;
    if (steps > 0) {
      if (proofPos != proofLen) {
        return false;
      }
      computed = hashes[steps - 1];
    } else if (leavesLen > 0) {
      computed = mp.leafHashes().get(0);
    } else {
      computed = mp.proof().get(0);
    }
    return root.equals(computed);
  }

  private static int sibling(int j) {
    return j % 2 == 1 ? j + 1 : j - 1;
  }

  private static int parent(int j) {
    return (j - 1) / 2;
  }
}
