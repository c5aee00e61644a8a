package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The HTTP service's structured log: one JSON object per line. By construction it holds no personal
 * data: callers pass only identifiers the service made (request, decision, model and batch ids),
 * route templates (never a query string or a path with a subject in it), sizes, durations and
 * status codes — never a request body, a feature value, a subject address, a key or an exception
 * message that could echo input.
 */
final class ServiceLog {
  private final PrintStream out;

  ServiceLog(PrintStream out) {
    this.out = out;
  }

  void info(String event, Consumer<ObjectNode> fields) {
    write("info", event, fields);
  }

  void warn(String event, Consumer<ObjectNode> fields) {
    write("warn", event, fields);
  }

  void error(String event, Consumer<ObjectNode> fields) {
    write("error", event, fields);
  }

  private void write(String level, String event, Consumer<ObjectNode> fields) {
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("ts", Instant.now().toString());
    o.put("level", level);
    o.put("event", event);
    fields.accept(o);
    String line;
    try {
      line = Cli.JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      line = "{\"level\":\"error\",\"event\":\"log_failure\"}";
    }
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
