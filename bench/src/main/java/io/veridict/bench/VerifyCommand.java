package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.Commitments;
import io.veridict.model.DecisionStatement;
import io.veridict.model.InputOpening;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ModelDescription;
import io.veridict.model.ProofBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code veridict verify BUNDLE.json}: verifies a decision proof bundle offline. Exit 0 when valid
 * (the statement is printed), 1 with the typed reason when not, 2 on usage errors. {@code verify
 * stark} (a subcommand) verifies example-AIR proofs.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Verify a decision proof bundle (offline; no secret needed).",
        "The circuit is rebuilt from the bundle's public model description; the proof must be "
            + "zero-knowledge with at least 100 conjectured bits. Pass --expect-model with the registered "
            + "model commitment, or --ledger KIND to look the bundle's model up on a ledger (registered and not "
            + "deprecated): without either, a proof for any model is accepted."},
    subcommands = {StarkVerifyCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:valid (the statement is printed)",
        "1:rejected: MALFORMED_BUNDLE, AIR_ID_MISMATCH, MODEL_MISMATCH, MODEL_DESCRIPTION_MISMATCH, INPUT_OPENING_MISMATCH, THRESHOLD_MISMATCH, "
            + "GUARD_BAND_MISMATCH, EXPIRED, PROOF_REJECTED, MODEL_NOT_REGISTERED or MODEL_DEPRECATED (with --ledger), "
            + "WITHIN_QUANTIZATION_ERROR (with --require-clear-margin)",
        "2:usage error (missing or unreadable file, bad option)", "5:ledger error (with --ledger)"},
    footer = {"", "Examples:",
        "  ./veridict verify decision.bundle.json --expect-model 0x4f8e...037d",
        "  ./veridict verify decision.bundle.json --json",
        "  ./veridict verify decision.bundle.json --ledger evm --ledger-config .veridict/dev-ledger.json",
        "  ./veridict verify stark --air fibonacci --log-rows 16 --proof fib16.bin"})
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "BUNDLE.json", description = "the proof bundle to verify")
  Path bundle;

  @Option(names = "--expect-model", paramLabel = "COMMITMENT",
      description = "the registered model commitment (0x + 64 hex digits) the proof must be for")
  String expectModel;

  @Option(names = "--opening", paramLabel = "FILE",
      description = "the applicant's input opening (from 'prove'): also check that the decision was proved on "
          + "exactly these features (INPUT_OPENING_MISMATCH otherwise)")
  Path opening;

  @Option(names = "--require-clear-margin",
      description = "also reject a valid decision that is not certified clear of the model's quantization error "
          + "(WITHIN_QUANTIZATION_ERROR): one whose margin may lie so close to the threshold that the imported model "
          + "may decide otherwise. Without it such a decision verifies, and the output says it is not certified")
  boolean requireClearMargin;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  /** Used only when {@code --ledger} is given: then the model must be registered there. */
  @picocli.CommandLine.Mixin LedgerOptions ledger;

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
    if (bundle == null) {
      throw Cli.usage("missing BUNDLE.json", "e.g. ./veridict verify decision.bundle.json");
    }
    if (expectModel != null) {
      try {
        Commitments.fromHex(expectModel);
      } catch (IllegalArgumentException e) {
        throw Cli.usage("--expect-model: " + e.getMessage(), "Copy model_commitment from 'veridict model inspect'.");
      }
    }
    if (!Files.exists(bundle)) {
      throw Cli.usage("bundle " + bundle + " does not exist", "Check the path.");
    }
    byte[] bytes;
    try {
      if (Files.isRegularFile(bundle) && Files.size(bundle) > ProofBundle.MAX_BYTES) {
        return reject(DecisionVerificationException.Reason.MALFORMED_BUNDLE.name(), null,
            "the bundle is larger than " + ProofBundle.MAX_BYTES + " bytes");
      }
    } catch (java.io.IOException e) {
      throw Cli.usage("cannot read bundle " + bundle + ": " + e.getMessage());
    }
    bytes = Cli.read(bundle, ProofBundle.MAX_BYTES, "bundle");
    long t0 = System.nanoTime();
    DecisionStatement s;
    ProofBundle parsed;
    try {
      // Parsed once: the same object is verified and then read for the output and the opening.
      parsed = DecisionVerifier.parse(bytes);
      DecisionVerifier verifier = requireClearMargin
          ? DecisionVerifier.standard().requiringClearMargin() : DecisionVerifier.standard();
      s = verifier.verify(parsed, Optional.ofNullable(expectModel), Instant.now());
    } catch (DecisionVerificationException e) {
      return reject(e.reason().name(), e.proofReason().map(Enum::name).orElse(null), e.getMessage());
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    ModelDescription model = parsed.model();
    InputOpening open = null;
    if (opening != null) {
      try {
        open = InputOpening.fromJsonBytes(Cli.read(opening, InputOpening.MAX_BYTES, "input opening"));
      } catch (IllegalArgumentException e) {
        throw Cli.usage(opening + " is not an input opening: " + Cli.firstLine(String.valueOf(e.getMessage())),
            "Give the .opening.json file 'prove' wrote beside the bundle.");
      }
      try {
        open.check(parsed);
      } catch (DecisionVerificationException e) {
        return reject(e.reason().name(), null, e.getMessage());
      }
    }
    Long registeredAt = null;
    if (spec.commandLine().getParseResult().hasMatchedOption("--ledger")) {
      LedgerCheck check = ledgerCheck(s);
      if (check.problem() != null) {
        return reject(check.problem(), null, check.message());
      }
      registeredAt = check.height();
    }
    if (json) {
      ObjectNode o = validJson(s, model, expectModel != null || registeredAt != null, ms);
      if (open != null) {
        o.put("opening_checked", true);
      }
      if (registeredAt != null) {
        o.put("ledger", ledger.kind);
        o.put("registered_height", registeredAt);
      }
      Cli.printJson(spec, o);
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("decision", s.decision() ? "APPROVED" : "DECLINED");
      m.put("policy", "approve when prediction " + (s.policy().direction().id().equals("at-least") ? ">= " : "<= ")
          + ModelImportCommand.fmtNum(s.policy().threshold()));
      m.put("model", Cli.printable(model.name()) + " (" + model.architecture().family().id() + ", " + Cli.shape(model.architecture()) + ")");
      m.put("model_commitment", s.modelCommitment() + (registeredAt != null
          ? "  (registered on the " + ledger.kind + " ledger at height " + registeredAt + ", not deprecated)"
          : expectModel != null ? "  (= expected)" : "  (NOT checked: pass --expect-model or --ledger)"));
      m.put("input_commitment", s.inputCommitment() + (open != null
          ? "  (opened: proved on the " + open.featureNames().size() + " features in " + opening + ")" : ""));
      m.put("air_id", s.airId());
      m.put("subject", Cli.printable(s.context().subject()));
      m.put("chain_id", s.context().chainId());
      m.put("policy_id", Cli.printable(s.context().policyId()));
      m.put("nonce", Cli.printable(s.context().nonce()));
      m.put("expires", s.context().expiresAt() == 0 ? "never" : Instant.ofEpochSecond(s.context().expiresAt()).toString());
      m.put("quantization error", ProveCommand.quantizationText(s, model));
      Cli.print(spec, String.format("VALID proof (verified in %.1f ms)%n%s", ms, Cli.kv(m)));
    }
    return Cli.OK;
  }

  private int reject(String reason, String proofReason, String message) {
    // The exception's message starts with its reason ("MODEL_MISMATCH: ..."): don't say it twice.
    message = rejectionMessage(reason, proofReason, message);
    if (json) {
      ObjectNode o = rejectedJson(reason, proofReason, message);
      Cli.printJson(spec, o);
    } else {
      Cli.print(spec, "REJECTED (" + reason + (proofReason != null ? "/" + proofReason : "") + "): " + message);
    }
    return Cli.REJECTED;
  }

  /** The {@code --json} answer for a valid bundle (also the HTTP service's {@code /v1/verify} answer). */
  static ObjectNode validJson(DecisionStatement s, ModelDescription model, boolean modelChecked, double ms) {
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("verified", true);
    o.put("decision", s.decision());
    o.put("air_id", s.airId());
    o.put("model_commitment", s.modelCommitment());
    o.put("model_checked", modelChecked);
    o.put("input_commitment", s.inputCommitment());
    ObjectNode st = ProofBundle.statementJson(s);
    o.set("policy", st.get("policy"));
    o.set("context", st.get("context"));
    o.put("circuit_threshold", Long.toString(s.circuitThreshold()));
    o.put("model_name", model.name());
    o.put("family", model.architecture().family().id());
    o.put("clear_of_quantization_error", s.clearOfQuantizationError(model));
    ModelInspectCommand.putScoreErrorBound(o, model);
    o.put("verify_ms", Cli.round(ms, 2));
    return o;
  }

  /** The {@code --json} answer for a rejected bundle. */
  static ObjectNode rejectedJson(String reason, String proofReason, String message) {
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("verified", false);
    o.put("reason", reason);
    if (proofReason != null) {
      o.put("proof_reason", proofReason);
    }
    o.put("message", message);
    return o;
  }

  /** The rejection message without its repeated reason prefix ("MODEL_MISMATCH: ..."). */
  static String rejectionMessage(String reason, String proofReason, String message) {
    String prefix = reason + (proofReason != null ? "/" + proofReason : "") + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    if (proofReason != null && message.startsWith(proofReason + ": ")) {
      message = message.substring(proofReason.length() + 2);
    }
    return message;
  }

  /** What the ledger says of the bundle's model: registered (at a height) or a problem. */
  record LedgerCheck(String problem, String message, long height) {}

  private LedgerCheck ledgerCheck(DecisionStatement s) {
    io.veridict.chain.Bytes32 commitment = io.veridict.chain.Bytes32.fromHex(s.modelCommitment());
    java.util.List<io.veridict.chain.Anchored> history;
    try (io.veridict.chain.LedgerAnchor l = ledger.open()) {
      history = AuditCommand.history(l);
    } catch (io.veridict.chain.LedgerException e) {
      throw LedgerFailures.of(e);
    }
    io.veridict.chain.Anchored registered = null;
    io.veridict.chain.Anchored deprecated = null;
    for (io.veridict.chain.Anchored a : history) {
      if (a.entry() instanceof io.veridict.chain.LedgerEntry.ModelRegistration r && r.modelCommitment().equals(commitment)
          && registered == null) {
        if (!ProofRecords.hex(r.airId()).substring(2).equalsIgnoreCase(s.airId())) {
          return new LedgerCheck("MODEL_NOT_REGISTERED", "model " + s.modelCommitment() + " is registered with another "
              + "circuit (air_id " + ProofRecords.hex(r.airId()) + ", the bundle's is " + s.airId() + ")", -1);
        }
        registered = a;
      } else if (a.entry() instanceof io.veridict.chain.LedgerEntry.ModelDeprecation d
          && d.modelCommitment().equals(commitment) && deprecated == null) {
        deprecated = a;
      }
    }
    if (registered == null) {
      return new LedgerCheck("MODEL_NOT_REGISTERED", "model " + s.modelCommitment() + " is not registered on this "
          + ledger.kind + " ledger: the proof is valid, but not for an approved model", -1);
    }
    if (deprecated != null) {
      return new LedgerCheck("MODEL_DEPRECATED", "model " + s.modelCommitment() + " was deprecated at height "
          + deprecated.height(), -1);
    }
    return new LedgerCheck(null, null, registered.height());
  }
}
