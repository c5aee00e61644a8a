package io.veridict.verifierapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.DecisionStatement;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ProofBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code java -jar veridict-verifier.jar BUNDLE.json [--expect-model COMMITMENT]
 * [--require-clear-margin] [--json]}: checks a decision bundle offline with the default (standard,
 * zero-knowledge) acceptance policy. Exit 0 valid (the statement is printed, with whether the
 * decision is certified clear of the model's quantization error), 1 rejected (with the typed
 * reason), 2 usage error. The same verdicts as {@code ./veridict verify}.
 */
public final class VerifierMain {
  static final int OK = 0;
  static final int REJECTED = 1;
  static final int USAGE = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerifierMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path bundle = null;
    String expect = null;
    boolean json = false;
    boolean requireClearMargin = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          out.println(usage());
          return OK;
        }
        case "--json" -> json = true;
        case "--require-clear-margin" -> requireClearMargin = true;
        case "--expect-model" -> {
          if (i + 1 == args.length) {
            return usageError(err, "--expect-model needs a commitment (0x + 64 hex digits)");
          }
          expect = args[++i];
        }
        default -> {
          if (args[i].startsWith("-") || bundle != null) {
            return usageError(err, "unexpected argument '" + args[i] + "'");
          }
          bundle = Path.of(args[i]);
        }
      }
    }
    if (bundle == null) {
      return usageError(err, "missing BUNDLE.json");
    }
    byte[] bytes;
    try {
      if (Files.size(bundle) > ProofBundle.MAX_BYTES) {
        return reject(out, err, json, "MALFORMED_BUNDLE", "the bundle is larger than " + ProofBundle.MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(bundle);
    } catch (NoSuchFileException e) {
      return usageError(err, "bundle " + bundle + " does not exist");
    } catch (IOException e) {
      return usageError(err, "cannot read " + bundle + ": " + e.getMessage());
    }
    long t0 = System.nanoTime();
    DecisionStatement s;
    ProofBundle b;
    try {
      DecisionVerifier verifier = requireClearMargin
          ? DecisionVerifier.standard().requiringClearMargin() : DecisionVerifier.standard();
      b = DecisionVerifier.parse(bytes);
      s = verifier.verify(b, Optional.ofNullable(expect), Instant.now());
    } catch (DecisionVerificationException e) {
      return reject(out, err, json, e.reason().name(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return usageError(err, e.getMessage());
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    boolean clear = s.clearOfQuantizationError(b.model());
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("verified", true);
      o.put("decision", s.decision());
      o.put("model_commitment", s.modelCommitment());
      o.put("model_checked", expect != null);
      o.put("input_commitment", s.inputCommitment());
      o.put("air_id", s.airId());
      o.set("statement", ProofBundle.statementJson(s));
      o.put("clear_of_quantization_error", clear);
      if (b.model().scoreErrorBound().isPresent()) {
        o.put("score_error_bound", b.model().scoreErrorBound().getAsLong());
      } else {
        o.putNull("score_error_bound");
      }
      o.put("verify_ms", Math.round(ms * 100) / 100.0);
      out.println(o);
    } else {
      out.printf("VALID proof (verified in %.1f ms)%n", ms);
      out.println("  decision:          " + (s.decision() ? "APPROVED" : "DECLINED"));
      out.println("  model_commitment:  " + s.modelCommitment() + (expect != null ? "  (checked)" : "  (NOT checked: pass --expect-model)"));
      out.println("  input_commitment:  " + s.inputCommitment());
      out.println("  air_id:            " + s.airId());
      out.println("  context:           chain " + s.context().chainId() + ", subject " + printable(s.context().subject())
          + ", policy " + printable(s.context().policyId()));
      out.println("  quantization error: " + (clear
          ? "clear (the margin clears the threshold by more than the model's worst-case score error)"
          : "NOT certified clear: the margin may lie within the model's worst-case score error of the threshold"));
    }
    return OK;
  }

  private static int reject(PrintStream out, PrintStream err, boolean json, String reason, String message) {
    // The verifier's message starts with its reason ("MODEL_MISMATCH: ..."): say it once.
    if (message != null && message.startsWith(reason + ": ")) {
      message = message.substring(reason.length() + 2);
    }
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("verified", false);
      o.put("reason", reason);
      o.put("message", message);
      out.println(o);
    } else {
      err.println("REJECTED: " + reason + ": " + message);
    }
    return REJECTED;
  }

  private static int usageError(PrintStream err, String message) {
    err.println("veridict-verifier: error: " + message);
    err.println(usage());
    return USAGE;
  }

  static String usage() {
    return String.join("\n",
        "Usage: java -jar veridict-verifier.jar BUNDLE.json [--expect-model COMMITMENT] [--require-clear-margin] [--json]",
        "Verifies a Veridict decision proof bundle offline (standard profile, zero knowledge required).",
        "--require-clear-margin also rejects (WITHIN_QUANTIZATION_ERROR) a valid decision not certified clear of",
        "the model's quantization error.",
        "Exit codes: 0 valid, 1 rejected (typed reason), 2 usage error.",
        "Example: java -jar veridict-verifier.jar applicant-01.bundle.json --expect-model 0x4f8e...");
  }

  /** Control characters (C0, DEL, C1) as {@code \\uXXXX}: the bundle's strings are the prover's. */
  private static String printable(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
