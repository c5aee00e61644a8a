package io.veridict.examples;

import static io.veridict.verifier.VerificationException.Reason.AIR_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.DEEP_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.FINAL_POLYNOMIAL;
import static io.veridict.verifier.VerificationException.Reason.FRI_LAYER;
import static io.veridict.verifier.VerificationException.Reason.MALFORMED_STATEMENT;
import static io.veridict.verifier.VerificationException.Reason.MERKLE_PATH;
import static io.veridict.verifier.VerificationException.Reason.OOD_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.PROOF_OF_WORK;
import static io.veridict.verifier.VerificationException.Reason.UNACCEPTABLE_OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.Air;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.TreeOpening;
import io.veridict.prover.ConstraintViolationException;
import io.veridict.prover.Prover;
import io.veridict.prover.Prover.InsecureTestFault;
import io.veridict.prover.Witness;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.VerificationException.Reason;
import io.veridict.verifier.Verifier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tampered, false and forged proofs are rejected, each with the reason of the first check it
 * fails. The order of checks is: decoding, statement, options, AIR identity, OOD consistency,
 * proof of work, Merkle openings, DEEP at every query, FRI layers, final polynomial.
 */
class StarkSoundnessTest {
  private static final AcceptablePolicy ANY = AcceptablePolicy.insecureAcceptAnythingForTests();
  private static final Proofs.Statement RANGE = Proofs.range(16, 1000, 11);
  private static final Prover PROVER = Prover.insecureDeterministicForTests(Proofs.fast(true), 5);
  private static final StarkProof VALID = Proofs.prove(PROVER, RANGE);

  private static Reason rejectReason(Proofs.Statement s, StarkProof p) {
    VerificationException e =
        assertThrows(VerificationException.class, () -> Verifier.verify(s.air(), s.publicInputs(), ProofCodec.encode(p), ANY));
    return e.reason();
  }

  @Test
  void validProof_verifies() throws Exception {
    Verifier.verify(RANGE.air(), RANGE.publicInputs(), ProofCodec.encode(VALID), ANY);
  }

