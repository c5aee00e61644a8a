package io.veridict.examples;

import io.veridict.core.air.Air;
import io.veridict.core.air.AirIdentity;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.air.ExprEvaluator;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Hash256;
import io.veridict.core.poly.Ntt;
import io.veridict.core.poly.Polynomials;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.StarkTranscript;
import io.veridict.core.proof.TreeOpening;
import io.veridict.core.transcript.Transcript;
import io.veridict.prover.internal.FriProver;
import io.veridict.prover.internal.MaskSource;
import io.veridict.prover.internal.MerkleTree;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A test-only prover that follows the real prover's transcript schedule step by step ({@code
 * docs/transcript.md}, {@code Prover} steps 1-10) but may lie, so soundness can be measured against
 * a real adversary rather than a tampered honest proof.
 *
 * <p>Honest run ({@code lieAboutOod = false}, {@link DeepWord#TRUE_WORD}, a satisfying trace): the
 * output is bit for bit the proof {@code Prover.insecureDeterministicForTests(options, seed)} makes
 * (same mask streams, same order), which pins the replication.
 *
 * <p>Cheating run, for a trace that does not satisfy the AIR with the claimed public inputs:
 *
 * <ol>
 *   <li>commits to the trace as given (randomized, LDE, salted tree, exactly as the prover);
 *   <li>commits to low-degree quotient chunks: the "honest attempt" (the constraint quotient
 *       evaluated on the LDE domain, which is not a polynomial for a false statement, interpolated
 *       and truncated to the chunks' {@code m n} coefficients), masked and with the zero-knowledge
 *       random codeword column as the prover does;
 *   <li>with {@code lieAboutOod}: claims for quotient chunk 0 at {@code z} the value that makes the
 *       verifier's out-of-domain check pass (the quotient the verifier computes from the trace
 *       frame, minus {@code sum_{i>=1} z^(i n) chunk_i(z)}); every other claimed value is true;
 *   <li>computes the true DEEP word from the committed columns and the claimed values (as the
 *       prover and the verifier do) and, unless {@link DeepWord#TRUE_WORD}, replaces it by the
 *       interpolant of degree {@code < |S|} through its values on a subset {@code S} of the LDE
 *       domain ({@link DeepWord}); runs FRI honestly on that word, grinds, and opens whatever the
 *       transcript asks for.
 * </ol>
 *
 * A query then passes the verifier's DEEP check exactly when it lands where the committed word
 * agrees with the true DEEP word ({@link Run#agreement}); with {@code |S|} equal to the degree
 * bound FRI checks every FRI check passes, so the proof is accepted exactly when all queries land
 * in {@code S}.
 *
 * <p>Supports AIRs without auxiliary columns and without periodic columns (Fibonacci); small
 * sizes only (the interpolation is {@code O(N |S|)}).
 */
final class CheatingProver {
  /** Offset of the LDE coset, as the prover's. */
  static final long SHIFT = Goldilocks.GENERATOR;

  /** The word the cheater hands to FRI. */
  enum DeepWord {
    /** The true DEEP word (honest; for a cheater with an OOD lie, far from low degree). */
    TRUE_WORD,
    /**
     * Interpolant of degree {@code < D} ({@code D = layout.friCheckedDegreeBound()}) through the
     * true DEEP word on whole cosets of the order-{@code n} subgroup (index residues mod the
     * blowup in bit-reversed order: {@code i mod B == 0} first, then {@code B/2}, ...), cut to
     * {@code D} points.
     */
    STRUCTURED,
    /** Interpolant of degree {@code < D} through the true DEEP word on {@code D} random points. */
    ARBITRARY,
    /**
     * Interpolant of degree {@code < N/2} through the true DEEP word on {@code N/2} random points:
     * what a FRI checking only degree {@code < N/2} would have admitted.
     */
    HALF_DOMAIN
  }

  /**
   * One proving run.
   *
   * @param proof the proof
   * @param positions the distinct query positions the transcript drew (sorted)
   * @param agreement per LDE index, whether the word FRI committed to equals the true DEEP word
   * @param agreementSize how many indices agree
   * @param subsetSize {@code |S|}, the interpolation set ({@code N} for {@link DeepWord#TRUE_WORD})
   * @param oodLied whether a claimed OOD value differs from the committed polynomial's
   */
  record Run(
      StarkProof proof, int[] positions, boolean[] agreement, int agreementSize, int subsetSize, boolean oodLied) {
    /** Whether every query landed where the committed word agrees with the true DEEP word. */
    boolean allQueriesAgree() {
      for (int p : positions) {
        if (!agreement[p]) {
          return false;
        }
      }
      return true;
    }
  }

  private final ProofOptions options;

  CheatingProver(ProofOptions options) {
    this.options = options;
  }

  /**
   * Fibonacci's honest trace with the last row edited to claim {@code claimed}: {@code b[n-1] =
   * claimed}, {@code a[n-1]} random (from {@code seed}, so repeated attempts commit to different
   * traces even without zero knowledge). The transition into the last row then fails.
   */
  static long[][] editedFibonacciTrace(int logRows, long claimed, long seed) {
    long[][] t = FibonacciAir.trace(logRows);
    int n = 1 << logRows;
    SplittableRandom rnd = new SplittableRandom(seed);
    long a;
    do {
      a = rnd.nextLong();
    } while (!Goldilocks.isCanonical(a));
    t[0][n - 1] = a;
    t[1][n - 1] = claimed;
    return t;
  }

  /** Honest run: the real prover's proof for a satisfying trace. */
  Run proveHonestly(Air air, long[] pub, long[][] main, long seed) {
    return prove(air, pub, main, seed, false, DeepWord.TRUE_WORD, 0);
  }

  /**
   * Runs the (possibly cheating) prover.
   *
   * @param seed mask streams ({@code MaskSource.insecureSeeded(seed, purpose)}, as the prover's)
   * @param lieAboutOod claim the chunk-0 OOD value that satisfies the verifier's OOD check
   * @param word which word FRI commits to
   * @param subsetSeed seed of the random interpolation set ({@link DeepWord#ARBITRARY}, {@link
   *     DeepWord#HALF_DOMAIN})
   */
  Run prove(Air air, long[] pub, long[][] main, long seed, boolean lieAboutOod, DeepWord word, long subsetSeed) {
    StarkLayout lay = StarkLayout.of(air, options);
    if (lay.auxWidth != 0 || !air.periodicColumns().isEmpty()) {
      throw new IllegalArgumentException("CheatingProver supports AIRs without aux or periodic columns");
    }
    ExtField f = ExtField.of(options.extension());
    int d = f.degree();
    int n = lay.traceLength;
    int bigN = lay.ldeSize;
    int degBound = lay.degreeBound;
    int h = lay.randomizerCount;
    int w = lay.mainWidth;
    int m = lay.numQuotientChunks;
    boolean zk = options.zeroKnowledge();
    Hash256 hash = Hash256.of(options.hash());
    long g = Goldilocks.rootOfUnity(lay.logTraceLength);
    long wN = Goldilocks.rootOfUnity(lay.logLdeSize);
    int blow = bigN / n; // g = w_N^blow
    long[] xs = new long[bigN];
    xs[0] = SHIFT;
    for (int i = 1; i < bigN; i++) {
      xs[i] = Goldilocks.mul(xs[i - 1], wN);
    }

    byte[] airId = AirIdentity.of(air);
    Transcript t = StarkTranscript.begin(options, lay.logTraceLength, w, 0, airId, pub);

    // 1. Main trace: randomized polynomials (T + Z_H r), LDE, salted tree.
    MaskSource traceMask = MaskSource.insecureSeeded(seed, "trace-randomizer");
    long[][] rand = new long[w][h];
    for (long[] r : rand) {
      traceMask.fill(r, 0, h);
    }
    long[][] mainCoeffs = new long[w][];
    for (int j = 0; j < w; j++) {
      long[] c = new long[degBound];
      long[] head = Arrays.copyOf(main[j], n);
      Ntt.inverse(head);
      System.arraycopy(head, 0, c, 0, n);
      for (int k = 0; k < h; k++) {
        c[k] = Goldilocks.sub(c[k], rand[j][k]);
        c[n + k] = Goldilocks.add(c[n + k], rand[j][k]);
      }
      mainCoeffs[j] = c;
    }
    long[][] mainLde = lde(mainCoeffs, degBound, lay.logLdeSize);
    MerkleTree mainTree = commit(hash, mainLde, lay.logLdeSize, MaskSource.insecureSeeded(seed, "salt-main"));
    t.absorbLongs("main-root", mainTree.root());

    // 2. No auxiliary trace. 3. Composition coefficients.
    long[] alphas = t.challengeExtVector("composition-coeffs", options.extension(), lay.numConstraints());

    // 4. The quotient, evaluated on the whole LDE domain point by point exactly as the verifier
    //    evaluates it at z, and interpolated. For a false statement it is not a polynomial of low
    //    degree; its truncation to m chunks is the "honest attempt".
    long[][] quotient = new long[d][bigN];
    for (int i = 0; i < bigN; i++) {
      long[][] cur = new long[w][];
      long[][] next = new long[w][];
      for (int j = 0; j < w; j++) {
        cur[j] = f.fromBase(mainLde[j][i]);
        next[j] = f.fromBase(mainLde[j][(i + blow) % bigN]);
      }
      long[] q = quotientAt(air, lay, f, pub, alphas, cur, next, f.fromBase(xs[i]));
      for (int c = 0; c < d; c++) {
        quotient[c][i] = q[c];
      }
    }
    for (int c = 0; c < d; c++) {
      Ntt.interpolateFromCoset(quotient[c], SHIFT);
    }

    // 5. Chunks of n coefficients, telescoping masks, random codeword, salted tree.
    long[][] compCoeffs = new long[lay.compositionWidth][];
    MaskSource qMask = MaskSource.insecureSeeded(seed, "quotient-mask");
    long[][] chunkMask = new long[(m - 1) * d][h];
    if (zk) {
      for (long[] r : chunkMask) {
        qMask.fill(r, 0, h);
      }
    }
    for (int i = 0; i < m; i++) {
      for (int c = 0; c < d; c++) {
        long[] coeffs = new long[degBound];
        int from = i * n;
        int len = Math.max(0, Math.min(n, bigN - from));
        System.arraycopy(quotient[c], from, coeffs, 0, len);
        if (zk) {
          if (i < m - 1) {
            long[] r = chunkMask[i * d + c];
            for (int k = 0; k < h; k++) {
              coeffs[n + k] = Goldilocks.add(coeffs[n + k], r[k]);
            }
          }
          if (i > 0) {
            long[] r = chunkMask[(i - 1) * d + c];
            for (int k = 0; k < h; k++) {
              coeffs[k] = Goldilocks.sub(coeffs[k], r[k]);
            }
          }
        }
        compCoeffs[i * d + c] = coeffs;
      }
    }
    if (zk) {
      MaskSource codeword = MaskSource.insecureSeeded(seed, "random-codeword");
      for (int c = 0; c < d; c++) {
        long[] r = new long[degBound];
        codeword.fill(r, 0, degBound);
        compCoeffs[m * d + c] = r;
      }
    }
    long[][] compLde = lde(compCoeffs, degBound, lay.logLdeSize);
    MerkleTree compTree =
        commit(hash, compLde, lay.logLdeSize, MaskSource.insecureSeeded(seed, "salt-composition"));
    t.absorbLongs("composition-root", compTree.root());

    // 6. Out-of-domain frame, with the lie on chunk 0.
    long[] z = StarkTranscript.drawOodPoint(t, options.extension());
    long[] gz = f.mulBase(z, g);
    long[] oodMainCur = new long[w * d];
    long[] oodMainNext = new long[w * d];
    long[][] curZ = new long[w][];
    long[][] nextZ = new long[w][];
    for (int j = 0; j < w; j++) {
      curZ[j] = Polynomials.evaluateAt(f, mainCoeffs[j], degBound, z);
      nextZ[j] = Polynomials.evaluateAt(f, mainCoeffs[j], degBound, gz);
      System.arraycopy(curZ[j], 0, oodMainCur, j * d, d);
      System.arraycopy(nextZ[j], 0, oodMainNext, j * d, d);
    }
    long[] trueChunks = combineCoordinates(f, compCoeffs, m, degBound, z);
    long[] oodChunks = trueChunks.clone();
    if (lieAboutOod) {
      long[] target = quotientAt(air, lay, f, pub, alphas, curZ, nextZ, z);
      long[] zn = f.exp(z, n);
      long[] zPow = zn;
      for (int i = 1; i < m; i++) {
        target = f.sub(target, f.mul(zPow, el(trueChunks, i, d)));
        zPow = f.mul(zPow, zn);
      }
      System.arraycopy(target, 0, oodChunks, 0, d);
    }
    boolean oodLied = !Arrays.equals(oodChunks, trueChunks);
    long[] none = new long[0];
    t.absorbLongs("ood-main-current", oodMainCur);
    t.absorbLongs("ood-main-next", oodMainNext);
    t.absorbLongs("ood-aux-current", none);
    t.absorbLongs("ood-aux-next", none);
    t.absorbLongs("ood-quotient-chunks", oodChunks);

    // 7. The true DEEP word, computed as the verifier computes it at a query.
    int numDeep = 2 * w + m;
    long[] deepCoeffs = t.challengeExtVector("deep-coeffs", options.extension(), numDeep);
    long[] trueDeep = deepWord(f, lay, xs, mainLde, compLde, z, gz, deepCoeffs, oodMainCur, oodMainNext, oodChunks);

    // The word FRI commits to.
    int[] subset = switch (word) {
      case TRUE_WORD -> null;
      case STRUCTURED -> structuredSubset(bigN, blow, (int) lay.friCheckedDegreeBound());
      case ARBITRARY -> randomSubset(bigN, (int) lay.friCheckedDegreeBound(), subsetSeed);
      case HALF_DOMAIN -> randomSubset(bigN, bigN / 2, subsetSeed);
    };
    long[] committed = subset == null ? trueDeep : interpolate(f, xs, subset, trueDeep);
    boolean[] agreement = new boolean[bigN];
    int agreeing = 0;
    for (int i = 0; i < bigN; i++) {
      agreement[i] = f.equals(committed, i * d, trueDeep, i * d);
      agreeing += agreement[i] ? 1 : 0;
    }

    // 8. FRI, honestly, on the committed word.
    FriProver fri = new FriProver(options, lay, hash, f);
    fri.commit(committed.clone(), t, false, false);

    // 9. Proof of work (the smallest nonce, as the prover's search finds).
    long[] powSeed = StarkTranscript.powSeed(t);
    long nonce = 0;
    while (!StarkTranscript.checkPow(hash, powSeed, nonce, options.grindingBits())) {
      nonce++;
    }
    t.absorbInt("pow-nonce", nonce);

    // 10. Queries: wherever they fall.
    int[] positions =
        Arrays.stream(t.challengeIndices("query-positions", options.numQueries(), lay.logLdeSize))
            .distinct()
            .sorted()
            .toArray();
    TreeOpening mainOpen = mainTree.open(positions);
    TreeOpening compOpen = compTree.open(positions);
    List<TreeOpening> friOpen = fri.open(positions);
    StarkProof proof =
        new StarkProof(
            options,
            lay.logTraceLength,
            airId,
            mainTree.root(),
            null,
            compTree.root(),
            oodMainCur,
            oodMainNext,
            none,
            none,
            oodChunks,
            fri.roots(),
            fri.finalPolynomial(),
            nonce,
            mainOpen,
            null,
            compOpen,
            friOpen);
    return new Run(proof, positions, agreement, agreeing, subset == null ? bigN : subset.length, oodLied);
  }

  // --- the pieces ---------------------------------------------------------------------------------

  private static long[][] lde(long[][] coeffs, int len, int logN) {
    long[][] out = new long[coeffs.length][];
    for (int j = 0; j < coeffs.length; j++) {
      out[j] = Ntt.evaluateOnCoset(coeffs[j], len, SHIFT, logN);
    }
    return out;
  }

  private MerkleTree commit(Hash256 hash, long[][] cols, int logN, MaskSource saltMask) {
    long[] key = options.zeroKnowledge() ? saltMask.words(4) : null;
    MerkleTree.LeafSource src =
        new MerkleTree.LeafSource() {
          @Override
          public int width() {
            return cols.length;
          }

          @Override
          public void leaf(int i, long[] dst, int off) {
            for (int j = 0; j < cols.length; j++) {
              dst[off + j] = cols[j][i];
            }
          }
        };
    return MerkleTree.build(hash, src, logN, key, StarkLayout.SALT_LONGS);
  }

  private static long[] el(long[] v, int i, int d) {
    return Arrays.copyOfRange(v, i * d, i * d + d);
  }

  /** {@code sum_c p_c(x) u^c} per element, from coordinate polynomials (as the prover). */
  private static long[] combineCoordinates(ExtField f, long[][] coordCoeffs, int count, int len, long[] x) {
    int d = f.degree();
    long[] out = new long[count * d];
    long[] u = new long[d];
    u[1] = 1;
    for (int a = 0; a < count; a++) {
      long[] acc = new long[d];
      long[] uPow = f.one();
      for (int c = 0; c < d; c++) {
        long[] v = Polynomials.evaluateAt(f, coordCoeffs[a * d + c], len, x);
        f.add(acc, 0, f.mul(v, uPow), 0, acc, 0);
        uPow = f.mul(uPow, u);
      }
      System.arraycopy(acc, 0, out, a * d, d);
    }
    return out;
  }

  /**
   * The composition quotient at {@code x} from the frame ({@code cur}, {@code next}), exactly as
   * {@code Verifier.checkOod} computes it at {@code z}: {@code (T (x - g^(n-1)) + R) / (x^n - 1) +
   * sum_b alpha_b B_b / (x - g^row_b)}.
   */
  static long[] quotientAt(
      Air air, StarkLayout lay, ExtField f, long[] pub, long[] alphas, long[][] cur, long[][] next, long[] x) {
    int d = f.degree();
    int n = lay.traceLength;
    long g = Goldilocks.rootOfUnity(lay.logTraceLength);
    long[][] empty = new long[0][];
    ExprEvaluator ev = new ExprEvaluator(f, cur, next, empty, empty, empty, pub, empty);
    List<Expr> transitions = air.transitionConstraints();
    List<Expr> everyRow = air.everyRowConstraints();
    List<BoundaryConstraint> boundaries = air.boundaryConstraints();
    long[] tSum = f.zero();
    for (int i = 0; i < transitions.size(); i++) {
      tSum = f.add(tSum, f.mul(el(alphas, i, d), ev.evaluate(transitions.get(i))));
    }
    long[] rSum = f.zero();
    for (int i = 0; i < everyRow.size(); i++) {
      rSum = f.add(rSum, f.mul(el(alphas, transitions.size() + i, d), ev.evaluate(everyRow.get(i))));
    }
    long[] xnMinus1 = f.sub(f.exp(x, n), f.one());
    long[] xMinusLast = f.sub(x, f.fromBase(Goldilocks.exp(g, n - 1)));
    long[] q = f.mul(f.add(f.mul(tSum, xMinusLast), rSum), f.inv(xnMinus1));
    int firstBoundary = transitions.size() + everyRow.size();
    for (int b = 0; b < boundaries.size(); b++) {
      BoundaryConstraint bc = boundaries.get(b);
      long[] den = f.sub(x, f.fromBase(Goldilocks.exp(g, bc.resolveRow(n))));
      long[] term = f.mul(el(alphas, firstBoundary + b, d), ev.evaluate(bc.expr()));
      q = f.add(q, f.mul(term, f.inv(den)));
    }
    return q;
  }

  /**
   * The DEEP word at every LDE point, as {@code Verifier.deepAtQueries} computes it at a query:
   * {@code sum_j c_j (T_j(x) - T_j(z)) / (x - z) + c'_j (T_j(x) - T_j(g z)) / (x - g z) + sum_i
   * c''_i (Q_i(x) - Q_i(z)) / (x - z)}, plus the random codeword with zero knowledge.
   */
  private long[] deepWord(
      ExtField f, StarkLayout lay, long[] xs, long[][] mainLde, long[][] compLde, long[] z, long[] gz,
      long[] coeffs, long[] oodCur, long[] oodNext, long[] oodChunks) {
    int d = f.degree();
    int w = lay.mainWidth;
    int m = lay.numQuotientChunks;
    int bigN = xs.length;
    long[] invZ = new long[bigN * d];
    long[] invGz = new long[bigN * d];
    for (int i = 0; i < bigN; i++) {
      System.arraycopy(f.sub(f.fromBase(xs[i]), z), 0, invZ, i * d, d);
      System.arraycopy(f.sub(f.fromBase(xs[i]), gz), 0, invGz, i * d, d);
    }
    f.batchInverse(invZ, 0, bigN);
    f.batchInverse(invGz, 0, bigN);
    long[] out = new long[bigN * d];
    for (int i = 0; i < bigN; i++) {
      long[] sz = f.zero();
      long[] sg = f.zero();
      for (int j = 0; j < w; j++) {
        long[] v = f.fromBase(mainLde[j][i]);
        sz = f.add(sz, f.mul(el(coeffs, j, d), f.sub(v, el(oodCur, j, d))));
        sg = f.add(sg, f.mul(el(coeffs, w + j, d), f.sub(v, el(oodNext, j, d))));
      }
      for (int q = 0; q < m; q++) {
        long[] v = new long[d];
        for (int c = 0; c < d; c++) {
          v[c] = compLde[q * d + c][i];
        }
        sz = f.add(sz, f.mul(el(coeffs, 2 * w + q, d), f.sub(v, el(oodChunks, q, d))));
      }
      long[] val = f.add(f.mul(sz, el(invZ, i, d)), f.mul(sg, el(invGz, i, d)));
      if (options.zeroKnowledge()) {
        long[] r = new long[d];
        for (int c = 0; c < d; c++) {
          r[c] = compLde[m * d + c][i];
        }
        val = f.add(val, r);
      }
      System.arraycopy(val, 0, out, i * d, d);
    }
    return out;
  }

  /**
   * {@code size} indices: whole cosets {@code {i : i mod blow == r}} of the order-{@code N/blow}
   * subgroup's shifts, residues {@code r} in bit-reversed order ({@code 0, blow/2, blow/4, 3
   * blow/4, ...}), the last coset cut to fit.
   */
  static int[] structuredSubset(int bigN, int blow, int size) {
    int logBlow = Integer.numberOfTrailingZeros(blow);
    int[] out = new int[size];
    int k = 0;
    for (int rr = 0; rr < blow && k < size; rr++) {
      int r = logBlow == 0 ? 0 : Integer.reverse(rr) >>> (32 - logBlow);
      for (int i = r; i < bigN && k < size; i += blow) {
        out[k++] = i;
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** {@code size} distinct uniform indices in {@code [0, bigN)} (partial Fisher-Yates). */
  static int[] randomSubset(int bigN, int size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] all = new int[bigN];
    for (int i = 0; i < bigN; i++) {
      all[i] = i;
    }
    for (int i = 0; i < size; i++) {
      int j = i + rnd.nextInt(bigN - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    int[] out = Arrays.copyOf(all, size);
    Arrays.sort(out);
    return out;
  }

  /**
   * The evaluations on every LDE point {@code xs} of the unique polynomial of degree {@code <
   * |S|} taking the values {@code y} on {@code S = subset}: barycentric Lagrange, {@code P(x) =
   * l(x) sum_s w_s y_s / (x - x_s)} with {@code l(x) = prod_s (x - x_s)} and {@code w_s = 1 /
   * prod_{t != s} (x_s - x_t)}; {@code O(N |S|)}.
   */
  static long[] interpolate(ExtField f, long[] xs, int[] subset, long[] y) {
    int d = f.degree();
    int k = subset.length;
    int bigN = xs.length;
    long[] px = new long[k];
    for (int s = 0; s < k; s++) {
      px[s] = xs[subset[s]];
    }
    long[] wts = new long[k];
    for (int s = 0; s < k; s++) {
      long prod = 1;
      for (int u = 0; u < k; u++) {
        if (u != s) {
          prod = Goldilocks.mul(prod, Goldilocks.sub(px[s], px[u]));
        }
      }
      wts[s] = prod;
    }
    Goldilocks.batchInverse(wts, 0, k);
    // w_s y_s, per coordinate.
    long[] wy = new long[k * d];
    for (int s = 0; s < k; s++) {
      for (int c = 0; c < d; c++) {
        wy[s * d + c] = Goldilocks.mul(wts[s], y[subset[s] * d + c]);
      }
    }
    boolean[] in = new boolean[bigN];
    for (int s : subset) {
      in[s] = true;
    }
    long[] out = new long[bigN * d];
    long[] diff = new long[k];
    for (int i = 0; i < bigN; i++) {
      if (in[i]) {
        System.arraycopy(y, i * d, out, i * d, d);
        continue;
      }
      long l = 1;
      for (int s = 0; s < k; s++) {
        diff[s] = Goldilocks.sub(xs[i], px[s]);
        l = Goldilocks.mul(l, diff[s]);
      }
      Goldilocks.batchInverse(diff, 0, k);
      for (int c = 0; c < d; c++) {
        long acc = 0;
        for (int s = 0; s < k; s++) {
          acc = Goldilocks.add(acc, Goldilocks.mul(diff[s], wy[s * d + c]));
        }
        out[i * d + c] = Goldilocks.mul(l, acc);
      }
    }
    return out;
  }
}
