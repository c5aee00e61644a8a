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

    Run anchor = run(evm("anchor", s(bundles)));
    assertEquals(0, anchor.exit(), anchor.toString());
    assertEquals("FINAL", anchor.json().get("status").asText());
    assertEquals("evm", anchor.json().get("ledger").asText());

    Run grant = run(evm("eligibility", "grant", s(bundles.resolve("alice.bundle.json")), "--valid-for", "1h"));
    assertEquals(0, grant.exit(), grant.toString());
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
