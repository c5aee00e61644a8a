package io.veridict.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code veridict} command line (launched by the {@code ./veridict} script at the repository
 * root). Exit codes: 0 success, 1 a proof was rejected (or a check failed), 2 usage error, 3 a
 * model's quantization accuracy is below the floor, 4 a model or input Veridict cannot take, 5 a
 * ledger error, 6 a ledger write submitted but not yet final (running the command again resumes it).
 */
@Command(
    name = "veridict",
    mixinStandardHelpOptions = true,
    version = "veridict 0.1.0-SNAPSHOT",
    description = "Zero-knowledge STARK proofs for model decisions.",
    subcommands = {DemoCommand.class, ModelCommand.class, ProveCommand.class, VerifyCommand.class, AnchorCommand.class,
        EligibilityCommand.class, AuditCommand.class, LedgerCommand.class, ServeCommand.class, BenchCommand.class,
        picocli.AutoComplete.GenerateCompletion.class},
    footer = {"", "Example session:",
        "  ./veridict demo                      (the whole story on German Credit)",
        "  ./veridict model import german_xgb.json --out models/german \\",
        "      --dataset german.csv --label Class --positive 1",
        "  ./veridict model inspect models/german",
        "  ./veridict prove --model models/german --features applicant.json \\",
        "      --threshold 0.5 --out decision.bundle.json",
        "  ./veridict verify decision.bundle.json --expect-model <model_commitment>",
        "  ./veridict model register models/german",
        "  ./veridict anchor decision.bundle.json",
        "  ./veridict eligibility grant decision.bundle.json --valid-for 30d",
        "  ./veridict audit --bundles .",
        "", "Exit codes: 0 ok, 1 proof rejected / check failed, 2 usage error, 3 accuracy",
        "below the floor, 4 a model or input Veridict cannot take, 5 ledger error,",
        "6 submitted but not yet final (run again to resume). Reference: docs/cli.md"})
public final class VeridictMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: usage errors print the problem and a hint, not the whole help. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new VeridictMain());
    // No @file expansion, ever: picocli's default replaces an argument "@PATH" with that file's
    // contents, so any caller that passes an outside value as an argument (a script, the service
    // before it called typed code) would read files and echo them in parse errors. A user's shell
    // can do the same explicitly: $(cat FILE). docs/cli.md says so.
    cl.setExpandAtFiles(false);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      java.io.PrintWriter err = c.getErr();
      err.println(c.getCommandSpec().qualifiedName() + ": error: " + ex.getMessage());
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
        err.println("  (see: " + c.getCommandSpec().qualifiedName() + " --help)");
      }
      err.flush();
      return c.getCommandSpec().exitCodeOnInvalidInput();
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
