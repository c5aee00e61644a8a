package io.veridict.chain.xrpl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;

/**
 * Our own JSON-RPC client for rippled (JDK {@link HttpClient}), one small method per call, so
 * that every failure is a typed {@link LedgerException}: no answer in time is {@code TIMEOUT}, a
 * refused connection {@code UNREACHABLE}, an answer that is not rippled's shape {@code
 * BAD_RESPONSE}. Responses are read up to {@link #MAX_RESPONSE_BYTES} and no further.
 *
 * <p>Wire format (rippled JSON-RPC): {@code POST {"method": M, "params": [{...}]}} answered by
 * {@code {"result": {..., "status": "success"}}} or {@code {"result": {"status": "error", "error":
 * CODE, "error_message": ...}}}.
 */
final class XrplRpc {
  /** Upper bound on one response body. */
  static final int MAX_RESPONSE_BYTES = 4 << 20;

  static final ObjectMapper JSON = new ObjectMapper();

  /** An error answer from rippled ({@code status: error}), e.g. {@code txnNotFound}, {@code actNotFound}. */
  static final class RpcError extends Exception {
    private static final long serialVersionUID = 1L;
    final String code;
    final transient JsonNode result;

    RpcError(String code, String message, JsonNode result) {
      super(code + ": " + message);
      this.code = code;
      this.result = result;
    }
  }

  private final URI url;
  private final Duration timeout;
  private final HttpClient http;

  XrplRpc(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * Calls {@code method} with one params object and returns its {@code result}.
   *
   * @throws RpcError if rippled answered with an error status
   */
  JsonNode call(String method, ObjectNode params) throws LedgerException, RpcError {
    ObjectNode body = JSON.createObjectNode();
    body.put("method", method);
    body.putArray("params").add(params);
    HttpRequest req = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    HttpResponse<InputStream> resp;
    byte[] bytes;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      }
    } catch (HttpConnectTimeoutException e) {
      throw new LedgerException(Reason.UNREACHABLE, method + ": could not connect to " + url + " within " + timeout.toMillis() + " ms", e);
    } catch (HttpTimeoutException e) {
      throw new LedgerException(Reason.TIMEOUT, method + ": " + url + " did not answer within " + timeout.toMillis() + " ms", e);
    } catch (ConnectException | UnresolvedAddressException e) {
      throw new LedgerException(Reason.UNREACHABLE, method + ": cannot connect to " + url + ": " + e, e);
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
        throw new LedgerException(Reason.UNREACHABLE, method + ": cannot connect to " + url, e);
      }
      // The request may have reached the node: the outcome is unknown, like a timeout.
      throw new LedgerException(Reason.TIMEOUT, method + ": connection to " + url + " failed mid-request: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException(Reason.TIMEOUT, method + ": interrupted", e);
    }
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": response larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
    if (resp.statusCode() != 200) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": HTTP " + resp.statusCode() + " from " + url);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": response is not JSON");
    }
    JsonNode result = root == null ? null : root.get("result");
    if (result == null || !result.isObject()) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": response has no result object");
    }
    if ("error".equals(result.path("status").asText()) || result.has("error")) {
      throw new RpcError(result.path("error").asText("unknown"),
          abbreviate(result.path("error_message").asText(result.path("error_exception").asText(""))), result);
    }
    return result;
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }

  /** A required unsigned integer field (number or decimal string). */
  static long uint(JsonNode n, String field, String what) throws LedgerException {
    JsonNode v = n.get(field);
    Optional<Long> x = Optional.empty();
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      x = Optional.of(v.longValue());
    } else if (v != null && v.isTextual() && v.textValue().matches("[0-9]{1,18}")) {
      x = Optional.of(Long.parseLong(v.textValue()));
    }
    if (x.isEmpty() || x.get() < 0) {
      throw new LedgerException(Reason.BAD_RESPONSE, what + ": " + field + " is missing or not an unsigned integer");
    }
    return x.get();
  }
}
