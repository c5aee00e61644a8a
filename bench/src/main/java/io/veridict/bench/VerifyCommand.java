package io.veridict.bench;

import picocli.CommandLine.Command;

/** {@code veridict verify ...}: offline verification. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Verify a proof.",
    subcommands = {StarkVerifyCommand.class})
final class VerifyCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
