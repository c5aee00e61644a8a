package io.veridict.core.poly;

import io.veridict.core.field.Goldilocks;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Number-theoretic transforms over Goldilocks on the subgroups of order {@code 2^k}, using the
 * project's pinned roots {@link Goldilocks#rootOfUnity(int)}.
 *
 * <p>{@link #forward} maps coefficients {@code c} to evaluations {@code v[i] = sum_j c[j] w^(ij)}
 * with {@code w = rootOfUnity(log2 n)}, in natural order on both sides; {@link #inverse} undoes it.
 * Algorithm: iterative radix-2 decimation-in-time Cooley–Tukey after a bit-reversal permutation.
 * Large transforms split their butterflies over the common fork–join pool.
 */
public final class Ntt {
  private Ntt() {}

  /** Below this size a transform runs on the calling thread. */
  private static final int PARALLEL_THRESHOLD = 1 << 14;

  private static final ConcurrentHashMap<Integer, long[]> TWIDDLES = new ConcurrentHashMap<>();

  /** {@code w^k} for {@code k < n/2}, {@code w} the primitive {@code n}-th root. */
  static long[] twiddles(int logN) {
    return TWIDDLES.computeIfAbsent(
        logN,
        k -> {
          int half = Math.max(1, (1 << k) >>> 1);
          long[] t = new long[half];
          long w = Goldilocks.rootOfUnity(k);
          t[0] = 1;
          for (int i = 1; i < half; i++) {
            t[i] = Goldilocks.mul(t[i - 1], w);
          }
          return t;
        });
  }

  /** Drops cached twiddle tables (they are large for big transforms). */
  public static void clearCache() {
    TWIDDLES.clear();
  }

  static int log2Exact(int n) {
    if (n <= 0 || (n & (n - 1)) != 0) {
      throw new IllegalArgumentException("length must be a power of two, got " + n);
    }
    return Integer.numberOfTrailingZeros(n);
  }

  /** Stages whose butterflies stay within blocks of this many elements run block by block. */
  private static final int LOG_CACHE_BLOCK = 12;

  /** In-place forward transform; {@code a.length} must be a power of two {@code <= 2^32}. */
  public static void forward(long[] a) {
    int n = a.length;
    int logN = log2Exact(n);
    if (n == 1) {
      return;
    }
    bitReverse(a, logN);
    long[] tw = twiddles(logN);
    boolean parallel = n >= PARALLEL_THRESHOLD && Runtime.getRuntime().availableProcessors() > 1;
    // Phase 1: the first LOG_CACHE_BLOCK stages only mix elements inside aligned blocks, so each
    // block runs all of them while it is cache-resident.
    int logBlock = Math.min(LOG_CACHE_BLOCK, logN);
    int block = 1 << logBlock;
    int numBlocks = n >>> logBlock;
    if (parallel) {
      IntStream.range(0, numBlocks).parallel().forEach(b -> blockStages(a, b * block, logBlock, n, tw));
    } else {
      for (int b = 0; b < numBlocks; b++) {
        blockStages(a, b * block, logBlock, n, tw);
      }
    }
    // Phase 2: the remaining stages, two at a time (radix-4) to halve the passes over memory.
    int len = block << 1;
    while (len <= n) {
      if (len << 1 <= n) {
        radix4Stage(a, len, n, tw, parallel);
        len <<= 2;
      } else {
        radix2Stage(a, len, n, tw, parallel);
        len <<= 1;
      }
    }
  }

  private static void blockStages(long[] a, int start, int logBlock, int n, long[] tw) {
    int block = 1 << logBlock;
    for (int len = 2; len <= block; len <<= 1) {
      int half = len >>> 1;
      int step = n / len;
      for (int s = start; s < start + block; s += len) {
        butterflies(a, s, half, step, tw, 0, half);
      }
    }
  }

  private static void radix2Stage(long[] a, int len, int n, long[] tw, boolean parallel) {
    int half = len >>> 1;
    int step = n / len;
    int blocks = n / len;
    int chunks = parallel ? 64 : 1;
    int per = Math.max(1, half / chunks);
    for (int b = 0; b < blocks; b++) {
      final int start = b * len;
      if (parallel) {
        IntStream.range(0, half / per)
            .parallel()
            .forEach(c -> butterflies(a, start, half, step, tw, c * per, (c + 1) * per));
      } else {
        butterflies(a, start, half, step, tw, 0, half);
      }
    }
  }

  /**
   * Stages {@code len} and {@code 2 len} fused: for each group of four elements {@code (x0, x1,
   * x2, x3)} at distance {@code len/2}, the two radix-2 layers are applied in registers.
   */
  private static void radix4Stage(long[] a, int len, int n, long[] tw, boolean parallel) {
    int half = len >>> 1;
    int len2 = len << 1;
    int step1 = n / len;
    int step2 = n / len2;
    int groups = n / len2;
    int total = groups * half;
    int chunks = parallel ? 64 : 1;
    int per = (total + chunks - 1) / chunks;
    IntStream range = IntStream.range(0, (total + per - 1) / per);
    (parallel ? range.parallel() : range)
        .forEach(
            c -> {
              int from = c * per;
              int to = Math.min(total, from + per);
              for (int t = from; t < to; t++) {
                int g = t / half;
                int j = t - g * half;
                int base = g * len2 + j;
                long w1 = tw[j * step1];
                long w2a = tw[j * step2];
                long w2b = tw[(j + half) * step2];
                long x0 = a[base];
                long x1 = Goldilocks.mul(a[base + half], w1);
                long x2 = a[base + len];
                long x3 = Goldilocks.mul(a[base + len + half], w1);
                long y0 = Goldilocks.add(x0, x1);
                long y1 = Goldilocks.sub(x0, x1);
                long y2 = Goldilocks.add(x2, x3);
                long y3 = Goldilocks.sub(x2, x3);
                long v2 = Goldilocks.mul(y2, w2a);
                long v3 = Goldilocks.mul(y3, w2b);
                a[base] = Goldilocks.add(y0, v2);
                a[base + len] = Goldilocks.sub(y0, v2);
                a[base + half] = Goldilocks.add(y1, v3);
                a[base + len + half] = Goldilocks.sub(y1, v3);
              }
            });
  }

  private static void butterflies(
      long[] a, int start, int half, int step, long[] tw, int jFrom, int jTo) {
    for (int j = jFrom; j < jTo; j++) {
      long w = tw[j * step];
      int i0 = start + j;
      int i1 = i0 + half;
      long u = a[i0];
      long v = Goldilocks.mul(a[i1], w);
      a[i0] = Goldilocks.add(u, v);
      a[i1] = Goldilocks.sub(u, v);
    }
  }

  /** In-place inverse transform (evaluations to coefficients). */
  public static void inverse(long[] a) {
    int n = a.length;
    forward(a);
    // DFT with w^-1 equals the DFT with w followed by index negation i -> -i mod n.
    for (int i = 1, j = n - 1; i < j; i++, j--) {
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    long nInv = Goldilocks.inv(n);
    scale(a, nInv);
  }

  private static void scale(long[] a, long s) {
    if (a.length >= PARALLEL_THRESHOLD) {
      int chunks = 64;
      int per = a.length / chunks;
      IntStream.range(0, chunks)
          .parallel()
          .forEach(
              c -> {
                for (int i = c * per; i < (c + 1) * per; i++) {
                  a[i] = Goldilocks.mul(a[i], s);
                }
              });
    } else {
      for (int i = 0; i < a.length; i++) {
        a[i] = Goldilocks.mul(a[i], s);
      }
    }
  }

  static void bitReverse(long[] a, int logN) {
    int n = a.length;
    int shift = 32 - logN;
    for (int i = 0; i < n; i++) {
      int j = Integer.reverse(i) >>> shift;
      if (i < j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }

  /**
   * Evaluates the polynomial with coefficients {@code coeffs[0, len)} on the coset {@code shift *
   * <w_N>} of size {@code N = 2^logN >= len}: returns {@code v[i] = p(shift * w_N^i)}.
   *
   * <p>The coset splits into {@code N/M} cosets of the order-{@code M} subgroup, {@code M} the
   * smallest power of two {@code >= len}: index {@code k + (N/M) i} is {@code t_k w_M^i} with
   * {@code t_k = shift w_N^k}. Each is one size-{@code M} transform of {@code c_j t_k^j}, so the
   * cost is {@code N log M} rather than {@code N log N}, and short polynomials are cheap.
   *
   * @throws IllegalArgumentException unless {@code 0 <= logN <= 30} and {@code 0 <= len <= 2^logN}
   */
  public static long[] evaluateOnCoset(long[] coeffs, int len, long shift, int logN) {
    // Checked before shifting: in Java 1 << 32 == 1 and 1 << 31 < 0.
    if (logN < 0 || logN > MAX_LOG_ARRAY) {
      throw new IllegalArgumentException(
          "logN must be in [0, " + MAX_LOG_ARRAY + "] (a Java array), got " + logN);
    }
    if (len < 0) {
      throw new IllegalArgumentException("polynomial length must be >= 0, got " + len);
    }
    int n = 1 << logN;
    if (len > n) {
      throw new IllegalArgumentException("polynomial length " + len + " exceeds domain " + n);
    }
    int logM = Math.max(Math.min(4, logN), 32 - Integer.numberOfLeadingZeros(Math.max(1, len) - 1));
    int m = 1 << logM;
    int cosets = n >>> logM;
    long[] out = new long[n];
    long wN = Goldilocks.rootOfUnity(logN);
    IntStream range = IntStream.range(0, cosets);
    (cosets > 1 && (long) n >= PARALLEL_THRESHOLD ? range.parallel() : range)
        .forEach(
            k -> {
              long t = Goldilocks.mul(shift, Goldilocks.exp(wN, k));
              // Reusing a per-thread buffer is safe only on the sequential path: a thread blocked
              // in a parallel transform may run other pool tasks that would reuse its buffer.
              long[] buf = cosets == 1 ? new long[m] : scratch(m);
              long s = 1;
              for (int j = 0; j < len; j++) {
                buf[j] = Goldilocks.mul(coeffs[j], s);
                s = Goldilocks.mul(s, t);
              }
              if (cosets == 1) {
                forward(buf);
              } else {
                forwardSequential(buf);
              }
              for (int i = 0; i < m; i++) {
                out[k + cosets * i] = buf[i];
              }
            });
    return out;
  }

  /** Largest {@code log2} of a domain that fits in a Java array. */
  private static final int MAX_LOG_ARRAY = 30;

  private static final ThreadLocal<long[]> SCRATCH = new ThreadLocal<>();

  /** A per-thread zeroed buffer of length {@code m} (reused to avoid large garbage). */
  private static long[] scratch(int m) {
    long[] b = SCRATCH.get();
    if (b == null || b.length != m) {
      b = new long[m];
      SCRATCH.set(b);
    } else {
      java.util.Arrays.fill(b, 0L);
    }
    return b;
  }

  /** {@link #forward} on the calling thread only (for callers that parallelise across arrays). */
  public static void forwardSequential(long[] a) {
    int n = a.length;
    int logN = log2Exact(n);
    if (n == 1) {
      return;
    }
    bitReverse(a, logN);
    long[] tw = twiddles(logN);
    int logBlock = Math.min(LOG_CACHE_BLOCK, logN);
    int block = 1 << logBlock;
    for (int b = 0; b < (n >>> logBlock); b++) {
      blockStages(a, b * block, logBlock, n, tw);
    }
    int len = block << 1;
    while (len <= n) {
      if (len << 1 <= n) {
        radix4Stage(a, len, n, tw, false);
        len <<= 2;
      } else {
        radix2Stage(a, len, n, tw, false);
        len <<= 1;
      }
    }
  }

  /**
   * Interpolates evaluations {@code values[i] = p(shift * w_n^i)} into coefficients (in place),
   * returning the same array.
   *
   * @throws ArithmeticException if {@code shift == 0} (checked before {@code values} is modified)
   */
  public static long[] interpolateFromCoset(long[] values, long shift) {
    long sInv = Goldilocks.inv(shift);
    inverse(values);
    long s = 1;
    for (int i = 0; i < values.length; i++) {
      values[i] = Goldilocks.mul(values[i], s);
      s = Goldilocks.mul(s, sInv);
    }
    return values;
  }
}
