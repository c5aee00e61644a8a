package io.veridict.prover.internal;

import io.veridict.core.field.Goldilocks;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A stream of random field elements for zero-knowledge masks (trace randomizers, quotient masks,
 * the random FRI codeword, Merkle salt keys).
 *
 * <p>{@link #secure} streams are independent {@link SecureRandom} DRBG instances (NIST SP 800-90A,
 * 256-bit strength, seeded from the platform's entropy source, personalised with their purpose):
 * one per use, never shared or cloned. {@link #insecureSeeded} exists only so tests can pin proof
 * bytes; its output is predictable and destroys zero knowledge.
 */
public final class MaskSource {
  private final SecureRandom random;

  private MaskSource(SecureRandom random) {
    this.random = random;
  }

  /** A fresh, independently seeded cryptographic stream for {@code purpose}. */
  public static MaskSource secure(String purpose) {
    try {
      return new MaskSource(
          SecureRandom.getInstance(
              "DRBG",
              DrbgParameters.instantiation(
                  256,
                  DrbgParameters.Capability.NONE,
                  ("veridict/" + purpose).getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      return new MaskSource(new SecureRandom());
    }
  }

  /**
   * A deterministic stream from {@code seed} and {@code purpose}. INSECURE: for reproducible tests
   * only.
   */
  public static MaskSource insecureSeeded(long seed, String purpose) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      // Seeding before first use makes SHA1PRNG fully deterministic.
      r.setSeed((seed + "/" + purpose).getBytes(StandardCharsets.UTF_8));
      return new MaskSource(r);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG unavailable", e);
    }
  }

  /** A uniformly random canonical field element (rejection sampling). */
  public long nextField() {
    while (true) {
      long v = random.nextLong();
      if (Goldilocks.isCanonical(v)) {
        return v;
      }
    }
  }

  /** Fills {@code a[off, off+len)} with uniform field elements. */
  public void fill(long[] a, int off, int len) {
    byte[] buf = new byte[8 * Math.min(len, 4096)];
    int done = 0;
    while (done < len) {
      int batch = Math.min(len - done, buf.length / 8);
      random.nextBytes(buf);
      for (int i = 0; i < batch; i++) {
        long v = Goldilocks.fromBytesLe(buf, 8 * i);
        a[off + done] = Goldilocks.isCanonical(v) ? v : nextField();
        done++;
      }
    }
  }

  /** Uniform 64-bit words (for keys, not field elements). */
  public long[] words(int count) {
    long[] r = new long[count];
    for (int i = 0; i < count; i++) {
      r[i] = random.nextLong();
    }
    return r;
  }
}
