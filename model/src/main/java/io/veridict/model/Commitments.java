package io.veridict.model;

import io.veridict.core.field.Goldilocks;

/** Hex encoding of 4-element RPO-256 digests: {@code 0x} then 4 x 16 hex digits (big-endian words). */
public final class Commitments {
  private Commitments() {}

  public static String toHex(long[] digest) {
    if (digest.length != 4) {
      throw new IllegalArgumentException("a digest has 4 elements");
    }
    StringBuilder sb = new StringBuilder("0x");
    for (long e : digest) {
      sb.append(String.format("%016x", e));
    }
    return sb.toString();
  }

  /** @throws IllegalArgumentException unless {@code 0x} + 64 lowercase hex digits of canonical elements */
  public static long[] fromHex(String hex) {
    if (hex == null || !hex.matches("0x[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a commitment is 0x followed by 64 lowercase hex digits");
    }
    long[] d = new long[4];
    for (int i = 0; i < 4; i++) {
      d[i] = Long.parseUnsignedLong(hex.substring(2 + 16 * i, 18 + 16 * i), 16);
      if (!Goldilocks.isCanonical(d[i])) {
        throw new IllegalArgumentException("commitment element " + i + " is not a canonical field element");
      }
    }
    return d;
  }
}
