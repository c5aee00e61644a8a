package io.veridict.chain.xrpl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import java.io.IOException;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  /** The URL as messages show it (no credentials, path or query). */
  private final String shown;
  private final Duration timeout;
  private final HttpClient http;

  XrplRpc(URI url, Duration timeout) {
    this.url = url;
    this.shown = Endpoints.redacted(url);
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
    // One deadline for the whole exchange, body included: HttpRequest.timeout alone stops at the
    // headers, so a node that sends headers and then stalls would hang a blocking body read.
    CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(req, info -> new BoundedBody(MAX_RESPONSE_BYTES));
    HttpResponse<byte[]> resp;
    try {
      resp = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new LedgerException(Reason.TIMEOUT, method + ": " + shown + " did not answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new LedgerException(Reason.TIMEOUT, method + ": interrupted", e);
    } catch (ExecutionException e) {
      throw mapFailure(method, e.getCause());
    }
    byte[] bytes = resp.body();
    if (resp.statusCode() != 200) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": HTTP " + resp.statusCode() + " from " + shown);
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
      throw new RpcError(abbreviate(result.path("error").asText("unknown")),
          abbreviate(result.path("error_message").asText(result.path("error_exception").asText(""))), result);
    }
    return result;
  }

  private LedgerException mapFailure(String method, Throwable cause) {
    Throwable c = cause;
    for (int i = 0; i < 5 && c != null; i++) {
      if (c instanceof BoundedBody.TooLarge) {
        return new LedgerException(Reason.BAD_RESPONSE, method + ": response larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
      if (c instanceof HttpConnectTimeoutException) {
        return new LedgerException(Reason.UNREACHABLE, method + ": could not connect to " + shown + " within "
            + timeout.toMillis() + " ms", c);
      }
      if (c instanceof HttpTimeoutException) {
        return new LedgerException(Reason.TIMEOUT, method + ": " + shown + " did not answer within "
            + timeout.toMillis() + " ms", c);
      }
      if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
        return new LedgerException(Reason.UNREACHABLE, method + ": cannot connect to " + shown + ": " + c, c);
      }
      c = c.getCause();
    }
    // The request may have reached the node: the outcome is unknown, like a timeout.
    return new LedgerException(Reason.TIMEOUT, method + ": connection to " + shown + " failed mid-request: "
        + cause, cause);
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
