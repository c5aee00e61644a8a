package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.Bytes32;
import io.veridict.chain.MerkleBatch;
import io.veridict.chain.ProofRecord;
import io.veridict.chain.EligibilityStatus;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.model.DecisionStatement;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ProofBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code veridict eligibility grant | revoke | check}: the EligibilityGate fact registry. */
@Command(
    name = "eligibility",
    mixinStandardHelpOptions = true,
    description = "Grant, revoke or check a borrower's eligibility on the ledger (no personal data goes on it).",
    subcommands = {EligibilityCommand.Grant.class, EligibilityCommand.Revoke.class, EligibilityCommand.Check.class},
    footer = {"", "Examples:",
        "  ./veridict eligibility grant decision.bundle.json --valid-for 30d --expect-model 0x4f8e...",
        "  ./veridict eligibility check --subject 0x00000000000000000000000000000000000a11ce --policy credit-policy-v1",
        "  ./veridict eligibility revoke --subject 0x0000...a11ce --policy credit-policy-v1 --reason 'fraud review'"})
final class EligibilityCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "grant",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
          "Verify a decision bundle and, if it is valid and approves, record on the ledger that its subject is "
              + "eligible under its policy until --valid-for from now.",
          "The fact recorded is the bundle's proof-record leaf, so anyone can tie the grant to the anchored proof. "
              + "On an EVM ledger the gate also requires the model to be registered and active for the policy."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:granted (final on the ledger)", "1:the bundle does not verify, or its decision is a decline",
          "2:usage error", "5:ledger error (see the message)"},
      footer = {"", "Example:",
          "  ./veridict eligibility grant decision.bundle.json --valid-for 30d --expect-model 0x4f8e..."})
  static final class Grant implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE.json", description = "the decision proof bundle")
    Path bundle;

    @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "30d",
        description = "how long the grant lasts: e.g. 3600s, 12h, 30d (default: 30d)")
    String validFor;

    @Option(names = "--expect-model", paramLabel = "COMMITMENT",
        description = "the registered model commitment the proof must be for")
    String expectModel;

    @Mixin LedgerOptions ledger;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        return Cli.emit(spec, json, grant(ledger, bundle, validFor, Optional.ofNullable(expectModel)));
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }

    /**
     * Verifies the bundle and, when it approves, records its subject's eligibility until {@code
     * validFor} from now.
     *
     * @throws Cli.Failure exit 1 (does not verify, malformed, a decline: nothing written) or 2
     */
    static Cli.Result grant(LedgerOptions ledger, Path bundle, String validFor, Optional<String> expectModel)
        throws LedgerException {
      byte[] bytes = Cli.read(bundle, ProofBundle.MAX_BYTES, "bundle");
      Instant now = Instant.now();
      DecisionStatement s;
      ProofBundle b;
      try {
        b = ProofBundle.fromJsonBytes(bytes);
        s = DecisionVerifier.standard().verify(b, expectModel, now);
      } catch (DecisionVerificationException e) {
        throw new Cli.Failure(Cli.REJECTED, "the bundle does not verify: " + e.reason() + ": " + e.getMessage(),
            "Nothing was written to the ledger.");
      } catch (IllegalArgumentException e) {
        throw new Cli.Failure(Cli.REJECTED, "the bundle is malformed: " + e.getMessage(),
            "Nothing was written to the ledger.");
      }
      if (!s.decision()) {
        throw new Cli.Failure(Cli.REJECTED, "the proved decision is a decline: no eligibility to grant",
            "Nothing was written to the ledger.");
      }
      if (!ProofRecords.isAddress(s.context().subject())) {
        throw Cli.usage("the bundle's subject '" + s.context().subject() + "' is not a 20-byte address",
            "Prove with --subject 0x... (the borrower's address) to grant eligibility.");
      }
      long until = now.plus(duration(validFor)).getEpochSecond();
      ProofRecord leaf = ProofRecords.record(bytes, b);
      LedgerEntry.EligibilityGrant grant = new LedgerEntry.EligibilityGrant(
          s.context().subject(), leaf.policyId(), leaf.leafHash(), until);
      try (LedgerAnchor l = ledger.open()) {
        Submissions.Outcome out = Submissions.submit(ledger, l, grant, "grant:" + ProofRecords.hex(leaf.leafHash()));
        ObjectNode o = out.toJson();
        o.put("subject", grant.subject());
        o.put("policy", s.context().policyId());
        o.put("policy_id", ProofRecords.hex(leaf.policyId()));
        o.put("fact", ProofRecords.hex(leaf.leafHash()));
        o.put("valid_until", until);
        return new Cli.Result(out.exitCode(), o, "eligibility granted: " + grant.subject() + " under '"
            + s.context().policyId() + "' until " + Instant.ofEpochSecond(until) + "\n" + out.text());
      }
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a subject's eligibility under a policy; the grant stays in the history.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:revoked (final on the ledger)", "2:usage error", "5:ledger error (see the message)",
          "6:submitted but not final within --timeout (run again to resume)"},
      footer = {"", "Example:",
          "  ./veridict eligibility revoke --subject 0x00000000000000000000000000000000000a11ce --policy credit-policy-v1 --reason 'fraud review'"})
  static final class Revoke implements Callable<Integer> {
    @Option(names = "--subject", required = true, paramLabel = "ADDRESS", description = "0x + 40 hex digits")
    String subject;

    @Option(names = "--policy", required = true, paramLabel = "POLICY", description = "the policy id (as in the bundle)")
    String policy;

    @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT", description = "why (at most 256 bytes; no personal data)")
    String reason;

    @Mixin LedgerOptions ledger;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        LedgerEntry.EligibilityRevocation r;
        try {
          r = new LedgerEntry.EligibilityRevocation(subject, ProofRecords.policyId(policy), reason);
        } catch (IllegalArgumentException e) {
          throw Cli.usage(e.getMessage());
        }
        try (LedgerAnchor l = ledger.open()) {
          Submissions.Outcome out = Submissions.submit(ledger, l, r,
              "revoke:" + r.subject() + ":" + ProofRecords.hex(r.policyId()) + ":" + System.nanoTime());
          ObjectNode o = out.toJson();
          o.put("subject", r.subject());
          o.put("policy_id", ProofRecords.hex(r.policyId()));
          return Cli.emit(spec, json, new Cli.Result(out.exitCode(), o,
              "eligibility revoked: " + r.subject() + " under '" + policy + "'\n" + out.text()));
        }
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Is a subject eligible under a policy now? (Reads final ledger state only.)",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:eligible", "1:not eligible (never granted, expired or revoked)", "2:usage error",
          "5:ledger error"},
      footer = {"", "Example:",
          "  ./veridict eligibility check --subject 0x00000000000000000000000000000000000a11ce --policy credit-policy-v1 --json"})
  static final class Check implements Callable<Integer> {
    @Option(names = "--subject", required = true, paramLabel = "ADDRESS", description = "0x + 40 hex digits")
    String subject;

    @Option(names = "--policy", required = true, paramLabel = "POLICY", description = "the policy id (as in the bundle)")
    String policy;

    @Mixin LedgerOptions ledger;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        return Cli.emit(spec, json, check(ledger, subject, policy));
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }

    /**
     * Whether {@code subject} is eligible under {@code policy} now (final ledger state): exit 0
     * eligible, 1 not.
     *
     * @throws Cli.Failure exit 2 for a subject that is not an address
     */
    static Cli.Result check(LedgerOptions ledger, String subject, String policy) throws LedgerException {
      String addr;
      try {
        addr = LedgerEntry.normaliseAddress(subject);
      } catch (IllegalArgumentException e) {
        throw Cli.usage(e.getMessage());
      }
      Bytes32 pid = ProofRecords.policyId(policy);
      try (LedgerAnchor l = ledger.open()) {
        EligibilityStatus st = l.eligibility(addr, pid, Instant.now());
        ObjectNode o = Cli.JSON.createObjectNode();
        o.put("subject", addr);
        o.put("policy_id", ProofRecords.hex(pid));
        o.put("eligible", st.eligible());
        o.put("valid_until", st.validUntilEpochSeconds());
        o.put("fact", ProofRecords.hex(st.fact()));
        return new Cli.Result(st.eligible() ? Cli.OK : Cli.REJECTED, o, st.eligible()
            ? "eligible: " + addr + " under '" + policy + "' until " + Instant.ofEpochSecond(st.validUntilEpochSeconds())
                + " (fact " + ProofRecords.hex(st.fact()) + ")"
            : "not eligible: " + addr + " under '" + policy + "'");
      }
    }
  }

  /** {@code 90s}, {@code 15m}, {@code 12h}, {@code 30d}. */
  static Duration duration(String text) {
    if (text != null && text.matches("[1-9][0-9]{0,6}[smhd]")) {
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    throw Cli.usage("--valid-for must be a number followed by s, m, h or d (e.g. 30d), got '" + text + "'");
  }
}
