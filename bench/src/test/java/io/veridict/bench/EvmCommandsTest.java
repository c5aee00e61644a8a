package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same ledger story on a real EVM node: {@code ledger start-dev --detach} starts the pinned
 * anvil on a free loopback port and deploys the contracts; {@code model register --policy},
 * {@code anchor}, {@code eligibility grant|check} and {@code audit} then run with {@code --ledger
 * evm}; {@code ledger stop-dev} stops the node. Needs the npm packages that {@code .ci/run}
 * installs (a missing anvil fails, it does not skip).
 */
class EvmCommandsTest {
  static final String POLICY = "credit-policy-v1";

  @TempDir static Path dir;
  static Path config;
  static Path bundles;
  static Path modelDir;

  static String[] evm(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--ledger", "evm", "--ledger-config", s(config), "--json"));
    return a.toArray(String[]::new);
  }

  @BeforeAll
  static void startLedgerAndProve() throws Exception {
    config = dir.resolve("dev-ledger.json");
    Run start = run("ledger", "start-dev", "--detach", "--out", s(config), "--pool-policy", POLICY, "--json");
    assertEquals(0, start.exit(), start.toString());
    JsonNode sj = start.json();
    assertTrue(sj.get("rpc").asText().startsWith("http://127.0.0.1:"), start.out());
    for (String k : List.of("model_registry", "proof_anchor", "eligibility_gate", "lending_pool")) {
      assertTrue(sj.get("contracts").get(k).asText().matches("0x[0-9a-f]{40}"), k + " in " + start.out());
    }
    Path card = dir.resolve("card.json");
    Path csv = dir.resolve("data.csv");
    Files.writeString(card, ModelCommandsTest.SCORECARD);
    Files.writeString(csv, ModelCommandsTest.CSV);
    modelDir = dir.resolve("model");
    bundles = dir.resolve("bundles");
    Files.createDirectories(bundles);
    assertEquals(0, run("model", "import", s(card), "--out", s(modelDir), "--dataset", s(csv), "--label", "label",
        "--positive", "1").exit());
    Path f = dir.resolve("alice.json");
    Files.writeString(f, "{\"a\": 3, \"b\": 0.9}");
    Run p = run("prove", "--model", s(modelDir), "--features", s(f), "--threshold", "620", "--subject",
        LedgerCommandsTest.ALICE, "--chain-id", "31337", "--policy", POLICY, "--out",
        s(bundles.resolve("alice.bundle.json")));
    assertEquals(0, p.exit(), p.toString());
  }

  @AfterAll
  static void stop() {
    Run r = run("ledger", "stop-dev", "--ledger-config", s(config));
    assertEquals(0, r.exit(), r.toString());
  }