  static Stream<Arguments> tamperings() {
    return Stream.of(
        t("main commitment", OOD_MISMATCH, p -> Proofs.with(p, "mainRoot", Proofs.bumped(p.mainRoot(), 0))),
        t("aux commitment", OOD_MISMATCH, p -> Proofs.with(p, "auxRoot", Proofs.bumped(p.auxRoot(), 3))),
        t("composition commitment", OOD_MISMATCH, p -> Proofs.with(p, "compositionRoot", Proofs.bumped(p.compositionRoot(), 1))),
        t("OOD main current", OOD_MISMATCH, p -> Proofs.with(p, "oodMainCurrent", Proofs.bumpedField(p.oodMainCurrent(), 0))),
        t("OOD main next", OOD_MISMATCH, p -> Proofs.with(p, "oodMainNext", Proofs.bumpedField(p.oodMainNext(), 2))),
        t("OOD aux current", OOD_MISMATCH, p -> Proofs.with(p, "oodAuxCurrent", Proofs.bumpedField(p.oodAuxCurrent(), 1))),
        t("OOD aux next", OOD_MISMATCH, p -> Proofs.with(p, "oodAuxNext", Proofs.bumpedField(p.oodAuxNext(), 0))),
        t("OOD quotient chunk", OOD_MISMATCH, p -> Proofs.with(p, "oodQuotientChunks", Proofs.bumpedField(p.oodQuotientChunks(), 2))),
        // A changed FRI root changes the proof-of-work seed; the old nonce still meets the 6 test
        // bits with probability 2^-6 (then the openings fail: MERKLE_PATH), so which word is
        // bumped is fixed for this statement and seed.
        t("FRI layer commitment", PROOF_OF_WORK, p -> Proofs.with(p, "friRoots", Proofs.replaced(p.friRoots(), 0, Proofs.bumped(p.friRoots().get(0), 0)))),
        t("final polynomial", PROOF_OF_WORK, p -> Proofs.with(p, "finalPolynomial", Proofs.bumpedField(p.finalPolynomial(), 0))),
        t("proof-of-work nonce", PROOF_OF_WORK, p -> Proofs.with(p, "powNonce", p.powNonce() + 1)),
        t("main opening value", MERKLE_PATH, p -> Proofs.with(p, "mainOpening", Proofs.bumpValue(p.mainOpening(), 1))),
        t("main opening salt", MERKLE_PATH, p -> Proofs.with(p, "mainOpening", Proofs.bumpSalt(p.mainOpening(), 0))),
        t("main opening node", MERKLE_PATH, p -> Proofs.with(p, "mainOpening", Proofs.bumpNode(p.mainOpening(), 5))),
        t("aux opening value", MERKLE_PATH, p -> Proofs.with(p, "auxOpening", Proofs.bumpValue(p.auxOpening(), 0))),
        t("aux opening node", MERKLE_PATH, p -> Proofs.with(p, "auxOpening", Proofs.bumpNode(p.auxOpening(), 0))),
        t("composition opening value", MERKLE_PATH, p -> Proofs.with(p, "compositionOpening", Proofs.bumpValue(p.compositionOpening(), 3))),
        t("composition opening salt", MERKLE_PATH, p -> Proofs.with(p, "compositionOpening", Proofs.bumpSalt(p.compositionOpening(), 1))),
        t("FRI layer 0 value", MERKLE_PATH, p -> Proofs.with(p, "friOpenings", Proofs.replaced(p.friOpenings(), 0, Proofs.bumpValue(p.friOpenings().get(0), 2)))),
        t("FRI layer 1 node", MERKLE_PATH, p -> Proofs.with(p, "friOpenings", Proofs.replaced(p.friOpenings(), 1, Proofs.bumpNode(p.friOpenings().get(1), 0)))),
        t("last FRI layer value", MERKLE_PATH, p -> {
          int last = p.friOpenings().size() - 1;
          return Proofs.with(p, "friOpenings", Proofs.replaced(p.friOpenings(), last, Proofs.bumpValue(p.friOpenings().get(last), 0)));
        }),
        t("AIR identity", AIR_MISMATCH, p -> {
          byte[] id = p.airId().clone();
          id[0] ^= 1;
          return Proofs.with(p, "airId", id);
        }),
        t("trace length", AIR_MISMATCH, p -> Proofs.with(p, "logTraceLength", p.logTraceLength() + 1)),
        t("options (bound into the transcript)", OOD_MISMATCH, p -> Proofs.with(p, "options", withQueries(p.options(), p.options().numQueries() + 1))));
  }

  private static ProofOptions withQueries(ProofOptions o, int q) {
    return ProofOptions.insecureForTests(
        o.hash(), o.extension(), o.logBlowup(), q, o.grindingBits(), o.foldingArity(), o.logFinalPolyMinLength(), o.zeroKnowledge());
  }

  private static Arguments t(String region, Reason reason, UnaryOperator<StarkProof> mutation) {
    return Arguments.of(region, reason, mutation);
  }

  @ParameterizedTest(name = "tampered {0} -> {1}")
  @MethodSource("tamperings")
  void tamperedRegion_isRejectedWithItsReason(String region, Reason expected, UnaryOperator<StarkProof> mutation) {
    assertEquals(expected, rejectReason(RANGE, mutation.apply(VALID)), region);
  }

  @Test
  void everyOpenedValueOfEveryTree_isAuthenticated() {
    // Not just one position: every value of every opening is covered by a Merkle check.
    for (String tree : new String[] {"mainOpening", "auxOpening", "compositionOpening"}) {
      TreeOpening open = componentOpening(VALID, tree);
      for (int i = 0; i < open.values().length; i += Math.max(1, open.values().length / 16)) {
        assertEquals(MERKLE_PATH, rejectReason(RANGE, Proofs.with(VALID, tree, Proofs.bumpValue(open, i))), tree + " value " + i);
      }
    }
    for (int layer = 0; layer < VALID.friOpenings().size(); layer++) {
      TreeOpening open = VALID.friOpenings().get(layer);
      for (int i = 0; i < open.values().length; i += Math.max(1, open.values().length / 8)) {
        StarkProof bad = Proofs.with(VALID, "friOpenings", Proofs.replaced(VALID.friOpenings(), layer, Proofs.bumpValue(open, i)));
        assertEquals(MERKLE_PATH, rejectReason(RANGE, bad), "FRI layer " + layer + " value " + i);
      }
    }
  }

