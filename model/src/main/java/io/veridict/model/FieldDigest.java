package io.veridict.model;

import io.veridict.core.field.Goldilocks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over a sequence of length-prefixed strings (4-byte big-endian length, then UTF-8), read
 * as four little-endian 64-bit words reduced mod p. The length prefixes make the encoding
 * injective: no two sequences of strings hash the same input. Used for the statement's context
 * digest and the model description digest.
 */
final class FieldDigest {
  private final MessageDigest sha;

  FieldDigest(String domain) {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    put(domain);
  }

  FieldDigest put(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int n = b.length;
    sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha.update(b);
    return this;
  }

  /** The count, then each value. */
  FieldDigest ints(int[] v) {
    put(Integer.toString(v.length));
    for (int x : v) {
      put(Integer.toString(x));
    }
    return this;
  }

  long[] fieldElements() {
    byte[] h = sha.digest();
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      long w = 0;
      for (int b = 7; b >= 0; b--) {
        w = (w << 8) | (h[8 * i + b] & 0xFF);
      }
      out[i] = Goldilocks.fromUnsigned(w);
    }
    return out;
  }
}
