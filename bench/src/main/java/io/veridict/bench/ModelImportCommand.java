package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.AccuracyReport;
import io.veridict.model.DecisionCircuit;
import io.veridict.model.FloatModel;
import io.veridict.model.ModelArchitecture;
import io.veridict.model.ModelPackage;
import io.veridict.model.QuantizedModel;
import io.veridict.model.Quantizer;
import io.veridict.model.format.ModelFormat;
import io.veridict.model.format.ModelImportException;
import io.veridict.model.format.ModelImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code veridict model import}: reads a model file, quantizes it, optionally checks it against a
 * labelled dataset, and writes the private package and the public description.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Import a model file (XGBoost JSON, ONNX, scorecard JSON).",
        "Quantizes it to fixed point, checks it against a labelled dataset (optional), and writes "
            + "DIR/model.private.json (SECRET: weights and commitment salt, mode rw-------) and "
            + "DIR/model.public.json (what a verifier or regulator may see)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:imported",
        "2:usage error, unreadable file, or an output file exists (use --force)",
        "3:the quantized model's decision agreement is below --min-agreement (nothing written)",
        "4:the model cannot be imported (unsupported operator, format, or shape)"},
    footer = {"", "Example:",
        "  ./veridict model import german_xgb.json --out models/german \\",
        "      --dataset german.csv --label Class --positive 1 --threshold 0.5"})
final class ModelImportCommand implements Callable<Integer> {
  /** {@code --min-agreement}'s default (the annotation below says the same). */
  static final double DEFAULT_MIN_AGREEMENT = 0.995;

