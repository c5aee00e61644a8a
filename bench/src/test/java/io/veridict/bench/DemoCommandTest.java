package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code veridict demo} end to end on the real German Credit data and a real model (the sklearn
 * logistic regression exported to ONNX, to keep the test quick): every step runs, the audit is
 * clean, and each bundle it leaves verifies on its own with {@code veridict verify BUNDLE}.
 */
class DemoCommandTest {
  @TempDir Path dir;

  static Path dataset() {
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared/datasets/german_credit.csv");
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException("../shared/datasets/german_credit.csv not found beside the repository");
  }

  @Test
  void theDemoTellsTheWholeStoryAndLeavesBundlesThatVerify() throws Exception {
    Path out = dir.resolve("demo");
    Path model = Paths.get("../model/src/test/resources/fixtures/german_logreg.onnx").toAbsolutePath();
    Run r = run("demo", "--out", s(out), "--applicants", "3", "--model-file", s(model), "--dataset", s(dataset()),
        "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = r.json();
    assertTrue(j.get("all_verified").asBoolean(), r.out());
    assertEquals(3, j.get("applicants").asInt());
    assertEquals(3, j.get("audit").get("records_verified").asInt());
    assertEquals(j.get("approved").asInt(), j.get("audit").get("eligibility_grants").asInt());
    assertTrue(Files.isRegularFile(out.resolve("audit-report.json")));
    try (Stream<Path> s = Files.list(out.resolve("bundles"))) {
      for (Path b : s.filter(p -> p.getFileName().toString().endsWith(".bundle.json")).toList()) {
        Run v = run("verify", s(b));
        assertEquals(0, v.exit(), "a bundle the demo left must verify alone: " + v);
        String text = Files.readString(b);
        assertFalse(text.contains("\"weights\"") || text.contains("\"salt\""), "no secrets in " + b);
      }
    }

    // Running it again replaces the earlier demo; a foreign non-empty directory is refused.
    assertEquals(0, run("demo", "--out", s(out), "--applicants", "1", "--model-file", s(model), "--dataset",
        s(dataset()), "--json").exit());
    Path foreign = dir.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "user data");
    Run refused = run("demo", "--out", s(foreign), "--applicants", "1", "--model-file", s(model), "--dataset",
        s(dataset()));
    assertEquals(2, refused.exit(), refused.toString());
    assertTrue(Files.exists(foreign.resolve("keep.txt")), "never deletes what it did not write");
  }
}
