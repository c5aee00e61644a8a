package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import io.veridict.contracts.DevNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger deploy} against a node it did not start: the test starts the pinned anvil itself
 * on a free loopback port (as an operator's node would be running already), deploys with a key
 * file, and the written configuration then works for {@code --ledger evm}. A dead RPC, a wrong
 * chain id and an unfunded key are exit 5 with the typed reason and write nothing. Needs the npm
 * packages {@code .ci/run} installs (a missing anvil fails, it does not skip).
 */
class LedgerDeployCommandTest {
  static final String POLICY = "credit-policy-v1";
  /** anvil's second well-known account: a different key than start-dev's, funded on a fresh node. */
  static final String KEY = DevNode.DEV_KEYS.get(1);

  @TempDir static Path dir;
  static DevNode node;
  static Path keyFile;

  @BeforeAll
  static void startNode() throws Exception {
    node = DevNode.start(LedgerCommand.anvil(), DevNode.Options.defaults());
    keyFile = dir.resolve("deployer.key");
    Files.writeString(keyFile, KEY + "\n");
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  static Run deploy(Path out, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("ledger", "deploy", "--rpc", node.rpcUrl(), "--chain-id",
        "31337", "--out", s(out), "--json"));
    a.addAll(List.of(more));
    return run(a.toArray(String[]::new));
  }

  @Test
  void deploysToARunningNodeAndTheConfigurationWorksForLedgerEvm() throws Exception {
    Path config = dir.resolve("deployed.json");
    Run d = deploy(config, "--key-file", s(keyFile), "--pool-policy", POLICY);
    assertEquals(0, d.exit(), d.toString());
    JsonNode out = d.json();
    assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", out.get("deployer").asText(), d.out());
    JsonNode written = Cli.JSON.readTree(Files.readString(config));
    assertEquals("evm", written.get("kind").asText());
    assertEquals(node.rpcUrl(), written.get("rpc").asText());
    assertEquals(31337, written.get("chain_id").asLong());
    for (String k : List.of("model_registry", "proof_anchor", "eligibility_gate", "lending_pool")) {
      String addr = written.get("contracts").get(k).asText();
      assertTrue(addr.matches("0x[0-9a-f]{40}"), k + " in " + written);
      assertTrue(code(addr).length() > 2, k + " at " + addr + " has no code");
    }
    // The key file sits beside the configuration: recorded relative to it, as start-dev does.
    assertEquals("deployer.key", written.get("key_file").asText());
    assertFalse(Files.readString(config).contains(KEY.substring(2)), "the key itself must never be in the config");
    assertFalse(written.has("pid"), "no node was started, so stop-dev has nothing to stop");
    assertEquals(POLICY, written.get("pool_policy").asText());

    Run info = run("ledger", "info", "--ledger", "evm", "--ledger-config", s(config), "--json");
    assertEquals(0, info.exit(), info.toString());
    assertEquals("31337", info.json().get("network_id").asText());
    assertEquals(out.get("deployer").asText(), info.json().get("account").asText().toLowerCase(java.util.Locale.ROOT));
    // A call into the deployed EligibilityGate answers (not eligible: exit 1), so the addresses are live.
    Run check = run("eligibility", "check", "--subject", LedgerCommandsTest.ALICE, "--policy", POLICY,
        "--ledger", "evm", "--ledger-config", s(config), "--json");
    assertEquals(1, check.exit(), check.toString());

    // An existing configuration is never replaced without --force (checked before any gas is spent).
    String before = Files.readString(config);
    Run again = deploy(config, "--key-file", s(keyFile));
    assertEquals(2, again.exit(), again.toString());
    assertTrue(again.err().contains("already exists"), again.err());
    assertEquals(before, Files.readString(config));
    Run forced = deploy(config, "--key-file", s(keyFile), "--force");
    assertEquals(0, forced.exit(), forced.toString());
    assertFalse(before.equals(Files.readString(config)), "--force deploys fresh contracts");
  }

  @Test
  void aKeyFileElsewhereIsRecordedByItsAbsolutePath() throws Exception {
    Path config = dir.resolve("sub").resolve("other.json");
    Run d = deploy(config, "--key-file", s(keyFile));
    assertEquals(0, d.exit(), d.toString());
    JsonNode written = Cli.JSON.readTree(Files.readString(config));
    assertEquals(keyFile.toAbsolutePath().normalize().toString(), written.get("key_file").asText());
    Run info = run("ledger", "info", "--ledger", "evm", "--ledger-config", s(config));
    assertEquals(0, info.exit(), info.toString());
  }

  @Test
  void aDeadRpcIsExit5AndWritesNothing() throws Exception {
    Path config = dir.resolve("dead.json");
    int closed = DevNode.freePort(); // nothing listens there
    Run r = run("ledger", "deploy", "--rpc", "http://127.0.0.1:" + closed, "--chain-id", "31337", "--key-file",
        s(keyFile), "--out", s(config));
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.err().contains("UNREACHABLE") && r.err().contains("cannot reach the node"), r.err());
    assertFalse(Files.exists(config));
  }

  @Test
  void aWrongChainIdIsRefusedBeforeAnythingIsSent() throws Exception {
    Path config = dir.resolve("wrong-chain.json");
    String third = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"; // the address of DEV_KEYS[2]
    String nonceBefore = nonce(third);
    Path k = dir.resolve("third.key");
    Files.writeString(k, DevNode.DEV_KEYS.get(2));
    Run r = run("ledger", "deploy", "--rpc", node.rpcUrl(), "--chain-id", "1", "--key-file", s(k), "--out", s(config));
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.err().contains("WRONG_CHAIN") && r.err().contains("is chain 31337, not --chain-id 1"), r.err());
    assertFalse(Files.exists(config));
    assertEquals(nonceBefore, nonce(third), "a transaction was sent");
  }

  @Test
  void anUnfundedKeyIsATypedError() throws Exception {
    Path config = dir.resolve("unfunded.json");
    Path k = dir.resolve("unfunded.key");
    Files.writeString(k, "0x" + "11".repeat(32));
    Run r = deploy(config, "--key-file", s(k));
    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.err().contains("INSUFFICIENT_FUNDS") && r.err().contains("holds 0 wei"), r.err());
    assertFalse(Files.exists(config));
  }

  @Test
  void usageErrorsAreExit2() {
    Path config = dir.resolve("usage.json");
    Run noChain = run("ledger", "deploy", "--rpc", node.rpcUrl(), "--key-file", s(keyFile), "--out", s(config));
    assertEquals(2, noChain.exit(), noChain.toString());
    Run badUrl = run("ledger", "deploy", "--rpc", "ftp://example", "--chain-id", "31337", "--key-file", s(keyFile),
        "--out", s(config));
    assertEquals(2, badUrl.exit(), badUrl.toString());
    Run missingKey = run("ledger", "deploy", "--rpc", node.rpcUrl(), "--chain-id", "31337", "--key-file",
        s(dir.resolve("no-such.key")), "--out", s(config));
    assertEquals(2, missingKey.exit(), missingKey.toString());
    assertFalse(Files.exists(config));
  }

  @Test
  void helpHasAnExampleAndTheExitCodes() {
    Run h = run("ledger", "deploy", "--help");
    assertEquals(0, h.exit());
    assertTrue(h.out().contains("Example:") && h.out().contains("--key-file") && h.out().contains("5"), h.out());
  }

  private static String code(String address) throws Exception {
    return rpc("eth_getCode", "[\"" + address + "\",\"latest\"]");
  }

  private static String nonce(String address) throws Exception {
    return rpc("eth_getTransactionCount", "[\"" + address + "\",\"latest\"]");
  }

  private static String rpc(String method, String params) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.rpcUrl()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}"))
        .build();
    String body = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
    return Cli.JSON.readTree(body).get("result").asText();
  }
}
