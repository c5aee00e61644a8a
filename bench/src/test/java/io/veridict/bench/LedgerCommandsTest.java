package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger commands end to end on the embedded ledger: {@code model register}, {@code anchor}
 * (idempotent), {@code eligibility grant|check|revoke}, and {@code audit} — which must report all
 * verified on an honest trail and name exactly what was altered otherwise (a bundle, a manifest,
 * a line of the ledger file).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerCommandsTest {
  static final String ALICE = "0x00000000000000000000000000000000000a11ce";
  static final String BOB = "0x0000000000000000000000000000000000000b0b";
  static final String CAROL = "0x000000000000000000000000000000000000ca01";
  static final String POLICY = "credit-policy-v1";

  @TempDir static Path dir;
  static Path modelDir;
  static Path bundles;
  static Path ledgerDir;
  static String commitment;

  static String[] ledger(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--ledger-dir");
    a.add(s(ledgerDir));
    a.add("--json");
    return a.toArray(String[]::new);
  }

  @BeforeAll
  static void importAndProve() throws Exception {
    Path card = dir.resolve("card.json");
    Path csv = dir.resolve("data.csv");
    Files.writeString(card, ModelCommandsTest.SCORECARD);
    Files.writeString(csv, ModelCommandsTest.CSV);
    modelDir = dir.resolve("model");
    bundles = dir.resolve("bundles");
    ledgerDir = dir.resolve("ledger");
    Files.createDirectories(bundles);
    Run imp = run("model", "import", s(card), "--out", s(modelDir), "--dataset", s(csv), "--label", "label",
        "--positive", "1", "--json");
    assertEquals(0, imp.exit(), imp.toString());
    commitment = imp.json().get("model_commitment").asText();
    // Alice and Bob are approved (635), Carol declined (585).
    prove("alice", ALICE, "{\"a\": 3, \"b\": 0.9}");
    prove("bob", BOB, "{\"a\": 2, \"b\": 0.7}");
    prove("carol", CAROL, "{\"a\": 12, \"b\": 0.1}");
  }

  static void prove(String name, String subject, String features) throws Exception {
    Path f = dir.resolve(name + ".json");
    Files.writeString(f, features);
    Run r = run("prove", "--model", s(modelDir), "--features", s(f), "--threshold", "620", "--subject", subject,
        "--chain-id", "0", "--policy", POLICY, "--out", s(bundles.resolve(name + ".bundle.json")), "--json");
    assertEquals(0, r.exit(), r.toString());
  }

  @Test
  @Order(1)
  void registerAnchorAndAuditAnHonestTrail() throws Exception {
    Run reg = run(ledger("model", "register", s(modelDir)));
    assertEquals(0, reg.exit(), reg.toString());
    JsonNode rj = reg.json();
    assertEquals("FINAL", rj.get("status").asText());
    assertEquals("local", rj.get("ledger").asText());
    assertEquals(commitment, rj.get("model_commitment").asText());
    assertTrue(rj.get("tx_hash").asText().matches("0x[0-9a-f]{64}"));

    Run anchor = run(ledger("anchor", s(bundles)));
    assertEquals(0, anchor.exit(), anchor.toString());
    JsonNode aj = anchor.json();
    assertEquals("FINAL", aj.get("status").asText());
    assertEquals(3, aj.get("records").asInt());
    String root = aj.get("root").asText();
    Path manifest = Path.of(aj.get("manifest").asText());
    assertTrue(Files.isRegularFile(manifest));
    JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile());
    assertEquals(root, m.get("root").asText());
    assertEquals(3, m.get("records").size());
    for (JsonNode r : m.get("records")) {
      assertTrue(r.get("proof").isArray() && r.get("proof").size() >= 1, "each record carries its inclusion proof");
    }

    // The same request again: resumed from the outbox, not anchored twice.
    Run again = run(ledger("anchor", s(bundles)));
    assertEquals(0, again.exit(), again.toString());
    assertEquals(aj.get("tx_hash").asText(), again.json().get("tx_hash").asText());

    Run audit = run(ledger("audit", "--bundles", s(bundles), "--report", s(dir.resolve("audit.json"))));
    assertEquals(0, audit.exit(), audit.toString());
    JsonNode au = audit.json();
    assertTrue(au.get("all_verified").asBoolean(), audit.toString());
    assertEquals(1, au.get("anchors").asInt(), "anchored exactly once");
    assertEquals(3, au.get("records").asInt());
    assertEquals(3, au.get("records_verified").asInt());
    assertEquals(1, au.get("models_registered").asInt());
    assertTrue(Files.isRegularFile(dir.resolve("audit.json")));

    // A directory given as "dir/." (as "--bundles ." from inside it is): the same trail, all found.
    Run dot = run(ledger("audit", "--bundles", s(bundles) + "/."));
    assertEquals(0, dot.exit(), dot.toString());
    assertEquals(3, dot.json().get("records_verified").asInt(), dot.toString());

    // Readable output for people.
    Run text = run("audit", "--bundles", s(bundles), "--ledger-dir", s(ledgerDir));
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().contains("ALL VERIFIED"), text.out());
  }

  @Test
  @Order(2)
  void eligibilityIsGrantedOnlyForAVerifiedApproval() throws Exception {
    Run grant = run(ledger("eligibility", "grant", s(bundles.resolve("alice.bundle.json")), "--valid-for", "1h",
        "--expect-model", commitment));
    assertEquals(0, grant.exit(), grant.toString());
    assertEquals("FINAL", grant.json().get("status").asText());
    String fact = grant.json().get("fact").asText();
    // the same bundle again (issue 21: an uncaught IllegalArgumentException, exit 1): nothing sent, exit 0
    Run again = run(ledger("eligibility", "grant", s(bundles.resolve("alice.bundle.json")), "--valid-for", "2h"));
    assertEquals(0, again.exit(), again.toString());
    assertTrue(again.json().get("already_granted").asBoolean(), again.toString());
    assertEquals(fact, again.json().get("fact").asText());

    Run check = run(ledger("eligibility", "check", "--subject", ALICE, "--policy", POLICY));
    assertEquals(0, check.exit(), check.toString());
    assertTrue(check.json().get("eligible").asBoolean());
    Run other = run(ledger("eligibility", "check", "--subject", BOB, "--policy", POLICY));
    assertEquals(1, other.exit(), "Bob was approved but never granted: " + other);
    Run otherPolicy = run(ledger("eligibility", "check", "--subject", ALICE, "--policy", "mortgage-v1"));
    assertEquals(1, otherPolicy.exit(), otherPolicy.toString());

    // A declined applicant gets nothing, and nothing is written.
    Run declined = run(ledger("eligibility", "grant", s(bundles.resolve("carol.bundle.json"))));
    assertEquals(1, declined.exit(), declined.toString());
    assertTrue(declined.err().contains("decline"), declined.err());
    // Nor does a proof for another model.
    Run wrongModel = run(ledger("eligibility", "grant", s(bundles.resolve("bob.bundle.json")), "--expect-model",
        "0x" + "ab".repeat(32)));
    assertEquals(1, wrongModel.exit(), wrongModel.toString());
    assertTrue(wrongModel.err().contains("MODEL_MISMATCH"), wrongModel.err());

    Run revoke = run(ledger("eligibility", "revoke", "--subject", ALICE, "--policy", POLICY, "--reason", "review"));
    assertEquals(0, revoke.exit(), revoke.toString());
    assertFalse(revoke.json().get("already_revoked").asBoolean());
    Run after = run(ledger("eligibility", "check", "--subject", ALICE, "--policy", POLICY));
    assertEquals(1, after.exit(), "revoked: " + after);
    assertFalse(after.json().get("eligible").asBoolean());
    // a second revoke (issue 21: "revoked" then FAILED): says so, sends nothing, exit 0
    Run twice = run(ledger("eligibility", "revoke", "--subject", ALICE, "--policy", POLICY, "--reason", "again"));
    assertEquals(0, twice.exit(), twice.toString());
    assertTrue(twice.json().get("already_revoked").asBoolean(), twice.toString());
    // on hold: no grant until reinstated (the revocation floor)
    Run regrant = run(ledger("eligibility", "grant", s(bundles.resolve("alice.bundle.json"))));
    assertEquals(1, regrant.exit(), regrant.toString());
    assertTrue(regrant.err().contains("GrantsOnHold"), regrant.err());
    // nothing to revoke for someone never granted
    Run never = run(ledger("eligibility", "revoke", "--subject", CAROL, "--policy", POLICY));
    assertEquals(1, never.exit(), never.toString());
    Run reinstate = run(ledger("eligibility", "reinstate", "--subject", ALICE, "--policy", POLICY, "--reason", "ok"));
    assertEquals(0, reinstate.exit(), reinstate.toString());
    Run reinstateAgain = run(ledger("eligibility", "reinstate", "--subject", ALICE, "--policy", POLICY));
    assertEquals(0, reinstateAgain.exit(), reinstateAgain.toString());
    assertTrue(reinstateAgain.json().get("detail").asText().contains("nothing sent"), reinstateAgain.toString());
    // reinstated, the revoked bundle still cannot be granted again (a statement is recorded once)
    Run stale = run(ledger("eligibility", "grant", s(bundles.resolve("alice.bundle.json"))));
    assertEquals(1, stale.exit(), stale.toString());
    assertTrue(stale.err().contains("no longer counts"), stale.err());
    // Bob, on a fresh pair, is granted; the audit lists every grant with its model
    Run bob = run(ledger("eligibility", "grant", s(bundles.resolve("bob.bundle.json"))));
    assertEquals(0, bob.exit(), bob.toString());
    Run audit = run(ledger("audit", "--bundles", s(bundles)));
    assertEquals(0, audit.exit(), audit.toString());
    JsonNode el = audit.json().get("eligibility");
    assertEquals(2, audit.json().get("eligibility_grants").asInt());
    assertEquals(commitment, el.get(0).get("model_commitment").asText());
    assertEquals(fact, el.get(0).get("fact").asText());
    assertTrue(el.get(0).get("writer").asText().startsWith("ed25519:"), el.toString());
  }

  @Test
  @Order(3)
  void auditNamesAnAlteredBundle() throws Exception {
    Path b = bundles.resolve("bob.bundle.json");
    byte[] original = Files.readAllBytes(b);
    try {
      // Flip the decision in the statement: a different file, and a proof that no longer verifies.
      String text = new String(original, StandardCharsets.UTF_8);
      assertTrue(text.contains("\"decision\" : true"), "bundle JSON layout");
      Files.writeString(b, text.replace("\"decision\" : true", "\"decision\" : false"));
      Run audit = run(ledger("audit", "--bundles", s(bundles)));
      assertEquals(1, audit.exit(), audit.toString());
      JsonNode au = audit.json();
      assertFalse(au.get("all_verified").asBoolean());
      assertEquals(2, au.get("records_verified").asInt());
      assertEquals(1, au.get("problems").size(), audit.toString());
      JsonNode p = au.get("problems").get(0);
      assertTrue(p.get("where").asText().contains("bob.bundle.json"), p.toString());
      assertTrue(p.get("what").asText().contains("altered"), p.toString());
    } finally {
      Files.write(b, original);
    }
  }

  @Test
  @Order(4)
  void auditNamesAnAlteredManifestAndAMissingOne() throws Exception {
    Path manifest;
    try (var s = Files.list(bundles)) {
      manifest = s.filter(f -> f.getFileName().toString().startsWith("batch-")).findFirst().orElseThrow();
    }
    byte[] original = Files.readAllBytes(manifest);
    try {
      Files.write(manifest, (new String(original, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
      Run audit = run(ledger("audit", "--bundles", s(bundles)));
      assertEquals(1, audit.exit(), audit.toString());
      assertTrue(audit.json().get("problems").get(0).get("what").asText().contains("manifest"), audit.toString());
      Files.delete(manifest);
      Run missing = run(ledger("audit", "--bundles", s(bundles)));
      assertEquals(1, missing.exit(), missing.toString());
      assertTrue(missing.json().get("problems").get(0).get("what").asText().contains("no batch manifest"),
          missing.toString());
    } finally {
      Files.write(manifest, original);
    }
    assertEquals(0, run(ledger("audit", "--bundles", s(bundles))).exit());
  }

  @Test
  @Order(5)
  void auditSaysWhereTheLedgerFileWasAltered() throws Exception {
    Path file = ledgerDir.resolve("ledger.jsonl");
    byte[] original = Files.readAllBytes(file);
    try {
      List<String> lines = Files.readAllLines(file);
      assertTrue(lines.size() >= 4, "genesis + register + anchor + grant + revoke");
      // Edit one character inside line 3 (the anchor), keeping the JSON well-formed.
      String l3 = lines.get(2);
      int at = l3.indexOf("\"", l3.indexOf("hash") + 8) + 3;
      char c = l3.charAt(at);
      lines.set(2, l3.substring(0, at) + (c == '0' ? '1' : '0') + l3.substring(at + 1));
      Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      Run audit = run(ledger("audit", "--bundles", s(bundles)));
      assertEquals(1, audit.exit(), audit.toString());
      JsonNode p = audit.json().get("problems").get(0);
      assertTrue(p.get("where").asText().contains("line 3"), p.toString());
    } finally {
      Files.write(file, original);
    }
    assertEquals(0, run(ledger("audit", "--bundles", s(bundles))).exit());
  }

  @Test
  @Order(6)
  void anchoringRefusesABundleThatDoesNotVerify() throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    String text = Files.readString(bundles.resolve("alice.bundle.json"));
    Files.writeString(bad.resolve("x.bundle.json"), text.replace("\"decision\" : true", "\"decision\" : false"));
    Run r = run(ledger("anchor", s(bad)));
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("nothing was anchored"), r.err());
    Run none = run(ledger("anchor", s(dir.resolve("model"))));
    assertEquals(2, none.exit(), none.toString());
  }
}
