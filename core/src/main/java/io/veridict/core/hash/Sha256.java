package io.veridict.core.hash;

import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * SHA-256 (FIPS 180-4), backed by BouncyCastle's {@code SHA256Digest}.
 *
 * <p>Stateless: each call uses a fresh digest object, so the instance is safe for concurrent use.
 */
public final class Sha256 implements Hash256 {
  public static final Sha256 INSTANCE = new Sha256();

  private Sha256() {}

  @Override
  public HashFunction id() {
    return HashFunction.SHA_256;
  }

  @Override
  public byte[] digest(byte[] msg) {
    return BouncyCastleDigests.digest(new SHA256Digest(), msg);
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    BouncyCastleDigests.hashLongs(new SHA256Digest(), src, off, len, out, outOff);
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    BouncyCastleDigests.merge(this, left, leftOff, right, rightOff, out, outOff);
  }
}
