package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs a {@code veridict} sub-command in this JVM and captures what it prints. Only the demo uses
 * it, with arguments it builds itself, so that it goes through exactly the commands a user runs by
 * hand. Never for outside values: the HTTP service calls the commands' typed jobs instead.
 */
final class InProcess {
  private InProcess() {}

  /** A finished command: its exit code, its {@code --json} output (empty if none) and its stderr. */
  record Result(int exit, JsonNode json, String err) {
    boolean ok() {
      return exit == Cli.OK;
    }

    /**
     * The command's error message: the first line of its stderr without the {@code "veridict x:
     * error: "} prefix (messages that span lines, like a list of failing bundles, are kept whole up
     * to the first hint line).
     */
    String message() {
      List<String> lines = err.strip().lines().toList();
      StringBuilder m = new StringBuilder();
      for (int k = 0; k < lines.size(); k++) {
        String l = lines.get(k);
        if (k > 0 && isHint(l)) {
          break;
        }
        m.append(k == 0 ? "" : "\n").append(k == 0 ? l : l.strip());
      }
      String s = m.toString();
      int i = s.indexOf(": error: ");
      return i >= 0 && i < 60 ? s.substring(i + ": error: ".length()) : s;
    }

    /** What the command said to do about it: the indented hint lines after the message. */
    List<String> hints() {
      List<String> lines = err.strip().lines().toList();
      List<String> h = new java.util.ArrayList<>();
      boolean inHints = false;
      for (int k = 1; k < lines.size(); k++) {
        inHints |= isHint(lines.get(k));
        String l = lines.get(k).strip();
        if (inHints && !l.isEmpty() && !l.startsWith("(see:")) {
          h.add(l);
        }
      }
      return h;
    }

    private static boolean isHint(String line) {
      // Report lines are "  <hint>"; the failing-bundle lists of anchor are "  <path>: <REASON>: ...".
      return line.startsWith("  ") && !line.matches("\\s+\\S+: [A-Z_]+: .*");
    }
  }

  static Result run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cl = VeridictMain.commandLine();
    cl.setOut(new PrintWriter(o, true));
    cl.setErr(new PrintWriter(e, true));
    int exit = cl.execute(args);
    JsonNode j = null;
    String text = o.toString().strip();
    if (!text.isEmpty()) {
      try {
        j = Cli.JSON.readTree(text);
      } catch (IOException ex) {
        j = null; // not a JSON command (or no --json): callers use the exit code and stderr
      }
    }
    return new Result(exit, j == null ? Cli.JSON.createObjectNode() : j, e.toString());
  }
}
