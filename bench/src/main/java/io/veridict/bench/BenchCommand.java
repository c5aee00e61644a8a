package io.veridict.bench;

import picocli.CommandLine.Command;

/** {@code veridict bench ...}: benchmarks. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (prove and verify, report timings, sizes and security).",
    subcommands = {StarkBenchCommand.class, ModelBenchCommand.class, ServeBenchCommand.class},
    footer = {"", "Examples:", "  ./veridict bench stark --air fibonacci --log-rows 16 --json",
        "  ./veridict bench model --model models/german --dataset german.csv --label Class --positive Good --json",
        "  ./veridict bench serve --requests 24 --concurrency 2 --json"})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
