package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An HTTP API failure the client can act on: a status, a stable machine-readable {@code code}, a
 * message saying what went wrong and hints saying what to do. Rendered as {@code {"error": {...}}}.
 * Messages never carry feature values, weights or keys.
 */
final class ApiError extends RuntimeException {
  final int status;
  final String code;
  final List<String> hints;
  /** Seconds for a {@code Retry-After} header, or 0 for none. */
  final long retryAfterSeconds;

  ApiError(int status, String code, String message, long retryAfterSeconds, List<String> hints) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.hints = List.copyOf(hints);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiError of(int status, String code, String message, String... hints) {
    return new ApiError(status, code, message, 0, List.of(hints));
  }

  static ApiError badRequest(String message, String... hints) {
    return of(400, "bad_request", message, hints);
  }

  static ApiError busy(String message, long retryAfterSeconds) {
    return new ApiError(503, "busy", message, Math.max(1, retryAfterSeconds), List.of());
  }

  /**
   * The HTTP form of a command's failure exit code: 1 rejected and 3/4 (a model or input Veridict
   * cannot take) are 422, 2 (usage) is 400, 5 (ledger) is 502.
   */
  static ApiError fromExit(int exit, String message) {
    return fromExit(exit, message, List.of());
  }

  static ApiError fromExit(int exit, String message, List<String> hints) {
    // Hints that tell a shell user which command to run next mean nothing to an HTTP client.
    List<String> h = hints.stream().filter(s -> !s.contains("./veridict") && !s.startsWith("(see:")).toList();
    return switch (exit) {
      case Cli.REJECTED -> new ApiError(422, "rejected", message, 0, h);
      case Cli.USAGE -> new ApiError(400, "bad_request", message, 0, h);
      case Cli.ACCURACY -> new ApiError(422, "accuracy_below_floor", message, 0, h);
      case Cli.INPUT -> new ApiError(422, "unprocessable", message, 0, h);
      case LedgerFailures.LEDGER -> of(502, "ledger_error", message,
          "The ledger did not answer or refused the request; the request can be retried.");
      default -> of(500, "internal", "exit " + exit + ": " + message);
    };
  }

  ObjectNode toJson(String requestId) {
    ObjectNode o = Cli.JSON.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("status", status);
    e.put("code", code);
    e.put("message", getMessage());
    if (!hints.isEmpty()) {
      ArrayNode h = e.putArray("hints");
      hints.forEach(h::add);
    }
    e.put("request_id", requestId);
    return o;
  }
}
