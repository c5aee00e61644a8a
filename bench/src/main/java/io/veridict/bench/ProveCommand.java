package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.core.proof.ProofOptions;
import io.veridict.model.Context;
import io.veridict.model.DecisionProver;
import io.veridict.model.DecisionStatement;
import io.veridict.model.ModelArchitecture;
import io.veridict.model.ModelDescription;
import io.veridict.model.ModelPackage;
import io.veridict.model.Policy;
import io.veridict.model.ProofBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code veridict prove}: proves the decision an imported model takes on one applicant's features
 * and writes the proof bundle. Prints the decision, never the score or the features.
 */
@Command(
    name = "prove",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Prove one applicant's decision and write the proof bundle.",
        "The bundle holds the statement, the public model description and a zero-knowledge STARK proof: "
            + "no feature, weight or score. The decision (approved/declined) is printed, never the score."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:proved (whether the decision is approve or decline)",
        "2:usage error: bad or unreadable file, missing or unknown feature, bad threshold",
        "4:a feature value is outside the model's input range, or (with --near-threshold refuse) the decision "
            + "lies within the model's worst-case quantization error of the threshold"},
    footer = {"", "Features file: {\"Duration\": 24, \"Amount\": 3500, ...} with every model",
        "feature (see 'veridict model inspect'), or [24, 3500, ...] in model order.",
        "", "Example:",
        "  ./veridict prove --model models/german --features applicant.json \\",
        "      --threshold 0.5 --subject 0x1111111111111111111111111111111111111111 \\",
        "      --chain-id 31337 --policy loans-v1 --expires-in 86400 \\",
        "      --out decision.bundle.json"})
final class ProveCommand implements Callable<Integer> {
  static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory from 'model import' (holds model.private.json)")
  Path model;

  @Option(names = "--features", required = true, paramLabel = "FILE",
      description = "JSON object feature name -> number, or JSON array in model input order")
  Path features;

  @Option(names = "--threshold", required = true, paramLabel = "T",
      description = "policy threshold in prediction units (a probability for logistic models, points for scorecards)")
  double threshold;

  @Option(names = "--direction", defaultValue = "at-least", paramLabel = "DIR",
      description = "at-least: approve when prediction >= T; at-most: approve when prediction <= T (default: ${DEFAULT-VALUE})")
  String direction;

  @Option(names = "--subject", defaultValue = ZERO_ADDRESS, paramLabel = "ADDR",
      description = "who the decision is about (an address or opaque id, never personal data; default: the zero address)")
  String subject;

  @Option(names = "--chain-id", defaultValue = "0", paramLabel = "N", description = "ledger / chain id (default: ${DEFAULT-VALUE} = none)")
  long chainId;

  @Option(names = "--policy", defaultValue = "default", paramLabel = "ID", description = "the lender's policy id (default: ${DEFAULT-VALUE})")
  String policyId;

  @Option(names = "--nonce", paramLabel = "N", description = "a unique value per decision (default: random 128-bit hex)")
  String nonce;

  @Option(names = "--expires-in", paramLabel = "SECONDS", description = "the decision expires this many seconds from now (default: never)")
  Long expiresIn;

  @Option(names = "--profile", defaultValue = "standard", paramLabel = "NAME",
      description = "proof security profile: standard | high (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--near-threshold", defaultValue = "flag", paramLabel = "POLICY",
      description = "a decision within the model's worst-case quantization error of the threshold (where the "
          + "quantized and the imported model may decide differently): flag proves it, marked as not certified "
          + "clear of the quantization error; refuse proves nothing and exits 4 (default: ${DEFAULT-VALUE})")
  String nearThreshold;

  @Option(names = "--out", required = true, paramLabel = "BUNDLE.json", description = "where to write the proof bundle")
  Path out;

  @Option(names = "--opening", paramLabel = "FILE",
      description = "where to write the applicant's input opening: their quantized features and the salt that open "
          + "the bundle's input commitment (default: BUNDLE with .opening.json; owner-only permissions). Hand it to "
          + "the applicant; never publish it with the bundle")
  Path opening;

