package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code model import}, {@code model inspect}, {@code prove}, {@code verify BUNDLE} and {@code bench
 * model} end to end on a tiny scorecard: JSON keys, secrecy of the outputs, and exit codes.
 */
class ModelCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Scores: a < 10 earns 20 else -5; b < 0.5 earns -10 else 15; base 600; approve at >= 620. */
  static final String SCORECARD = """
      {"format":"veridict-scorecard","version":1,"name":"t","base_score":600,"cutoff":620,
       "features":[{"name":"a","bins":[{"upper":10,"points":20},{"upper":null,"points":-5}]},
                   {"name":"b","bins":[{"upper":0.5,"points":-10},{"upper":null,"points":15}]}]}
      """;

  /** Values well away from the bin edges: float and fixed-point decisions agree on every row. */
  static final String CSV = """
      a,b,label
      3,0.9,1
      12,0.1,0
      4,0.2,0
      11,0.8,0
      2,0.7,1
      7.5,0.25,0
      """;

  @TempDir static Path shared;
  static Path card;
  static Path csv;
  static Path modelDir;
  static Path bundle;
  static String commitment;

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out.trim());
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
    ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (PrintStream o = new PrintStream(sysOut, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(sysErr, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      CommandLine cl = VeridictMain.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int exit = cl.execute(args);
      return new Run(exit, out + sysOut.toString(StandardCharsets.UTF_8), err + sysErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static String s(Path p) {
    return p.toString();
  }

  @BeforeAll
  static void importAndProve() throws Exception {
    card = shared.resolve("card.json");
    csv = shared.resolve("data.csv");
    Files.writeString(card, SCORECARD);
    Files.writeString(csv, CSV);
    modelDir = shared.resolve("model");
    Run imp = run("model", "import", s(card), "--out", s(modelDir), "--dataset", s(csv), "--label", "label",
        "--positive", "1", "--json");
    assertEquals(0, imp.exit(), imp.toString());
    JsonNode j = imp.json();
    for (String k : List.of("decision_agreement", "max_abs_score_error", "mean_abs_score_error", "rows", "rows_skipped",
        "auc", "accuracy", "threshold", "model_commitment", "air_id", "trace_rows", "family", "out")) {
      assertTrue(j.has(k), "missing " + k + " in " + imp.out());
    }
    assertEquals(6, j.get("rows").asInt());
    assertEquals(1.0, j.get("decision_agreement").asDouble());
    assertEquals(620.0, j.get("threshold").asDouble(), "the scorecard's cutoff is the default threshold");
    assertEquals("scorecard", j.get("family").asText());
    // Bin edges 10 and 0.5 are exact in fixed point: the bound is the leaves' and the base's rounding.
    assertEquals(SCORE_ERROR_BOUND, j.get("score_error_bound").asLong(), imp.out());
    assertTrue(j.get("score_error_bound_margin").asDouble() > 0 && j.get("score_error_bound_margin").asDouble() < 1e-6,
        imp.out());
    commitment = j.get("model_commitment").asText();
    assertTrue(commitment.matches("0x[0-9a-f]{64}"), commitment);

    Path features = shared.resolve("applicant.json");
    Files.writeString(features, "{\"b\": 0.9, \"a\": 3}");
    bundle = shared.resolve("decision.bundle.json");
    Run prove = run("prove", "--model", s(modelDir), "--features", s(features), "--threshold", "620",
        "--subject", "0x1111111111111111111111111111111111111111", "--chain-id", "31337", "--policy", "loans-v1",
        "--expires-in", "3600", "--out", s(bundle), "--json");
    assertEquals(0, prove.exit(), prove.toString());
    JsonNode p = prove.json();
    for (String k : List.of("decision", "bundle", "prove_ms", "proof_bytes", "bundle_bytes", "model_commitment",
        "input_commitment", "air_id", "profile", "guard_band", "clear_of_quantization_error")) {
      assertTrue(p.has(k), "missing " + k + " in " + prove.out());
    }
    assertTrue(p.get("decision").asBoolean(), "600 + 20 + 15 = 635 >= 620");
    assertEquals(commitment, p.get("model_commitment").asText());
    assertEquals("standard", p.get("profile").asText());
    assertEquals(Files.size(bundle), p.get("bundle_bytes").asLong());
    // 635 clears 620 by far more than the worst-case score error: certified, with the guard band.
    assertTrue(p.get("clear_of_quantization_error").asBoolean(), prove.out());
    assertEquals(SCORE_ERROR_BOUND, p.get("guard_band").asLong(), prove.out());
  }

  /** The test scorecard's worst-case score error: 0.5 per leaf and for the base, rounded up. */
  static final long SCORE_ERROR_BOUND = 2;

  @Test
  void aDecisionAtTheThreshold_isRefusedUnderRefuse_andProvedUncertifiedUnderFlag(@TempDir Path dir) throws Exception {
    // Issue 15, defect 7: the applicant's score is 635; at threshold 635 the margin is within the
    // worst-case score error of the threshold, where the quantized and the imported model may differ.
    Path features = dir.resolve("applicant.json");
    Files.writeString(features, "{\"a\": 3, \"b\": 0.9}");
    Path refused = dir.resolve("refused.bundle.json");
    Run r = run("prove", "--model", s(modelDir), "--features", s(features), "--threshold", "635",
        "--near-threshold", "refuse", "--out", s(refused));
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.err().contains("within the model's worst-case score error") && r.err().contains("--near-threshold flag"),
        r.toString());
    assertFalse(r.err().contains("635"), "never the score (nor its fixed-point margin): " + r);
    assertFalse(Files.exists(refused) || Files.exists(dir.resolve("refused.opening.json")), "nothing is written");
    assertEquals(2, run("prove", "--model", s(modelDir), "--features", s(features), "--threshold", "635",
        "--near-threshold", "maybe", "--out", s(refused)).exit());

    Path flagged = dir.resolve("flagged.bundle.json");
    Run f = run("prove", "--model", s(modelDir), "--features", s(features), "--threshold", "635",
        "--near-threshold", "flag", "--out", s(flagged), "--json");
    assertEquals(0, f.exit(), f.toString());
    assertTrue(f.json().get("decision").asBoolean(), "635 >= 635");
    assertFalse(f.json().get("clear_of_quantization_error").asBoolean(), f.out());
    assertEquals(0, f.json().get("guard_band").asLong(), f.out());
    // flag is the default; the text says the decision is not certified.
    Run text = run("prove", "--model", s(modelDir), "--features", s(features), "--threshold", "635",
        "--out", s(dir.resolve("default.bundle.json")));
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().contains("Quantization error: NOT certified clear"), text.out());

    Run v = run("verify", s(flagged), "--json");
    assertEquals(0, v.exit(), v.toString());
    assertTrue(v.json().get("verified").asBoolean());
    assertFalse(v.json().get("clear_of_quantization_error").asBoolean(), v.out());
    assertEquals(SCORE_ERROR_BOUND, v.json().get("score_error_bound").asLong(), v.out());
    Run vt = run("verify", s(flagged));
    assertEquals(0, vt.exit(), vt.toString());
    assertTrue(vt.out().contains("quantization error:   NOT certified clear"), vt.out());

    Run strict = run("verify", s(flagged), "--require-clear-margin", "--json");
    assertEquals(1, strict.exit(), strict.toString());
    assertFalse(strict.json().get("verified").asBoolean());
    assertEquals("WITHIN_QUANTIZATION_ERROR", strict.json().get("reason").asText(), strict.out());
    Run strictText = run("verify", s(flagged), "--require-clear-margin");
    assertEquals(1, strictText.exit(), strictText.toString());
    assertTrue(strictText.out().startsWith("REJECTED (WITHIN_QUANTIZATION_ERROR): "), strictText.out());
  }

  @Test
  void aDecisionClearOfTheThreshold_passesRequireClearMargin() throws Exception {
    Run v = run("verify", s(bundle), "--expect-model", commitment, "--require-clear-margin", "--json");
    assertEquals(0, v.exit(), v.toString());
    assertTrue(v.json().get("clear_of_quantization_error").asBoolean(), v.out());
    assertEquals(SCORE_ERROR_BOUND, v.json().get("score_error_bound").asLong(), v.out());
    Run text = run("verify", s(bundle), "--require-clear-margin");
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().contains("quantization error:   clear (worst-case score error"), text.out());
  }

  @Test
  void proveWritesTheApplicantsOpening_andVerifyChecksIt(@TempDir Path dir) throws Exception {
    // Issue 15, defect 5: the input commitment can be opened by the applicant (prove used to drop the salt).
    Path opening = shared.resolve("decision.opening.json");
    assertTrue(Files.isRegularFile(opening), "prove writes the opening beside the bundle");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(opening)));
    }
    assertTrue(!Files.readString(bundle).contains("\"salt\""), "the bundle never holds the opening");
    Run ok = run("verify", s(bundle), "--expect-model", commitment, "--opening", s(opening), "--json");
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.json().get("opening_checked").asBoolean(), ok.out());
    Run text = run("verify", s(bundle), "--opening", s(opening));
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().contains("opened: proved on the 2 features"), text.out());

    // A lender who proved on other features cannot open the commitment with the applicant's data.
    ObjectNode edited = (ObjectNode) JSON.readTree(Files.readString(opening));
    ObjectNode first = (ObjectNode) edited.get("features").get(0);
    first.put("quantized", first.get("quantized").asLong() + 1);
    Path wrong = dir.resolve("wrong.opening.json");
    Files.writeString(wrong, edited.toString());
    Run bad = run("verify", s(bundle), "--opening", s(wrong), "--json");
    assertEquals(1, bad.exit(), bad.toString());
    assertEquals("INPUT_OPENING_MISMATCH", bad.json().get("reason").asText(), bad.out());
    ObjectNode otherSubject = (ObjectNode) JSON.readTree(Files.readString(opening));
    otherSubject.put("subject", "0x2222222222222222222222222222222222222222");
    Files.writeString(wrong, otherSubject.toString());
    Run subj = run("verify", s(bundle), "--opening", s(wrong), "--json");
    assertEquals("INPUT_OPENING_MISMATCH", subj.json().get("reason").asText(), subj.out());
    Files.writeString(wrong, "{\"format\":\"x\"}");
    assertEquals(2, run("verify", s(bundle), "--opening", s(wrong)).exit(), "not an opening: usage error");
  }

  @Test
  void featuresOutsideTheImportedRangeAreRefused_namingTheFeatureAndItsRange(@TempDir Path dir) throws Exception {
    // Issue 15, defect 6: the dataset's range of each feature is declared (and committed); a tree
    // model used to clamp such values silently and prove an APPROVED decision.
    JsonNode pub = JSON.readTree(Files.readString(modelDir.resolve("model.public.json")));
    assertEquals(2.0, pub.get("input_ranges").get(0).get(0).asDouble(), pub.toString());
    assertEquals(12.0, pub.get("input_ranges").get(0).get(1).asDouble());
    for (String a : new String[] {"-5", "1e308", "12.5"}) {
      Path f = dir.resolve("x" + a.hashCode() + ".json");
      Files.writeString(f, "{\"a\": " + a + ", \"b\": 0.5}");
      Run r = run("prove", "--model", s(modelDir), "--features", s(f), "--threshold", "620", "--out", s(dir.resolve("d.json")));
      assertEquals(4, r.exit(), r.toString());
      assertTrue(r.err().contains("feature 'a' is outside the range the model was imported for, [2.0, 12.0]"), r.toString());
      assertTrue(!Files.exists(dir.resolve("d.json")), "nothing is written");
    }
  }

  @Test
  void importWritesASecretPrivatePackageAndAPublicDescription() throws Exception {
    Path priv = modelDir.resolve("model.private.json");
    Path pub = modelDir.resolve("model.public.json");
    assertTrue(Files.isRegularFile(priv) && Files.isRegularFile(pub));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    }
    JsonNode pj = JSON.readTree(Files.readAllBytes(pub));
    assertEquals("veridict-model-public", pj.get("format").asText());
    assertFalse(pj.has("parameters") || pj.has("salt"));
    try (Stream<Path> files = Files.list(modelDir)) {
      assertEquals(2, files.count(), "no temporary files are left behind");
    }

    // The text output says the private file is secret.
    Path other = shared.resolve("model-text");
    Run text = run("model", "import", s(card), "--out", s(other), "--name", "demo card");
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().contains("SECRET"), text.out());
    assertTrue(text.out().contains("model.public.json"), text.out());

    // Existing files are not replaced without --force.
    Run again = run("model", "import", s(card), "--out", s(other));
    assertEquals(2, again.exit(), again.toString());
    assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
    assertEquals(0, run("model", "import", s(card), "--out", s(other), "--force").exit());
  }

  @Test
  void inspectDescribesTheModelWithoutRevealingParametersOrSalt() throws Exception {
    JsonNode priv = JSON.readTree(Files.readAllBytes(modelDir.resolve("model.private.json")));
    List<String> secrets = new ArrayList<>();
    for (JsonNode v : priv.get("parameters")) {
      if (Math.abs(v.asLong()) >= 100_000) { // short numbers could occur by chance (counts, hex digests)
        secrets.add(Long.toString(Math.abs(v.asLong())));
      }
    }
    priv.get("salt").forEach(v -> secrets.add(v.asText()));
    assertFalse(secrets.isEmpty());

    Path onlyPrivate = shared.resolve("only-private");
    Files.createDirectories(onlyPrivate);
    Files.copy(modelDir.resolve("model.private.json"), onlyPrivate.resolve("model.private.json"));
    for (Path dir : List.of(modelDir, onlyPrivate)) {
      Run json = run("model", "inspect", s(dir), "--json");
      Run text = run("model", "inspect", s(dir));
      assertEquals(0, json.exit(), json.toString());
      assertEquals(0, text.exit(), text.toString());
      JsonNode j = json.json();
      assertEquals("t", j.get("name").asText());
      assertEquals("scorecard", j.get("family").asText());
      assertEquals(2, j.get("num_features").asInt());
      assertEquals("[\"a\",\"b\"]", j.get("features").toString());
      assertEquals(commitment, j.get("model_commitment").asText());
      for (String k : List.of("link", "input_exponents", "margin_exponent", "air_id", "trace_rows", "source_format",
          "source_sha256", "num_trees", "tree_depth", "score_error_bound", "score_error_bound_margin")) {
        assertTrue(j.has(k), "missing " + k + " in " + json.out());
      }
      assertEquals("scorecard-json", j.get("source_format").asText());
      assertEquals(SCORE_ERROR_BOUND, j.get("score_error_bound").asLong());
      assertEquals(Math.scalb((double) SCORE_ERROR_BOUND, -j.get("margin_exponent").asInt()),
          j.get("score_error_bound_margin").asDouble());
      assertTrue(text.out().contains("score error bound:"), text.out());
      for (Run r : List.of(json, text)) {
        assertFalse(r.out().contains("parameters") || r.out().contains("\"salt\""), r.out());
        for (String secret : secrets) {
          assertFalse(r.out().contains(secret), "inspect printed secret " + secret + ":\n" + r.out());
        }
      }
    }
    assertEquals(2, run("model", "inspect", s(shared.resolve("nope"))).exit());
  }

  @Test
  void verifyAcceptsTheBundle_andPrintsTheStatement() throws Exception {
    Run text = run("verify", s(bundle), "--expect-model", commitment);
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().startsWith("VALID"), text.out());
    assertTrue(text.out().contains("APPROVED") && text.out().contains("loans-v1"), text.out());

    Run json = run("verify", s(bundle), "--json");
    assertEquals(0, json.exit(), json.toString());
    JsonNode j = json.json();
    assertTrue(j.get("verified").asBoolean());
    assertTrue(j.get("decision").asBoolean());
    assertEquals(commitment, j.get("model_commitment").asText());
    assertEquals(31337, j.get("context").get("chain_id").asLong());
    assertEquals("loans-v1", j.get("context").get("policy_id").asText());
    assertEquals(620.0, j.get("policy").get("threshold").asDouble());
    for (String k : List.of("air_id", "input_commitment")) {
      assertTrue(j.has(k), "missing " + k);
    }
    // The bundle holds no score: 635 (the applicant's points) appears nowhere outside the proof.
    com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(bundle.toFile());
    b.remove("proof");
    assertFalse(b.toString().matches("(?s).*\\b635(\\.0)?\\b.*"), b.toString());
  }

  @Test
  void verifyRejectsTamperedGarbageAndForeignBundles_withTypedReasons(@TempDir Path dir) throws Exception {
    String original = Files.readString(bundle);
    String tampered = original.replaceFirst("\"decision\"\\s*:\\s*true", "\"decision\" : false");
    assertFalse(tampered.equals(original), "no decision in " + original.substring(0, 300));
    Path flipped = dir.resolve("flipped.json");
    Files.writeString(flipped, tampered);
    Run r = run("verify", s(flipped), "--json");
    assertEquals(1, r.exit(), r.toString());
    JsonNode j = r.json();
    assertFalse(j.get("verified").asBoolean());
    assertEquals("PROOF_REJECTED", j.get("reason").asText(), r.out());
    assertTrue(j.has("proof_reason"), r.out());
    Run rt = run("verify", s(flipped));
    assertEquals(1, rt.exit());
    assertTrue(rt.out().startsWith("REJECTED (PROOF_REJECTED"), rt.out());

    // A guard band that is not the model's worst-case score error claims a certification it has not got.
    String guarded = original.replaceFirst("\"guard_band\"\\s*:\\s*\"" + SCORE_ERROR_BOUND + "\"", "\"guard_band\" : \"1\"");
    assertFalse(guarded.equals(original), "no guard band in " + original.substring(0, 600));
    Path band = dir.resolve("band.json");
    Files.writeString(band, guarded);
    Run gb = run("verify", s(band), "--json");
    assertEquals(1, gb.exit(), gb.toString());
    assertEquals("GUARD_BAND_MISMATCH", gb.json().get("reason").asText(), gb.out());

    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "this is not a bundle");
    Run g = run("verify", s(garbage), "--json");
    assertEquals(1, g.exit(), g.toString());
    assertEquals("MALFORMED_BUNDLE", g.json().get("reason").asText());

    String other = "0x" + "0".repeat(63) + "1";
    Run m = run("verify", s(bundle), "--expect-model", other, "--json");
    assertEquals(1, m.exit(), m.toString());
    assertEquals("MODEL_MISMATCH", m.json().get("reason").asText());

    assertEquals(2, run("verify", s(dir.resolve("missing.json"))).exit());
    assertEquals(2, run("verify", s(bundle), "--expect-model", "abc").exit());
    assertEquals(2, run("verify").exit());
    assertEquals(2, run("verify", s(bundle), "--no-such-option").exit());
  }

  @Test
  void verifyStarkIsStillASubcommandNextToTheBundleParameter(@TempDir Path dir) {
    Path proof = dir.resolve("fib.bin");
    Run bench = run("bench", "stark", "--air", "fibonacci", "--log-rows", "10", "--json", "--save-proof", s(proof));
    assertEquals(0, bench.exit(), bench.toString());
    Run ok = run("verify", "stark", "--air", "fibonacci", "--log-rows", "10", "--proof", s(proof));
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.out().startsWith("VALID"), ok.out());
    assertTrue(run("verify", "--help").out().contains("stark"));
  }

  @Test
  void accuracyBelowTheFloorExitsThree_andWritesNothing(@TempDir Path dir) throws Exception {
    // b's edge 0.3 is not a multiple of the input precision 2^-e: b = 0.3 is in the upper bin (+15),
    // but floor(0.3 * 2^e) < ceil(0.3 * 2^e), so the fixed-point model puts it in the lower one (-10):
    // 610 < 620 instead of 635, one disagreement in 4. (Edges that are multiples, like 10 and 0.5
    // in SCORECARD, are exact: the fixed-point model cannot disagree there.)
    Path edgeCard = dir.resolve("edge-card.json");
    Files.writeString(edgeCard, SCORECARD.replace("{\"upper\":0.5,", "{\"upper\":0.3,"));
    Path data = dir.resolve("edge.csv");
    Files.writeString(data, "a,b,label\n3,0.9,1\n3,0.3,1\n12,0.1,0\n4,0.2,0\n");
    Path out = dir.resolve("out");
    Run r = run("model", "import", s(edgeCard), "--out", s(out), "--dataset", s(data), "--label", "label",
        "--positive", "1", "--json");
    assertEquals(3, r.exit(), r.toString());
    assertEquals(0.75, r.json().get("decision_agreement").asDouble());
    assertTrue(r.err().contains("nothing was written"), r.err());
    assertFalse(Files.exists(out.resolve("model.private.json")) || Files.exists(out.resolve("model.public.json")));

    // The same data passes with a floor the user lowered knowingly.
    assertEquals(0, run("model", "import", s(edgeCard), "--out", s(out), "--dataset", s(data), "--label", "label",
        "--positive", "1", "--min-agreement", "0.7").exit());
  }

  @Test
  void importUsageAndFormatErrors(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    assertEquals(2, run("model", "import", s(dir.resolve("missing.json")), "--out", s(out)).exit());
    assertEquals(2, run("model", "import", s(card), "--out", s(out), "--format", "pmml").exit());
    assertEquals(2, run("model", "import", s(card), "--out", s(out), "--dataset", s(csv)).exit(), "--label missing");
    assertEquals(2, run("model", "import", s(card), "--out", s(out), "--dataset", s(csv), "--label", "nope",
        "--positive", "1").exit());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\":\"veridict-scorecard\",\"version\":1,\"name\":\"x\",\"base_score\":1,\"features\":[]}");
    Run r = run("model", "import", s(bad), "--out", s(out), "--format", "scorecard-json");
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.err().contains("cannot import"), r.err());
    assertFalse(Files.exists(out.resolve("model.private.json")));
  }

  @Test
  void verifyTextNeverPrintsTheBundlesControlCharacters(@TempDir Path dir) throws Exception {
    // The policy id and nonce are the prover's strings: a terminal escape in them (clear screen,
    // "APPROVED" written over the real line) is shown escaped, not sent to the reviewer's terminal.
    Path f = dir.resolve("f.json");
    Files.writeString(f, "{\"a\": 3, \"b\": 0.9}");
    Path b = dir.resolve("esc.bundle.json");
    Run p = run("prove", "--model", s(modelDir), "--features", s(f), "--threshold", "620", "--policy",
        "p\u001b[2J\u009bX", "--nonce", "n\u0007\r", "--out", s(b));
    assertEquals(0, p.exit(), p.toString());
    Run v = run("verify", s(b));
    assertEquals(0, v.exit(), v.toString());
    for (char c : new char[] {0x1b, 0x9b, 0x07, '\r'}) {
      assertFalse(v.out().indexOf(c) >= 0, "control character " + (int) c + " printed: " + v.out());
    }
    assertTrue(v.out().contains("p\\u001b[2J\\u009bX"), v.out());
    assertTrue(v.out().contains("n\\u0007\\u000d"), v.out());
  }

  @Test
  void proveChecksTheFeaturesFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing-b.json");
    Files.writeString(missing, "{\"a\": 3}");
    Run r = run("prove", "--model", s(modelDir), "--features", s(missing), "--threshold", "620", "--out", s(dir.resolve("x.json")));
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("missing b"), r.err());
    assertFalse(Files.exists(dir.resolve("x.json")));

    Path unknown = dir.resolve("unknown.json");
    Files.writeString(unknown, "{\"a\": 3, \"b\": 1, \"income\": 5}");
    Run u = run("prove", "--model", s(modelDir), "--features", s(unknown), "--threshold", "620", "--out", s(dir.resolve("x.json")));
    assertEquals(2, u.exit(), u.toString());
    assertTrue(u.err().contains("unknown income"), u.err());

    // A duplicate key means two things: refused, never "the last one wins"; no value is echoed.
    Path twice = dir.resolve("twice.json");
    Files.writeString(twice, "{\"a\": 3.25, \"a\": 12.75, \"b\": 0.9}");
    Run t = run("prove", "--model", s(modelDir), "--features", s(twice), "--threshold", "620", "--out", s(dir.resolve("x.json")));
    assertEquals(2, t.exit(), t.toString());
    assertTrue(t.err().contains("Duplicate field 'a'"), t.err());
    assertFalse(Files.exists(dir.resolve("x.json")));

    // A value of the wrong kind is named by its kind, never echoed (it is the applicant's data).
    Path text = dir.resolve("text.json");
    Files.writeString(text, "{\"a\": \"secret-income-991\", \"b\": 0.9}");
    Run x = run("prove", "--model", s(modelDir), "--features", s(text), "--threshold", "620", "--out", s(dir.resolve("x.json")));
    assertEquals(2, x.exit(), x.toString());
    assertFalse(x.err().contains("secret-income-991"), x.err());
    assertTrue(x.err().contains("got string"), x.err());

    // An array in model order; text output says the decision and never the score.
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[12, 0.1]");
    Run a = run("prove", "--model", s(modelDir), "--features", s(array), "--threshold", "620", "--out", s(dir.resolve("d.json")));
    assertEquals(0, a.exit(), a.toString());
    assertTrue(a.out().contains("DECLINED"), a.out());
    assertFalse(a.out().matches("(?s).*\\b585(\\.0)?\\b.*"), a.out());
    assertEquals(0, run("verify", s(dir.resolve("d.json"))).exit());

    assertEquals(2, run("prove", "--model", s(modelDir), "--features", s(array), "--threshold", "620",
        "--out", s(dir.resolve("d.json"))).exit(), "the bundle exists: --force needed");
    assertEquals(2, run("prove", "--model", s(modelDir), "--features", s(array), "--threshold", "620",
        "--profile", "fast", "--out", s(dir.resolve("e.json"))).exit());
    assertEquals(2, run("prove", "--model", s(dir), "--features", s(array), "--threshold", "620",
        "--out", s(dir.resolve("e.json"))).exit(), "no model package in dir");
    Path wrongLength = dir.resolve("short.json");
    Files.writeString(wrongLength, "[1]");
    assertEquals(2, run("prove", "--model", s(modelDir), "--features", s(wrongLength), "--threshold", "620",
        "--out", s(dir.resolve("e.json"))).exit());
  }

  @Test
  void benchModelReportsTheDocumentedFields() throws Exception {
    Run r = run("bench", "model", "--model", s(modelDir), "--dataset", s(csv), "--label", "label", "--positive", "1",
        "--applicants", "2", "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = r.json();
    for (String k : List.of("prove_ms", "prove_first_ms", "verify_ms", "verify_first_ms", "proof_bytes", "bundle_bytes",
        "trace_rows", "family", "conjectured_bits", "peak_heap_mb", "cores")) {
      assertTrue(j.has(k), "missing " + k + " in " + r.out());
    }
    assertEquals(2, j.get("applicants").asInt());
    assertTrue(j.get("verified").asBoolean());
    assertTrue(j.get("conjectured_bits").asDouble() >= 100);
  }
}
