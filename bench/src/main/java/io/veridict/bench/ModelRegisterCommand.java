package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.model.ModelDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code veridict model register DIR}: writes a model version's public identity (commitment,
 * {@code airId}, Keccak-256 of {@code model.public.json}, optional URI) to the ledger. Needs only
 * the public file: registering never touches the weights.
 */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Register an imported model version on a ledger: its model commitment, airId and the Keccak-256 of "
            + "model.public.json (plus an optional --metadata-uri where that file is published). Only public data "
            + "goes on the ledger; registrations are never deleted, only deprecated (--deprecate)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:registered (final on the ledger)", "2:usage error", "5:ledger error",
        "6:submitted but not final within --timeout (run again to resume)"},
    footer = {"", "Examples:",
        "  ./veridict model register models/german",
        "  ./veridict model register models/german --ledger evm --metadata-uri https://lender.example/models/german.json",
        "  ./veridict model register models/german --deprecate 'replaced by v2'"})
final class ModelRegisterCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "model directory (or its model.public.json)")
  Path dir;

  @Option(names = "--metadata-uri", defaultValue = "", paramLabel = "URI",
      description = "where model.public.json is published (at most 256 bytes)")
  String metadataUri;

  @Option(names = "--deprecate", paramLabel = "REASON",
      description = "deprecate this model version instead of registering it")
  String deprecate;

  @Option(names = "--policy", paramLabel = "POLICY",
      description = "EVM: also set this policy's rule in the EligibilityGate to this model version and "
          + "--threshold/--direction/--max-validity (grants under the policy then require exactly that model, "
          + "active, and that rule); needs the gate's policy-admin role")
  String policy;

  @Option(names = "--threshold", paramLabel = "T",
      description = "with --policy: the rule's threshold, in prediction units as 'prove --threshold' (default: the "
          + "model's suggested threshold, else 0.5 for logistic models, else 0)")
  Double threshold;

  @Option(names = "--direction", defaultValue = "at-least", paramLabel = "DIR",
      description = "with --policy: at-least (default) or at-most")
  String direction;

  @Option(names = "--max-validity", defaultValue = "30d", paramLabel = "DURATION",
      description = "with --policy: the longest grant under the policy (default 30d; at most 366d)")
  String maxValidity;

  @Mixin LedgerOptions ledger;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return Cli.emit(spec, json, register(ledger, dir, metadataUri, Optional.ofNullable(deprecate),
          Optional.ofNullable(policy).map(p -> new PolicyRule(p, Optional.ofNullable(threshold), direction, maxValidity))));
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    } catch (LedgerException e) {
      return Cli.report(spec, LedgerFailures.of(e));
    }
  }

  /**
   * Registers (or, with {@code deprecate}, deprecates) the model version in {@code dir} on the
   * ledger; on EVM, also binds {@code policy} to it. Exit 0 final, 6 not final yet, 5 ledger failed.
   *
   * @throws Cli.Failure exit 2 for an unreadable or invalid {@code model.public.json}
   */
  static Cli.Result register(LedgerOptions ledger, Path dir, String metadataUri, Optional<String> deprecateReason,
      Optional<PolicyRule> rule) throws LedgerException {
    String deprecate = deprecateReason.orElse(null);
    String policy = rule.map(PolicyRule::policy).orElse(null);
    Path file = Files.isDirectory(dir) ? dir.resolve(Cli.PUBLIC_FILE) : dir;
    byte[] bytes = Cli.read(file, 1 << 22, "public model file");
    ModelDescription d;
    try {
      JsonNode root = Cli.JSON.readTree(bytes);
      d = ModelDescription.fromJson(root, file.getFileName().toString());
      d.checkAirId();
      d.checkCommitment();
    } catch (IOException | IllegalArgumentException e) {
      throw Cli.usage(file + " is not a valid model.public.json: " + Cli.firstLine(String.valueOf(e.getMessage())),
          "Give the directory 'model import' wrote.");
    }
    Bytes32 commitment = Bytes32.fromHex(d.modelCommitment());
    LedgerEntry entry;
    String key;
    try {
      if (deprecate != null) {
        entry = new LedgerEntry.ModelDeprecation(commitment, deprecate);
        key = "deprecate:" + ProofRecords.hex(commitment);
      } else {
        entry = new LedgerEntry.ModelRegistration(commitment, Bytes32.fromHex(d.airId()),
            Bytes32.of(ProofRecords.keccak(bytes)), metadataUri);
        key = "register:" + ProofRecords.hex(commitment);
      }
    } catch (IllegalArgumentException e) {
      throw Cli.usage(e.getMessage());
    }
    Submissions.Outcome out;
    try (LedgerAnchor l = ledger.open()) {
      out = Submissions.submit(ledger, l, entry, key);
    }
    String bound = "";
    ObjectNode ruleJson = null;
    if (policy != null && deprecate == null && out.exitCode() == Cli.OK) {
      if (!ledger.kind.equals("evm")) {
        bound = "\n  policy    no binding needed on the " + ledger.kind + " ledger";
      } else {
        // The whole rule at once (model, direction, threshold, validity bound): a policy bound to a
        // model without a rule accepts no grant on the gate.
        PolicyRule r = rule.get();
        double t = r.threshold().orElse(Cli.defaultThreshold(d));
        Cli.Result set = EligibilityCommand.PolicyCommand.set(ledger, policy, d, t, r.direction(), r.maxValidity());
        bound = "\n  policy    '" + policy + "' now requires this model, " + set.json().path("direction").asText()
            + " " + t + ", grants of at most " + r.maxValidity();
        ruleJson = set.json();
      }
    }
    {
      ObjectNode o = out.toJson();
      if (policy != null) {
        o.put("policy", policy);
        o.put("policy_id", ProofRecords.hex(ProofRecords.policyId(policy)));
        o.put("policy_bound", ruleJson != null);
        if (ruleJson != null) {
          for (String k : java.util.List.of("direction", "threshold", "circuit_threshold", "max_validity_seconds")) {
            o.set(k, ruleJson.get(k));
          }
        }
      }
      o.put("model_commitment", ProofRecords.hex(commitment));
      o.put("air_id", d.airId());
      if (entry instanceof LedgerEntry.ModelRegistration r) {
        o.put("metadata_hash", ProofRecords.hex(r.metadataHash()));
      }
      return new Cli.Result(out.exitCode(), o, (deprecate != null ? "deprecated" : "registered") + " model "
          + ProofRecords.hex(commitment) + "\n" + out.text() + bound);
    }
  }

  /**
   * The policy a registration also binds (EVM): its id, the rule's threshold (empty: the model's
   * default), direction ({@code at-least} / {@code at-most}) and the longest grant (e.g. {@code 30d}).
   */
  record PolicyRule(String policy, Optional<Double> threshold, String direction, String maxValidity) {}
}
