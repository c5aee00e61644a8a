package io.veridict.chain.evm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import io.veridict.chain.internal.Endpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import io.veridict.chain.internal.BoundedBody;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal Ethereum JSON-RPC 2.0 client over the JDK {@link HttpClient}: one method per call,
 * bounded response size, and every transport failure mapped to a typed {@link LedgerException}
 * (connection refused → {@code UNREACHABLE}, no answer within the request timeout → {@code
 * TIMEOUT}, anything that is not a well-formed JSON-RPC response → {@code BAD_RESPONSE}). An error
 * object from the node is an {@link RpcError} for the caller to interpret.
 *
 * <p>Also the strict decoders of JSON-RPC quantities and data (hostile responses never crash).
 */
final class JsonRpc implements AutoCloseable {
  /** Largest response body accepted (a page of logs is far smaller). */
  static final int MAX_RESPONSE_BYTES = 32 << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final URI endpoint;
  /** The endpoint as messages show it (no credentials, path or query). */
  private final String shown;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();

  JsonRpc(URI endpoint, Duration connectTimeout, Duration requestTimeout) {
    this.endpoint = endpoint;
    this.shown = Endpoints.redacted(endpoint);
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  static ObjectMapper json() {
    return JSON;
  }

  /**
   * Calls {@code method} with {@code params} (strings, numbers, booleans, maps, lists, JsonNodes)
   * and returns the {@code result} (possibly JSON null).
   */
  JsonNode call(String method, Object... params) throws LedgerException, RpcError {
    ObjectNode req = JSON.createObjectNode();
    req.put("jsonrpc", "2.0");
    long id = ids.incrementAndGet();
    req.put("id", id);
    req.put("method", method);
    ArrayNode p = req.putArray("params");
    for (Object o : params) {
      p.add(JSON.valueToTree(o));
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(req);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a JSON-RPC request", e);
    }
    HttpRequest httpReq =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> resp;
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(httpReq, info -> new BoundedBody(MAX_RESPONSE_BYTES));
    try {
      // the request timeout covers the headers; this deadline also covers a body that stalls
      resp = pending.get(requestTimeout.toMillis() + 250, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new LedgerException(
          Reason.TIMEOUT,
          method + ": " + shown + " did not answer within " + requestTimeout.toMillis() + " ms",
          e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new LedgerException(Reason.TIMEOUT, method + ": interrupted", e);
    } catch (ExecutionException ee) {
      Throwable e = ee.getCause() == null ? ee : ee.getCause();
      if (e instanceof HttpConnectTimeoutException) {
        throw new LedgerException(
            Reason.TIMEOUT, method + ": no connection to " + shown + " within the connect timeout", e);
      }
      if (e instanceof HttpTimeoutException) {
        throw new LedgerException(
            Reason.TIMEOUT,
            method + ": " + shown + " did not answer within " + requestTimeout.toMillis() + " ms",
            e);
      }
      if (e instanceof BoundedBody.TooLarge) {
        throw new LedgerException(
            Reason.BAD_RESPONSE, method + ": response larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
      if (e instanceof ConnectException || e instanceof UnresolvedAddressException
          || e.getCause() instanceof ConnectException) {
        throw new LedgerException(Reason.UNREACHABLE, method + ": cannot connect to " + shown, e);
      }
      throw new LedgerException(
          Reason.UNREACHABLE, method + ": I/O error talking to " + shown + ": " + e, e);
    }
    byte[] bytes = resp.body();
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException | RuntimeException e) {
      throw new LedgerException(
          Reason.BAD_RESPONSE, method + ": HTTP " + resp.statusCode() + ", body is not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new LedgerException(
          Reason.BAD_RESPONSE, method + ": HTTP " + resp.statusCode() + ", not a JSON-RPC object");
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      if (!error.isObject()) {
        throw new LedgerException(Reason.BAD_RESPONSE, method + ": malformed error object");
      }
      JsonNode data = error.get("data");
      String dataText =
          data == null || data.isNull() ? "" : data.isTextual() ? data.asText() : data.toString();
      throw new RpcError(
          method, error.path("code").asLong(0), truncate(error.path("message").asText("")), dataText);
    }
    if (resp.statusCode() != 200) {
      throw new LedgerException(
          Reason.BAD_RESPONSE, method + ": HTTP " + resp.statusCode() + " without a JSON-RPC error");
    }
    if (!root.has("result")) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": no result in the response");
    }
    return root.get("result");
  }

  private static String truncate(String s) {
    return s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }

  // ---- strict decoders

  /** A JSON-RPC quantity ({@code 0x} + 1..16 hex digits) as a non-negative long. */
  static long quantity(JsonNode n, String what) throws LedgerException {
    BigInteger v = bigQuantity(n, what);
    if (v.bitLength() > 63) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " does not fit in 63 bits: " + v);
    }
    return v.longValue();
  }

  /** A JSON-RPC quantity of up to 256 bits. */
  static BigInteger bigQuantity(JsonNode n, String what) throws LedgerException {
    if (n == null || !n.isTextual()) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " is not a hex quantity: " + n);
    }
    String s = n.asText();
    // Hex digits only: BigInteger alone would also take a sign ("0x-1").
    if (!s.matches("0x[0-9a-fA-F]{1,64}")) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " is not a hex quantity: " + abbreviate(s));
    }
    try {
      return new BigInteger(s.substring(2), 16);
    } catch (NumberFormatException e) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " is not a hex quantity: " + abbreviate(s));
    }
  }

  /** JSON-RPC data ({@code 0x} + even hex digits); {@code expectedLength} -1 for any length. */
  static byte[] data(JsonNode n, int expectedLength, String what) throws LedgerException {
    if (n == null || !n.isTextual()) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " is not hex data");
    }
    String s = n.asText();
    if (!s.startsWith("0x") || (s.length() & 1) != 0) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " is not hex data: " + abbreviate(s));
    }
    byte[] b;
    try {
      b = java.util.HexFormat.of().parseHex(s, 2, s.length());
    } catch (IllegalArgumentException e) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + " is not hex data: " + abbreviate(s));
    }
    if (expectedLength >= 0 && b.length != expectedLength) {
      throw new LedgerException(
          Reason.BAD_RESPONSE, what + " has " + b.length + " bytes, expected " + expectedLength);
    }
    return b;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  @Override
  public void close() {
    http.close();
  }
}
