package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.SecurityReport;
import io.veridict.core.proof.StarkLayout;
import io.veridict.model.Context;
import io.veridict.model.DecisionCircuit;
import io.veridict.model.DecisionProver;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ModelArchitecture;
import io.veridict.model.ModelPackage;
import io.veridict.model.Policy;
import io.veridict.model.ProofBundle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code veridict bench model}: proves decisions for the first applicants of a dataset with an
 * imported model; reports proving/verification times, sizes, security and memory.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Prove decisions for dataset rows with an imported model; report timings and sizes.",
        "Proves the first --applicants rows; reports the median and first proving time, the fastest of "
            + StarkBenchCommand.VERIFY_RUNS + " verifications of one bundle and the first, proof and bundle "
            + "sizes, conjectured security, peak heap and cores."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every proof verified", "1:a proof did not verify", "2:usage error",
        "4:no applicant row could be proved (values outside the model's input range)"},
    footer = {"", "Example:",
        "  ./veridict bench model --model models/german --dataset german.csv \\",
        "      --label Class --positive 1 --applicants 5 --json"})
final class ModelBenchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory from 'model import'")
  Path model;

  @Option(names = "--dataset", required = true, paramLabel = "CSV", description = "CSV with a header row naming the model's features")
  Path dataset;

  @Option(names = "--label", required = true, paramLabel = "COL", description = "the dataset's label column")
  String label;

  @Option(names = "--positive", required = true, paramLabel = "VAL", description = "the label value meaning positive")
  String positive;

  @Option(names = "--applicants", defaultValue = "5", paramLabel = "K", description = "prove the first K rows (default: ${DEFAULT-VALUE})")
  int applicants;

  @Option(names = "--threshold", paramLabel = "T",
      description = "policy threshold (default: the model's suggested one, else 0.5 for logistic models, else 0)")
  Double threshold;

  @Option(names = "--profile", defaultValue = "standard", paramLabel = "NAME", description = "standard | high (default: ${DEFAULT-VALUE})")
  String profile;

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
    if (applicants < 1 || applicants > 10_000) {
      throw Cli.usage("--applicants must be in [1, 10000], got " + applicants);
    }
    ProofOptions options = Cli.profile(profile);
    ModelPackage pkg = Cli.loadPackage(model);
    ModelArchitecture a = pkg.model().architecture();
    double t = threshold != null ? threshold : Cli.defaultThreshold(pkg.description());
    Policy policy = new Policy(t, Policy.Direction.AT_LEAST);
    try {
      policy.circuitThreshold(a);
    } catch (IllegalArgumentException e) {
      throw Cli.usage("threshold " + t + " cannot be used with this model: " + e.getMessage());
    }
    Dataset data = Dataset.read(dataset, label, positive, a.featureNames());
    DecisionCircuit circuit = DecisionCircuit.of(a);
    SecurityReport security = StarkLayout.of(circuit.air(), options).securityReport(options);
    DecisionProver prover = DecisionProver.create(options);

    System.gc();
    HeapSampler sampler = HeapSampler.start();
    List<Double> proveMs = new ArrayList<>();
    ProofBundle first = null;
    int approvals = 0;
    int skipped = 0;
    for (int r = 0; r < data.rows() && proveMs.size() < applicants; r++) {
      Context ctx = new Context(0, ProveCommand.ZERO_ADDRESS, "bench", Cli.randomNonce(), 0);
      DecisionProver.Result res;
      try {
        res = prover.prove(pkg, data.features()[r], policy, ctx);
      } catch (IllegalArgumentException e) {
        skipped++; // a missing value or a value outside the input range: not provable
        continue;
      }
      proveMs.add(res.proveMillis());
      approvals += res.decision() ? 1 : 0;
      if (first == null) {
        first = res.bundle();
      }
    }
    long peakHeap = sampler.stop();
    if (first == null) {
      throw new Cli.Failure(Cli.INPUT, "none of the " + skipped + " rows tried could be proved "
          + "(missing values, or values outside the model's input range)");
    }
    byte[] bundleBytes = first.toJsonBytes();
    DecisionVerifier verifier = DecisionVerifier.standard();
    double verifyMs = Double.MAX_VALUE;
    double verifyFirstMs = -1;
    boolean verified = true;
    String rejection = null;
    for (int i = 0; i < StarkBenchCommand.VERIFY_RUNS && verified; i++) {
      long v0 = System.nanoTime();
      try {
        verifier.verify(bundleBytes, Optional.of(pkg.description().modelCommitment()), Instant.now());
      } catch (DecisionVerificationException e) {
        verified = false;
        rejection = e.getMessage();
      }
      double ms = (System.nanoTime() - v0) / 1e6;
      if (verifyFirstMs < 0) {
        verifyFirstMs = ms;
      }
      verifyMs = Math.min(verifyMs, ms);
    }
    double[] sorted = proveMs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    double median = sorted.length % 2 == 1
        ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("model", pkg.description().name());
    o.put("family", a.family().id());
    o.put("features", a.numFeatures());
    o.put("shape", Cli.shape(a));
    o.put("trace_rows", circuit.traceLength());
    o.put("profile", profile);
    o.put("applicants", proveMs.size());
    o.put("rows_skipped", skipped);
    o.put("approvals", approvals);
    o.put("threshold", t);
    o.put("prove_ms", Cli.round(median, 2));
    o.put("prove_first_ms", Cli.round(proveMs.get(0), 2));
    o.put("verify_ms", Cli.round(verifyMs, 2));
    o.put("verify_first_ms", Cli.round(verifyFirstMs, 2));
    o.put("proof_bytes", first.proofSizeBytes());
    o.put("bundle_bytes", bundleBytes.length);
    o.put("conjectured_bits", Cli.round(security.conjecturedBits(), 2));
    o.put("zk", options.zeroKnowledge());
    o.put("verified", verified);
    if (rejection != null) {
      o.put("rejection", rejection);
    }
    o.put("peak_heap_mb", peakHeap >> 20);
    o.put("cores", Runtime.getRuntime().availableProcessors());
    o.put("model_commitment", pkg.description().modelCommitment());
    o.put("air_id", pkg.description().airId());
    if (json) {
      Cli.printJson(spec, o);
    } else {
      Cli.print(spec, String.format(
          "%s: %s, %s, %d trace rows, %s profile (%.1f conjectured bits, zero knowledge)%n"
              + "  proved %d applicants (%d approved%s): median %.1f ms, first %.1f ms%n"
              + "  verify: fastest of %d %.2f ms, first %.2f ms%s%n"
              + "  proof %,d bytes, bundle %,d bytes; peak heap %d MB; %d cores",
          pkg.description().name(), a.family().id(), Cli.shape(a), circuit.traceLength(), profile,
          security.conjecturedBits(), proveMs.size(), approvals,
          skipped > 0 ? ", " + skipped + " rows skipped" : "", median, proveMs.get(0),
          StarkBenchCommand.VERIFY_RUNS, verifyMs, verifyFirstMs, verified ? "" : "  REJECTED: " + rejection,
          first.proofSizeBytes(), bundleBytes.length, peakHeap >> 20, Runtime.getRuntime().availableProcessors()));
    }
    return verified ? Cli.OK : Cli.REJECTED;
  }

  /** Conjectured security bits of the standard profile for the model in {@code modelDir}. */
  static double conjecturedBits(Path modelDir) {
    ProofOptions options = ProofOptions.standard();
    DecisionCircuit circuit = DecisionCircuit.of(Cli.loadPackage(modelDir).model().architecture());
    return StarkLayout.of(circuit.air(), options).securityReport(options).conjecturedBits();
  }
}
