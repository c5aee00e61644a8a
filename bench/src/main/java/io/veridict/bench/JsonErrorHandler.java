package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals as the API's JSON error body, not Jetty's HTML page: a request Jetty rejects
 * before any route runs (an ambiguous or encoded {@code ..%2F} path, a NUL in the path, a URI or
 * header over Jetty's limits) gets {@code {"error": {"status", "code": "http_<status>", "message",
 * "request_id"}}} and a log line, like every other error.
 *
 * <p>The message is the status's standard reason phrase only: nothing from the request (its path,
 * query or headers) is echoed back.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final ServiceLog log;

  JsonErrorHandler(ServiceLog log) {
    this.log = log;
  }

  /** Requests Jetty cannot parse (URI too long, header fields too large, bad syntax). */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    return ByteBuffer.wrap(body(status));
  }

  /** Requests Jetty parsed but refused before routing (ambiguous path segments, bad encodings). */
  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
      HttpServletResponse response, int code, String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    byte[] b = body(code);
    response.setContentLength(b.length);
    response.getOutputStream().write(b);
  }

  private byte[] body(int status) {
    String rid = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    log.info("http", o -> {
      o.put("request_id", rid);
      o.put("route", "-"); // refused before routing: the concrete path may hold anything
      o.put("status", status);
      o.put("refused_by", "jetty");
    });
    String reason = HttpStatus.getMessage(status);
    ObjectNode o = Cli.JSON.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("status", status);
    e.put("code", "http_" + status);
    e.put("message", "the request was refused before routing: " + (reason == null ? "bad request" : reason));
    e.putArray("hints").add("Check the path (no encoded '/', '..' or NUL), and keep URLs under 8 KiB and headers under 8 KiB.");
    e.put("request_id", rid);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
