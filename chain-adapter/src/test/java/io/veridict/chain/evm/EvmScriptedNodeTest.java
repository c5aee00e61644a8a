package io.veridict.chain.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.utils.Numeric;

/**
 * The adapter against a scripted JSON-RPC node, for behaviours a real anvil does not produce on
 * demand: {@code removed} (reorged) and foreign logs in {@code eth_getLogs} (pitfall 18), a node
 * that refuses wide log ranges, a submission whose answer never arrives while the transaction did
 * (pitfall 16), a body that stalls after the headers, and the chain id inside every signature
 * (pitfall 17).
 */
final class EvmScriptedNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REG = "0x" + "11".repeat(20);
  private static final String ANCHOR = "0x" + "22".repeat(20);
  private static final String GATE = "0x" + "33".repeat(20);
  private static final EvmContracts CONTRACTS = new EvmContracts(REG, ANCHOR, GATE, Optional.empty(), 0);

  /** A node answering by method name; the function gets the params and returns the result JSON. */
  private static final class ScriptedNode implements AutoCloseable {
    final Map<String, Function<JsonNode, String>> methods = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final HttpServer server;

    ScriptedNode() throws IOException {
      methods.put("eth_chainId", p -> "\"0x7a69\"");
      methods.put("eth_getCode", p -> "\"0x6001\"");
      methods.put("eth_blockNumber", p -> "\"0x64\"");
      methods.put("eth_getBlockByNumber", p -> "{\"hash\":\"0x" + "ab".repeat(32)
          + "\",\"timestamp\":\"0x6553f100\",\"baseFeePerGas\":\"0x3b9aca00\"}");
      methods.put("eth_maxPriorityFeePerGas", p -> "\"0x3b9aca00\"");
      methods.put("eth_getTransactionCount", p -> "\"0x5\"");
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", ex -> {
        JsonNode req = JSON.readTree(ex.getRequestBody());
        String method = req.get("method").asText();
        synchronized (calls) {
          calls.add(method);
        }
        Function<JsonNode, String> f = methods.get(method);
        String result = f == null ? null : f.apply(req.get("params"));
        String body = result == null
            ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"no " + method + "\"}}"
            : result.startsWith("{\"error\"") ? "{\"jsonrpc\":\"2.0\",\"id\":1," + result.substring(1)
            : "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      });
      server.start();
    }

    EvmConfig config() {
      return EvmConfig.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 31337, CONTRACTS)
          .withConfirmations(1).withPollInterval(Duration.ofMillis(10))
          .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(400));
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static String word(long v) {
    return String.format("%064x", v);
  }

  private static String batchLog(String address, Bytes32 root, long block, long logIndex, boolean removed) {
    return "{\"address\":\"" + address + "\",\"topics\":[\"" + VeridictAbi.BATCH_ANCHORED + "\",\"" + root
        + "\",\"0x" + word(0) + "\",\"0x" + "0".repeat(24) + "cd".repeat(20) + "\"],\"data\":\"0x"
        + word(7) + "00".repeat(32) + "\",\"blockNumber\":\"0x" + Long.toHexString(block)
        + "\",\"logIndex\":\"0x" + Long.toHexString(logIndex) + "\",\"transactionHash\":\"0x"
        + "ee".repeat(32) + "\",\"removed\":" + removed + "}";
  }

  @Test
  void history_skipsRemovedForeignAndMalformedLogs() throws Exception {
    Bytes32 kept = Bytes32.fromHex("01".repeat(32));
    try (ScriptedNode node = new ScriptedNode()) {
      node.methods.put("eth_getLogs", p -> "[" + String.join(",",
          batchLog(ANCHOR, Bytes32.fromHex("02".repeat(32)), 10, 0, true),   // reorged out
          batchLog("0x" + "99".repeat(20), Bytes32.fromHex("03".repeat(32)), 10, 1, false), // foreign contract
          batchLog(ANCHOR, kept, 11, 0, false),
          "{\"address\":\"" + ANCHOR + "\",\"topics\":\"nope\"}",
          "42") + "]");
      try (EvmLedgerAnchor a = EvmLedgerAnchor.connect(node.config(), EvmTestChain.WRITER_KEY)) {
        HistoryPage page = a.history(Cursor.START, 100);
        assertEquals(1, page.entries().size());
        Anchored x = page.entries().get(0);
        assertEquals(new LedgerEntry.BatchAnchor(kept, 7, Bytes32.ZERO), x.entry());
        assertEquals(11, x.height());
        assertTrue(page.next().isEmpty());
      }
    }
  }

  @Test
  void history_halvesTheRangeWhenTheNodeRefusesIt_andStillSeesEverything() throws Exception {
    try (ScriptedNode node = new ScriptedNode()) {
      node.methods.put("eth_getLogs", p -> {
        long from = Long.decode(p.get(0).get("fromBlock").asText());
        long to = Long.decode(p.get(0).get("toBlock").asText());
        if (to - from + 1 > 16) {
          return "{\"error\":{\"code\":-32005,\"message\":\"query exceeds max block range 16\"}}";
        }
        List<String> logs = new ArrayList<>();
        for (long b = from; b <= to; b++) {
          if (b % 10 == 3) {
            logs.add(batchLog(ANCHOR, Bytes32.of(Numeric.toBytesPadded(java.math.BigInteger.valueOf(b), 32)), b, 0, false));
          }
        }
        return "[" + String.join(",", logs) + "]";
      });
      try (EvmLedgerAnchor a = EvmLedgerAnchor.connect(node.config().withLogChunkBlocks(100), EvmTestChain.WRITER_KEY)) {
        List<Anchored> all = new ArrayList<>();
        Cursor c = Cursor.START;
        while (true) {
          HistoryPage p = a.history(c, 3);
          all.addAll(p.entries());
          if (p.next().isEmpty()) {
            break;
          }
          c = p.next().get();
        }
        assertEquals(10, all.size()); // blocks 3, 13, ..., 93 of 0..100
        for (int i = 0; i < all.size(); i++) {
          assertEquals(10L * i + 3, all.get(i).height());
        }
      }
    }
  }

  @Test
  void submitWhoseAnswerNeverArrives_isLookedUpBeforeReportingATimeout() throws Exception {
    try (ScriptedNode node = new ScriptedNode()) {
      node.methods.put("eth_sendRawTransaction", p -> {
        try {
          Thread.sleep(2_000); // the node got it but the answer is lost
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "\"0x00\"";
      });
      node.methods.put("eth_getTransactionByHash", p -> "{\"hash\":" + p.get(0) + "}");
      try (EvmLedgerAnchor a = EvmLedgerAnchor.connect(node.config(), EvmTestChain.WRITER_KEY)) {
        PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(Bytes32.fromHex("01".repeat(32)), 1, Bytes32.ZERO));
        a.submit(tx); // no exception: the node knows the transaction
        assertTrue(node.calls.contains("eth_getTransactionByHash"));
        // and it is pending, not failed, until a receipt exists
        node.methods.put("eth_getTransactionReceipt", p -> "null");
        assertInstanceOf(TxStatus.Pending.class, a.poll(tx));
        // when the node does not know it either, the timeout is reported
        node.methods.put("eth_getTransactionByHash", p -> "null");
        assertEquals(Reason.TIMEOUT, assertThrows(LedgerException.class, () -> a.submit(tx)).reason());
      }
    }
  }

  @Test
  void everyTransaction_isType2_withTheChainIdInsideTheSignature_pitfall17() throws Exception {
    try (ScriptedNode node = new ScriptedNode();
        EvmLedgerAnchor a = EvmLedgerAnchor.connect(node.config(), EvmTestChain.WRITER_KEY)) {
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(Bytes32.fromHex("01".repeat(32)), 1, Bytes32.ZERO));
      assertEquals(0x02, tx.signedBytes()[0]); // EIP-2718 type 2 = EIP-1559
      RawTransaction raw = TransactionDecoder.decode(Numeric.toHexString(tx.signedBytes()));
      Transaction1559 t = assertInstanceOf(Transaction1559.class, raw.getTransaction());
      assertEquals(31337, t.getChainId());
      assertEquals(5, t.getNonce().longValueExact()); // from the node's pending count
      assertEquals(ANCHOR, t.getTo());
      assertEquals(EvmConfig.GasLimits.defaults().anchor(), t.getGasLimit().longValueExact());
      // maxFee = 2 * base (1 gwei) + tip (1 gwei), within the caps
      assertEquals(EvmConfig.gwei(3), t.getMaxFeePerGas());
      assertEquals(EvmConfig.gwei(1), t.getMaxPriorityFeePerGas());
      PreparedTx next = a.prepare(tx.entry());
      assertEquals(6, next.sequence()); // one owner hands out consecutive nonces
    }
  }

  @Test
  void aBodyThatStallsAfterTheHeaders_isTimeout() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            Socket s = server.accept();
            held.add(s);
            s.getOutputStream().write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\""
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
          }
        } catch (IOException e) {
          // closed
        }
      });
      try (JsonRpc rpc = new JsonRpc(URI.create("http://127.0.0.1:" + server.getLocalPort()),
          Duration.ofMillis(300), Duration.ofMillis(300))) {
        assertEquals(Reason.TIMEOUT, assertThrows(LedgerException.class, () -> rpc.call("eth_chainId")).reason());
      }
      server.close();
      t.join();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
