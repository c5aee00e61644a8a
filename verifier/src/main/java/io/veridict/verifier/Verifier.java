package io.veridict.verifier;

import static io.veridict.verifier.VerificationException.Reason.AIR_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.DEEP_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.FINAL_POLYNOMIAL;
import static io.veridict.verifier.VerificationException.Reason.FRI_LAYER;
import static io.veridict.verifier.VerificationException.Reason.MALFORMED;
import static io.veridict.verifier.VerificationException.Reason.MALFORMED_STATEMENT;
import static io.veridict.verifier.VerificationException.Reason.MERKLE_PATH;
import static io.veridict.verifier.VerificationException.Reason.OOD_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.PROOF_OF_WORK;
import static io.veridict.verifier.VerificationException.Reason.UNACCEPTABLE_OPTIONS;

import io.veridict.core.air.Air;
import io.veridict.core.air.AirIdentity;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.air.ExprEvaluator;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.fri.FriFolding;
import io.veridict.core.hash.Hash256;
import io.veridict.core.merkle.MerkleVerifier;
import io.veridict.core.poly.Ntt;
import io.veridict.core.poly.Polynomials;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofFormatException;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.SecurityEstimator;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.StarkTranscript;
import io.veridict.core.proof.TreeOpening;
import io.veridict.core.transcript.Transcript;
import java.util.Arrays;
import java.util.List;

