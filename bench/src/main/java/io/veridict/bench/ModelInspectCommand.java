package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.DecisionCircuit;
import io.veridict.model.ModelArchitecture;
import io.veridict.model.ModelDescription;
import io.veridict.model.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code veridict model inspect}: what an imported model is (shape, encoding, identity,
 * commitment), never its parameters or salt.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Show what an imported model is, without revealing its weights.",
        "Name, family, features, shape, link, fixed-point encoding, circuit identity (air_id), model "
            + "commitment, trace rows, source format and hash. Reads DIR/model.public.json, or the public "
            + "part of DIR/model.private.json if only that exists (its parameters and salt are never printed)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:the description is inconsistent (its air_id is not its architecture's circuit)",
        "2:usage error, missing or invalid model files"},
    footer = {"", "Example:", "  ./veridict model inspect models/german --json"})
final class ModelInspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR",
      description = "model directory written by 'model import' (or a model.public.json / model.private.json file)")
  Path dir;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return run();
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    }
  }

  private int run() {
    Path file = locate();
    byte[] bytes = Cli.read(file, ModelPackage.MAX_BYTES, "model file");
    String format;
    JsonNode root;
    try {
      root = Cli.JSON.readTree(bytes);
      format = root != null && root.path("format").isTextual() ? root.get("format").textValue() : "";
    } catch (IOException e) {
      throw Cli.usage(file + " is not JSON: " + Cli.firstLine(e.getMessage()));
    }
    ModelDescription d;
    String source;
    try {
      if (ModelDescription.FORMAT.equals(format)) {
        d = ModelDescription.fromJson(root, file.getFileName().toString());
        source = "public";
      } else if (ModelPackage.FORMAT.equals(format)) {
        // Loading checks that the parameters open the commitment; only the description is shown.
        d = ModelPackage.fromJsonBytes(bytes).description();
        source = "private";
      } else {
        throw Cli.usage(file + " is not a Veridict model file (format '" + format + "')",
            "Expected model.public.json or model.private.json from 'veridict model import'.");
      }
    } catch (IllegalArgumentException e) {
      throw Cli.usage(file + " is not a valid model file: " + e.getMessage());
    }
    ModelArchitecture a = d.architecture();
    String airIdProblem = null;
    int traceRows;
    try {
      DecisionCircuit c = DecisionCircuit.of(a);
      traceRows = c.traceLength();
      if (!c.airId().equals(d.airId())) {
        airIdProblem = "the file's air_id " + d.airId() + " is not its architecture's circuit " + c.airId();
      }
    } catch (IllegalArgumentException e) {
      throw Cli.usage("the described architecture does not compile to a circuit: " + e.getMessage());
    }
    int[] exps = a.inputExponents();
    int minE = Integer.MAX_VALUE;
    int maxE = Integer.MIN_VALUE;
    for (int e : exps) {
      minE = Math.min(minE, e);
      maxE = Math.max(maxE, e);
    }
    if (json) {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("file", file.toString());
      o.put("read_from", source);
      o.put("name", d.name());
      o.put("family", a.family().id());
      o.put("num_features", a.numFeatures());
      ArrayNode f = o.putArray("features");
      a.featureNames().forEach(f::add);
      if (a.family().isDense()) {
        ArrayNode l = o.putArray("layer_sizes");
        for (int x : a.layerSizes()) {
          l.add(x);
        }
      } else {
        o.put("num_trees", a.numTrees());
        o.put("tree_depth", a.treeDepth());
      }
      o.put("shape", Cli.shape(a));
      o.put("link", a.link().name().toLowerCase(Locale.ROOT));
      ArrayNode e = o.putArray("input_exponents");
      for (int x : exps) {
        e.add(x);
      }
      o.put("input_exponent_min", minE);
      o.put("input_exponent_max", maxE);
      o.put("margin_exponent", a.marginExponent());
      o.put("air_id", d.airId());
      o.put("air_id_ok", airIdProblem == null);
      o.put("model_commitment", d.modelCommitment());
      o.put("trace_rows", traceRows);
      o.put("source_format", d.sourceFormat());
      o.put("source_sha256", d.sourceSha256());
      if (d.suggestedThreshold().isPresent()) {
        o.put("suggested_threshold", d.suggestedThreshold().getAsDouble());
      } else {
        o.putNull("suggested_threshold");
      }
      putScoreErrorBound(o, d);
      Cli.printJson(spec, o);
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", d.name());
      m.put("family", a.family().id());
      m.put("shape", Cli.shape(a));
      m.put("link", a.link().name().toLowerCase(Locale.ROOT));
      m.put("features", a.numFeatures() + ": " + Cli.abbreviate(a.featureNames()));
      m.put("input exponents", minE == maxE ? "2^" + minE + " (all features)"
          : "2^" + minE + " .. 2^" + maxE + " (x_q = " + (a.family().isDense() ? "round" : "floor")
              + "(x * 2^e), |x_q| < 2^23)");
      m.put("margin exponent", "2^" + a.marginExponent());
      m.put("suggested threshold", d.suggestedThreshold().isPresent()
          ? ModelImportCommand.fmtNum(d.suggestedThreshold().getAsDouble()) : "none");
      m.put("air_id", d.airId());
      m.put("model_commitment", d.modelCommitment());
      m.put("trace_rows", traceRows);
      m.put("score error bound", scoreErrorText(d));
      m.put("source", d.sourceFormat() + ", sha256 " + d.sourceSha256());
      m.put("read from", file + (source.equals("private") ? " (private package; weights and salt not shown)" : ""));
      Cli.print(spec, "Model " + d.name() + "\n" + Cli.kv(m));
    }
    if (airIdProblem != null) {
      Cli.report(spec, new Cli.Failure(Cli.REJECTED, airIdProblem, "The file was edited or corrupted; re-import the model."));
      return Cli.REJECTED;
    }
    return Cli.OK;
  }

  /**
   * {@code score_error_bound} (fixed-point margin units, {@code 2^-margin_exponent}) and {@code
   * score_error_bound_margin} (the same in the model's margin units), or nulls when the description
   * states none.
   */
  static void putScoreErrorBound(ObjectNode o, ModelDescription d) {
    if (d.scoreErrorBound().isPresent()) {
      long e = d.scoreErrorBound().getAsLong();
      o.put("score_error_bound", e);
      o.put("score_error_bound_margin", d.architecture().marginValue(e));
    } else {
      o.putNull("score_error_bound");
      o.putNull("score_error_bound_margin");
    }
  }

  /** The worst-case score error for people, in margin units. */
  static String scoreErrorText(ModelDescription d) {
    if (d.scoreErrorBound().isEmpty()) {
      return "none stated (no decision is certified clear of the quantization error)";
    }
    return ProveCommand.scoreError(d, d.scoreErrorBound().getAsLong()) + " (margin units; worst case over every "
        + "admissible input: decisions whose margin clears the threshold by more are the imported model's too)";
  }

  private Path locate() {
    if (!Files.exists(dir)) {
      throw Cli.usage(dir + " does not exist", "Pass the --out DIR of 'veridict model import'.");
    }
    if (!Files.isDirectory(dir)) {
      return dir;
    }
    Path pub = dir.resolve(Cli.PUBLIC_FILE);
    if (Files.exists(pub)) {
      return pub;
    }
    Path priv = dir.resolve(Cli.PRIVATE_FILE);
    if (Files.exists(priv)) {
      return priv;
    }
    throw Cli.usage("no " + Cli.PUBLIC_FILE + " or " + Cli.PRIVATE_FILE + " in " + dir,
        "Pass the --out DIR of 'veridict model import'.");
  }
}
