package io.veridict.core.hash;

/**
 * A 256-bit collision-resistant hash used for Merkle commitments and proof-of-work.
 *
 * <p>Digests travel as four {@code long}s holding the 32 digest bytes in little-endian order
 * ({@code out[outOff]} = bytes 0..7, ...), so Merkle trees can stay on primitive arrays. Field
 * elements are hashed as their 8-byte little-endian encodings.
 *
 * <p>Security guarantee: collision and second-preimage resistance at 128 bits classically
 * (~85 bits against quantum collision search), as for the underlying standard function.
 * Implementations are stateless and safe for concurrent use.
 */
public sealed interface Hash256 permits Blake3, Keccak256, Sha256 {

  /** Number of {@code long}s in a digest. */
  int DIGEST_LONGS = 4;
  /** Number of bytes in a digest. */
  int DIGEST_BYTES = 32;

  /** Which function this is; recorded in proof headers. */
  HashFunction id();

  /** Hashes {@code msg} and returns the 32-byte digest. */
  byte[] digest(byte[] msg);

  /**
   * Hashes {@code len} 64-bit words, each encoded as 8 little-endian bytes (so the message is
   * {@code 8*len} bytes), writing the digest as 4 little-endian longs at {@code out[outOff..+4)}.
   */
  void hashLongs(long[] src, int off, int len, long[] out, int outOff);

  /**
   * Two-to-one compression for Merkle nodes: the hash of the 64-byte message {@code left || right}
   * where each side is a digest in the 4-long layout. {@code out} may alias an input.
   */
  void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff);

  /** The implementation for {@code id}. */
  static Hash256 of(HashFunction id) {
    return switch (id) {
      case BLAKE3_256 -> Blake3.INSTANCE;
      case KECCAK_256 -> Keccak256.INSTANCE;
      case SHA_256 -> Sha256.INSTANCE;
    };
  }
}
