package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.evm.EvmDeployer;
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
      description = "EVM: also bind this policy to this model version in the EligibilityGate (grants under the "
          + "policy then require this model, active); needs the gate's policy-admin role")
  String policy;

  @Mixin LedgerOptions ledger;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return Cli.emit(spec, json, register(ledger, dir, metadataUri, Optional.ofNullable(deprecate),
          Optional.ofNullable(policy)));
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
      Optional<String> policyName) throws LedgerException {
    String deprecate = deprecateReason.orElse(null);
    String policy = policyName.orElse(null);
    Path file = Files.isDirectory(dir) ? dir.resolve(Cli.PUBLIC_FILE) : dir;
    byte[] bytes = Cli.read(file, 1 << 22, "public model file");
    ModelDescription d;
    try {
      JsonNode root = Cli.JSON.readTree(bytes);
      d = ModelDescription.fromJson(root, file.getFileName().toString());
      d.checkAirId();
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
    if (policy != null && deprecate == null && out.exitCode() == Cli.OK) {
      if (!ledger.kind.equals("evm")) {
        bound = "\n  policy    no binding needed on the " + ledger.kind + " ledger";
      } else {
      // After the anchor is closed: bindPolicy signs with the same key and takes the next nonce.
      LedgerOptions.DevLedgerConfig cfg = ledger.evmConfig();
      EvmDeployer.bindPolicy(ledger.rpc != null ? ledger.rpc : cfg.rpc(),
          ledger.chainId != null ? ledger.chainId : cfg.chainId(), ledger.key(cfg.keyFile()), cfg.contracts(),
          ProofRecords.policyId(policy), commitment);
      bound = "\n  policy    '" + policy + "' now requires this model";
      }
    }
    {
      ObjectNode o = out.toJson();
      if (policy != null) {
        o.put("policy", policy);
        o.put("policy_id", ProofRecords.hex(ProofRecords.policyId(policy)));
        o.put("policy_bound", bound.contains("now requires"));
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
}
