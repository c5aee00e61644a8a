package io.veridict.bench;

import picocli.CommandLine.Command;

/** {@code veridict model ...}: import and inspect models. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Import a model (XGBoost JSON, ONNX, scorecard JSON) and inspect an imported one.",
    subcommands = {ModelImportCommand.class, ModelInspectCommand.class, ModelRegisterCommand.class},
    footer = {"", "Example:",
        "  ./veridict model import german_xgb.json --out models/german \\",
        "      --dataset german.csv --label Class --positive 1",
        "  ./veridict model inspect models/german"})
final class ModelCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