  private static TreeOpening componentOpening(StarkProof p, String name) {
    return switch (name) {
      case "mainOpening" -> p.mainOpening();
      case "auxOpening" -> p.auxOpening();
      default -> p.compositionOpening();
    };
  }

  // --- faults injected by a cheating prover: each verifier check is live ------------------------

  @Test
  void corruptedDeepCodeword_isCaughtAtTheQueries() {
    // Half the codeword is wrong; a verifier that checked DEEP at only one query would accept half
    // the time (REFERENCES pitfall 4). Several seeds, all must be rejected.
    for (long seed = 1; seed <= 6; seed++) {
      Prover cheat = Prover.insecureDeterministicForTests(Proofs.fast(true), seed)
          .insecureWithFaultForTests(InsecureTestFault.CORRUPT_DEEP_ODD_POSITIONS);
      assertEquals(DEEP_MISMATCH, rejectReason(RANGE, Proofs.prove(cheat, RANGE)), "seed " + seed);
    }
  }

  @Test
  void corruptedFriLayer_isCaught() {
    Prover cheat = PROVER.insecureWithFaultForTests(InsecureTestFault.CORRUPT_FRI_LAYER_1);
    StarkProof p = Proofs.prove(cheat, RANGE);
    assertTrue(p.friRoots().size() >= 2);
    assertEquals(FRI_LAYER, rejectReason(RANGE, p));
  }

  @Test
  void corruptedFinalPolynomial_isCaught() {
    // REFERENCES pitfall 5: the final polynomial is checked against the queried values.
    Prover cheat = PROVER.insecureWithFaultForTests(InsecureTestFault.CORRUPT_FINAL_POLYNOMIAL);
    assertEquals(FINAL_POLYNOMIAL, rejectReason(RANGE, Proofs.prove(cheat, RANGE)));
  }

  // --- false statements -------------------------------------------------------------------------

