package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.format.CsvDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code veridict demo}: the main job end to end, by running the real commands in order — import
 * and commit a German Credit model, register it on a ledger, prove several applicants' decisions
 * with zero knowledge, verify every bundle, anchor them in one batch, grant eligibility to the
 * approved, and audit the ledger — and telling the story with timings, sizes and security.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run the whole story on real data: import the German Credit XGBoost model shipped with the project "
            + "(100 trees x depth 4), check and commit it, register it, prove several applicants' decisions "
            + "with zero knowledge, verify every proof, anchor them in one batch, grant eligibility to the "
            + "approved, and audit the ledger. Uses the embedded ledger unless --ledger evm|xrpl is given.",
        "Writes the model, bundles (*bundle*.json), the batch manifest, the ledger and audit-report.json to --out."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every proof verified, anchored, and the audit found nothing wrong",
        "1:a proof or the audit failed", "2:usage error (e.g. dataset not found, --out not empty)",
        "5:ledger error"},
    footer = {"", "Examples:",
        "  ./veridict demo",
        "  ./veridict demo --out /tmp/demo --applicants 3 --json",
        "  ./veridict ledger start-dev --detach && ./veridict demo --ledger evm"})
final class DemoCommand implements Callable<Integer> {
  static final String MARKER = ".veridict-demo";
  static final String POLICY = "credit-policy-v1";

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "veridict-demo",
      description = "where everything is written (default: ./veridict-demo; an earlier demo there is replaced)")
  Path out;

  @Option(names = "--applicants", paramLabel = "N", defaultValue = "6",
      description = "how many applicants (the dataset's first rows) to prove (default: 6)")
  int applicants;

  @Option(names = "--model-file", paramLabel = "FILE",
      description = "the model to use (default: the German Credit XGBoost model shipped in "
          + "model/src/test/resources/fixtures/german_xgb.json)")
  Path modelFile;

  @Option(names = "--dataset", paramLabel = "CSV",
      description = "German Credit CSV (default: $VERIDICT_DATASETS or ../shared/datasets/german_credit.csv "
          + "beside the repository)")
  Path dataset;

  @Option(names = "--ledger", paramLabel = "KIND", defaultValue = "local",
      description = "local (default, embedded file ledger in --out), evm or xrpl")
  String ledgerKind;

  @Option(names = "--ledger-config", paramLabel = "FILE", description = "evm: see 'anchor --help'")
  Path ledgerConfig;

  @Option(names = "--rpc", paramLabel = "URL", description = "evm/xrpl node")
  String rpc;

  @Option(names = "--key-file", paramLabel = "FILE", description = "evm/xrpl signing key file")
  Path keyFile;

  @Option(names = "--json", description = "print one JSON object instead of the story")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One sub-command's result. */
  record Step(int exit, JsonNode json, String err) {}

  @Override
  public Integer call() {
    try {
      return run();
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    }
  }

  private int run() {
    if (applicants < 1 || applicants > 100) {
      throw Cli.usage("--applicants must be 1..100");
    }
    Path home = Path.of(System.getenv().getOrDefault("VERIDICT_HOME", ".")).toAbsolutePath().normalize();
    Path model = modelFile != null ? modelFile : defaultModelFile(home);
    Path data = dataset != null ? dataset : defaultDataset(home);
    out = out.toAbsolutePath().normalize();
    Cli.checkReadable(model, "model file");
    Cli.checkReadable(data, "dataset");
    prepareOut();
    Path modelDir = out.resolve("model");
    Path bundles = out.resolve("bundles");
    Path applicantsDir = out.resolve("applicants");
    long start = System.nanoTime();
    ObjectNode report = Cli.JSON.createObjectNode();
    List<String> story = new ArrayList<>();
    story.add("Veridict demo: a lender proves credit decisions without revealing the applicants' data or the model.");

    // 1. Import, quantize, check, commit.
    progress("importing and checking the model on " + data.getFileName());
    Step imp = step("model", "import", model.toString(), "--out", modelDir.toString(), "--dataset", data.toString(),
        "--label", "Class", "--positive", "Good", "--force", "--json");
    JsonNode ij = imp.json();
    String commitment = ij.get("model_commitment").asText();
    report.set("import", ij);
    story.add(String.format(Locale.ROOT, " 1. Model      %s (%s, %d features) imported and quantized to fixed point",
        ij.path("name").asText(), ij.path("family").asText(), ij.path("features").asInt()));
    story.add(String.format(Locale.ROOT, "               agreement with the float model %.2f%% on %d applicants, AUC %.3f",
        100 * ij.path("decision_agreement").asDouble(), ij.path("rows").asInt(), ij.path("auc").asDouble()));
    story.add("               model commitment " + commitment + " (weights stay in model/model.private.json)");

    // 2. Register on the ledger.
    progress("registering the model on the " + ledgerKind + " ledger");
    Step reg = step(ledger("model", "register", modelDir.toString(), "--policy", POLICY));
    report.set("register", reg.json());
    story.add(" 2. Ledger     " + ledgerKind + " ledger " + reg.json().path("network_id").asText()
        + ": model registered, tx " + reg.json().path("tx_hash").asText() + " " + reg.json().path("status").asText());

    // 3. Prove each applicant's decision.
    CsvDataset d;
    try {
      d = CsvDataset.read(data, "Class", "Good", featureNames(modelDir));
    } catch (IOException | IllegalArgumentException e) {
      throw Cli.usage("cannot read " + data + ": " + e.getMessage());
    }
    int n = Math.min(applicants, d.rows());
    List<String> names = d.featureNames();
    ArrayNode proofs = report.putArray("proofs");
    List<Double> proveMs = new ArrayList<>();
    int approved = 0;
    long bundleBytes = 0;
    List<Path> approvedBundles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "applicant-%02d", i + 1);
      progressBar("proving decisions", i, n, id);
      ObjectNode features = Cli.JSON.createObjectNode();
      for (int k = 0; k < names.size(); k++) {
        features.put(names.get(k), d.features()[i][k]);
      }
      Path f = applicantsDir.resolve(id + ".json");
      Path b = bundles.resolve(id + ".bundle.json");
      write(f, features);
      Step p = step("prove", "--model", modelDir.toString(), "--features", f.toString(), "--threshold", "0.5",
          "--subject", subject(i), "--chain-id", chainId(), "--policy", POLICY, "--out", b.toString(), "--force",
          "--json");
      boolean ok = p.json().path("decision").asBoolean();
      approved += ok ? 1 : 0;
      if (ok) {
        approvedBundles.add(b);
      }
      proveMs.add(p.json().path("prove_ms").asDouble());
      bundleBytes = Math.max(bundleBytes, p.json().path("bundle_bytes").asLong());
      ObjectNode pj = proofs.addObject();
      pj.put("applicant", id);
      pj.put("subject", subject(i));
      pj.put("decision", ok);
      pj.put("prove_ms", p.json().path("prove_ms").asDouble());
      pj.put("bundle", b.toString());
      pj.put("bundle_bytes", p.json().path("bundle_bytes").asLong());
    }
    progressBar("proving decisions", n, n, "done");
    double bits = ModelBenchCommand.conjecturedBits(modelDir);
    story.add(String.format(Locale.ROOT,
        " 3. Proofs     %d decisions proved with zero knowledge (%d approved, %d declined): median %.2f s,"
            + " bundles <= %.1f KB, %.0f bits conjectured security", n, approved, n - approved,
        median(proveMs) / 1000, bundleBytes / 1000.0, bits));

    // 4. Verify each bundle against the registered model.
    List<Double> verifyMs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      progressBar("verifying bundles", i, n, "");
      Path b = bundles.resolve(String.format(Locale.ROOT, "applicant-%02d.bundle.json", i + 1));
      long t0 = System.nanoTime();
      step("verify", b.toString(), "--expect-model", commitment, "--json");
      verifyMs.add((System.nanoTime() - t0) / 1e6);
    }
    progressBar("verifying bundles", n, n, "done");
    story.add(String.format(Locale.ROOT, " 4. Verify     %d/%d bundles verified against the registered model"
        + " (median %.0f ms each, offline, no secrets needed)", n, n, median(verifyMs)));

    // 5. Anchor all of them in one batch.
    progress("anchoring " + n + " proof records in one batch");
    Step anc = step(ledger("anchor", bundles.toString(), "--expect-model", commitment));
    report.set("anchor", anc.json());
    story.add(" 5. Anchor     " + n + " proof records in one Merkle batch, root " + anc.json().path("root").asText());
    story.add("               tx " + anc.json().path("tx_hash").asText() + " " + anc.json().path("status").asText()
        + "; manifest with every inclusion proof: " + out.relativize(Path.of(anc.json().path("manifest").asText())));

    // 6. Grant eligibility to the approved applicants.
    for (int i = 0; i < approvedBundles.size(); i++) {
      progressBar("granting eligibility", i, approvedBundles.size(), "");
      step(ledger("eligibility", "grant", approvedBundles.get(i).toString(), "--valid-for", "30d",
          "--expect-model", commitment));
    }
    if (!approvedBundles.isEmpty()) {
      progressBar("granting eligibility", approvedBundles.size(), approvedBundles.size(), "done");
    }
    story.add(" 6. Eligible   " + approvedBundles.size() + " approved borrower(s) granted eligibility under '"
        + POLICY + "' for 30 days; declined applicants got nothing");

    // 7. Audit the ledger as a regulator would.
    progress("auditing the ledger");
    Path auditReport = out.resolve("audit-report.json");
    Step audit = stepAllowingFailure(ledger("audit", "--bundles", bundles.toString(), "--report", auditReport.toString()));
    JsonNode aj = audit.json();
    report.set("audit", aj);
    boolean allOk = audit.exit() == 0 && aj.path("all_verified").asBoolean();
    story.add(String.format(Locale.ROOT, " 7. Audit      %s: %d anchor(s), %d/%d records re-verified, %d model(s) registered,"
            + " %d grant(s)", allOk ? "ALL VERIFIED" : "PROBLEMS FOUND", aj.path("anchors").asInt(),
        aj.path("records_verified").asInt(), aj.path("records").asInt(), aj.path("models_registered").asInt(),
        aj.path("eligibility_grants").asInt()));
    double seconds = (System.nanoTime() - start) / 1e9;
    story.add(String.format(Locale.ROOT, "Done in %.1f s. Everything is in %s:", seconds, out));
    story.add("  bundles/*.bundle.json   proofs (no features, weights or scores inside)");
    story.add("  audit-report.json       the audit, as JSON");
    story.add("  model/model.public.json what regulators may see; model/model.private.json stays SECRET");
    story.add("Check one yourself: ./veridict verify " + bundles.resolve("applicant-01.bundle.json"));

    report.put("all_verified", allOk);
    report.put("applicants", n);
    report.put("approved", approved);
    report.put("out", out.toString());
    report.put("bundles_dir", bundles.toString());
    report.put("audit_report", auditReport.toString());
    report.put("seconds", Cli.round(seconds, 2));
    if (json) {
      Cli.printJson(spec, report);
    } else {
      Cli.print(spec, String.join("\n", story));
    }
    return allOk ? Cli.OK : Cli.REJECTED;
  }

  private String[] ledger(String... args) {
    List<String> a = new ArrayList<>(Arrays.asList(args));
    a.addAll(List.of("--ledger", ledgerKind, "--json"));
    switch (ledgerKind) {
      case "local" -> a.addAll(List.of("--ledger-dir", out.resolve("ledger").toString()));
      case "evm", "xrpl" -> {
        if (ledgerConfig != null) {
          a.addAll(List.of("--ledger-config", ledgerConfig.toString()));
        }
      }
      default -> throw Cli.usage("--ledger must be local, evm or xrpl, got '" + ledgerKind + "'");
    }
    if (rpc != null) {
      a.addAll(List.of("--rpc", rpc));
    }
    if (keyFile != null) {
      a.addAll(List.of("--key-file", keyFile.toString()));
    }
    return a.toArray(String[]::new);
  }

  /** The chain id the demo's decisions bind: the ledger's, as for any decision proved for it. */
  private String chainId() {
    LedgerOptions o = new LedgerOptions();
    o.kind = ledgerKind;
    o.ledgerConfig = ledgerConfig;
    return Long.toString(o.contextChainId());
  }

  /** Runs a sub-command; a non-zero exit stops the demo with that command's message and exit code. */
  private Step step(String... args) {
    Step s = stepAllowingFailure(args);
    if (s.exit() != 0) {
      throw new Cli.Failure(s.exit(), "step '" + String.join(" ", Arrays.copyOf(args, Math.min(2, args.length)))
          + "' failed:\n" + s.err().strip());
    }
    return s;
  }

  private Step stepAllowingFailure(String... args) {
    InProcess.Result r = InProcess.run(args);
    return new Step(r.exit(), r.json(), r.err());
  }

  private void prepareOut() {
    try {
      if (Files.exists(out)) {
        boolean empty;
        try (Stream<Path> s = Files.list(out)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty && !Files.exists(out.resolve(MARKER))) {
          throw Cli.usage("--out " + out + " exists and is not an earlier demo's directory",
              "Choose another --out, or empty it.");
        }
        if (!empty) {
          try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
              if (!p.equals(out)) {
                Files.delete(p);
              }
            }
          }
        }
      }
      Files.createDirectories(out.resolve("bundles"));
      Files.createDirectories(out.resolve("applicants"));
      Files.writeString(out.resolve(MARKER), "written by ./veridict demo; the next demo run replaces this directory\n");
    } catch (IOException e) {
      throw Cli.usage("cannot prepare --out " + out + ": " + e.getMessage());
    }
  }

  /** The German Credit XGBoost model shipped with the repository. */
  static Path defaultModelFile(Path home) {
    return home.resolve("model/src/test/resources/fixtures/german_xgb.json");
  }

  /** The German Credit CSV: $VERIDICT_DATASETS, else shared/datasets beside the repository. */
  static Path defaultDataset(Path home) {
    String env = System.getenv("VERIDICT_DATASETS");
    if (env != null && Files.exists(Path.of(env, "german_credit.csv"))) {
      return Path.of(env, "german_credit.csv");
    }
    for (Path d = home; d != null; d = d.getParent()) {
      Path p = d.resolve("shared/datasets/german_credit.csv");
      if (Files.exists(p)) {
        return p;
      }
    }
    throw Cli.usage("the German Credit dataset was not found beside the repository (../shared/datasets)",
        "Pass --dataset german_credit.csv or set VERIDICT_DATASETS.");
  }

  private static List<String> featureNames(Path modelDir) {
    return Cli.loadPackage(modelDir).model().architecture().featureNames();
  }

  private static String subject(int i) {
    return String.format(Locale.ROOT, "0x%040x", 0xa11ce0000L + i + 1);
  }

  private static void write(Path f, JsonNode n) {
    try {
      Cli.writeAtomically(f, Cli.JSON.writeValueAsBytes(n), true);
    } catch (IOException e) {
      throw Cli.usage("cannot write " + f + ": " + e.getMessage());
    }
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length == 0 ? 0 : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private void progress(String what) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("... " + what);
    err.flush();
  }

  /** A one-line progress bar on stderr (stdout stays clean for the story or the JSON). */
  private void progressBar(String what, int done, int total, String item) {
    int width = 20;
    int filled = total == 0 ? width : done * width / total;
    PrintWriter err = spec.commandLine().getErr();
    err.print("\r" + String.format(Locale.ROOT, "%-22s [%s%s] %d/%d %-14s", what, "#".repeat(filled),
        "-".repeat(width - filled), done, total, item));
    if (done == total) {
      err.println();
    }
    err.flush();
  }
}
