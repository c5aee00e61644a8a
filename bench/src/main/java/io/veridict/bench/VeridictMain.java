package io.veridict.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code veridict} command line (launched by the {@code ./veridict} script at the repository
 * root). Exit codes: 0 success, 1 a proof was rejected (or a check failed), 2 usage error.
 */
@Command(
    name = "veridict",
    mixinStandardHelpOptions = true,
    version = "veridict 0.1.0-SNAPSHOT",
    description = "Zero-knowledge STARK proofs for model decisions.",
    subcommands = {BenchCommand.class, VerifyCommand.class},
    footer = {"", "Example:", "  ./veridict bench stark --air fibonacci --log-rows 16 --json"})
public final class VeridictMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new VeridictMain()).execute(args));
  }
}
