package io.veridict.core.hash;

import io.veridict.core.field.Goldilocks;
import org.bouncycastle.crypto.Digest;

/** Shared plumbing for the hashes backed by a BouncyCastle {@link Digest} (fresh per call). */
final class BouncyCastleDigests {
  private BouncyCastleDigests() {}

  static byte[] digest(Digest d, byte[] msg) {
    d.update(msg, 0, msg.length);
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  /** Hashes {@code len} words as 8-byte little-endian encodings; digest as 4 LE words. */
  static void hashLongs(Digest d, long[] src, int off, int len, long[] out, int outOff) {
    byte[] b = new byte[8 * len];
    for (int i = 0; i < len; i++) {
      Goldilocks.toBytesLe(src[off + i], b, 8 * i);
    }
    byte[] digest = digest(d, b);
    for (int i = 0; i < 4; i++) {
      out[outOff + i] = Goldilocks.fromBytesLe(digest, 8 * i);
    }
  }

  /** {@code hash(left || right)} through {@link Hash256#hashLongs}; {@code out} may alias. */
  static void merge(Hash256 h, long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    long[] t = new long[8];
    System.arraycopy(left, leftOff, t, 0, 4);
    System.arraycopy(right, rightOff, t, 4, 4);
    h.hashLongs(t, 0, 8, out, outOff);
  }
}
