package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench stark} and {@code verify stark}: JSON fields and exit codes 0 / 1 / 2. */
class StarkCommandsTest {

  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(ps);
      int exit = VeridictMain.commandLine().execute(args);
      return new Run(exit, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void benchPrintsTheDocumentedJsonFields_andVerifyAcceptsTheSavedProof(@TempDir Path dir) throws Exception {
    Path proof = dir.resolve("fib.bin");
    Run bench = run("bench", "stark", "--air", "fibonacci", "--log-rows", "10", "--json", "--save-proof", proof.toString());
    assertEquals(0, bench.exit(), bench.out());
    JsonNode json = new ObjectMapper().readTree(bench.out().trim());
    for (String field : new String[] {"air", "log_rows", "zk", "hash", "profile", "prove_ms", "verify_ms",
        "proof_bytes", "conjectured_bits", "proven_bits", "verified", "peak_heap_mb"}) {
      assertTrue(json.has(field), "missing " + field + " in " + bench.out());
    }
    assertEquals("fibonacci", json.get("air").asText());
    assertEquals(10, json.get("log_rows").asInt());
    assertTrue(json.get("zk").asBoolean());
    assertEquals("blake3", json.get("hash").asText());
    assertTrue(json.get("verified").asBoolean());
    assertEquals(Files.size(proof), json.get("proof_bytes").asLong());
    assertTrue(json.get("conjectured_bits").asDouble() >= 100);

    Run ok = run("verify", "stark", "--air", "fibonacci", "--log-rows", "10", "--proof", proof.toString());
    assertEquals(0, ok.exit(), ok.out());
    assertTrue(ok.out().startsWith("VALID"), ok.out());

    // A flipped byte deep inside the proof: exit 1 with the typed reason.
    byte[] bytes = Files.readAllBytes(proof);
    bytes[bytes.length / 2] ^= 0x10;
    Path bad = dir.resolve("bad.bin");
    Files.write(bad, bytes);
    Run rejected = run("verify", "stark", "--air", "fibonacci", "--log-rows", "10", "--proof", bad.toString(), "--json");
    assertEquals(1, rejected.exit(), rejected.out());
    JsonNode r = new ObjectMapper().readTree(rejected.out().trim());
    assertTrue(!r.get("verified").asBoolean() && !r.get("reason").asText().isEmpty(), rejected.out());

    // The proof is for another statement size: exit 1, AIR_MISMATCH.
    Run other = run("verify", "stark", "--air", "fibonacci", "--log-rows", "11", "--proof", proof.toString());
    assertEquals(1, other.exit());
    assertTrue(other.out().contains("AIR_MISMATCH"), other.out());
  }

  @Test
  void usageErrorsExitWithTwo(@TempDir Path dir) {
    assertEquals(2, run("bench", "stark", "--air", "nope", "--log-rows", "10").exit());
    assertEquals(2, run("bench", "stark", "--air", "fibonacci").exit());
    assertEquals(2, run("bench", "stark", "--air", "fibonacci", "--log-rows", "10", "--hash", "md5").exit());
    assertEquals(2, run("verify", "stark", "--air", "fibonacci", "--log-rows", "10", "--proof", dir.resolve("missing.bin").toString()).exit());
    assertEquals(2, run("verify", "stark", "--air", "range", "--log-rows", "8", "--proof", "x").exit());
  }
}
