package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} exits 0 and shows an example; every command that does work (a
 * leaf) documents its exit codes. Walks the whole command tree, so a new command cannot skip it.
 */
class HelpTest {
  static void walk(CommandLine c, List<CommandLine> out) {
    out.add(c);
    c.getSubcommands().values().stream().distinct().forEach(s -> walk(s, out));
  }

  @Test
  void everyCommandHasHelpWithAnExample_andLeavesDocumentTheirExitCodes() {
    List<CommandLine> all = new ArrayList<>();
    walk(VeridictMain.commandLine(), all);
    List<String> problems = new ArrayList<>();
    for (CommandLine c : all) {
      String name = c.getCommandSpec().qualifiedName();
      if (name.endsWith("generate-completion")) {
        continue; // picocli's own command: prints a script, documented in cli.md
      }
      StringWriter out = new StringWriter();
      CommandLine fresh = VeridictMain.commandLine();
      fresh.setOut(new PrintWriter(out, true));
      fresh.setErr(new PrintWriter(new StringWriter(), true));
      List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
      args.add("--help");
      int exit = fresh.execute(args.toArray(String[]::new));
      String help = out.toString();
      if (exit != 0) {
        problems.add(name + ": --help exits " + exit);
      }
      if (!help.contains("Example")) {
        problems.add(name + ": no example in --help");
      }
      boolean leaf = c.getSubcommands().isEmpty() || c.getCommandSpec().userObject() instanceof VerifyCommand;
      if (leaf && !help.contains("Exit codes")) {
        problems.add(name + ": no exit codes in --help");
      }
    }
    assertTrue(all.size() > 20, "the command tree: " + all.size());
    assertEquals(List.of(), problems);
  }
}