  @Test
  void theLedgerStoryRunsOnARealEvmNode() throws Exception {
    Run info = run(evm("ledger", "info"));
    assertEquals(0, info.exit(), info.toString());
    assertEquals("31337", info.json().get("network_id").asText());

    Run reg = run(evm("model", "register", s(modelDir), "--policy", POLICY));
    assertEquals(0, reg.exit(), reg.toString());
    assertEquals("FINAL", reg.json().get("status").asText());
    assertTrue(reg.json().get("policy_bound").asBoolean(), reg.out());
    // register --policy set the whole rule: this model, at least the scorecard's cutoff (620), 30d;
    // the policy admin can change it (here: grants of at most 7 days)
    assertEquals(620.0, reg.json().get("threshold").asDouble(), reg.out());
    assertEquals("at-least", reg.json().get("direction").asText(), reg.out());
    Run policy = run(evm("eligibility", "policy", "--policy", POLICY, "--model", s(modelDir), "--threshold", "620",
        "--max-validity", "7d"));
    assertEquals(0, policy.exit(), policy.toString());

    Run anchor = run(evm("anchor", s(bundles)));
    assertEquals(0, anchor.exit(), anchor.toString());
    assertEquals("FINAL", anchor.json().get("status").asText());
    assertEquals("evm", anchor.json().get("ledger").asText());

    // issue 21, finding 1: a bundle with another threshold, another chain and another subject is
    // refused before any gas, and the audit stays clean
    Path f = dir.resolve("mallory.json");
    Files.writeString(f, "{\"a\": 3, \"b\": 0.9}");
    for (String[] variant : new String[][] {{"-1000000", "31337", "ThresholdRuleMismatch"}, {"620", "1", "WrongChain"}}) {
      Path b = dir.resolve("mallory-" + variant[1] + ".bundle.json");
      Run p = run("prove", "--model", s(modelDir), "--features", s(f), "--threshold", variant[0], "--subject",
          "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "--chain-id", variant[1], "--policy", POLICY, "--out", s(b));
      if (p.exit() != 0) {
        continue; // a decline at this threshold proves nothing to grant
      }
      Run g = run(evm("eligibility", "grant", s(b), "--valid-for", "1h"));
      assertEquals(1, g.exit(), g.toString());
      assertTrue(g.err().contains(variant[2]), g.err());
    }
    Run tooLong = run(evm("eligibility", "grant", s(bundles.resolve("alice.bundle.json")), "--valid-for", "30d"));
    assertEquals(1, tooLong.exit(), tooLong.toString());
    assertTrue(tooLong.err().contains("ValidityTooLong"), tooLong.err());

    Run grant = run(evm("eligibility", "grant", s(bundles.resolve("alice.bundle.json")), "--valid-for", "1h"));
    assertEquals(0, grant.exit(), grant.toString());
    Run again = run(evm("eligibility", "grant", s(bundles.resolve("alice.bundle.json")), "--valid-for", "1h"));
    assertEquals(0, again.exit(), again.toString());
    assertTrue(again.json().get("already_granted").asBoolean(), again.toString());
    Run check = run(evm("eligibility", "check", "--subject", LedgerCommandsTest.ALICE, "--policy", POLICY));
    assertEquals(0, check.exit(), check.toString());
    Run bob = run(evm("eligibility", "check", "--subject", LedgerCommandsTest.BOB, "--policy", POLICY));
    assertEquals(1, bob.exit(), bob.toString());

    Run audit = run(evm("audit", "--bundles", s(bundles)));
    assertEquals(0, audit.exit(), audit.toString());
    JsonNode au = audit.json();
    assertTrue(au.get("all_verified").asBoolean(), audit.toString());
    assertEquals(1, au.get("records_verified").asInt());
    assertEquals(1, au.get("models_registered").asInt());
    assertEquals(1, au.get("eligibility_grants").asInt());
    JsonNode g0 = au.get("eligibility").get(0);
    assertEquals(grant.json().get("fact").asText(), g0.get("fact").asText());
    assertEquals(grant.json().get("model_commitment").asText(), g0.get("model_commitment").asText());
    assertTrue(g0.get("writer").asText().matches("0x[0-9a-f]{40}"), g0.toString());

    Run revoke = run(evm("eligibility", "revoke", "--subject", LedgerCommandsTest.ALICE, "--policy", POLICY));
    assertEquals(0, revoke.exit(), revoke.toString());
    Run twice = run(evm("eligibility", "revoke", "--subject", LedgerCommandsTest.ALICE, "--policy", POLICY));
    assertEquals(0, twice.exit(), twice.toString());
    assertTrue(twice.json().get("already_revoked").asBoolean(), twice.toString());
    Run reinstate = run(evm("eligibility", "reinstate", "--subject", LedgerCommandsTest.ALICE, "--policy", POLICY));
    assertEquals(0, reinstate.exit(), reinstate.toString());
  }

  @Test
  void aDeadNodeIsAClearLedgerError() throws Exception {
    Path dead = dir.resolve("dead.json");
    String cfg = Files.readString(config).replaceAll("http://127\\.0\\.0\\.1:[0-9]+", "http://127.0.0.1:1");
    Files.writeString(dead, cfg);
    Run r = run("ledger", "info", "--ledger", "evm", "--ledger-config", s(dead));
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.err().contains("UNREACHABLE"), r.err());
  }
}