  @Test
  void wrongPublicInput_isRejected() {
    Proofs.Statement fib = Proofs.fibonacci(8);
    byte[] proof = Prover.create(Proofs.fast(true)).prove(fib.air(), fib.publicInputs(), fib.witness());
    long[] wrong = {io.veridict.core.field.Goldilocks.add(fib.publicInputs()[0], 1)};
    VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(fib.air(), wrong, proof, ANY));
    assertEquals(OOD_MISMATCH, e.reason());
    VerificationException e2 = assertThrows(VerificationException.class, () -> Verifier.verify(fib.air(), new long[0], proof, ANY));
    assertEquals(MALFORMED_STATEMENT, e2.reason());
    VerificationException e3 = assertThrows(VerificationException.class, () -> Verifier.verify(fib.air(), new long[] {-1L}, proof, ANY));
    assertEquals(MALFORMED_STATEMENT, e3.reason());
  }

  @Test
  void proofForAnotherAir_isRejected() {
    Proofs.Statement fib = Proofs.fibonacci(8);
    byte[] proof = Prover.create(Proofs.fast(true)).prove(fib.air(), fib.publicInputs(), fib.witness());
    Air other = new FibonacciAir(9);
    VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(other, fib.publicInputs(), proof, ANY));
    assertEquals(AIR_MISMATCH, e.reason());
  }

  @ParameterizedTest(name = "violated {0} constraint, forced past the prover's check")
  @ValueSource(strings = {"transition", "boundary", "lookup"})
  void witnessViolatingOneConstraint_yieldsARejectedProof(String which) {
    Proofs.Statement s;
    switch (which) {
      case "transition" -> {
        long[][] t = FibonacciAir.trace(8);
        t[0][100] = io.veridict.core.field.Goldilocks.add(t[0][100], 1);
        s = new Proofs.Statement(new FibonacciAir(8), new long[] {FibonacciAir.result(8)}, () -> t);
      }
      case "boundary" -> {
        Proofs.Statement ok = Proofs.fibonacci(8);
        s = new Proofs.Statement(ok.air(), new long[] {12345}, ok.witness());
      }
      default -> {
        // A value outside [0, 2^16): the LogUp sum cannot close.
        RangeCheckAir air = new RangeCheckAir(16);
        long[] values = RangeCheckAir.exampleValues(100, 3);
        values[17] = RangeCheckAir.RANGE + 5;
        s = new Proofs.Statement(air, new long[0], air.witness(values));
      }
    }
    Proofs.Statement fs = s;
    Prover honest = Prover.create(Proofs.fast(true));
    assertThrows(ConstraintViolationException.class, () -> honest.prove(fs.air(), fs.publicInputs(), fs.witness()));
    Prover forced = honest.insecureSkippingWitnessCheckForTests();
    byte[] proof = forced.prove(s.air(), s.publicInputs(), s.witness());
    VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(fs.air(), fs.publicInputs(), proof, ANY));
    assertEquals(OOD_MISMATCH, e.reason());
  }

  @Test
  void proverNamesTheViolatedConstraintAndRow() {
    long[][] t = FibonacciAir.trace(8);
    t[1][77] = io.veridict.core.field.Goldilocks.add(t[1][77], 1);
    Witness w = () -> t;
    ConstraintViolationException e =
        assertThrows(ConstraintViolationException.class,
            () -> Prover.create(Proofs.fast(true)).prove(new FibonacciAir(8), new long[] {FibonacciAir.result(8)}, w));
    // Row 76 -> 77 breaks b' = a + 2b (constraint 1) first.
    assertEquals(ConstraintViolationException.Kind.TRANSITION, e.kind());
    assertEquals(1, e.constraintIndex());
    assertEquals(76, e.row());
  }

  // --- options policy ---------------------------------------------------------------------------

  @Test
  void insecureOptions_areRefusedByTheDefaultPolicy() {
    Proofs.Statement fib = Proofs.fibonacci(8);
    byte[] proof = Prover.create(Proofs.fast(true)).prove(fib.air(), fib.publicInputs(), fib.witness());
    VerificationException e =
        assertThrows(VerificationException.class, () -> Verifier.verify(fib.air(), fib.publicInputs(), proof, AcceptablePolicy.standard()));
    assertEquals(UNACCEPTABLE_OPTIONS, e.reason());
  }

  @Test
  void standardProof_isRefusedByTheHighPolicy() throws Exception {
    Proofs.Statement fib = Proofs.fibonacci(10);
    byte[] proof = Prover.create(ProofOptions.standard()).prove(fib.air(), fib.publicInputs(), fib.witness());
    Verifier.verify(fib.air(), fib.publicInputs(), proof, AcceptablePolicy.standard());
    VerificationException e =
        assertThrows(VerificationException.class, () -> Verifier.verify(fib.air(), fib.publicInputs(), proof, AcceptablePolicy.high()));
    assertEquals(UNACCEPTABLE_OPTIONS, e.reason());
  }

  @Test
  void aStandardProofOfATooSmallTrace_isRefusedForFallingBelowTheFloor() {
    // With zero knowledge the rate is (n + h)/N: at 2^8 rows the standard profile gives about
    // 97 conjectured bits, below the standard policy's 100.
    Proofs.Statement fib = Proofs.fibonacci(8);
    byte[] proof = Prover.create(ProofOptions.standard()).prove(fib.air(), fib.publicInputs(), fib.witness());
    VerificationException e =
        assertThrows(VerificationException.class, () -> Verifier.verify(fib.air(), fib.publicInputs(), proof, AcceptablePolicy.standard()));
    assertEquals(UNACCEPTABLE_OPTIONS, e.reason());
    assertTrue(e.getMessage().contains("conjectured bits"), e.getMessage());
  }

  @Test
  void nonZeroKnowledgeProof_isRefusedWhenPolicyRequiresIt() {
    Proofs.Statement fib = Proofs.fibonacci(8);
    byte[] proof = Prover.create(ProofOptions.standard().withoutZeroKnowledgeForBenchmarks())
        .prove(fib.air(), fib.publicInputs(), fib.witness());
    VerificationException e = assertThrows(VerificationException.class,
        () -> Verifier.verify(fib.air(), fib.publicInputs(), proof, AcceptablePolicy.standard().requiringZeroKnowledge()));
    assertEquals(UNACCEPTABLE_OPTIONS, e.reason());
  }
}