/**
 * The STARK verifier.
 *
 * <p>{@link #verify} returns normally only if the proof convinces it that a witness satisfying
 * {@code air} with {@code publicInputs} exists (up to the options' soundness error); otherwise it
 * throws {@link VerificationException} with a typed {@link VerificationException.Reason}. It
 * rebuilds every size from its own AIR and the options, never from the proof; it replays the
 * Fiat–Shamir transcript itself; it checks the DEEP composition at every query, every FRI fold and
 * the final polynomial at every query. On arbitrary bytes it never throws an unchecked exception,
 * and its allocations are bounded by the input size and the policy's {@code maxProofBytes}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Verifier {
  private Verifier() {}

  /**
   * Verifies {@code proofBytes} for the statement ({@code air}, {@code publicInputs}).
   *
   * @throws VerificationException if the proof is rejected, with the reason
   */
  public static void verify(Air air, long[] publicInputs, byte[] proofBytes, AcceptablePolicy policy)
      throws VerificationException {
    if (proofBytes == null || proofBytes.length > policy.maxProofBytes()) {
      throw new VerificationException(
          MALFORMED, "proof is missing or larger than the policy's " + policy.maxProofBytes() + " bytes");
    }
    StarkProof proof;
    try {
      proof = ProofCodec.decode(proofBytes);
    } catch (ProofFormatException e) {
      throw new VerificationException(MALFORMED, e.getMessage());
    }
    verify(air, publicInputs, proof, policy);
  }

  /** Verifies an already decoded proof; see {@link #verify(Air, long[], byte[], AcceptablePolicy)}. */
  public static void verify(Air air, long[] publicInputs, StarkProof proof, AcceptablePolicy policy)
      throws VerificationException {
    try {
      new Check(air, publicInputs, proof, policy).run();
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      // Defence in depth: nothing a proof contains may escape as an unchecked exception.
      throw new VerificationException(MALFORMED, "proof could not be processed: " + e);
    }
  }

  private static final class Check {
    final Air air;
    final long[] pub;
    final StarkProof p;
    final AcceptablePolicy policy;
    ProofOptions o;
    StarkLayout lay;
    ExtField f;
    int d;
    Hash256 hash;

    Check(Air air, long[] pub, StarkProof p, AcceptablePolicy policy) {
      this.air = air;
      this.pub = pub == null ? null : pub.clone();
      this.p = p;
      this.policy = policy;
    }

    void run() throws VerificationException {
      o = p.options();
      // 1. Statement and options.
      if (pub == null || pub.length != air.numPublicInputs()) {
        throw new VerificationException(
            MALFORMED_STATEMENT,
            "AIR '" + air.name() + "' takes " + air.numPublicInputs() + " public inputs");
      }
      for (long v : pub) {
        if (!Goldilocks.isCanonical(v)) {
          throw new VerificationException(MALFORMED_STATEMENT, "public input is not a canonical field element");
        }
      }
      checkPolicy();
      if (p.logTraceLength() != air.logTraceLength()) {
        throw new VerificationException(
            AIR_MISMATCH, "proof is for 2^" + p.logTraceLength() + " rows, AIR has 2^" + air.logTraceLength());
      }
      try {
        lay = StarkLayout.of(air, o);
      } catch (IllegalArgumentException e) {
        throw new VerificationException(UNACCEPTABLE_OPTIONS, "options do not fit this AIR: " + e.getMessage());
      }
      if (lay.friCheckedDegreeBound() != lay.degreeBound) {
        // The layout folds the degree bound exactly; anything else would make the estimate lie.
        throw new VerificationException(UNACCEPTABLE_OPTIONS, "FRI would check degree < "
            + lay.friCheckedDegreeBound() + ", not the committed bound " + lay.degreeBound);
      }
      byte[] airId = AirIdentity.of(air);
      if (!Arrays.equals(airId, p.airId())) {
        throw new VerificationException(AIR_MISMATCH, "proof was made for another constraint system");
      }
      if (lay.conjecturedBits(o) < policy.minConjecturedBits()) {
        throw new VerificationException(
            UNACCEPTABLE_OPTIONS,
            String.format(
                "%.1f conjectured bits for this AIR, policy requires %d",
                lay.conjecturedBits(o), policy.minConjecturedBits()));
      }
      f = ExtField.of(o.extension());
      d = f.degree();
      hash = Hash256.of(o.hash());
      checkShape();

      // 2. Replay the transcript.
      Transcript t = StarkTranscript.begin(o, lay.logTraceLength, lay.mainWidth, lay.auxWidth, airId, pub);
      t.absorbLongs("main-root", p.mainRoot());
      long[] auxChallenges = new long[0];
      if (lay.auxWidth > 0) {
        auxChallenges = t.challengeExtVector("aux-challenges", o.extension(), air.numAuxChallenges());
        t.absorbLongs("aux-root", p.auxRoot());
      }
      long[] alphas = t.challengeExtVector("composition-coeffs", o.extension(), lay.numConstraints());
      t.absorbLongs("composition-root", p.compositionRoot());
      long[] z = StarkTranscript.drawOodPoint(t, o.extension());
      t.absorbLongs("ood-main-current", p.oodMainCurrent());
      t.absorbLongs("ood-main-next", p.oodMainNext());
      t.absorbLongs("ood-aux-current", p.oodAuxCurrent());
      t.absorbLongs("ood-aux-next", p.oodAuxNext());
      t.absorbLongs("ood-quotient-chunks", p.oodQuotientChunks());

      // 3. Out-of-domain consistency: constraints at z versus the quotient chunks at z.
      checkOod(z, alphas, auxChallenges);

      int m = lay.numQuotientChunks;
      int numDeep = 2 * lay.mainWidth + 2 * lay.auxWidth + m;
      long[] deepCoeffs = t.challengeExtVector("deep-coeffs", o.extension(), numDeep);
      long[][] betas = new long[lay.numFriLayers][];
      for (int layer = 0; layer < lay.numFriLayers; layer++) {
        t.absorbLongs("fri-root", p.friRoots().get(layer));
        betas[layer] = t.challengeExt("fri-beta", o.extension());
      }
      t.absorbLongs("fri-final", p.finalPolynomial());

      // 4. Proof of work, before the query positions it protects are drawn.
      long[] seed = StarkTranscript.powSeed(t);
      if (!StarkTranscript.checkPow(hash, seed, p.powNonce(), o.grindingBits())) {
        throw new VerificationException(PROOF_OF_WORK, "nonce does not meet " + o.grindingBits() + " bits");
      }
      t.absorbInt("pow-nonce", p.powNonce());
      int[] positions =
          Arrays.stream(t.challengeIndices("query-positions", o.numQueries(), lay.logLdeSize))
              .distinct()
              .sorted()
              .toArray();

      // 5. Authenticate the trace and composition openings.
      checkTree("main trace", p.mainRoot(), lay.logLdeSize, positions, p.mainOpening(), lay.mainWidth, lay.saltLongs);
      if (lay.auxWidth > 0) {
        checkTree("auxiliary trace", p.auxRoot(), lay.logLdeSize, positions, p.auxOpening(), lay.auxCoordWidth, lay.saltLongs);
      }
      checkTree("composition", p.compositionRoot(), lay.logLdeSize, positions, p.compositionOpening(), lay.compositionWidth, lay.saltLongs);

      // 6. DEEP composition at every query.
      long[] deepValues = deepAtQueries(positions, z, deepCoeffs);

      // 7. FRI: every layer, every fold, the final polynomial.
      checkFri(positions, deepValues, betas);
    }

    private void checkPolicy() throws VerificationException {
      if (o.isInsecure() && !policy.acceptInsecure()) {
        throw new VerificationException(UNACCEPTABLE_OPTIONS, "options are below the 80-bit floor: " + o);
      }
      if (!policy.hashes().contains(o.hash())) {
        throw new VerificationException(UNACCEPTABLE_OPTIONS, "hash " + o.hash() + " not accepted");
      }
      if (!policy.extensions().contains(o.extension())) {
        throw new VerificationException(UNACCEPTABLE_OPTIONS, "extension " + o.extension() + " not accepted");
      }
      if (policy.requireZeroKnowledge() && !o.zeroKnowledge()) {
        throw new VerificationException(UNACCEPTABLE_OPTIONS, "policy requires zero-knowledge proofs");
      }
      if (!policy.acceptsFriShape(o)) {
        throw new VerificationException(
            UNACCEPTABLE_OPTIONS,
            "FRI shape not accepted: folding arity " + o.foldingArity() + " (allowed "
                + new java.util.TreeSet<>(policy.foldingArities()) + "), final-length parameter "
                + o.logFinalPolyMinLength() + " (allowed "
                + new java.util.TreeSet<>(policy.logFinalPolyMinLengths()) + ")");
      }
    }

    private void checkShape() throws VerificationException {
      int m = lay.numQuotientChunks;
      expectLen("main OOD frame", p.oodMainCurrent(), lay.mainWidth * d);
      expectLen("main OOD frame", p.oodMainNext(), lay.mainWidth * d);
      if (lay.auxWidth > 0) {
        if (p.auxRoot() == null || p.auxOpening() == null) {
          throw new VerificationException(MALFORMED, "auxiliary commitment missing");
        }
        expectLen("aux OOD frame", p.oodAuxCurrent(), lay.auxWidth * d);
        expectLen("aux OOD frame", p.oodAuxNext(), lay.auxWidth * d);
      } else if (p.auxRoot() != null || p.auxOpening() != null) {
        throw new VerificationException(MALFORMED, "unexpected auxiliary commitment");
      }
      expectLen("quotient chunks", p.oodQuotientChunks(), m * d);
      if (p.friRoots().size() != lay.numFriLayers || p.friOpenings().size() != lay.numFriLayers) {
        throw new VerificationException(
            MALFORMED, "expected " + lay.numFriLayers + " FRI layers, proof has " + p.friRoots().size()
                + " roots and " + p.friOpenings().size() + " openings");
      }
      expectLen("final polynomial", p.finalPolynomial(), lay.finalPolyLength * d);
    }

    private void expectLen(String what, long[] a, int len) throws VerificationException {
      if (a == null || a.length != len) {
        throw new VerificationException(MALFORMED, what + " has the wrong size");
      }
    }

    private long[] el(long[] v, int i) {
      return Arrays.copyOfRange(v, i * d, i * d + d);
    }

    private void checkOod(long[] z, long[] alphas, long[] auxChallenges) throws VerificationException {
      int n = lay.traceLength;
      int w = lay.mainWidth;
      long g = Goldilocks.rootOfUnity(lay.logTraceLength);
      long[][] mainCur = new long[w][];
      long[][] mainNext = new long[w][];
      for (int j = 0; j < w; j++) {
        mainCur[j] = el(p.oodMainCurrent(), j);
        mainNext[j] = el(p.oodMainNext(), j);
      }
      long[][] auxCur = new long[lay.auxWidth][];
      long[][] auxNext = new long[lay.auxWidth][];
      for (int a = 0; a < lay.auxWidth; a++) {
        auxCur[a] = el(p.oodAuxCurrent(), a);
        auxNext[a] = el(p.oodAuxNext(), a);
      }
      List<long[]> periodicCols = air.periodicColumns();
      long[][] periodic = new long[periodicCols.size()][];
      for (int k = 0; k < periodic.length; k++) {
        long[] coeffs = periodicCols.get(k).clone();
        Ntt.inverse(coeffs);
        long[] y = f.exp(z, n / coeffs.length);
        periodic[k] = Polynomials.evaluateExtAt(f, extend(coeffs), coeffs.length, y);
      }
      long[][] challenges = new long[air.numAuxChallenges()][];
      for (int c = 0; c < challenges.length; c++) {
        challenges[c] = el(auxChallenges, c);
      }
      ExprEvaluator ev = new ExprEvaluator(f, mainCur, mainNext, auxCur, auxNext, periodic, pub, challenges);
      List<Expr> transitions = air.transitionConstraints();
      List<Expr> everyRow = air.everyRowConstraints();
      List<BoundaryConstraint> boundaries = air.boundaryConstraints();
      long[] tSum = f.zero();
      for (int i = 0; i < transitions.size(); i++) {
        tSum = f.add(tSum, f.mul(el(alphas, i), ev.evaluate(transitions.get(i))));
      }
      long[] rSum = f.zero();
      for (int i = 0; i < everyRow.size(); i++) {
        rSum = f.add(rSum, f.mul(el(alphas, transitions.size() + i), ev.evaluate(everyRow.get(i))));
      }
      // Divisors as in the prover: transitions (z^n - 1) / (z - g^(n-1)) (rows 0..n-2), every-row
      // constraints z^n - 1 (all rows), so (tSum (z - g^(n-1)) + rSum) / (z^n - 1).
      long[] zn = f.exp(z, n);
      long[] znMinus1 = f.sub(zn, f.one());
      long[] zMinusLast = f.sub(z, f.fromBase(Goldilocks.exp(g, n - 1)));
      long[] q = f.mul(f.add(f.mul(tSum, zMinusLast), rSum), f.inv(znMinus1));
      int firstBoundary = transitions.size() + everyRow.size();
      for (int b = 0; b < boundaries.size(); b++) {
        BoundaryConstraint bc = boundaries.get(b);
        long[] den = f.sub(z, f.fromBase(Goldilocks.exp(g, bc.resolveRow(n))));
        long[] term = f.mul(el(alphas, firstBoundary + b), ev.evaluate(bc.expr()));
        q = f.add(q, f.mul(term, f.inv(den)));
      }
      // Chunks: sum_i z^(i n) q_i(z).
      long[] fromChunks = f.zero();
      long[] zPow = f.one();
      for (int i = 0; i < lay.numQuotientChunks; i++) {
        fromChunks = f.add(fromChunks, f.mul(zPow, el(p.oodQuotientChunks(), i)));
        zPow = f.mul(zPow, zn);
      }
      if (!Arrays.equals(q, fromChunks)) {
        throw new VerificationException(
            OOD_MISMATCH, "constraint evaluations at the out-of-domain point disagree with the quotient");
      }
    }

    private long[] extend(long[] base) {
      long[] r = new long[base.length * d];
      for (int i = 0; i < base.length; i++) {
        r[i * d] = base[i];
      }
      return r;
    }

    private void checkTree(
        String what, long[] root, int depth, int[] indices, TreeOpening open, int width, int saltLongs)
        throws VerificationException {
      if (open.leafCount() != indices.length || open.leafWidth() != width || open.saltLongs() != saltLongs) {
        throw new VerificationException(MALFORMED, what + " opening has the wrong shape");
      }
      long[] digests = new long[4 * indices.length];
      long[] buf = new long[width + saltLongs];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(open.values(), i * width, buf, 0, width);
        System.arraycopy(open.salts(), i * saltLongs, buf, width, saltLongs);
        hash.hashLongs(buf, 0, buf.length, digests, 4 * i);
      }
      if (!MerkleVerifier.verifyBatch(hash, root, depth, indices, digests, open.nodes(), open.nodeCount())) {
        throw new VerificationException(MERKLE_PATH, what + " opening does not match its commitment");
      }
    }

    private long[] deepAtQueries(int[] positions, long[] z, long[] coeffs) {
      int w = lay.mainWidth;
      int aw = lay.auxWidth;
      int m = lay.numQuotientChunks;
      long g = Goldilocks.rootOfUnity(lay.logTraceLength);
      long[] gz = f.mulBase(z, g);
      long wN = Goldilocks.rootOfUnity(lay.logLdeSize);
      long[] out = new long[positions.length * d];
      TreeOpening mo = p.mainOpening();
      TreeOpening ao = p.auxOpening();
      TreeOpening co = p.compositionOpening();
      for (int qi = 0; qi < positions.length; qi++) {
        long x = Goldilocks.mul(Goldilocks.GENERATOR, Goldilocks.exp(wN, positions[qi]));
        long[] sz = f.zero();
        long[] sg = f.zero();
        for (int j = 0; j < w; j++) {
          long v = mo.values()[qi * w + j];
          sz = f.add(sz, f.mul(el(coeffs, j), f.sub(f.fromBase(v), el(p.oodMainCurrent(), j))));
          sg = f.add(sg, f.mul(el(coeffs, w + j), f.sub(f.fromBase(v), el(p.oodMainNext(), j))));
        }
        for (int a = 0; a < aw; a++) {
          long[] v = Arrays.copyOfRange(ao.values(), (qi * aw + a) * d, (qi * aw + a) * d + d);
          sz = f.add(sz, f.mul(el(coeffs, 2 * w + a), f.sub(v, el(p.oodAuxCurrent(), a))));
          sg = f.add(sg, f.mul(el(coeffs, 2 * w + aw + a), f.sub(v, el(p.oodAuxNext(), a))));
        }
        int cw = lay.compositionWidth;
        for (int i = 0; i < m; i++) {
          long[] v = Arrays.copyOfRange(co.values(), qi * cw + i * d, qi * cw + i * d + d);
          sz = f.add(sz, f.mul(el(coeffs, 2 * w + 2 * aw + i), f.sub(v, el(p.oodQuotientChunks(), i))));
        }
        long[] xz = f.sub(f.fromBase(x), z);
        long[] xgz = f.sub(f.fromBase(x), gz);
        long[] val = f.add(f.mul(sz, f.inv(xz)), f.mul(sg, f.inv(xgz)));
        if (o.zeroKnowledge()) {
          val = f.add(val, Arrays.copyOfRange(co.values(), qi * cw + m * d, qi * cw + m * d + d));
        }
        System.arraycopy(val, 0, out, qi * d, d);
      }
      return out;
    }

    private void checkFri(int[] positions, long[] expected, long[][] betas) throws VerificationException {
      int arity = o.foldingArity();
      int logM = lay.logLdeSize;
      long shift = Goldilocks.GENERATOR;
      int[] pos = positions;
      long[] exp = expected;
      for (int layer = 0; layer < lay.numFriLayers; layer++) {
        int m = 1 << logM;
        int leaves = m / arity;
        int[] leafIdx = Arrays.stream(pos).map(x -> x % leaves).distinct().sorted().toArray();
        TreeOpening open = p.friOpenings().get(layer);
        checkTree("FRI layer " + layer, p.friRoots().get(layer), logM - lay.logFoldingArity, leafIdx, open, arity * d, 0);
        // Each queried value must sit in its fibre's leaf.
        for (int qi = 0; qi < pos.length; qi++) {
          int leaf = Arrays.binarySearch(leafIdx, pos[qi] % leaves);
          int slot = pos[qi] / leaves;
          int off = (leaf * arity + slot) * d;
          for (int c = 0; c < d; c++) {
            if (open.values()[off + c] != exp[qi * d + c]) {
              throw new VerificationException(
                  layer == 0 ? DEEP_MISMATCH : FRI_LAYER,
                  layer == 0
                      ? "DEEP composition at a query disagrees with the first FRI codeword"
                      : "FRI layer " + layer + " disagrees with the fold of layer " + (layer - 1));
            }
          }
        }
        // Fold every opened fibre into the next layer's value at the leaf index.
        long[] next = new long[leafIdx.length * d];
        long shiftInv = Goldilocks.inv(shift);
        long wInv = Goldilocks.inv(Goldilocks.rootOfUnity(logM));
        for (int li = 0; li < leafIdx.length; li++) {
          long xInv = Goldilocks.mul(shiftInv, Goldilocks.exp(wInv, leafIdx[li]));
          FriFolding.fold(f, open.values(), li * arity * d, arity, xInv, betas[layer], next, li * d);
        }
        pos = leafIdx;
        exp = next;
        logM -= lay.logFoldingArity;
        shift = Goldilocks.exp(shift, arity);
      }
      // Final polynomial at every remaining position.
      long wM = Goldilocks.rootOfUnity(logM);
      for (int qi = 0; qi < pos.length; qi++) {
        long x = Goldilocks.mul(shift, Goldilocks.exp(wM, pos[qi]));
        long[] v = Polynomials.evaluateExtAt(f, p.finalPolynomial(), lay.finalPolyLength, f.fromBase(x));
        if (!f.equals(v, 0, exp, qi * d)) {
          throw new VerificationException(
              lay.numFriLayers == 0 ? DEEP_MISMATCH : FINAL_POLYNOMIAL,
              "the last FRI codeword disagrees with the final polynomial");
        }
      }
    }
  }
}