  @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "the model file to import")
  Path modelFile;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "xgboost-json | onnx | scorecard-json (default: detected from the file)")
  String format;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write the model files to")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", description = "a label for the model (default: from the file)")
  String name;

  @Option(names = "--dataset", paramLabel = "CSV",
      description = "labelled CSV (header row with the model's feature names) to check quantization on; also sets the input ranges")
  Path dataset;

  @Option(names = "--label", paramLabel = "COLUMN", description = "the dataset's label column (with --dataset)")
  String label;

  @Option(names = "--positive", paramLabel = "VALUE", description = "the label value meaning 'approve'/positive (with --dataset)")
  String positive;

  @Option(names = "--threshold", paramLabel = "T",
      description = "decision threshold for the accuracy report, in prediction units "
          + "(default: the model's cutoff, else 0.5 for logistic models, else 0)")
  Double threshold;

  @Option(names = "--min-agreement", paramLabel = "FRACTION", defaultValue = "0.995",
      description = "refuse the import when float and fixed-point decisions agree on less than this "
          + "fraction of the dataset (default: ${DEFAULT-VALUE})")
  double minAgreement;

  @Option(names = "--force", description = "replace existing model files in DIR")
  boolean force;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return Cli.emit(spec, json, importModel(
          new Request(modelFile, format, out, name, dataset, label, positive, threshold, minAgreement, force)));
    } catch (Cli.Failure f) {
      f.output().ifPresent(r -> Cli.emit(spec, json, r));
      return Cli.report(spec, f);
    }
  }

  /**
   * Imports a model file: quantizes it, checks it on the dataset, writes the two model files.
   *
   * @return the summary ({@code --json} object and text)
   * @throws Cli.Failure with its exit code (usage 2, accuracy below the floor 3 with the accuracy
   *     report as {@link Cli.Failure#output()}, unsupported model 4); nothing is written then
   */
  static Cli.Result importModel(Request q) {
    return q.run();
  }

  /**
   * What to import and how: the command's options as values (the HTTP service builds one too). The
   * import's steps are its methods, so they read like the options they are.
   */
  /**
   * The declared domain of each feature: the dataset's minimum and maximum (missing values ignored),
   * or none without a dataset. {@code prove} refuses a value outside it.
   */
  static java.util.List<io.veridict.model.ModelDescription.InputRange> inputRanges(Dataset data, int features) {
    if (data == null) {
      return java.util.List.of();
    }
    double[] lo = new double[features];
    double[] hi = new double[features];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] r : data.features()) {
      for (int i = 0; i < features; i++) {
        if (!Double.isNaN(r[i])) {
          lo[i] = Math.min(lo[i], r[i]);
          hi[i] = Math.max(hi[i], r[i]);
        }
      }
    }
    java.util.List<io.veridict.model.ModelDescription.InputRange> out = new java.util.ArrayList<>();
    for (int i = 0; i < features; i++) {
      if (lo[i] > hi[i]) {
        return java.util.List.of(); // a column with no value at all: declare nothing rather than guess
      }
      out.add(new io.veridict.model.ModelDescription.InputRange(lo[i], hi[i]));
    }
    return out;
  }

  record Request(Path modelFile, String format, Path out, String name, Path dataset, String label, String positive,
      Double threshold, double minAgreement, boolean force) {

    Cli.Result run() {
      if (dataset != null && (label == null || positive == null)) {
        throw Cli.usage("--dataset needs --label COLUMN and --positive VALUE",
            "e.g. --dataset german.csv --label Class --positive 1");
      }
      if (dataset == null && (label != null || positive != null)) {
        throw Cli.usage("--label and --positive only make sense with --dataset CSV");
      }
      if (!(minAgreement >= 0 && minAgreement <= 1)) {
        throw Cli.usage("--min-agreement must be between 0 and 1, got " + minAgreement);
      }
      if (threshold != null && !Double.isFinite(threshold)) {
        throw Cli.usage("--threshold must be a finite number");
      }
      Path privateFile = out.resolve(Cli.PRIVATE_FILE);
      Path publicFile = out.resolve(Cli.PUBLIC_FILE);
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw Cli.usage("--out " + out + " exists and is not a directory");
      }
      Cli.checkWritable(privateFile, force);
      Cli.checkWritable(publicFile, force);

      ModelFormat fmt = resolveFormat();
      FloatModel model;
      String importedName;
      OptionalDouble suggestedCutoff;
      String sourceSha256;
      boolean namesFromFile;
      try {
        var imported = ModelImporter.importFile(modelFile, fmt);
        model = imported.model();
        importedName = imported.name();
        suggestedCutoff = imported.suggestedCutoff();
        sourceSha256 = imported.sourceSha256();
        namesFromFile = imported.featureNamesFromFile();
      } catch (ModelImportException e) {
        throw new Cli.Failure(Cli.INPUT, "cannot import " + modelFile + ": " + e.getMessage(),
            "Veridict proves linear/logistic models, ReLU MLPs, tree ensembles and scorecards; see docs/cli.md.");
      } catch (IOException e) {
        throw Cli.usage("cannot read " + modelFile + ": " + e.getMessage());
      }

      Dataset data;
      if (dataset != null && !namesFromFile) {
        // The file does not name its inputs (XGBoost trained on an array, ONNX): they are the
        // dataset's columns in order, as they were when the model was trained on it.
        data = Dataset.read(dataset, label, positive, null);
        if (data.featureNames().size() != model.numFeatures()) {
          throw Cli.usage("the model does not name its " + model.numFeatures() + " inputs and " + dataset + " has "
              + data.featureNames().size() + " feature columns (besides " + label + ")",
              "Give a dataset whose non-label columns are the model's inputs, in training order.");
        }
        model = ModelImporter.withFeatureNames(model, data.featureNames());
      } else {
        data = dataset == null ? null : Dataset.read(dataset, label, positive, model.featureNames());
      }
      double[] bounds = data == null ? null : Quantizer.boundsFromData(data.features(), model.numFeatures());
      QuantizedModel q;
      try {
        q = Quantizer.quantize(model, bounds);
      } catch (IllegalArgumentException e) {
        throw new Cli.Failure(Cli.INPUT, "cannot quantize " + modelFile + ": " + e.getMessage());
      }
      ModelArchitecture arch = q.architecture();
      double t = threshold != null ? threshold : Cli.defaultThreshold(arch, suggestedCutoff);

      AccuracyReport report = null;
      if (data != null) {
        Dataset usable = data.scorableBy(model);
        if (usable.rows() == 0) {
          throw Cli.usage("no row of " + dataset + " can be scored by the model (missing values?)");
        }
        try {
          report = AccuracyReport.of(model, q, usable.features(), usable.labels(), t);
        } catch (IllegalArgumentException e) {
          throw Cli.usage("cannot evaluate the model at threshold " + t + ": " + e.getMessage());
        }
        if (!report.meets(minAgreement)) {
          ObjectNode o = summary(null, arch, t, report, data);
          o.put("error", "accuracy below floor");
          o.put("min_agreement", minAgreement);
          throw new Cli.Failure(Cli.ACCURACY,
              String.format("the quantized model agrees with the original on %.4f%% of decisions, below the floor of %.4f%%;"
                  + " nothing was written", 100 * report.decisionAgreement(), 100 * minAgreement),
              "Check that the dataset is what the model was trained on (same columns and units),",
              "try the threshold you will use in production (--threshold), or lower --min-agreement knowingly.")
              .withOutput(new Cli.Result(Cli.ACCURACY, o, accuracyText(report, data)));
        }
      } else {
        // Fail now, not at the first proof, if the threshold cannot be used with this model.
        try {
          new io.veridict.model.Policy(t, io.veridict.model.Policy.Direction.AT_LEAST).circuitThreshold(arch);
        } catch (IllegalArgumentException e) {
          throw Cli.usage("--threshold " + t + " cannot be used with this model: " + e.getMessage());
        }
      }

      String modelName = name != null ? name : importedName != null && !importedName.isBlank()
          ? importedName : stripExtension(modelFile.getFileName().toString());
      if (modelName.length() > 256) {
        throw Cli.usage("--name is limited to 256 characters");
      }
      ModelPackage pkg = ModelPackage.create(
          q, modelName, fmt.cliName(), sourceSha256, suggestedCutoff, inputRanges(data, arch.numFeatures()),
          new SecureRandom());
      try {
        Cli.writeAtomically(privateFile, pkg.toJsonBytes(), true);
        Cli.writeAtomically(publicFile, Cli.JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(pkg.description().toJson()).concat("\n").getBytes(StandardCharsets.UTF_8), false);
      } catch (IOException e) {
        throw Cli.usage("cannot write to " + out + ": " + e.getMessage());
      }

      {
        StringBuilder sb = new StringBuilder();
        sb.append("Imported ").append(modelFile).append(" (").append(fmt.cliName()).append(") as '").append(modelName)
            .append("': ").append(arch.family().id()).append(", ").append(arch.numFeatures()).append(" features, ")
            .append(Cli.shape(arch)).append(", link ").append(arch.link().name().toLowerCase(java.util.Locale.ROOT))
            .append('\n');
        if (report != null) {
          sb.append(accuracyText(report, data)).append('\n');
        } else {
          sb.append("No --dataset: input ranges are defaults and quantization was not checked; "
              + "pass --dataset to check it.\n");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_commitment", pkg.description().modelCommitment());
        m.put("air_id", pkg.description().airId());
        m.put("trace_rows", DecisionCircuit.traceRows(arch));
        m.put("score error bound", ModelInspectCommand.scoreErrorText(pkg.description()));
        sb.append(Cli.kv(m)).append('\n');
        sb.append("Wrote ").append(privateFile).append("  SECRET: weights and commitment salt; keep it private (mode rw-------)\n");
        sb.append("Wrote ").append(publicFile).append("   public: share with verifiers and regulators\n");
        sb.append("Next: ./veridict prove --model ").append(out).append(" --features applicant.json --threshold ")
            .append(fmtNum(t)).append(" --out decision.bundle.json");
        return new Cli.Result(Cli.OK, summary(pkg, arch, t, report, data), sb.toString());
      }
    }

    private ModelFormat resolveFormat() {
      Cli.checkReadable(modelFile, "model file");
      if (format != null) {
        ModelFormat f;
        try {
          f = ModelFormat.fromCliName(format);
        } catch (IllegalArgumentException e) {
          f = null;
        }
        if (f == null) {
          throw Cli.usage("--format must be xgboost-json, onnx or scorecard-json, got '" + format + "'");
        }
        return f;
      }
      byte[] head = readHead(modelFile);
      ModelFormat f;
      try {
        f = ModelFormat.detect(modelFile, head);
      } catch (IllegalArgumentException e) {
        f = null;
      }
      if (f == null) {
        throw Cli.usage("cannot tell the format of " + modelFile,
            "Pass --format xgboost-json, onnx or scorecard-json.");
      }
      return f;
    }

    private ObjectNode summary(ModelPackage pkg, ModelArchitecture arch, double t, AccuracyReport r, Dataset data) {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("imported", pkg != null);
      if (pkg != null) {
        o.put("name", pkg.description().name());
        o.put("out", out.toString());
        o.put("private_file", out.resolve(Cli.PRIVATE_FILE).toString());
        o.put("public_file", out.resolve(Cli.PUBLIC_FILE).toString());
        o.put("model_commitment", pkg.description().modelCommitment());
        o.put("air_id", pkg.description().airId());
      }
      o.put("family", arch.family().id());
      o.put("features", arch.numFeatures());
      o.put("trace_rows", DecisionCircuit.traceRows(arch));
      o.put("threshold", t);
      if (pkg != null) {
        ModelInspectCommand.putScoreErrorBound(o, pkg.description());
      }
      if (r != null) {
        o.put("rows", r.rows());
        o.put("rows_skipped", r.rowsSkipped());
        o.put("rows_dropped", data.rows() - r.rows());
        Cli.putNumber(o, "decision_agreement", r.decisionAgreement());
        Cli.putNumber(o, "max_abs_score_error", r.maxAbsScoreError());
        Cli.putNumber(o, "mean_abs_score_error", r.meanAbsScoreError());
        Cli.putNumber(o, "auc", r.auc());
        Cli.putNumber(o, "accuracy", r.accuracy());
      }
      return o;
    }
  }

  private static byte[] readHead(Path file) {
    Cli.checkReadable(file, "model file");
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(4096);
    } catch (java.nio.file.NoSuchFileException e) {
      throw Cli.usage("model file " + file + " does not exist", "Check the path.");
    } catch (IOException e) {
      throw Cli.usage("cannot read model file " + file + ": " + e.getMessage());
    }
  }

  private static String accuracyText(AccuracyReport r, Dataset data) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Accuracy on %d rows at threshold %s:%n", r.rows(), fmtNum(r.threshold())));
    sb.append(String.format("  decision agreement  %.4f%% (float vs fixed point)%n", 100 * r.decisionAgreement()));
    sb.append(String.format("  score error         max %.3g, mean %.3g (margin units)%n", r.maxAbsScoreError(), r.meanAbsScoreError()));
    sb.append(String.format("  model AUC           %.4f, accuracy %.4f%n", r.auc(), r.accuracy()));
    if (r.rowsSkipped() > 0) {
      sb.append(String.format("  rows skipped        %d (the fixed-point model cannot take them; counted as disagreements)%n", r.rowsSkipped()));
    }
    int dropped = data.rows() - r.rows();
    if (dropped > 0) {
      sb.append(String.format("  rows dropped        %d (the original model cannot score them: missing values)%n", dropped));
    }
    return sb.toString().stripTrailing();
  }

  static String fmtNum(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static String stripExtension(String s) {
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}
