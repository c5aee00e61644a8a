package io.veridict.chain.evm;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.contracts.DevNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.web3j.crypto.Hash;

/** A real anvil with the Veridict contracts deployed, for the EVM integration tests. */
final class EvmTestChain implements AutoCloseable {
  static final long CHAIN_ID = 31337;
  static final Bytes32 POLICY = b32("policy-700");
  static final Bytes32 MODEL = b32("model-v1");
  /** anvil account 0: deploys and administers. */
  static final byte[] ADMIN_KEY = key(0);
  /** anvil account 1: the adapter's key, holding the writer roles. */
  static final byte[] WRITER_KEY = key(1);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  DevNode node;
  final Path anvil;
  final DevNode.Options options;
  EvmContracts contracts;

  private EvmTestChain(Path anvil, DevNode.Options options, DevNode node) {
    this.anvil = anvil;
    this.options = options;
    this.node = node;
  }

  static Path anvilPath() throws Exception {
    return DevNode.findAnvil(
        Path.of(System.getProperty("veridict.nodeModules", "../contracts/node_modules")));
  }

  /** Starts anvil and deploys (the admin binds {@link #POLICY} only after {@link #MODEL} is registered). */
  static EvmTestChain start(DevNode.Options options) throws Exception {
    Path anvil = anvilPath();
    EvmTestChain c = new EvmTestChain(anvil, options, DevNode.start(anvil, options));
    try {
      if (!options.autoMine()) {
        // deployment needs blocks: mine in the background while deploying
        // A flag, not only the interrupt: rpcQuiet may swallow an InterruptedException from the
        // HTTP client (clearing the interrupt status), and the loop must still end.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread miner = Thread.ofVirtual().start(() -> {
          while (!stop.get() && !Thread.currentThread().isInterrupted()) {
            try {
              c.rpcQuiet("evm_mine");
              Thread.sleep(30);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        try {
          c.deploy();
        } finally {
          stop.set(true);
          miner.interrupt();
          miner.join(java.time.Duration.ofSeconds(30));
        }
      } else {
        c.deploy();
      }
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  private void deploy() throws LedgerException {
    String writer = EvmLedgerAnchor.credentials(WRITER_KEY).getAddress();
    contracts =
        EvmDeployer.deploy(
            URI.create(node.rpcUrl()), CHAIN_ID, ADMIN_KEY,
            new EvmDeployer.Options(POLICY, java.math.BigInteger.TEN.pow(18), java.util.List.of(writer)));
  }

  EvmConfig config() {
    return EvmConfig.of(URI.create(node.rpcUrl()), CHAIN_ID, contracts)
        .withConfirmations(1)
        .withPollInterval(Duration.ofMillis(20))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  EvmLedgerAnchor writer() throws LedgerException {
    return EvmLedgerAnchor.connect(config(), WRITER_KEY);
  }

  /** Sets {@code policy} to {@code model} under the rule of {@link #grant}'s statements (0.5, at-least, 7411). */
  void bindPolicy(Bytes32 policy, Bytes32 model) throws LedgerException {
    EvmDeployer.setPolicy(URI.create(node.rpcUrl()), CHAIN_ID, ADMIN_KEY, contracts, policy,
        new EvmDeployer.PolicyRule(model, 0, Double.doubleToLongBits(0.5), 7_411, 30L * 86_400));
  }

  /** A grant of an approving statement of {@code model} (circuit {@code b32("air")}) on this chain. */
  static LedgerEntry.EligibilityGrant grant(String who, Bytes32 policy, Bytes32 model, int nonce, long until) {
    return new LedgerEntry.EligibilityGrant(
        io.veridict.chain.TestGrants.statement(who, policy, model, b32("air"), CHAIN_ID, nonce), until);
  }

  /** The gate's eligibility domain. */
  io.veridict.chain.EligibilityDomain domain() {
    return io.veridict.chain.EligibilityDomain.evm(CHAIN_ID, contracts.eligibilityGate());
  }

  static byte[] key(int i) {
    return HexFormat.of().parseHex(DevNode.DEV_KEYS.get(i).substring(2));
  }

  static Bytes32 b32(String label) {
    return Bytes32.of(Hash.sha3(label.getBytes(StandardCharsets.UTF_8)));
  }

  static LedgerEntry.ModelRegistration registration(Bytes32 model) {
    return new LedgerEntry.ModelRegistration(model, b32("air"), b32("meta"), "https://models.example/v1");
  }

  /** A raw JSON-RPC call; fails the test on an error object. */
  JsonNode rpc(String method, Object... params) throws Exception {
    JsonNode n = rpcRaw(method, params);
    if (n.has("error")) {
      fail(method + " failed: " + n.get("error"));
    }
    return n.get("result");
  }

  JsonNode rpcRaw(String method, Object... params) throws Exception {
    var req = JSON.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", 1);
    req.put("method", method);
    var arr = req.putArray("params");
    for (Object p : params) {
      arr.add(JSON.valueToTree(p));
    }
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(node.rpcUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(req)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private void rpcQuiet(String method) {
    try {
      rpcRaw(method);
    } catch (Exception e) {
      // best effort
    }
  }

  void mine(int blocks) throws Exception {
    for (int i = 0; i < blocks; i++) {
      rpc("evm_mine");
    }
  }

  /** Kills anvil (SIGKILL) and starts it again on the same port with the same options. */
  void crashAndRestart() throws Exception {
    int port = node.port();
    node.kill();
    node = DevNode.start(anvil, options, port);
  }

  /** Stops anvil gracefully (state written) and starts it again on the same port. */
  void restart() throws Exception {
    int port = node.port();
    node.close();
    node = DevNode.start(anvil, options, port);
  }

  @Override
  public void close() {
    node.close();
  }
}
