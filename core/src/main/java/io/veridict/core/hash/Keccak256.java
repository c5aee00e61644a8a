package io.veridict.core.hash;

import io.veridict.core.field.Goldilocks;
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
    var d = new KeccakDigest(256);
    d.update(msg, 0, msg.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    byte[] b = new byte[8 * len];
    for (int i = 0; i < len; i++) {
      Goldilocks.toBytesLe(src[off + i], b, 8 * i);
    }
    var d = new KeccakDigest(256);
    d.update(b, 0, b.length);
    byte[] digest = new byte[32];
    d.doFinal(digest, 0);
    for (int i = 0; i < 4; i++) {
      out[outOff + i] = Goldilocks.fromBytesLe(digest, 8 * i);
    }
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    long[] t = new long[8];
    System.arraycopy(left, leftOff, t, 0, 4);
    System.arraycopy(right, rightOff, t, 4, 4);
    hashLongs(t, 0, 8, out, outOff);
  }
}
