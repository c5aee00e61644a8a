package io.veridict.prover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.Goldilocks;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** REFERENCES pitfall 10: masks come from independent cryptographic streams, never shared. */
class MaskSourceTest {

  @Test
  void secureStreamsAreIndependent_evenForTheSamePurpose() {
    long[] a = new long[64];
    long[] b = new long[64];
    MaskSource.secure("trace-randomizer").fill(a, 0, a.length);
    MaskSource.secure("trace-randomizer").fill(b, 0, b.length);
    assertFalse(Arrays.equals(a, b), "two secure streams must not repeat each other");
    Set<Long> seen = new HashSet<>();
    for (long v : a) {
      assertTrue(Goldilocks.isCanonical(v));
      seen.add(v);
    }
    assertEquals(a.length, seen.size());
  }

  @Test
  void insecureSeededStreamsAreReproducible_andDifferByPurposeAndSeed() {
    long[] a = new long[16];
    long[] b = new long[16];
    long[] c = new long[16];
    long[] d = new long[16];
    MaskSource.insecureSeeded(7, "x").fill(a, 0, 16);
    MaskSource.insecureSeeded(7, "x").fill(b, 0, 16);
    MaskSource.insecureSeeded(7, "y").fill(c, 0, 16);
    MaskSource.insecureSeeded(8, "x").fill(d, 0, 16);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    assertFalse(Arrays.equals(a, d));
  }

  @Test
  void fillIsUniformOverTheTopBits() {
    long[] v = new long[1 << 14];
    MaskSource.secure("stat").fill(v, 0, v.length);
    int[] buckets = new int[16];
    for (long x : v) {
      buckets[(int) (x >>> 60)]++;
    }
    double expected = v.length / 16.0;
    double chi = 0;
    for (int c : buckets) {
      chi += (c - expected) * (c - expected) / expected;
    }
    // 15 degrees of freedom, significance ~1e-6 (Wilson–Hilferty: 57.35); strict so CI never flakes.
    assertTrue(chi < 57.35, "chi^2 = " + chi);
  }
}
