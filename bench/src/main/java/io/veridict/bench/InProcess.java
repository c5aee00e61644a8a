package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs a {@code veridict} sub-command in this JVM and captures what it prints. The demo and the
 * HTTP service use it so that both go through exactly the code, checks and messages of the
 * commands a user runs by hand, instead of a second implementation of them.
 */
final class InProcess {
  private InProcess() {}

  /** A finished command: its exit code, its {@code --json} output (empty if none) and its stderr. */
  record Result(int exit, JsonNode json, String err) {
    boolean ok() {
      return exit == Cli.OK;
    }

    /** The command's error message: its stderr without the {@code "veridict x: error: "} prefix. */
    String message() {
      String s = err.strip();
      int i = s.indexOf(": error: ");
      return i >= 0 && i < 60 ? s.substring(i + ": error: ".length()) : s;
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
