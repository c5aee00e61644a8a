package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.Goldilocks;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.model.internal.DecisionProgram.Op;
import io.veridict.model.internal.DecisionProgram.Row;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MLP rescale wrap (issue 15, defect 3; REFERENCES pitfall 24). A FIN row states {@code acc +
 * bias = y 2^24 + r} with {@code r} in 3 byte limbs. Since {@code (2^40 - 2^8) 2^24 = 2^64 - 2^32
 * = -1 (mod p)}, {@code y' = y - (2^40 - 2^8)}, {@code r' = r - 1} satisfies it too; {@code y'} is
 * negative, so the ReLU on the next (ACT) row writes 0 instead of {@code y}, with {@code u = -y' - 1
 * ~ 2^40} in its byte limbs. While the ACT row allowed 7 limbs ({@code |y| < 2^56}) that was a valid
 * trace: a lender could switch off any active hidden neuron and so move the margin. The cheating
 * prover below does exactly that for a subset of first-layer neurons chosen to flip the decision,
 * recomputes everything downstream, rebalances nothing (every lookup stays balanced: the limbs and
 * the byte table are recounted), skips the prover's witness check, and the verifier must reject
 * the bundle. (Checked by hand: with the ACT row's limbs 3..6 unconstrained this bundle verifies,
 * with {@code --expect-model}, as the flipped decision.)
 */
class RescaleWrapForgeryTest {
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX =
      new Context(31337, "0x1111111111111111111111111111111111111111", "policy-7", "n-1", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
  private static final long SHIFT = (1L << 40) - (1L << 8);
  private static final long RESCALE = 1L << ModelArchitecture.RESCALE_BITS;

  @ParameterizedTest(name = "forged {0} (true = APPROVED for a declined applicant)")
  @ValueSource(booleans = {true, false})
  void switchingOffHiddenNeuronsThroughTheRescaleWrap_isRejectedByTheVerifier(boolean wantApproval) throws Exception {
    FloatModel m = CircuitFixtures.mlp(new int[] {6, 5, 3, 1}, 12);
    double[] bounds = new double[m.numFeatures()];
    java.util.Arrays.fill(bounds, 64);
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(3);
    ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, bounds), "mlp", "test", "00", OptionalDouble.empty(), rnd);
    QuantizedModel q = pkg.model();
    ModelArchitecture a = q.architecture();
    DecisionCircuit circuit = DecisionCircuit.of(a);
    DecisionAir air = (DecisionAir) circuit.air();
    DecisionProgram program = air.program();
    List<Integer> finRows = new ArrayList<>();
    for (int i = 0; i < program.rows().size(); i++) {
      if (program.rows().get(i).op() == Op.FIN) {
        finRows.add(i);
      }
    }
    int firstLayer = a.layerSizes()[1];

    // Search applicants and subsets of first-layer neurons for a forgery that flips the decision.
    SplittableRandom r = new SplittableRandom(5);
    for (int attempt = 0; attempt < 40; attempt++) {
      double[] x = CircuitFixtures.input(m.numFeatures(), r);
      long[] xq = new long[x.length];
      for (int i = 0; i < x.length; i++) {
        xq[i] = a.quantizeInput(i, x[i]);
      }
      long[] inputSalt = QuantizedModel.newSalt(rnd);
      long honestMargin = FixedPointEvaluator.margin(q, xq);
      long[][] honest = circuit.witness(q, pkg.salt(), xq, inputSalt, 0).main();
      for (int mask = 1; mask < (1 << firstLayer); mask++) {
        Map<Integer, Boolean> off = new HashMap<>();
        boolean usable = true;
        for (int k = 0; k < firstLayer; k++) {
          if ((mask >> k & 1) == 1) {
            int fin = finRows.get(k);
            long y = signed(honest[DecisionAir.Y][fin]);
            long rem = limbs(honest, fin);
            usable &= y > 0 && rem >= 1; // only an active neuron with r >= 1 can be switched off
            off.put(fin, true);
          }
        }
        if (!usable) {
          continue;
        }
        long[][] forged = forge(honest, program, off);
        long forgedMargin = signed(forged[DecisionAir.ACC][program.decideRow() + 1]);
        // A threshold between the two margins: the forged trace "decides" the other way.
        if (forgedMargin == honestMargin) {
          continue;
        }
        boolean forgeApproval = forgedMargin > honestMargin;
        if (forgeApproval != wantApproval) {
          continue;
        }
        long t = forgeApproval ? honestMargin + 1 : honestMargin;
        double tValue = a.marginValue(t);
        Policy policy = new Policy(m.link().apply(tValue), Policy.Direction.AT_LEAST);
        long circuitT = policy.circuitThreshold(a);
        boolean truth = honestMargin >= circuitT;
        boolean claim = forgedMargin >= circuitT;
        if (truth == claim) {
          continue; // the threshold did not land between the margins after rounding
        }
        setDecisionLimbs(forged, program, circuitT, claim);
        recountByteTable(forged);
        ProofBundle b = prove(pkg, circuit, air, xq, inputSalt, policy, circuitT, claim, forged);
        DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
            () -> VERIFIER.verify(b, Optional.of(pkg.description().modelCommitment()), NOW),
            "switching off neurons " + Integer.toBinaryString(mask) + " flipped " + truth + " to " + claim);
        assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason(), e.getMessage());
        assertTrue(e.proofReason().isPresent(), e.getMessage());
        assertNotEquals(Optional.of(VerificationException.Reason.MALFORMED), e.proofReason());
        return;
      }
    }
    throw new AssertionError("no applicant and neuron subset flips the decision: the test found no forgery to try");
  }

  /** The field element's signed representative in (-p/2, p/2). */
  private static long signed(long fe) {
    return Long.compareUnsigned(fe, Goldilocks.P >>> 1) > 0 ? fe - Goldilocks.P : fe;
  }

  private static long limbs(long[][] main, int row) {
    long v = 0;
    for (int j = DecisionAir.NUM_LIMBS - 1; j >= 0; j--) {
      v = (v << 8) | main[DecisionAir.LIMB + j][row];
    }
    return v;
  }

  private static void setLimbs(long[][] main, int row, long u) {
    assertTrue(u >= 0 && u < (1L << 56), "limb value out of the 7-limb range: " + u);
    for (int j = 0; j < DecisionAir.NUM_LIMBS; j++) {
      main[DecisionAir.LIMB + j][row] = (u >>> (8 * j)) & 0xFF;
    }
  }

  /**
   * The honest trace with the FIN rows in {@code off} wrapped (y - (2^40 - 2^8), r - 1), their ReLU
   * outputs 0, and every later computation row recomputed from the changed activations: the
   * accumulator chain, FIN/ACT rows, reads of activations, the decision row's accumulator.
   */
  private static long[][] forge(long[][] honest, DecisionProgram program, Map<Integer, Boolean> off) {
    long[][] main = new long[honest.length][];
    for (int c = 0; c < honest.length; c++) {
      main[c] = honest[c].clone();
    }
    List<Row> rows = program.rows();
    Map<Long, Long> activations = new HashMap<>();
    long acc = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      main[DecisionAir.ACC][i] = Goldilocks.fromSigned(acc);
      switch (row.op()) {
        case MAC -> {
          long addr = main[DecisionAir.A2][i];
          if (activations.containsKey(addr)) {
            main[DecisionAir.V2][i] = Goldilocks.fromSigned(activations.get(addr));
          }
          long w = signed(main[DecisionAir.V1][i]);
          long v = signed(main[DecisionAir.V2][i]);
          acc = (row.first() ? 0 : acc) + w * v;
          setLimbs(main, i, v + DecisionAir.MAC_OFFSET); // the MAC row's range check of v2
        }
        case FIN -> {
          long total = acc + signed(main[DecisionAir.V1][i]);
          long y = Math.floorDiv(total, RESCALE);
          long rem = total - y * RESCALE;
          long relu;
          long u;
          if (off.containsKey(i)) {
            // The wrap: y' = y - (2^40 - 2^8), r' = r - 1; y' * 2^24 + r' = y * 2^24 + r (mod p).
            main[DecisionAir.Y][i] = Goldilocks.sub(Goldilocks.fromSigned(y), SHIFT);
            setLimbs(main, i, rem - 1);
            relu = 0;
            main[DecisionAir.BIT][i + 1] = 0;
            u = SHIFT - y - 1; // -y' - 1, about 2^40
          } else {
            main[DecisionAir.Y][i] = Goldilocks.fromSigned(y);
            setLimbs(main, i, rem);
            relu = Math.max(y, 0);
            main[DecisionAir.BIT][i + 1] = y >= 0 ? 1 : 0;
            u = y >= 0 ? y : -y - 1;
          }
          main[DecisionAir.OUT][i + 1] = Goldilocks.fromSigned(relu);
          activations.put(rows.get(i + 1).wa(), relu);
          setLimbs(main, i + 1, u);
        }
        case DECIDE -> acc = acc + signed(main[DecisionAir.V1][i]);
        case ACT, NONE -> { }
        default -> throw new AssertionError("not an MLP row: " + row.op());
      }
    }
    main[DecisionAir.ACC][program.decideRow() + 1] = Goldilocks.fromSigned(acc);
    return main;
  }

  private static void setDecisionLimbs(long[][] main, DecisionProgram program, long t, boolean claim) {
    int dr = program.decideRow() + 1;
    long acc = signed(main[DecisionAir.ACC][dr]);
    setLimbs(main, dr, claim ? acc - t : t - 1 - acc);
  }

  private static void recountByteTable(long[][] main) {
    int n = main[0].length;
    long[] counts = new long[256];
    for (int j = 0; j < DecisionAir.NUM_LIMBS; j++) {
      for (int i = 0; i < n; i++) {
        counts[(int) main[DecisionAir.LIMB + j][i]]++;
      }
    }
    for (int v = 0; v < 256; v++) {
      main[DecisionAir.MTAB][v] = counts[v];
    }
  }

  private static ProofBundle prove(ModelPackage pkg, DecisionCircuit circuit, DecisionAir air, long[] xq,
      long[] inputSalt, Policy policy, long t, boolean claim, long[][] main) {
    DecisionStatement s = new DecisionStatement(DecisionStatement.VERSION, circuit.airId(),
        pkg.description().modelCommitment(), Commitments.toHex(QuantizedModel.inputCommitment(xq, inputSalt)),
        policy, t, claim, CTX);
    byte[] proof = CircuitFixtures.cheatingProof(circuit, s, pkg.description(), main);
    return new ProofBundle(s, pkg.description(), proof);
  }
}
