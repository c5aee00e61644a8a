package io.veridict.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

/** The transcript's permutation, checked by building Keccak-256 on it and comparing. */
class KeccakF1600Test {

  private static byte[] keccak256ViaPermutation(byte[] msg) {
    long[] st = new long[25];
    int blocks = msg.length / 136 + 1;
    byte[] padded = new byte[blocks * 136];
    System.arraycopy(msg, 0, padded, 0, msg.length);
    padded[msg.length] ^= 0x01;
    padded[padded.length - 1] ^= (byte) 0x80;
    for (int off = 0; off < padded.length; off += 136) {
      for (int i = 0; i < 17; i++) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
          v = (v << 8) | (padded[off + 8 * i + k] & 0xFF);
        }
        st[i] ^= v;
      }
      KeccakF1600.permute(st);
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = (byte) (st[i / 8] >>> (8 * (i % 8)));
    }
    return out;
  }

  @Test
  void spongeOnThePermutationIsKeccak256() {
    SplittableRandom r = new SplittableRandom(8);
    for (int len : new int[] {0, 1, 3, 135, 136, 137, 271, 272, 273, 1000}) {
      byte[] m = new byte[len];
      r.nextBytes(m);
      KeccakDigest d = new KeccakDigest(256);
      d.update(m, 0, len);
      byte[] expected = new byte[32];
      d.doFinal(expected, 0);
      assertArrayEquals(expected, keccak256ViaPermutation(m), "length " + len + " (seed 8)");
    }
  }
}
