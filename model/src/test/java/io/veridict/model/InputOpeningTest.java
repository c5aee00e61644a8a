package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The applicant's input opening (issue 15, defect 5): it opens exactly the input commitment of the
 * decision it came with, and no edited feature, salt, subject or other decision.
 */
class InputOpeningTest {
  static ModelPackage pkg;
  static DecisionProver.Result one;
  static DecisionProver.Result two;

  @BeforeAll
  static void prove() {
    FloatModel m = CircuitFixtures.linear(6, 4);
    double[] bounds = new double[m.numFeatures()];
    Arrays.fill(bounds, 64);
    pkg = ModelPackage.create(Quantizer.quantize(m, bounds), "lin", "test", "00", OptionalDouble.empty(), new SecureRandom());
    DecisionProver p = DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 9);
    SplittableRandom r = new SplittableRandom(3);
    Policy policy = new Policy(0.5, Policy.Direction.AT_LEAST);
    one = p.prove(pkg, CircuitFixtures.input(6, r), policy,
        new Context(1, "0x1111111111111111111111111111111111111111", "p", "n1", 0));
    two = p.prove(pkg, CircuitFixtures.input(6, r), policy,
        new Context(1, "0x1111111111111111111111111111111111111111", "p", "n2", 0));
  }

  @Test
  void anHonestOpening_opensItsDecision_andSurvivesItsFileFormat() throws Exception {
    assertDoesNotThrow(() -> one.opening().check(one.bundle()));
    InputOpening back = InputOpening.fromJsonBytes(one.opening().toJsonBytes());
    assertEquals(one.opening(), back);
    assertDoesNotThrow(() -> back.check(one.bundle()));
    assertTrue(!new String(one.bundle().toJsonBytes()).contains("\"salt\""), "the bundle never carries it");
  }

  @Test
  void everyEdit_andAnotherDecisionsOpening_isInputOpeningMismatch() {
    InputOpening o = one.opening();
    long[] x = o.quantizedFeatures();
    x[2] += 1;
    long[] salt = o.salt();
    salt[0] ^= 1;
    InputOpening[] wrong = {
      new InputOpening(o.inputCommitment(), o.modelCommitment(), o.airId(), o.subject(), o.featureNames(), x, o.salt()),
      new InputOpening(o.inputCommitment(), o.modelCommitment(), o.airId(), o.subject(), o.featureNames(),
          o.quantizedFeatures(), salt),
      new InputOpening(o.inputCommitment(), o.modelCommitment(), o.airId(), "0x2222222222222222222222222222222222222222",
          o.featureNames(), o.quantizedFeatures(), o.salt()),
      two.opening(),
    };
    for (InputOpening w : wrong) {
      DecisionVerificationException e = assertThrows(DecisionVerificationException.class, () -> w.check(one.bundle()));
      assertEquals(DecisionVerificationException.Reason.INPUT_OPENING_MISMATCH, e.reason(), e.getMessage());
    }
  }

  /**
   * The circuit bounds a committed feature to its fixed-point window only; a lender who proves on a
   * value outside the declared range (here inside the window, so the proof verifies) is caught by
   * the applicant's opening, which names the feature.
   */
  @Test
  void anOpenedFeatureOutsideTheDeclaredRange_isInputOpeningMismatch_namingIt() throws Exception {
    FloatModel m = CircuitFixtures.linear(3, 5);
    java.util.List<ModelDescription.InputRange> ranges = java.util.List.of(
        new ModelDescription.InputRange(-12, 12), new ModelDescription.InputRange(0, 5), new ModelDescription.InputRange(-1, 1));
    ModelPackage ranged = ModelPackage.create(Quantizer.quantize(m, new double[] {24, 10, 2}), "lin", "test", "00",
        OptionalDouble.empty(), ranges, new SecureRandom());
    ModelArchitecture a = ranged.model().architecture();
    long[] x = {a.quantizeInput(0, 3), a.quantizeInput(1, 7.5), a.quantizeInput(2, 0)};
    DecisionProver p = DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 9);
    Context ctx = new Context(1, "0x1111111111111111111111111111111111111111", "p", "n3", 0);
    DecisionProver.Result r = p.proveQuantized(ranged, x, new Policy(0.5, Policy.Direction.AT_LEAST), ctx, null);
    assertDoesNotThrow(() -> DecisionVerifier.withPolicy(io.veridict.verifier.AcceptablePolicy.insecureAcceptAnythingForTests())
        .verify(r.bundle(), java.util.Optional.of(ranged.description().modelCommitment()), java.time.Instant.now()));
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class, () -> r.opening().check(r.bundle()));
    assertEquals(DecisionVerificationException.Reason.INPUT_OPENING_MISMATCH, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("'f1'") && e.getMessage().contains("[0.0, 5.0]"), e.getMessage());
    // The range's ends themselves are in the domain.
    long[] ends = {a.quantizeInput(0, -12), a.quantizeInput(1, 5), a.quantizeInput(2, 1)};
    DecisionProver.Result ok = p.proveQuantized(ranged, ends, new Policy(0.5, Policy.Direction.AT_LEAST), ctx, null);
    assertDoesNotThrow(() -> ok.opening().check(ok.bundle()));
  }

  @Test
  void malformedFilesAreRefusedWithTheFieldNamed() {
    String good = new String(one.opening().toJsonBytes());
    for (String bad : new String[] {
        good.replace("\"format\" : \"veridict-input-opening\"", "\"format\" : \"veridict-bundle\""),
        good.replaceFirst("\"quantized\" : -?[0-9]+", "\"quantized\" : 99999999999"),
        good.replaceFirst("\"subject\"", "\"subject\" : \"x\", \"extra\""),
        "[]", "{"}) {
      assertThrows(IllegalArgumentException.class, () -> InputOpening.fromJsonBytes(bad.getBytes()), bad);
    }
  }
}
