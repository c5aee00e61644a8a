package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.DecisionVerificationException.Reason;
import io.veridict.verifier.AcceptablePolicy;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model commitment covers what the parameters mean (issue 15, defects 1 and 2; REFERENCES
 * pitfalls 23 and 25): {@code modelCommitment = RPO-256(parameterCommitment || descriptionDigest)}.
 * Every field of a bundle's model description, of {@code model.public.json} and of {@code
 * model.private.json} is edited, and each edit is rejected with a named reason — also the "consistent"
 * forgeries that recompute every derived value, against the commitment a verifier expects.
 */
class ModelDescriptionBindingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX = new Context(31337, "0x1111111111111111111111111111111111111111", "p", "n", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  static ModelPackage mlp;
  static ModelPackage trees;
  static ProofBundle mlpBundle;
  static ProofBundle treeBundle;

  @BeforeAll
  static void prove() {
    mlp = pkg(CircuitFixtures.mlp(new int[] {6, 5, 3, 1}, 12));
    trees = pkg(CircuitFixtures.trees(7, 6, 3, 13));
    mlpBundle = proveOne(mlp);
    treeBundle = proveOne(trees);
  }

  private static ModelPackage pkg(FloatModel m) {
    double[] bounds = new double[m.numFeatures()];
    Arrays.fill(bounds, 64);
    return ModelPackage.create(Quantizer.quantize(m, bounds), "approved-v1", "test", "ab".repeat(32),
        OptionalDouble.of(0.5), new SecureRandom());
  }

  private static ProofBundle proveOne(ModelPackage p) {
    double[] x = CircuitFixtures.input(p.model().architecture().numFeatures(), new java.util.SplittableRandom(7));
    Policy policy = new Policy(0.5, Policy.Direction.AT_LEAST);
    return DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 3).prove(p, x, policy, CTX).bundle();
  }

  private static ObjectNode tree(byte[] bytes) {
    try {
      return (ObjectNode) JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(ObjectNode o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One edit of a model description object, and the reasons it may be rejected with. */
  record Edit(String field, Consumer<ObjectNode> apply, Set<Reason> reasons) {
    @Override
    public String toString() {
      return field;
    }
  }

  private static ObjectNode arch(ObjectNode d) {
    return (ObjectNode) d.get("architecture");
  }

  private static void bumpFirst(ObjectNode o, String key) {
    ArrayNode a = (ArrayNode) o.get(key);
    a.set(0, a.get(0).intValue() + 1);
  }

  /** Every field of the description: a field that changes the circuit is caught by the air id. */
  static List<Edit> edits() {
    Set<Reason> described = EnumSet.of(Reason.MODEL_DESCRIPTION_MISMATCH);
    Set<Reason> circuit = EnumSet.of(Reason.AIR_ID_MISMATCH, Reason.MALFORMED_BUNDLE);
    return List.of(
        new Edit("name", d -> d.put("name", "approved-v2"), described),
        new Edit("source_format", d -> d.put("source_format", "onnx"), described),
        new Edit("source_sha256", d -> d.put("source_sha256", "cd".repeat(32)), described),
        new Edit("suggested_threshold", d -> d.put("suggested_threshold", 0.1), described),
        new Edit("features[0]", d -> ((ArrayNode) arch(d).get("features")).set(0, "salary"), described),
        new Edit("input_exponents[0]", d -> bumpFirst(arch(d), "input_exponents"), described),
        new Edit("margin_exponent", d -> arch(d).put("margin_exponent", arch(d).get("margin_exponent").intValue() - 92),
            EnumSet.of(Reason.MODEL_DESCRIPTION_MISMATCH, Reason.THRESHOLD_MISMATCH)),
        new Edit("link", d -> arch(d).put("link", arch(d).get("link").textValue().equals("identity") ? "logistic" : "identity"),
            EnumSet.of(Reason.MODEL_DESCRIPTION_MISMATCH, Reason.THRESHOLD_MISMATCH)),
        new Edit("family", d -> arch(d).put("family", "linear"), circuit),
        new Edit("layer_sizes", d -> arch(d).putArray("layer_sizes").add(6).add(1), circuit),
        new Edit("num_trees", d -> arch(d).put("num_trees", 9), circuit),
        new Edit("tree_depth", d -> arch(d).put("tree_depth", 2), circuit),
        new Edit("air_id", d -> d.put("air_id", "00".repeat(32)), EnumSet.of(Reason.AIR_ID_MISMATCH)),
        new Edit("parameter_commitment", d -> d.put("parameter_commitment", "0x" + "0".repeat(63) + "1"), described),
        new Edit("model_commitment", d -> d.put("model_commitment", "0x" + "0".repeat(63) + "1"),
            EnumSet.of(Reason.MODEL_MISMATCH)),
        new Edit("trace_rows", d -> d.put("trace_rows", d.get("trace_rows").intValue() * 2),
            EnumSet.of(Reason.MALFORMED_BUNDLE)),
        new Edit("score_error_bound", d -> d.put("score_error_bound", d.get("score_error_bound").longValue() / 2),
            described),
        new Edit("input_ranges", d -> {
          ArrayNode r = d.putArray("input_ranges");
          for (int i = 0; i < arch(d).get("features").size(); i++) {
            r.addArray().add(-1e9).add(1e9);
          }
        }, described));
  }

  static Stream<Arguments> bundleEdits() {
    return edits().stream().flatMap(e -> Stream.of(Arguments.of("mlp", e), Arguments.of("trees", e)));
  }

  private static DecisionVerificationException rejected(byte[] bundle, Optional<String> expected) {
    return assertThrows(DecisionVerificationException.class, () -> VERIFIER.verify(bundle, expected, NOW));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("bundleEdits")
  void everyFieldOfABundlesModelDescription_isBound(String family, Edit edit) {
    ProofBundle b = family.equals("mlp") ? mlpBundle : treeBundle;
    assertDoesNotThrow(() -> VERIFIER.verify(b, Optional.of(b.model().modelCommitment()), NOW));
    ObjectNode o = tree(b.toJsonBytes());
    edit.apply().accept((ObjectNode) o.get("model"));
    DecisionVerificationException e = rejected(bytes(o), Optional.empty());
    assertTrue(edit.reasons().contains(e.reason()), edit + ": " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("bundleEdits")
  void aConsistentForgery_recomputingTheModelCommitment_isNotTheExpectedModel(String family, Edit edit) {
    if (edit.field().equals("model_commitment") || edit.field().equals("air_id") || edit.field().equals("trace_rows")) {
      return; // derived values themselves: covered above
    }
    ProofBundle b = family.equals("mlp") ? mlpBundle : treeBundle;
    ObjectNode o = tree(b.toJsonBytes());
    ObjectNode model = (ObjectNode) o.get("model");
    edit.apply().accept(model);
    ModelDescription edited;
    try {
      model.remove("trace_rows");
      edited = ModelDescription.fromJson(model, "model");
    } catch (IllegalArgumentException unparsable) {
      return; // e.g. a shape that no longer compiles: nothing to forge
    }
    // The forger recomputes the commitment of the edited description in the description and the
    // statement alike.
    String forgedCommitment = edited.expectedModelCommitment();
    model.put("model_commitment", forgedCommitment);
    ((ObjectNode) o.get("statement")).put("model_commitment", forgedCommitment);
    assertNotEquals(b.model().modelCommitment(), forgedCommitment, edit + " kept the commitment");
    DecisionVerificationException e = rejected(bytes(o), Optional.of(b.model().modelCommitment()));
    assertTrue(EnumSet.of(Reason.MODEL_MISMATCH, Reason.AIR_ID_MISMATCH, Reason.MALFORMED_BUNDLE,
        Reason.THRESHOLD_MISMATCH).contains(e.reason()), edit + ": " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void everyFieldOfThePrivatePackage_isBound_beforeProving(Edit edit) {
    ObjectNode o = tree(mlp.toJsonBytes());
    edit.apply().accept((ObjectNode) o.get("description"));
    // Loading refuses the edited package outright: its description no longer hashes to its
    // commitment (or the parameters no longer fit the architecture).
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelPackage.fromJsonBytes(bytes(o)));
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), edit.toString());
  }

  @Test
  void aLenderWhoRecommitsAnEditedPrivatePackage_provesForAnotherModel() throws Exception {
    // Defect 1 end to end: margin exponent 32 -> -60 would turn a 0.82 into "at least 0.9". The
    // forger edits the private package and recomputes its model commitment so it loads and proves.
    ObjectNode o = tree(mlp.toJsonBytes());
    ObjectNode d = (ObjectNode) o.get("description");
    arch(d).put("margin_exponent", arch(d).get("margin_exponent").intValue() - 92);
    d.remove("trace_rows");
    ModelDescription edited = ModelDescription.fromJson(d, "description");
    d.put("model_commitment", edited.expectedModelCommitment());
    ModelPackage forged = ModelPackage.fromJsonBytes(bytes(o));
    assertEquals(mlp.description().parameterCommitment(), forged.description().parameterCommitment(),
        "same parameters, same salt");
    ProofBundle b = proveOne(forged);
    assertDoesNotThrow(() -> VERIFIER.verify(b, Optional.empty(), NOW), "a proof about the edited model itself");
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(b, Optional.of(mlp.description().modelCommitment()), NOW));
    assertEquals(Reason.MODEL_MISMATCH, e.reason(), e.getMessage());
  }

  @Test
  void oneParameterTape_readAsAnotherArchitecture_hasAnotherModelCommitment() {
    // Defect 2: the MLP's parameters (and salt) read as a linear model over as many weights.
    ModelArchitecture a = mlp.model().architecture();
    int weights = a.numParameters() - 1;
    List<String> names = new java.util.ArrayList<>();
    int[] exps = new int[weights];
    for (int i = 0; i < weights; i++) {
      names.add("x" + i);
      exps[i] = a.inputExponents()[0];
    }
    ModelArchitecture linear = new ModelArchitecture(ModelArchitecture.Family.LINEAR, names, exps,
        a.marginExponent(), a.link(), new int[] {weights, 1}, 0, 0);
    // Same tape length, so the same parameters and salt give the same parameter commitment (the
    // tape is parameters || salt, whatever reads it): that alone cannot tell the readings apart.
    assertEquals(a.numParameters(), linear.numParameters());
    ModelDescription d = mlp.description();
    ModelDescription draft = new ModelDescription(d.name(), d.sourceFormat(), d.sourceSha256(), linear,
        DecisionCircuit.of(linear).airId(), d.parameterCommitment(), d.modelCommitment(), d.suggestedThreshold());
    assertTrue(!draft.commitmentMatches(), "the MLP's model commitment does not describe the linear reading");
    assertNotEquals(d.modelCommitment(), draft.expectedModelCommitment());
  }

  @Test
  void aVersionOneDescription_isRefusedWithAReimportHint() {
    ObjectNode o = tree(mlpBundle.toJsonBytes());
    ((ObjectNode) o.get("model")).put("version", 1);
    DecisionVerificationException e = rejected(bytes(o), Optional.empty());
    assertEquals(Reason.MALFORMED_BUNDLE, e.reason());
    assertTrue(e.getMessage().contains("re-import"), e.getMessage());
  }
}