  @Option(names = "--force", description = "replace an existing bundle (and opening) file")
  boolean force;

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
    ProofOptions options = Cli.profile(profile);
    Policy.Direction dir = direction(direction);
    DecisionProver.NearThreshold near = nearThreshold(nearThreshold);
    Cli.checkWritable(out, force);
    Path openingFile = opening != null ? opening : openingPath(out);
    if (openingFile.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw Cli.usage("--opening must be another file than --out");
    }
    Cli.checkWritable(openingFile, force);
    Context context = context();
    ModelPackage pkg = Cli.loadPackage(model);
    Policy policy = policy(threshold, dir, pkg.model().architecture());
    double[] x = Cli.readFeatures(features, pkg.model().architecture());
    DecisionProver.Result r;
    try {
      r = prove(options, pkg, x, policy, context, near);
    } catch (DecisionProver.NearThresholdException e) {
      throw new Cli.Failure(Cli.INPUT, e.getMessage(), NEAR_THRESHOLD_HINTS);
    }
    ProofBundle b = r.bundle();
    boolean clear = b.statement().clearOfQuantizationError(b.model());
    byte[] bytes = b.toJsonBytes();
    try {
      // The opening first: a bundle without its opening could never be checked by the applicant.
      Cli.writeAtomically(openingFile, r.opening().toJsonBytes(), true);
      Cli.writeAtomically(out, bytes, false);
    } catch (IOException e) {
      throw Cli.usage("cannot write " + out + " / " + openingFile + ": " + e.getMessage());
    }
    if (json) {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("decision", r.decision());
      o.put("bundle", out.toString());
      o.put("opening", openingFile.toString());
      o.put("prove_ms", Cli.round(r.proveMillis(), 2));
      o.put("proof_bytes", b.proofSizeBytes());
      o.put("bundle_bytes", bytes.length);
      o.put("model_commitment", b.statement().modelCommitment());
      o.put("input_commitment", b.statement().inputCommitment());
      o.put("air_id", b.statement().airId());
      o.put("profile", profile);
      o.put("guard_band", b.statement().guardBand());
      o.put("clear_of_quantization_error", clear);
      Cli.printJson(spec, o);
    } else {
      Cli.print(spec, String.format(
          "Decision: %s (prediction %s %s)%n"
              + "Quantization error: %s%n"
              + "Proved in %.0f ms (%s profile, zero knowledge); proof %,d bytes%n"
              + "Wrote %s (%,d bytes): the statement, the public model description and the proof;%n"
              + "  it contains no feature, weight or score.%n"
              + "  model_commitment  %s%n"
              + "  input_commitment  %s%n"
              + "Wrote %s: the applicant's input opening (their quantized features and the input salt);%n"
              + "  hand it to the applicant, never publish it beside the bundle.%n"
              + "Check it: ./veridict verify %s --expect-model %s [--opening %s]",
          r.decision() ? "APPROVED" : "DECLINED",
          dir == Policy.Direction.AT_LEAST ? (r.decision() ? ">=" : "<") : (r.decision() ? "<=" : ">"),
          ModelImportCommand.fmtNum(threshold), quantizationText(b.statement(), b.model()),
          r.proveMillis(), profile, b.proofSizeBytes(), out, bytes.length,
          b.statement().modelCommitment(), b.statement().inputCommitment(), openingFile,
          out, b.statement().modelCommitment(), openingFile));
    }
    return Cli.OK;
  }

  /** {@code d.bundle.json} -> {@code d.opening.json}; {@code d.json} -> {@code d.opening.json}; else + {@code .opening.json}. */
  static Path openingPath(Path bundle) {
    String name = bundle.getFileName().toString();
    String stem = name.endsWith(".bundle.json") ? name.substring(0, name.length() - ".bundle.json".length())
        : name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    return bundle.resolveSibling(stem + ".opening.json");
  }

  private Context context() {
    long expiresAt = 0;
    if (expiresIn != null) {
      if (expiresIn <= 0) {
        throw Cli.usage("--expires-in must be a positive number of seconds");
      }
    }
    try {
      if (expiresIn != null) {
        expiresAt = Math.addExact(Instant.now().getEpochSecond(), expiresIn);
      }
      return new Context(chainId, subject, policyId, nonce != null ? nonce : Cli.randomNonce(), expiresAt);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw Cli.usage("bad context: " + e.getMessage());
    }
  }

  /** Parses {@code at-least} / {@code at-most}; anything else is a usage error. */
  static Policy.Direction direction(String direction) {
    try {
      return Policy.Direction.fromId(direction);
    } catch (IllegalArgumentException e) {
      throw Cli.usage("direction must be at-least or at-most, got '" + direction + "'");
    }
  }

  /** The policy, checked against the model now rather than at the end of a proof. */
  static Policy policy(double threshold, Policy.Direction dir, ModelArchitecture a) {
    if (!Double.isFinite(threshold)) {
      throw Cli.usage("threshold must be a finite number");
    }
    Policy policy = new Policy(threshold, dir);
    try {
      policy.circuitThreshold(a);
    } catch (IllegalArgumentException e) {
      throw Cli.usage("threshold " + threshold + " cannot be used with this model: " + e.getMessage(),
          a.link() == io.veridict.model.FloatModel.Link.LOGISTIC
              ? "This model outputs a probability: use a threshold strictly between 0 and 1."
              : "The threshold is in the model's score units.");
    }
    return policy;
  }

  /** What to do about a decision refused under {@code --near-threshold refuse}. */
  static final String[] NEAR_THRESHOLD_HINTS = {
      "Nothing was written. Review the decision by hand, or prove it with --near-threshold flag",
      "(the bundle then says it is not certified clear of the quantization error)."};

  /** Parses {@code flag} / {@code refuse}; anything else is a usage error. */
  static DecisionProver.NearThreshold nearThreshold(String id) {
    try {
      return DecisionProver.NearThreshold.fromId(id);
    } catch (IllegalArgumentException e) {
      throw Cli.usage("--near-threshold must be flag or refuse, got '" + id + "'");
    }
  }

  /**
   * For people: whether the decision is certified to be the imported model's too (its margin
   * clears the threshold by more than the model's worst-case score error), or how close to the
   * threshold the margin may lie. Never the margin itself.
   */
  static String quantizationText(DecisionStatement s, ModelDescription model) {
    OptionalLong e = model.scoreErrorBound();
    if (s.clearOfQuantizationError(model)) {
      return "clear (worst-case score error " + scoreError(model, e.getAsLong())
          + " in margin units: the imported model takes the same decision)";
    }
    return e.isPresent()
        ? "NOT certified clear: the margin may lie within " + scoreError(model, e.getAsLong())
            + " (margin units) of the threshold, where the imported model may decide otherwise"
        : "NOT certified clear: the model description states no worst-case score error";
  }

  /** {@code e} margin units of {@code 2^-marginExponent} in the model's margin units, for people. */
  static String scoreError(ModelDescription model, long e) {
    return String.format(Locale.ROOT, "%.3g", model.architecture().marginValue(e));
  }

  /**
   * Proves one decision; an input outside the model's imported range exits 4.
   *
   * @throws DecisionProver.NearThresholdException under {@code refuse}, for a decision within the
   *     model's quantization error of the threshold (the CLI exits 4, the service answers 422)
   */
  static DecisionProver.Result prove(ProofOptions options, ModelPackage pkg, double[] x, Policy policy, Context context,
      DecisionProver.NearThreshold near) {
    try {
      return DecisionProver.create(options).prove(pkg, x, policy, context, near);
    } catch (DecisionProver.NearThresholdException e) {
      throw e; // an IllegalArgumentException too, but not an input out of range: the caller says what it is
    } catch (IllegalArgumentException e) {
      throw new Cli.Failure(Cli.INPUT, e.getMessage(),
          "The model was imported for inputs in this range (see 'veridict model inspect');",
          "re-import it with a --dataset covering such values if they are legitimate.");
    }
  }
}
