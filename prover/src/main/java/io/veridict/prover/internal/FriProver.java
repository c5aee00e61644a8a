package io.veridict.prover.internal;

import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.fri.FriFolding;
import io.veridict.core.hash.Hash256;
import io.veridict.core.poly.Ntt;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.TreeOpening;
import io.veridict.core.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The FRI commit and query phases over an extension-valued codeword on the LDE coset.
 *
 * <p>Layer {@code l} has {@code M_l = N / a^l} evaluations on the coset {@code SHIFT^(a^l) *
 * <w_{M_l}>}. Its Merkle leaf {@code i} (of {@code M_l / a}) holds the {@code a} values at indices
 * {@code i + j M_l / a}, which are exactly the fibre folded into index {@code i} of the next layer.
 * After the last committed layer the folded codeword is sent as a polynomial in coefficient form.
 */
public final class FriProver {
  private final StarkLayout lay;
  private final Hash256 hash;
  private final ExtField f;
  private final int d;
  private final int arity;
  private final ProofOptions options;
  private final List<long[]> layerValues = new ArrayList<>();
  private final List<MerkleTree> trees = new ArrayList<>();
  private long[] finalPoly;

  public FriProver(ProofOptions options, StarkLayout lay, Hash256 hash, ExtField f) {
    this.options = options;
    this.lay = lay;
    this.hash = hash;
    this.f = f;
    this.d = f.degree();
    this.arity = options.foldingArity();
  }

  /**
   * Commits to every layer of {@code evals} (interleaved extension values on the LDE coset) and
   * sends the final polynomial. The flags inject faults for verifier tests only: corrupting every
   * value of layer 1, or the final polynomial's constant coefficient; honest proving passes false.
   */
  public void commit(long[] evals, Transcript t, boolean corruptLayer1, boolean corruptFinal) {
    long[] cur = evals;
    int logM = lay.logLdeSize;
    long shift = Goldilocks.GENERATOR;
    for (int layer = 0; layer < lay.numFriLayers; layer++) {
      final long[] values = cur;
      final int m = 1 << logM;
      final int leaves = m / arity;
      MerkleTree.LeafSource src =
          new MerkleTree.LeafSource() {
            @Override
            public int width() {
              return arity * d;
            }

            @Override
            public void leaf(int i, long[] dst, int off) {
              for (int j = 0; j < arity; j++) {
                System.arraycopy(values, (i + j * leaves) * d, dst, off + j * d, d);
              }
            }
          };
      MerkleTree tree = MerkleTree.build(hash, src, logM - lay.logFoldingArity, null, 0);
      trees.add(tree);
      layerValues.add(values);
      t.absorbLongs("fri-root", tree.root());
      long[] beta = t.challengeExt("fri-beta", options.extension());
      cur = fold(values, logM, shift, beta);
      if (corruptLayer1 && layer == 0) {
        for (int i = 0; i < cur.length; i += d) {
          cur[i] = Goldilocks.add(cur[i], 1);
        }
      }
      logM -= lay.logFoldingArity;
      shift = Goldilocks.exp(shift, arity);
    }
    // Final polynomial: interpolate the last codeword and keep its low coefficients.
    int m = 1 << logM;
    finalPoly = new long[lay.finalPolyLength * d];
    for (int c = 0; c < d; c++) {
      long[] coord = new long[m];
      for (int i = 0; i < m; i++) {
        coord[i] = cur[i * d + c];
      }
      Ntt.interpolateFromCoset(coord, shift);
      for (int k = 0; k < lay.finalPolyLength; k++) {
        finalPoly[k * d + c] = coord[k];
      }
    }
    if (corruptFinal) {
      finalPoly[0] = Goldilocks.add(finalPoly[0], 1);
    }
    t.absorbLongs("fri-final", finalPoly);
  }

  private long[] fold(long[] values, int logM, long shift, long[] beta) {
    int m = 1 << logM;
    int leaves = m / arity;
    long[] out = new long[leaves * d];
    long shiftInv = Goldilocks.inv(shift);
    long wInv = Goldilocks.inv(Goldilocks.rootOfUnity(logM));
    int block = 1024;
    IntStream.range(0, (leaves + block - 1) / block)
        .parallel()
        .forEach(
            b -> {
              int from = b * block;
              int to = Math.min(leaves, from + block);
              long[] fibre = new long[arity * d];
              long xInv = Goldilocks.mul(shiftInv, Goldilocks.exp(wInv, from));
              for (int i = from; i < to; i++) {
                for (int j = 0; j < arity; j++) {
                  System.arraycopy(values, (i + j * leaves) * d, fibre, j * d, d);
                }
                FriFolding.fold(f, fibre, 0, arity, xInv, beta, out, i * d);
                xInv = Goldilocks.mul(xInv, wInv);
              }
            });
    return out;
  }

  public List<long[]> roots() {
    List<long[]> r = new ArrayList<>();
    for (MerkleTree t : trees) {
      r.add(t.root());
    }
    return r;
  }

  public long[] finalPolynomial() {
    return finalPoly.clone();
  }

  /** Opens every layer at the fibres of the query {@code positions} (sorted, unique). */
  public List<TreeOpening> open(int[] positions) {
    List<TreeOpening> out = new ArrayList<>();
    int[] pos = positions;
    int logM = lay.logLdeSize;
    for (MerkleTree tree : trees) {
      int leaves = (1 << logM) / arity;
      int[] idx = Arrays.stream(pos).map(p -> p % leaves).distinct().sorted().toArray();
      out.add(tree.open(idx));
      pos = idx;
      logM -= lay.logFoldingArity;
    }
    return out;
  }
}
