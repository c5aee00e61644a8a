package io.veridict.verifierapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone verifier's verdicts and exit codes, in process. */
class VerifierMainTest {
  @TempDir static Path dir;
  static Bundles.Made made;

  @BeforeAll
  static void make() throws Exception {
    made = Bundles.make(dir);
  }

  record Out(int exit, String out, String err) {}

  static Out run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int exit = VerifierMain.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Out(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validBundle_exit0_withAndWithoutTheExpectedModel() {
    Out r = run(made.bundle().toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("VALID") && r.out().contains("APPROVED"), r.out());
    Out j = run(made.bundle().toString(), "--expect-model", made.modelCommitment(), "--json");
    assertEquals(0, j.exit(), j.err());
    assertTrue(j.out().contains("\"verified\":true") && j.out().contains("\"model_checked\":true"), j.out());
  }

  @Test
  void tamperedOrForeignBundles_exit1_withTheReason() throws Exception {
    String text = Files.readString(made.bundle());
    Path flipped = dir.resolve("flipped.bundle.json");
    Files.writeString(flipped, text.replace("\"decision\" : true", "\"decision\" : false"));
    Out r = run(flipped.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("PROOF_REJECTED"), r.err());
    Out other = run(made.bundle().toString(), "--expect-model", "0x" + "ab".repeat(32), "--json");
    assertEquals(1, other.exit());
    assertTrue(other.out().contains("MODEL_MISMATCH"), other.out());
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{\"format\": 7}");
    assertEquals(1, run(junk.toString()).exit());
  }

  @Test
  void theQuantizationErrorIsReported_andRequireClearMarginRejectsADecisionWithinIt() throws Exception {
    Out clear = run(made.bundle().toString(), "--require-clear-margin", "--json");
    assertEquals(0, clear.exit(), clear.err());
    assertTrue(clear.out().contains("\"clear_of_quantization_error\":true"), clear.out());
    assertTrue(clear.out().matches("(?s).*\"score_error_bound\":[0-9]+.*"), clear.out());
    assertTrue(run(made.bundle().toString()).out().contains("quantization error: clear"));

    Bundles.Made near = Bundles.make(dir, 635, "near.bundle.json");
    Out flagged = run(near.bundle().toString(), "--json");
    assertEquals(0, flagged.exit(), flagged.err());
    assertTrue(flagged.out().contains("\"clear_of_quantization_error\":false"), flagged.out());
    assertTrue(run(near.bundle().toString()).out().contains("quantization error: NOT certified clear"));
    Out strict = run(near.bundle().toString(), "--require-clear-margin");
    assertEquals(1, strict.exit(), strict.out() + strict.err());
    assertTrue(strict.err().contains("WITHIN_QUANTIZATION_ERROR"), strict.err());
  }

  @Test
  void usageErrors_exit2() {
    assertEquals(2, run().exit());
    assertEquals(2, run(dir.resolve("missing.json").toString()).exit());
    assertEquals(2, run(made.bundle().toString(), "--expect-model").exit());
    assertEquals(0, run("--help").exit());
  }
}
