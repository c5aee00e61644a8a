package io.veridict.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractEIP1559GasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** A fresh anvil with web3j clients for the contract tests. */
final class AnvilChain implements AutoCloseable {
  static final long CHAIN_ID = 31337;
  private static final ObjectMapper JSON = new ObjectMapper();

  final DevNode node;
  final Web3j web3j;
  private final HttpClient http = HttpClient.newHttpClient();

  private AnvilChain(DevNode node) {
    this.node = node;
    this.web3j = Web3j.build(new HttpService(node.rpcUrl()));
  }

  static AnvilChain start() throws IOException {
    Path nodeModules = Path.of(System.getProperty("veridict.nodeModules", "node_modules"));
    return new AnvilChain(DevNode.start(DevNode.findAnvil(nodeModules), DevNode.Options.defaults()));
  }

  Credentials account(int i) {
    return Credentials.create(DevNode.DEV_KEYS.get(i));
  }

  /** A transaction manager that signs with the chain id (EIP-155/1559) and polls every 20 ms. */
  TransactionManager tx(int i) {
    return new RawTransactionManager(
        web3j, account(i), CHAIN_ID, new PollingTransactionReceiptProcessor(web3j, 20, 500));
  }

  /** Explicit limits: estimation is not trusted (pitfall 20). */
  ContractEIP1559GasProvider gas() {
    return new StaticEIP1559GasProvider(
        CHAIN_ID,
        BigInteger.valueOf(50_000_000_000L),
        BigInteger.valueOf(1_000_000_000L),
        BigInteger.valueOf(6_000_000));
  }

  /** Sends a raw JSON-RPC request and returns its {@code result}. */
  JsonNode rpc(String method, String paramsJson) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(node.rpcUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode n = JSON.readTree(r.body());
    if (n.has("error")) {
      fail(method + " failed: " + n.get("error"));
    }
    return n.get("result");
  }

  /**
   * Mines a block exactly {@code seconds} after the latest one. An offset on the node's clock
   * ({@code evm_increaseTime}) is not exact: a wall-clock second passing before the block is mined
   * lands it one second later, which made "one second before expiry" tests flaky on a busy machine.
   */
  void advanceTime(long seconds) throws Exception {
    rpc("evm_setNextBlockTimestamp", "[" + (latestTimestamp() + seconds) + "]");
    rpc("evm_mine", "[]");
  }

  long latestTimestamp() throws Exception {
    JsonNode b = rpc("eth_getBlockByNumber", "[\"latest\", false]");
    return Long.decode(b.get("timestamp").asText());
  }

  /** Raw {@code eth_getLogs} over the whole chain for one contract. */
  JsonNode logs(String address) throws Exception {
    return rpc(
        "eth_getLogs", "[{\"fromBlock\":\"0x0\",\"toBlock\":\"latest\",\"address\":\"" + address + "\"}]");
  }

  /** The 4-byte selector of an error or function signature, {@code 0x} + 8 hex digits. */
  static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }

  /** keccak256 of an event signature, the log's topic 0. */
  static String topic(String signature) {
    return Hash.sha3String(signature);
  }

  /**
   * Simulates {@code data} sent by account {@code from} to {@code to} and asserts that it reverts
   * with the custom error {@code errorSignature}; returns the revert data.
   */
  String assertReverts(int from, String to, String data, String errorSignature) throws Exception {
    EthCall call =
        web3j
            .ethCall(
                Transaction.createEthCallTransaction(account(from).getAddress(), to, data),
                DefaultBlockParameterName.LATEST)
            .send();
    assertTrue(call.isReverted() || call.hasError(), "expected a revert with " + errorSignature);
    assertNotNull(call.getError(), "no error object for " + errorSignature);
    Object raw = call.getError().getData();
    String revertData = raw == null ? "" : raw.toString().replace("\"", "");
    assertTrue(
        revertData.startsWith(selector(errorSignature)),
        "expected " + errorSignature + " (" + selector(errorSignature) + "), got " + revertData
            + " / " + call.getError().getMessage());
    return revertData;
  }

  static void assertOk(TransactionReceipt r) {
    assertEquals("0x1", r.getStatus(), "receipt status of " + r.getTransactionHash());
  }

  static List<String> topics(JsonNode log) {
    return JSON.convertValue(log.get("topics"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  @Override
  public void close() {
    web3j.shutdown();
    node.close();
  }
}
