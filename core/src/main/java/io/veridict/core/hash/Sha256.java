package io.veridict.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * SHA-256 (FIPS 180-4), computed by the JDK's {@code MessageDigest} (which uses the CPU's SHA
 * extensions where the JVM has an intrinsic for them).
 *
 * <p>Every call clones a pristine prototype digest, so the instance holds no mutable shared state
 * and is safe for concurrent use (including from virtual threads, which a {@code ThreadLocal} cache
 * would serve poorly). The word-oriented entry points hash the little-endian byte encoding of
 * their words, as {@link Hash256} specifies.
 *
 * <p>Security: 128-bit collision resistance. SHA-256 is a Merkle–Damgård hash and so admits
 * length extension; that is harmless for fixed-shape Merkle nodes and leaves but means it must not
 * be used as a MAC of the form {@code H(key || message)}.
 */
public final class Sha256 implements Hash256 {
  /** The single (stateless) instance. */
  public static final Sha256 INSTANCE = new Sha256();

  private static final MessageDigest PROTOTYPE = newDigest();
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Sha256() {}

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  /** A fresh digest in its initial state. */
  private static MessageDigest fresh() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newDigest();
    }
  }

  @Override
  public HashFunction id() {
    return HashFunction.SHA_256;
  }

  @Override
  public byte[] digest(byte[] msg) {
    return fresh().digest(msg);
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, src.length);
    Objects.checkFromIndexSize(outOff, DIGEST_LONGS, out.length);
    byte[] bytes = new byte[8 * len];
    for (int i = 0; i < len; i++) {
      LONG_LE.set(bytes, 8 * i, src[off + i]);
    }
    writeDigest(fresh().digest(bytes), out, outOff);
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    byte[] bytes = new byte[2 * DIGEST_BYTES];
    for (int i = 0; i < DIGEST_LONGS; i++) {
      LONG_LE.set(bytes, 8 * i, left[leftOff + i]);
      LONG_LE.set(bytes, DIGEST_BYTES + 8 * i, right[rightOff + i]);
    }
    writeDigest(fresh().digest(bytes), out, outOff);
  }

  private static void writeDigest(byte[] digest, long[] out, int outOff) {
    for (int i = 0; i < DIGEST_LONGS; i++) {
      out[outOff + i] = (long) LONG_LE.get(digest, 8 * i);
    }
  }
}
