package io.veridict.prover;

import io.veridict.core.air.Air;
import io.veridict.core.air.AirIdentity;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Degrees;
import io.veridict.core.air.Expr;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Hash256;
import io.veridict.core.poly.Ntt;
import io.veridict.core.poly.Polynomials;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.StarkTranscript;
import io.veridict.core.proof.TreeOpening;
import io.veridict.core.transcript.Transcript;
import io.veridict.prover.internal.ConstraintProgram;
import io.veridict.prover.internal.FriProver;
import io.veridict.prover.internal.MaskSource;
import io.veridict.prover.internal.MerkleTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The STARK prover: DEEP-ALI with FRI over Goldilocks, zero-knowledge by default.
 *
 * <p>Security guarantee: with the options' conjectured security {@code lambda}, no prover running
 * in feasible time convinces the verifier of a false statement except with probability about
 * {@code 2^-lambda} (see {@code docs/security-parameters.md}); with zero knowledge on, the proof
 * reveals nothing about the witness beyond the statement (see {@code docs/security.md} for what the
 * argument covers). The protocol steps below are numbered as in {@code docs/transcript.md}.
 *
 * <p>Instances are immutable and may prove concurrently.
 */
public final class Prover {
  /** Offset of the LDE coset: the field's multiplicative generator. */
  static final long SHIFT = Goldilocks.GENERATOR;

  /**
   * Deliberate protocol faults a test can inject to show that each verifier check is live. Each
   * yields a proof that is consistent with its own transcript but wrong in exactly one place.
   */
  public enum InsecureTestFault {
    NONE,
    /** Adds 1 to the DEEP codeword at every odd LDE index before FRI commits to it. */
    CORRUPT_DEEP_ODD_POSITIONS,
    /** Adds 1 to every value of FRI layer 1 (requires at least two FRI layers). */
    CORRUPT_FRI_LAYER_1,
    /** Adds 1 to the constant coefficient of the final polynomial before it is sent. */
    CORRUPT_FINAL_POLYNOMIAL
  }

  private final ProofOptions options;
  private final Long insecureSeed;
  private final boolean checkWitness;
  private final InsecureTestFault fault;

  private Prover(ProofOptions options, Long insecureSeed, boolean checkWitness, InsecureTestFault fault) {
    this.options = options;
    this.insecureSeed = insecureSeed;
    this.checkWitness = checkWitness;
    this.fault = fault;
  }

  /** A prover whose masks come from independent {@code SecureRandom} streams. */
  public static Prover create(ProofOptions options) {
    return new Prover(options, null, true, InsecureTestFault.NONE);
  }

  /**
   * A prover whose masks are derived deterministically from {@code seed}. INSECURE: the proof no
   * longer hides the witness. For reproducible tests (golden proof digests) only.
   */
  public static Prover insecureDeterministicForTests(ProofOptions options, long seed) {
    return new Prover(options, seed, true, InsecureTestFault.NONE);
  }

  /**
   * The same prover without its witness check, so tests can show that the verifier rejects proofs
   * of unsatisfied constraints. INSECURE for any other purpose.
   */
  public Prover insecureSkippingWitnessCheckForTests() {
    return new Prover(options, insecureSeed, false, fault);
  }

  /** The same prover injecting {@code fault}. INSECURE: produces invalid proofs, for tests only. */
  public Prover insecureWithFaultForTests(InsecureTestFault fault) {
    return new Prover(options, insecureSeed, checkWitness, fault);
  }

  public ProofOptions options() {
    return options;
  }

  private MaskSource masks(String purpose) {
    return insecureSeed == null
        ? MaskSource.secure(purpose)
        : MaskSource.insecureSeeded(insecureSeed, purpose);
  }

  /**
   * Proves that {@code witness} satisfies {@code air} with {@code publicInputs}.
   *
   * @return the encoded proof ({@link ProofCodec})
   * @throws ConstraintViolationException if the witness does not satisfy the AIR
   * @throws IllegalArgumentException if the AIR, public inputs or trace are malformed
   */
  public byte[] prove(Air air, long[] publicInputs, Witness witness) {
    return ProofCodec.encode(proveToObject(air, publicInputs, witness));
  }

  /** As {@link #prove}, returning the decoded proof object. */
  public StarkProof proveToObject(Air air, long[] publicInputs, Witness witness) {
    return new Run(air, publicInputs, witness).run();
  }

