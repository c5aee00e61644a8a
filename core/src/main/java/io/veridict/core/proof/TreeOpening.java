package io.veridict.core.proof;

/**
 * Opened leaves of one Merkle commitment plus the batched authentication nodes.
 *
 * @param leafWidth field elements per leaf (excluding salt)
 * @param saltLongs salt words per leaf (0 when leaves are unsalted)
 * @param values {@code leafCount * leafWidth} canonical field elements, leaf by leaf
 * @param salts {@code leafCount * saltLongs} salt words
 * @param nodes batched sibling digests, 4 words each, in the order of {@code MerkleVerifier}
 */
public record TreeOpening(int leafCount, int leafWidth, int saltLongs, long[] values, long[] salts, long[] nodes) {
  public TreeOpening {
    if (leafCount < 0 || leafWidth < 0 || saltLongs < 0) {
      throw new IllegalArgumentException("negative size");
    }
    if (values.length != (long) leafCount * leafWidth
        || salts.length != (long) leafCount * saltLongs
        || nodes.length % 4 != 0) {
      throw new IllegalArgumentException("opening arrays do not match their sizes");
    }
  }

  public int nodeCount() {
    return nodes.length / 4;
  }
}
