package io.veridict.chain.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.contracts.DevNode;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON-RPC transport against nodes that misbehave: one that accepts and never answers
 * (TIMEOUT, quickly), a closed port (UNREACHABLE), and hostile answers (BAD_RESPONSE, never a
 * crash or an unchecked exception).
 */
final class EvmTransportTest {
  private static final EvmContracts SOME =
      new EvmContracts("0x" + "11".repeat(20), "0x" + "22".repeat(20), "0x" + "33".repeat(20),
          Optional.empty(), 0);

  @Test
  void hangingNode_isTimeout_withinTheRequestTimeout() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(server.accept()); // accept, read nothing, answer nothing
          }
        } catch (IOException e) {
          // closed
        }
      });
      EvmConfig config = EvmConfig.of(URI.create("http://127.0.0.1:" + server.getLocalPort()), 31337, SOME)
          .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(300));
      LedgerException e = assertThrows(LedgerException.class,
          () -> EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY));
      assertEquals(Reason.TIMEOUT, e.reason());
      assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
      try (JsonRpc rpc = new JsonRpc(config.rpc(), Duration.ofMillis(300), Duration.ofMillis(300))) {
        assertEquals(Reason.TIMEOUT, assertThrows(LedgerException.class, () -> rpc.call("eth_blockNumber")).reason());
      }
      server.close();
      acceptor.join();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void closedPort_isUnreachable() throws Exception {
    int port = DevNode.freePort();
    EvmConfig config = EvmConfig.of(URI.create("http://127.0.0.1:" + port), 31337, SOME)
        .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    LedgerException e = assertThrows(LedgerException.class,
        () -> EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY));
    assertEquals(Reason.UNREACHABLE, e.reason());
    // A URL with credentials in the user info, path and query appears as scheme://host:port only.
    EvmConfig secret = EvmConfig.of(URI.create("http://user:hunter2@127.0.0.1:" + port + "/v3/SECRETKEY?k=s3"), 31337,
        SOME).withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    LedgerException s = assertThrows(LedgerException.class,
        () -> EvmLedgerAnchor.connect(secret, EvmTestChain.WRITER_KEY));
    for (String leak : List.of("hunter2", "SECRETKEY", "s3", "user")) {
      assertFalse(s.getMessage().contains(leak), s.getMessage());
    }
    assertTrue(s.getMessage().contains("http://127.0.0.1:" + port), s.getMessage());
    // and the failed connect released the key
    assertThrows(LedgerException.class, () -> EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json at all",
      "[1,2,3]",
      "{\"jsonrpc\":\"2.0\",\"id\":1}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":12}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xzz\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x-1\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x+7a69\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xffffffffffffffffff\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"boom\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\",\"result\":\"0x2\"}",
      "",
  })
  void hostileAnswers_areBadResponse(String body) throws Exception {
    try (Stub stub = new Stub(200)) {
      stub.body.set(body);
      EvmConfig config = EvmConfig.of(stub.uri(), 31337, SOME)
          .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
      LedgerException e = assertThrows(LedgerException.class,
          () -> EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY));
      assertEquals(Reason.BAD_RESPONSE, e.reason(), e.getMessage());
    }
  }

  @Test
  void errorObject_andHttpErrors_areTyped() throws Exception {
    try (Stub stub = new Stub(500)) {
      stub.body.set("<html>oops</html>");
      EvmConfig config = EvmConfig.of(stub.uri(), 31337, SOME);
      assertEquals(Reason.BAD_RESPONSE, assertThrows(LedgerException.class,
          () -> EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY)).reason());
      stub.body.set("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"nope\",\"data\":\"0x1234\"}}");
      try (JsonRpc rpc = new JsonRpc(stub.uri(), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
        RpcError err = assertThrows(RpcError.class, () -> rpc.call("eth_chainId"));
        assertEquals(-32000, err.code());
        assertEquals("0x1234", err.data());
      }
    }
  }

  @Test
  void wrongChainId_fromTheNode_isWrongChain() throws Exception {
    try (Stub stub = new Stub(200)) {
      stub.body.set("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}");
      EvmConfig config = EvmConfig.of(stub.uri(), 31337, SOME);
      assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class,
          () -> EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY)).reason());
    }
  }

  @Test
  void badKeys_areBadKey() {
    EvmConfig config = EvmConfig.of(URI.create("http://127.0.0.1:1"), 31337, SOME);
    for (byte[] k : new byte[][] {new byte[31], new byte[32], new byte[33],
        java.util.HexFormat.of().parseHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")}) {
      assertEquals(Reason.BAD_KEY, assertThrows(LedgerException.class,
          () -> EvmLedgerAnchor.connect(config, k)).reason());
    }
  }

  /** A JSON-RPC "node" that answers every request with a fixed status and body. */
  private static final class Stub implements AutoCloseable {
    final AtomicReference<String> body = new AtomicReference<>("");
    private final HttpServer server;

    Stub(int status) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", ex -> {
        ex.getRequestBody().readAllBytes();
        byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      });
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