  /** A proof together with wall-clock milliseconds per protocol phase (for benchmarks). */
  public record TimedProof(StarkProof proof, java.util.Map<String, Double> phaseMillis) {
    public TimedProof {
      phaseMillis = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phaseMillis));
    }
  }

  /** As {@link #proveToObject}, also reporting how long each protocol phase took. */
  public TimedProof proveTimed(Air air, long[] publicInputs, Witness witness) {
    Run run = new Run(air, publicInputs, witness);
    StarkProof proof = run.run();
    return new TimedProof(proof, run.phaseMillis);
  }

  /** One proving run; holds the large intermediate arrays. */
  private final class Run {
    final Air air;
    final long[] pub;
    final Witness witness;
    final StarkLayout lay;
    final ExtField f;
    final int d;
    final int n;
    final int bigN;
    final int h;
    final int degBound;
    final Hash256 hash;
    final long g;

    Run(Air air, long[] publicInputs, Witness witness) {
      this.air = air;
      this.pub = publicInputs.clone();
      this.witness = witness;
      this.lay = StarkLayout.of(air, options);
      this.f = ExtField.of(options.extension());
      this.d = f.degree();
      this.n = lay.traceLength;
      this.bigN = lay.ldeSize;
      this.h = lay.randomizerCount;
      this.degBound = lay.degreeBound;
      this.hash = Hash256.of(options.hash());
      this.g = Goldilocks.rootOfUnity(lay.logTraceLength);
      if (pub.length != air.numPublicInputs()) {
        throw new IllegalArgumentException(
            "AIR '" + air.name() + "' takes " + air.numPublicInputs() + " public inputs, got " + pub.length);
      }
      for (long v : pub) {
        if (!Goldilocks.isCanonical(v)) {
          throw new IllegalArgumentException("public input is not a canonical field element");
        }
      }
    }

    final java.util.LinkedHashMap<String, Double> phaseMillis = new java.util.LinkedHashMap<>();
    private long phaseStart = System.nanoTime();

    /** Closes the phase that just finished (timings are reported, never asserted). */
    void phase(String finished) {
      long now = System.nanoTime();
      phaseMillis.merge(finished, (now - phaseStart) / 1e6, Double::sum);
      phaseStart = now;
    }

    StarkProof run() {
      byte[] airId = AirIdentity.of(air);
      long[][] main = witness.mainTrace();
      checkTraceShape(main, air.mainWidth(), 1, "main");
      // 0. The prover checks its own witness before committing to anything.
      if (checkWitness) {
        checkConstraints(main, new long[0][], new long[0], true);
      }
      Transcript t =
          StarkTranscript.begin(options, lay.logTraceLength, lay.mainWidth, lay.auxWidth, airId, pub);

      phase("witness-check");
      // 1. Commit to the main trace: randomized trace polynomials, LDE, salted Merkle tree.
      long[][] mainCoeffs = randomizedCoefficients(main, masks("trace-randomizer"));
      long[][] mainLde = lowDegreeExtend(mainCoeffs);
      MerkleTree mainTree = commit(mainLde, masks("salt-main"));
      t.absorbLongs("main-root", mainTree.root());

      phase("main-trace-commit");
      // 2. Auxiliary trace: challenges, columns, commitment.
      long[] auxChallenges = new long[0];
      long[][] auxCoords = new long[0][];
      long[][] auxCoeffs = new long[0][];
      long[][] auxLde = new long[0][];
      MerkleTree auxTree = null;
      if (lay.auxWidth > 0) {
        auxChallenges = t.challengeExtVector("aux-challenges", options.extension(), air.numAuxChallenges());
        long[][] auxExt = witness.auxTrace(main, auxChallenges.clone(), d);
        checkTraceShape(auxExt, lay.auxWidth, d, "auxiliary");
        auxCoords = new long[lay.auxCoordWidth][n];
        for (int a = 0; a < lay.auxWidth; a++) {
          for (int c = 0; c < d; c++) {
            long[] col = auxCoords[a * d + c];
            for (int i = 0; i < n; i++) {
              col[i] = auxExt[a][i * d + c];
            }
          }
        }
        if (checkWitness) {
          checkConstraints(main, auxCoords, auxChallenges, false);
        }
        auxCoeffs = randomizedCoefficients(auxCoords, masks("aux-randomizer"));
        auxLde = lowDegreeExtend(auxCoeffs);
        auxTree = commit(auxLde, masks("salt-aux"));
        t.absorbLongs("aux-root", auxTree.root());
      }

      phase("aux-trace-commit");
      // 3. Constraint composition coefficients.
      long[] alphas = t.challengeExtVector("composition-coeffs", options.extension(), lay.numConstraints());

      phase("composition-coeffs");
      // 4. Evaluate the composition quotient over the composition domain and interpolate it.
      long[][] quotient = evaluateQuotient(mainLde, auxLde, auxChallenges, alphas);
      for (int c = 0; c < d; c++) {
        Ntt.interpolateFromCoset(quotient[c], SHIFT);
      }

      phase("quotient-evaluation");
      // 5. Split into chunks of n coefficients, mask them, add the random codeword, commit.
      int m = lay.numQuotientChunks;
      long[][] compCoeffs = new long[lay.compositionWidth][];
      MaskSource qMask = masks("quotient-mask");
      long[][] chunkMask = new long[(m - 1) * d][h];
      if (options.zeroKnowledge()) {
        for (long[] r : chunkMask) {
          qMask.fill(r, 0, h);
        }
      }
      for (int i = 0; i < m; i++) {
        for (int c = 0; c < d; c++) {
          long[] coeffs = new long[degBound];
          int from = i * n;
          int len = Math.max(0, Math.min(n, quotient[c].length - from));
          System.arraycopy(quotient[c], from, coeffs, 0, len);
          if (options.zeroKnowledge()) {
            // chunk_i' = chunk_i + X^n r_i - r_{i-1}: the masks telescope in sum_i X^(i n) chunk_i'.
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
      quotient = null;
      if (options.zeroKnowledge()) {
        MaskSource codeword = masks("random-codeword");
        for (int c = 0; c < d; c++) {
          long[] r = new long[degBound];
          codeword.fill(r, 0, degBound);
          compCoeffs[m * d + c] = r;
        }
      }
      long[][] compLde = lowDegreeExtend(compCoeffs);
      MerkleTree compTree = commit(compLde, masks("salt-composition"));
      t.absorbLongs("composition-root", compTree.root());

      phase("quotient-chunks-commit");
      // 6. Out-of-domain frame.
      long[] z = StarkTranscript.drawOodPoint(t, options.extension());
      long[] gz = f.mulBase(z, g);
      long[] oodMainCur = new long[lay.mainWidth * d];
      long[] oodMainNext = new long[lay.mainWidth * d];
      IntStream.range(0, lay.mainWidth)
          .parallel()
          .forEach(
              j -> {
                System.arraycopy(Polynomials.evaluateAt(f, mainCoeffs[j], degBound, z), 0, oodMainCur, j * d, d);
                System.arraycopy(Polynomials.evaluateAt(f, mainCoeffs[j], degBound, gz), 0, oodMainNext, j * d, d);
              });
      long[] oodAuxCur = combineCoordinates(auxCoeffs, lay.auxWidth, z);
      long[] oodAuxNext = combineCoordinates(auxCoeffs, lay.auxWidth, gz);
      long[] oodChunks = combineCoordinates(Arrays.copyOf(compCoeffs, m * d), m, z);
      t.absorbLongs("ood-main-current", oodMainCur);
      t.absorbLongs("ood-main-next", oodMainNext);
      t.absorbLongs("ood-aux-current", oodAuxCur);
      t.absorbLongs("ood-aux-next", oodAuxNext);
      t.absorbLongs("ood-quotient-chunks", oodChunks);

      phase("ood-frame");
      // 7. DEEP composition: one codeword combining every committed polynomial's quotient by
      //    (X - z) or (X - g z), plus the random codeword.
      int numDeep = 2 * lay.mainWidth + 2 * lay.auxWidth + m;
      long[] deepCoeffs = t.challengeExtVector("deep-coeffs", options.extension(), numDeep);
      long[] deep =
          deepComposition(mainLde, auxLde, compLde, z, gz, deepCoeffs, oodMainCur, oodMainNext, oodAuxCur, oodAuxNext, oodChunks);

      phase("deep-composition");
      // 8. FRI commit phase.
      if (fault == InsecureTestFault.CORRUPT_DEEP_ODD_POSITIONS) {
        for (int i = 1; i < bigN; i += 2) {
          deep[i * d] = Goldilocks.add(deep[i * d], 1);
        }
      }
      FriProver fri = new FriProver(options, lay, hash, f);
      fri.commit(
          deep,
          t,
          fault == InsecureTestFault.CORRUPT_FRI_LAYER_1,
          fault == InsecureTestFault.CORRUPT_FINAL_POLYNOMIAL);
      deep = null;

      phase("fri-commit");
      // 9. Proof of work.
      long nonce = grind(StarkTranscript.powSeed(t));
      t.absorbInt("pow-nonce", nonce);

      phase("proof-of-work");
      // 10. Queries.
      int[] positions = uniqueSorted(t.challengeIndices("query-positions", options.numQueries(), lay.logLdeSize));
      TreeOpening mainOpen = mainTree.open(positions);
      TreeOpening auxOpen = auxTree == null ? null : auxTree.open(positions);
      TreeOpening compOpen = compTree.open(positions);
      List<TreeOpening> friOpen = fri.open(positions);

      phase("queries");
      return new StarkProof(
          options,
          lay.logTraceLength,
          airId,
          mainTree.root(),
          auxTree == null ? null : auxTree.root(),
          compTree.root(),
          oodMainCur,
          oodMainNext,
          oodAuxCur,
          oodAuxNext,
          oodChunks,
          fri.roots(),
          fri.finalPolynomial(),
          nonce,
          mainOpen,
          auxOpen,
          compOpen,
          friOpen);
    }

    private void checkTraceShape(long[][] cols, int width, int words, String what) {
      if (cols == null || cols.length != width) {
        throw new IllegalArgumentException(
            what + " trace must have " + width + " columns, got " + (cols == null ? 0 : cols.length));
      }
      for (int j = 0; j < width; j++) {
        if (cols[j] == null || cols[j].length != n * words) {
          throw new IllegalArgumentException(
              what + " trace column " + j + " must have " + n * words + " values");
        }
        for (long v : cols[j]) {
          if (!Goldilocks.isCanonical(v)) {
            throw new IllegalArgumentException(what + " trace column " + j + " holds a non-canonical value");
          }
        }
      }
    }

    /**
     * Trace polynomial coefficients of length D: interpolate each column over the trace domain,
     * then (zero knowledge) add {@code Z_H(X) r(X) = X^n r(X) - r(X)} with {@code deg r < h}, which
     * leaves the values on the trace domain unchanged.
     */
    private long[][] randomizedCoefficients(long[][] cols, MaskSource mask) {
      int w = cols.length;
      long[][] rand = new long[w][h];
      for (long[] r : rand) {
        mask.fill(r, 0, h);
      }
      long[][] out = new long[w][];
      IntStream.range(0, w)
          .parallel()
          .forEach(
              j -> {
                long[] c = Arrays.copyOf(cols[j], degBound);
                long[] head = Arrays.copyOf(cols[j], n);
                Ntt.inverse(head);
                System.arraycopy(head, 0, c, 0, n);
                long[] r = rand[j];
                for (int k = 0; k < h; k++) {
                  c[k] = Goldilocks.sub(c[k], r[k]);
                  c[n + k] = Goldilocks.add(c[n + k], r[k]);
                }
                out[j] = c;
              });
      return out;
    }

    private long[][] lowDegreeExtend(long[][] coeffs) {
      long[][] out = new long[coeffs.length][];
      IntStream.range(0, coeffs.length)
          .parallel()
          .forEach(j -> out[j] = Ntt.evaluateOnCoset(coeffs[j], degBound, SHIFT, lay.logLdeSize));
      return out;
    }

    private MerkleTree commit(long[][] cols, MaskSource saltMask) {
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
      return MerkleTree.build(hash, src, lay.logLdeSize, key, StarkLayout.SALT_LONGS);
    }

    /** Extension value {@code sum_c p_c(x) u^c} of coordinate polynomials at an extension point. */
    private long[] combineCoordinates(long[][] coordCoeffs, int count, long[] x) {
      long[] out = new long[count * d];
      for (int a = 0; a < count; a++) {
        long[] acc = new long[d];
        long[] uPow = f.one();
        long[] u = new long[d];
        u[1] = 1;
        for (int c = 0; c < d; c++) {
          long[] v = Polynomials.evaluateAt(f, coordCoeffs[a * d + c], degBound, x);
          f.add(acc, 0, f.mul(v, uPow), 0, acc, 0);
          uPow = f.mul(uPow, u);
        }
        System.arraycopy(acc, 0, out, a * d, d);
      }
      return out;
    }

    /** Periodic column values on the composition domain (period in points, tiled by index). */
    private long[][] periodicOnCompositionDomain() {
      List<long[]> cols = air.periodicColumns();
      long[][] out = new long[cols.size()][];
      int nCe = 1 << lay.logCompositionDomain;
      for (int p = 0; p < cols.size(); p++) {
        long[] coeffs = cols.get(p).clone();
        int period = coeffs.length;
        Ntt.inverse(coeffs);
        int ratio = n / period; // q(X^ratio)
        int cycle = nCe / ratio; // x^ratio repeats with this period over the composition domain
        // The points x0 * step^i with step = w^ratio, a primitive cycle-th root of unity: one coset
        // evaluation (O(cycle log cycle)); Horner per point would be O(period * cycle), quadratic
        // for full-period (program) columns.
        long x0 = Goldilocks.exp(SHIFT, ratio);
        long[] vals = Ntt.evaluateOnCoset(coeffs, period, x0, Integer.numberOfTrailingZeros(cycle));
        out[p] = vals;
      }
      return out;
    }

    /**
     * Quotient evaluations on the composition domain {@code SHIFT * <w_nCe>} (a sub-coset of the
     * LDE domain), per extension coordinate: {@code (T(x) (x - g^(n-1)) + R(x)) / (x^n - 1) +
     * sum_row B_row(x) / (x - g^row)} with {@code T}, {@code R}, {@code B_row} the alpha-weighted
     * sums of the transition, every-row and row-{@code row} boundary constraints.
     */
    private long[][] evaluateQuotient(long[][] mainLde, long[][] auxLde, long[] challenges, long[] alphas) {
      List<Expr> transitions = air.transitionConstraints();
      List<Expr> everyRow = air.everyRowConstraints();
      List<BoundaryConstraint> boundaries = air.boundaryConstraints();
      int nCe = 1 << lay.logCompositionDomain;
      int stride = bigN / nCe;
      int nextOffset = bigN / n; // g = w_N^(N/n)
      int numT = transitions.size();
      int numTR = numT + everyRow.size();
      List<Expr> all = new ArrayList<>(transitions);
      all.addAll(everyRow);
      for (BoundaryConstraint b : boundaries) {
        all.add(b.expr());
      }
      ConstraintProgram program = new ConstraintProgram(all, d, pub, challenges);
      ThreadLocal<ConstraintProgram.Workspace> workspaces = ThreadLocal.withInitial(program::newWorkspace);
      long[][] periodic = periodicOnCompositionDomain();
      // Distinct boundary rows share a divisor.
      int[] rows = boundaries.stream().mapToInt(b -> b.resolveRow(n)).distinct().sorted().toArray();
      int[] rowSlot = new int[boundaries.size()];
      for (int b = 0; b < boundaries.size(); b++) {
        rowSlot[b] = Arrays.binarySearch(rows, boundaries.get(b).resolveRow(n));
      }
      long[] rowPoints = new long[rows.length];
      for (int r = 0; r < rows.length; r++) {
        rowPoints[r] = Goldilocks.exp(g, rows[r]);
      }
      long gLast = Goldilocks.exp(g, n - 1);
      // 1/(x^n - 1) takes N/n... distinct values: x^n = SHIFT^n * w_N^(j n), j = i * stride.
      int blow = bigN / n;
      long[] zInv = new long[blow];
      long shiftN = Goldilocks.exp(SHIFT, n);
      long wB = Goldilocks.rootOfUnity(lay.logBlowup);
      for (int k = 0; k < blow; k++) {
        zInv[k] = Goldilocks.sub(Goldilocks.mul(shiftN, Goldilocks.exp(wB, k)), 1);
      }
      Goldilocks.batchInverse(zInv, 0, blow);
      long[][] out = new long[d][nCe];
      long wCe = Goldilocks.rootOfUnity(lay.logCompositionDomain);
      int blocks = (nCe + ConstraintProgram.BLOCK - 1) / ConstraintProgram.BLOCK;
      IntStream.range(0, blocks)
          .parallel()
          .forEach(
              blk -> {
                int from = blk * ConstraintProgram.BLOCK;
                int count = Math.min(ConstraintProgram.BLOCK, nCe - from);
                ConstraintProgram.Workspace ws = workspaces.get();
                program.evaluate(ws, mainLde, auxLde, periodic, bigN, from * stride, stride, nextOffset, from, count);
                long[] xs = new long[count];
                long x = Goldilocks.mul(SHIFT, Goldilocks.exp(wCe, from));
                for (int k = 0; k < count; k++) {
                  xs[k] = x;
                  x = Goldilocks.mul(x, wCe);
                }
                // Boundary divisors 1/(x - g^row), batch-inverted per row.
                long[][] bInv = new long[rows.length][count];
                for (int r = 0; r < rows.length; r++) {
                  for (int k = 0; k < count; k++) {
                    bInv[r][k] = Goldilocks.sub(xs[k], rowPoints[r]);
                  }
                  Goldilocks.batchInverse(bInv[r], 0, count);
                }
                long[] accT = new long[count * d];
                long[] accR = new long[count * d];
                long[][] accB = new long[rows.length][count * d];
                for (int ci = 0; ci < all.size(); ci++) {
                  long[] vals = ws.output(ci);
                  boolean ext = program.isExtOutput(ci);
                  long[] acc = ci < numT ? accT : ci < numTR ? accR : accB[rowSlot[ci - numTR]];
                  int ao = ci * d;
                  for (int k = 0; k < count; k++) {
                    if (ext) {
                      mulAddExt(alphas, ao, vals, k * d, acc, k * d);
                    } else {
                      long v = vals[k];
                      for (int c = 0; c < d; c++) {
                        acc[k * d + c] = Goldilocks.add(acc[k * d + c], Goldilocks.mul(alphas[ao + c], v));
                      }
                    }
                  }
                }
                for (int k = 0; k < count; k++) {
                  int j = (from + k) * stride;
                  long xMinusLast = Goldilocks.sub(xs[k], gLast);
                  long invZh = zInv[j & (blow - 1)];
                  for (int c = 0; c < d; c++) {
                    // Transitions are exempt from the last row (the factor x - g^(n-1)), every-row
                    // constraints are not.
                    long tr = Goldilocks.add(Goldilocks.mul(accT[k * d + c], xMinusLast), accR[k * d + c]);
                    long q = Goldilocks.mul(tr, invZh);
                    for (int r = 0; r < rows.length; r++) {
                      q = Goldilocks.add(q, Goldilocks.mul(accB[r][k * d + c], bInv[r][k]));
                    }
                    out[c][from + k] = q;
                  }
                }
              });
      return out;
    }

    private void mulAddExt(long[] a, int ai, long[] b, int bi, long[] acc, int oi) {
      if (d == 2) {
        long a0 = a[ai], a1 = a[ai + 1], b0 = b[bi], b1 = b[bi + 1];
        long r0 = Goldilocks.add(Goldilocks.mul(a0, b0), Goldilocks.mul(7, Goldilocks.mul(a1, b1)));
        long r1 = Goldilocks.add(Goldilocks.mul(a0, b1), Goldilocks.mul(a1, b0));
        acc[oi] = Goldilocks.add(acc[oi], r0);
        acc[oi + 1] = Goldilocks.add(acc[oi + 1], r1);
      } else {
        long[] tmp = new long[3];
        io.veridict.core.field.Ext3.mul3(a, ai, b, bi, tmp, 0);
        for (int c = 0; c < 3; c++) {
          acc[oi + c] = Goldilocks.add(acc[oi + c], tmp[c]);
        }
      }
    }

    /**
     * Evaluates every constraint on the trace domain and throws at the first violation. Base-only
     * constraints are checked when {@code baseOnly}, the others (auxiliary) otherwise.
     */
    private void checkConstraints(long[][] main, long[][] auxCoords, long[] challenges, boolean baseOnly) {
      List<Expr> transitions = air.transitionConstraints();
      List<Expr> everyRow = air.everyRowConstraints();
      List<BoundaryConstraint> boundaries = air.boundaryConstraints();
      List<Expr> exprs = new ArrayList<>();
      List<ConstraintViolationException.Kind> kinds = new ArrayList<>();
      List<Integer> indices = new ArrayList<>();
      List<Integer> boundaryRows = new ArrayList<>(); // -1 unless a boundary constraint
      for (int i = 0; i < transitions.size(); i++) {
        if (Degrees.isBaseField(transitions.get(i)) == baseOnly) {
          exprs.add(transitions.get(i));
          kinds.add(ConstraintViolationException.Kind.TRANSITION);
          indices.add(i);
          boundaryRows.add(-1);
        }
      }
      for (int i = 0; i < everyRow.size(); i++) {
        if (Degrees.isBaseField(everyRow.get(i)) == baseOnly) {
          exprs.add(everyRow.get(i));
          kinds.add(ConstraintViolationException.Kind.EVERY_ROW);
          indices.add(i);
          boundaryRows.add(-1);
        }
      }
      for (int i = 0; i < boundaries.size(); i++) {
        if (Degrees.isBaseField(boundaries.get(i).expr()) == baseOnly) {
          exprs.add(boundaries.get(i).expr());
          kinds.add(ConstraintViolationException.Kind.BOUNDARY);
          indices.add(i);
          boundaryRows.add(boundaries.get(i).resolveRow(n));
        }
      }
      if (exprs.isEmpty()) {
        return;
      }
      ConstraintProgram program = new ConstraintProgram(exprs, d, pub, challenges);
      long[][] periodic = air.periodicColumns().toArray(new long[0][]);
      int blocks = (n + ConstraintProgram.BLOCK - 1) / ConstraintProgram.BLOCK;
      // Lowest failing (row) per constraint, found in parallel, reported deterministically.
      int[] firstBad = new int[exprs.size()];
      Arrays.fill(firstBad, Integer.MAX_VALUE);
      IntStream.range(0, blocks)
          .parallel()
          .forEach(
              blk -> {
                int from = blk * ConstraintProgram.BLOCK;
                int count = Math.min(ConstraintProgram.BLOCK, n - from);
                ConstraintProgram.Workspace ws = program.newWorkspace();
                program.evaluate(ws, main, auxCoords, periodic, n, from, 1, 1, from, count);
                for (int ci = 0; ci < exprs.size(); ci++) {
                  ConstraintViolationException.Kind kind = kinds.get(ci);
                  int boundaryRow = boundaryRows.get(ci);
                  long[] vals = ws.output(ci);
                  int words = program.isExtOutput(ci) ? d : 1;
                  for (int k = 0; k < count; k++) {
                    int row = from + k;
                    // The rows each kind covers, as in the quotient's divisors.
                    boolean applies = switch (kind) {
                      case TRANSITION -> row < n - 1;
                      case EVERY_ROW -> true;
                      case BOUNDARY -> row == boundaryRow;
                    };
                    if (!applies) {
                      continue;
                    }
                    for (int c = 0; c < words; c++) {
                      if (vals[k * words + c] != 0) {
                        synchronized (firstBad) {
                          firstBad[ci] = Math.min(firstBad[ci], row);
                        }
                        break;
                      }
                    }
                  }
                }
              });
      // Report the earliest failing row; among constraints failing there, the first listed.
      int worst = -1;
      for (int ci = 0; ci < exprs.size(); ci++) {
        if (firstBad[ci] != Integer.MAX_VALUE && (worst < 0 || firstBad[ci] < firstBad[worst])) {
          worst = ci;
        }
      }
      if (worst >= 0) {
        throw new ConstraintViolationException(kinds.get(worst), indices.get(worst), firstBad[worst], air.name());
      }
    }

    private long[] deepComposition(
        long[][] mainLde,
        long[][] auxLde,
        long[][] compLde,
        long[] z,
        long[] gz,
        long[] coeffs,
        long[] oodMainCur,
        long[] oodMainNext,
        long[] oodAuxCur,
        long[] oodAuxNext,
        long[] oodChunks) {
      int w = lay.mainWidth;
      int aw = lay.auxWidth;
      int m = lay.numQuotientChunks;
      // Constant parts: K_z = sum coeff * value(z), K_gz likewise.
      long[] kz = new long[d];
      long[] kgz = new long[d];
      for (int j = 0; j < w; j++) {
        f.add(kz, 0, f.mul(slice(coeffs, j), slice(oodMainCur, j)), 0, kz, 0);
        f.add(kgz, 0, f.mul(slice(coeffs, w + j), slice(oodMainNext, j)), 0, kgz, 0);
      }
      for (int a = 0; a < aw; a++) {
        f.add(kz, 0, f.mul(slice(coeffs, 2 * w + a), slice(oodAuxCur, a)), 0, kz, 0);
        f.add(kgz, 0, f.mul(slice(coeffs, 2 * w + aw + a), slice(oodAuxNext, a)), 0, kgz, 0);
      }
      for (int i = 0; i < m; i++) {
        f.add(kz, 0, f.mul(slice(coeffs, 2 * w + 2 * aw + i), slice(oodChunks, i)), 0, kz, 0);
      }
      long[] out = new long[bigN * d];
      long wN = Goldilocks.rootOfUnity(lay.logLdeSize);
      int blow = bigN / n;
      long gInv = Goldilocks.inv(g);
      // Coefficients of the (X - g z) terms and their constant, pre-scaled by 1/g: the shared
      // inverse 1/(x_{j-B} - z) equals g / (x_j - g z).
      long[] gzCoeffs = new long[(w + aw) * d];
      for (int j = 0; j < w; j++) {
        f.mulBase(coeffs, (w + j) * d, gInv, gzCoeffs, j * d);
      }
      for (int a = 0; a < aw; a++) {
        f.mulBase(coeffs, (2 * w + aw + a) * d, gInv, gzCoeffs, (w + a) * d);
      }
      long[] kgzScaled = f.mulBase(kgz, gInv);
      final int blockSize = 1024;
      IntStream.range(0, (bigN + blockSize - 1) / blockSize)
          .parallel()
          .forEach(
              blk -> {
                int from = blk * blockSize;
                int count = Math.min(blockSize, bigN - from);
                // 1/(x_j - z) for j in [from - B, from + count): one batch inversion serves both
                // denominators, since x_j - g z = g (x_{j-B} - z) with B = N/n (g = w_N^B).
                int span = count + blow;
                long[] inv = new long[span * d];
                long x = Goldilocks.mul(SHIFT, Goldilocks.exp(wN, Math.floorMod(from - blow, bigN)));
                for (int k = 0; k < span; k++) {
                  for (int c = 0; c < d; c++) {
                    inv[k * d + c] = Goldilocks.neg(z[c]);
                  }
                  inv[k * d] = Goldilocks.add(inv[k * d], x);
                  x = Goldilocks.mul(x, wN);
                }
                f.batchInverse(inv, 0, span);
                // Column-major accumulation over the block: sz = sum coeff_z * column,
                // sg = sum coeff_gz * column (coeff_gz pre-scaled by 1/g).
                long[] sz = new long[count * d];
                long[] sg = new long[count * d];
                for (int j = 0; j < w; j++) {
                  accumulateBase(sz, coeffs, j, mainLde[j], from, count);
                  accumulateBase(sg, gzCoeffs, j, mainLde[j], from, count);
                }
                for (int a = 0; a < aw; a++) {
                  accumulateExt(sz, coeffs, 2 * w + a, auxLde, a * d, from, count);
                  accumulateExt(sg, gzCoeffs, w + a, auxLde, a * d, from, count);
                }
                for (int q = 0; q < m; q++) {
                  accumulateExt(sz, coeffs, 2 * w + 2 * aw + q, compLde, q * d, from, count);
                }
                long[] t1 = new long[d];
                long[] t2 = new long[d];
                for (int k = 0; k < count; k++) {
                  int i = from + k;
                  f.sub(sz, k * d, kz, 0, t1, 0);
                  f.mul(t1, 0, inv, (k + blow) * d, t1, 0);
                  f.sub(sg, k * d, kgzScaled, 0, t2, 0);
                  f.mul(t2, 0, inv, k * d, t2, 0);
                  f.add(t1, 0, t2, 0, t1, 0);
                  if (options.zeroKnowledge()) {
                    for (int c = 0; c < d; c++) {
                      t1[c] = Goldilocks.add(t1[c], compLde[m * d + c][i]);
                    }
                  }
                  System.arraycopy(t1, 0, out, i * d, d);
                }
              });
      return out;
    }

    /** {@code acc[k] += coeff[idx] * col[from + k]} (extension times base) for a block. */
    private void accumulateBase(long[] acc, long[] coeff, int idx, long[] col, int from, int count) {
      if (d == 2) {
        long c0 = coeff[2 * idx];
        long c1 = coeff[2 * idx + 1];
        for (int k = 0; k < count; k++) {
          long v = col[from + k];
          acc[2 * k] = Goldilocks.add(acc[2 * k], Goldilocks.mul(c0, v));
          acc[2 * k + 1] = Goldilocks.add(acc[2 * k + 1], Goldilocks.mul(c1, v));
        }
      } else {
        for (int k = 0; k < count; k++) {
          long v = col[from + k];
          for (int c = 0; c < d; c++) {
            acc[k * d + c] = Goldilocks.add(acc[k * d + c], Goldilocks.mul(coeff[idx * d + c], v));
          }
        }
      }
    }

    /**
     * {@code acc[k] += coeff[idx] * e(from + k)} where extension element {@code e} is stored as
     * coordinate columns {@code cols[first .. first + d)}.
     */
    private void accumulateExt(long[] acc, long[] coeff, int idx, long[][] cols, int first, int from, int count) {
      if (d == 2) {
        long a0 = coeff[2 * idx];
        long a1 = coeff[2 * idx + 1];
        long[] x0 = cols[first];
        long[] x1 = cols[first + 1];
        for (int k = 0; k < count; k++) {
          long b0 = x0[from + k];
          long b1 = x1[from + k];
          long r0 = Goldilocks.add(Goldilocks.mul(a0, b0), Goldilocks.mul(io.veridict.core.field.Ext2.W, Goldilocks.mul(a1, b1)));
          long r1 = Goldilocks.add(Goldilocks.mul(a0, b1), Goldilocks.mul(a1, b0));
          acc[2 * k] = Goldilocks.add(acc[2 * k], r0);
          acc[2 * k + 1] = Goldilocks.add(acc[2 * k + 1], r1);
        }
      } else {
        long[] val = new long[d];
        long[] tmp = new long[d];
        for (int k = 0; k < count; k++) {
          for (int c = 0; c < d; c++) {
            val[c] = cols[first + c][from + k];
          }
          f.mul(coeff, idx * d, val, 0, tmp, 0);
          f.add(acc, k * d, tmp, 0, acc, k * d);
        }
      }
    }

    private long[] slice(long[] v, int element) {
      return Arrays.copyOfRange(v, element * d, element * d + d);
    }

    private long grind(long[] seed) {
      int bits = options.grindingBits();
      if (bits == 0) {
        return 0;
      }
      int threads = Runtime.getRuntime().availableProcessors();
      long[] found = {-1};
      IntStream.range(0, threads)
          .parallel()
          .forEach(
              tIdx -> {
                for (long nonce = tIdx; ; nonce += threads) {
                  synchronized (found) {
                    if (found[0] >= 0 && found[0] < nonce) {
                      return;
                    }
                  }
                  if (StarkTranscript.checkPow(hash, seed, nonce, bits)) {
                    synchronized (found) {
                      if (found[0] < 0 || nonce < found[0]) {
                        found[0] = nonce;
                      }
                    }
                    return;
                  }
                }
              });
      return found[0];
    }
  }

  static int[] uniqueSorted(int[] positions) {
    return Arrays.stream(positions).distinct().sorted().toArray();
  }
}
