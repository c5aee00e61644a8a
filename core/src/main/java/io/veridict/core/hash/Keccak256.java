package io.veridict.core.hash;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 as used by Ethereum (original Keccak padding {@code 0x01}, rate 136 bytes) — not FIPS 202 SHA3-256,
 * whose padding differs. Backed by BouncyCastle's {@code KeccakDigest(256)}; the permutation the
 * transcript uses is {@link KeccakF1600}.
 *
 * <p>Stateless: each call uses a fresh digest object, so the instance is safe for concurrent use.
 */
public final class Keccak256 implements Hash256 {
  public static final Keccak256 INSTANCE = new Keccak256();

  private Keccak256() {}

  @Override
  public HashFunction id() {
    return HashFunction.KECCAK_256;
  }

  @Override
  public byte[] digest(byte[] msg) {
    return BouncyCastleDigests.digest(new KeccakDigest(256), msg);
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    BouncyCastleDigests.hashLongs(new KeccakDigest(256), src, off, len, out, outOff);
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    BouncyCastleDigests.merge(this, left, leftOff, right, rightOff, out, outOff);
  }
}
