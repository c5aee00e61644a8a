package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.AnchorOutbox;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.EligibilityDomain;
import io.veridict.chain.EligibilityRules;
import io.veridict.chain.EligibilityStatus;
import io.veridict.chain.GateStatement;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.evm.EvmConfig;
import io.veridict.chain.evm.EvmDeployer;
import io.veridict.chain.evm.EvmGate;
import io.veridict.model.DecisionStatement;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ModelDescription;
import io.veridict.model.Policy;
import io.veridict.model.ProofBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code veridict eligibility grant | revoke | reinstate | check | policy}: the EligibilityGate.
 * A grant records the bundle's whole public statement; the ledger computes the fact from it. Every
 * write is checked against what the ledger would accept before anything is sent (no gas for a
 * bundle the gate refuses), and repeating a grant or a revocation is harmless and says so.
 */
@Command(
    name = "eligibility",
    mixinStandardHelpOptions = true,
    description = "Grant, revoke, reinstate or check a borrower's eligibility on the ledger, or set a policy on the "
        + "EVM gate (no personal data goes on the ledger).",
    subcommands = {EligibilityCommand.Grant.class, EligibilityCommand.Revoke.class, EligibilityCommand.Reinstate.class,
        EligibilityCommand.Check.class, EligibilityCommand.PolicyCommand.class},
    footer = {"", "Examples:",
        "  ./veridict eligibility policy --policy credit-policy-v1 --model models/german --threshold 0.5 --ledger evm",
        "  ./veridict eligibility grant decision.bundle.json --valid-for 30d",
        "  ./veridict eligibility check --subject 0x00000000000000000000000000000000000a11ce --policy credit-policy-v1",
        "  ./veridict eligibility revoke --subject 0x0000...a11ce --policy credit-policy-v1 --reason 'fraud review'",
        "  ./veridict eligibility reinstate --subject 0x0000...a11ce --policy credit-policy-v1 --reason 'cleared'"})
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
              + "eligible under its policy until --valid-for from now (never after the bundle's own expiry).",
          "The ledger records the bundle's public statement and computes the fact from it (EIP-712 hash under the "
              + "ledger's domain). Before anything is sent the statement is checked against the ledger: on an EVM "
              + "gate its model, circuit, threshold rule, chain and validity must be the policy's; on every ledger "
              + "the model must be registered and active and the subject not on hold after a revocation. "
              + "--expect-model is an extra check, not needed for safety.",
          "Granting the same bundle again sends nothing and says whether its grant still counts."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:granted (final on the ledger), or already granted", "1:the bundle does not verify, its "
          + "decision is a decline, or the ledger would refuse it (nothing sent)",
          "2:usage error", "5:ledger error (see the message)", "6:submitted but not final within --timeout (run again to resume)"},
      footer = {"", "Example:",
          "  ./veridict eligibility grant decision.bundle.json --valid-for 30d"})
  static final class Grant implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE.json", description = "the decision proof bundle")
    Path bundle;

    @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "30d",
        description = "how long the grant lasts: e.g. 3600s, 12h, 30d (default: 30d)")
    String validFor;

    @Option(names = "--expect-model", paramLabel = "COMMITMENT",
        description = "also require this model commitment (the ledger's policy check makes it optional)")
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
      Duration validity = duration(validFor);
      DecisionStatement s;
      try {
        ProofBundle b = ProofBundle.fromJsonBytes(bytes);
        s = DecisionVerifier.standard().verify(b, expectModel, now);
      } catch (DecisionVerificationException e) {
        throw new Cli.Failure(Cli.REJECTED, "the bundle does not verify: " + e.reason() + ": " + e.getMessage(),
            NOTHING_WRITTEN);
      } catch (IllegalArgumentException e) {
        throw new Cli.Failure(Cli.REJECTED, "the bundle is malformed: " + e.getMessage(), NOTHING_WRITTEN);
      }
      if (!s.decision()) {
        throw new Cli.Failure(Cli.REJECTED, "the proved decision is a decline: no eligibility to grant",
            NOTHING_WRITTEN);
      }
      if (!ProofRecords.isAddress(s.context().subject())) {
        throw Cli.usage("the bundle's subject '" + s.context().subject() + "' is not a 20-byte address",
            "Prove with --subject 0x... (the borrower's address) to grant eligibility.");
      }
      GateStatement st = ProofRecords.gateStatement(s);
      long until = now.plus(validity).getEpochSecond();
      if (st.expiresAt() != 0) {
        until = Math.min(until, st.expiresAt()); // a grant never outlives its proof
      }
      String policy = s.context().policyId();
      String key = "grant:" + st.structHash().toHex();
      try (LedgerAnchor l = ledger.open()) {
        AnchorOutbox outbox = AnchorOutbox.open(ledger.stateDir().resolve("outbox"), l);
        LedgerEntry.EligibilityGrant grant = null;
        // 1. this statement's grant already in flight through the outbox: resume it, same entry
        Optional<AnchorOutbox.Ticket> t = outbox.ticket(key);
        for (int attempt = 2; t.isPresent() && t.get().state() == AnchorOutbox.State.FAILED && attempt <= 16; attempt++) {
          key = "grant:" + st.structHash().toHex() + "#" + attempt; // an earlier attempt failed: a new request
          t = outbox.ticket(key);
        }
        if (t.isPresent() && !t.get().state().isTerminal()
            && t.get().tx().entry() instanceof LedgerEntry.EligibilityGrant g) {
          grant = g;
        }
        Bytes32 fact;
        if (grant == null) {
          grant = new LedgerEntry.EligibilityGrant(st, until);
          // 2. what the ledger would say, before any gas: refused, already granted, or go
          Precheck pc = ledger.kind.equals("evm") ? evmPrecheck(ledger, st, validity, now, policy)
              : ledgerPrecheck(l, ledger, grant, now, policy);
          fact = pc.fact();
          if (pc.alreadyUsed()) {
            return alreadyGranted(l, st, fact, policy, now);
          }
          if (pc.validUntil() != grant.validUntilEpochSeconds()) {
            grant = new LedgerEntry.EligibilityGrant(st, pc.validUntil());
          }
        } else {
          fact = ledger.kind.equals("evm") ? st.fact(EligibilityDomain.evm(evm(ledger).chainId(),
              evm(ledger).contracts().eligibilityGate())) : st.fact(EligibilityDomain.ledger(l.info().networkId()));
        }
        Submissions.Outcome out = Submissions.submit(ledger, l, grant, key);
        ObjectNode o = out.toJson();
        o.put("subject", grant.subject());
        o.put("policy", policy);
        o.put("policy_id", ProofRecords.hex(grant.policyId()));
        o.put("fact", ProofRecords.hex(fact));
        o.put("model_commitment", ProofRecords.hex(st.modelCommitment()));
        o.put("valid_until", grant.validUntilEpochSeconds());
        o.put("already_granted", false);
        return new Cli.Result(out.exitCode(), o, "eligibility granted: " + grant.subject() + " under '"
            + policy + "' until " + Instant.ofEpochSecond(grant.validUntilEpochSeconds()) + "\n"
            + "  fact      " + ProofRecords.hex(fact) + "\n" + out.text());
      }
    }
  }

  static final String NOTHING_WRITTEN = "Nothing was written to the ledger.";

  /** The fact the ledger will record, and whether it already did. */
  record Precheck(Bytes32 fact, boolean alreadyUsed, long validUntil) {}

  static Cli.Failure refused(String why, String... hints) {
    String[] h = new String[hints.length + 1];
    System.arraycopy(hints, 0, h, 0, hints.length);
    h[hints.length] = "Nothing was sent to the ledger.";
    return new Cli.Failure(Cli.REJECTED, "the ledger would refuse this grant: " + why, h);
  }

  /** The EVM configuration these options name (as {@code --ledger evm} opens it). */
  static EvmConfig evm(LedgerOptions ledger) {
    LedgerOptions.DevLedgerConfig cfg = ledger.evmConfig();
    return EvmConfig.of(ledger.rpc != null ? ledger.rpc : cfg.rpc(),
        ledger.chainId != null ? ledger.chainId : cfg.chainId(), cfg.contracts());
  }

  /** The statement against the gate's policy, read at the latest block. */
  static Precheck evmPrecheck(LedgerOptions ledger, GateStatement st, Duration validity, Instant now, String policy)
      throws LedgerException {
    EvmConfig c = evm(ledger);
    try (EvmGate gate = EvmGate.connect(c)) {
      Bytes32 fact = st.fact(gate.domain());
      if (gate.isFactUsed(fact)) {
        return new Precheck(fact, true, 0);
      }
      // validity counts on the chain's clock (the latest block), which may lag the wall clock
      long chainNow = gate.latestTimestamp();
      long until = chainNow + validity.getSeconds();
      if (st.expiresAt() != 0) {
        until = Math.min(until, st.expiresAt());
      }
      if (st.chainId() != c.chainId()) {
        throw refused("the bundle was proved for chain id " + st.chainId() + "; this gate is on chain " + c.chainId()
            + " (WrongChain)", "Prove again with --chain-id " + c.chainId() + ".");
      }
      EvmGate.Policy p = gate.policy(st.policyId());
      String setIt = "Set the policy (policy admin): ./veridict eligibility policy --policy " + policy
          + " --model MODEL_DIR --threshold T --ledger evm";
      if (p.isUnknown()) {
        throw refused("policy '" + policy + "' is not set on the gate (UnknownPolicy)", setIt);
      }
      if (!p.ruleSet()) {
        throw refused("policy '" + policy + "' has model " + ProofRecords.hex(p.modelCommitment())
            + " bound but no threshold rule (PolicyRuleNotSet)", setIt);
      }
      if (!p.modelCommitment().equals(st.modelCommitment())) {
        throw refused("the proof is for model " + ProofRecords.hex(st.modelCommitment()) + "; policy '" + policy
            + "' requires model " + ProofRecords.hex(p.modelCommitment()) + " (ModelMismatch)");
      }
      if (!p.airId().equals(st.airId())) {
        throw refused("the proof's circuit " + ProofRecords.hex(st.airId()) + " is not the registered circuit "
            + ProofRecords.hex(p.airId()) + " of policy '" + policy + "' (AirIdMismatch)");
      }
      if (p.direction() != st.direction() || p.thresholdBits() != st.thresholdBits()
          || p.circuitThreshold() != st.circuitThreshold()) {
        throw refused("the proof's threshold rule (" + rule(st.direction(), st.thresholdBits(), st.circuitThreshold())
            + ") is not policy '" + policy + "''s (" + rule(p.direction(), p.thresholdBits(), p.circuitThreshold())
            + ") (ThresholdRuleMismatch)", "Prove again with the policy's threshold.");
      }
      if (!gate.isModelActive(st.modelCommitment())) {
        throw refused("model " + ProofRecords.hex(st.modelCommitment()) + " is deprecated (ModelNotActive)");
      }
      long held = gate.heldSince(st.borrower(), st.policyId());
      if (held != 0) {
        throw refused(st.borrower() + " is on hold under '" + policy + "' since " + Instant.ofEpochSecond(held)
            + ": its eligibility was revoked (GrantsOnHold)",
            "A policy admin lifts the hold: ./veridict eligibility reinstate --subject " + st.borrower() + " --policy "
                + policy + " --reason TEXT --ledger evm");
      }
      if (validity.getSeconds() > p.maxValiditySeconds()) {
        throw refused("--valid-for " + validity.toDays() + "d is longer than policy '" + policy + "' allows ("
            + Duration.ofSeconds(p.maxValiditySeconds()).toDays() + " days) (ValidityTooLong)",
            "Pass a shorter --valid-for.");
      }
      return new Precheck(fact, false, until);
    }
  }

  /** The statement against the local or XRPL ledger's history ({@link EligibilityRules}). */
  static Precheck ledgerPrecheck(LedgerAnchor l, LedgerOptions ledger, LedgerEntry.EligibilityGrant grant, Instant now,
      String policy) throws LedgerException {
    EligibilityDomain domain = EligibilityDomain.ledger(l.info().networkId());
    Bytes32 fact = grant.statement().fact(domain);
    List<Anchored> history = AuditCommand.history(l);
    Optional<String> r = EligibilityRules.refusal(history, grant, ledger.contextChainId(), domain, now);
    if (r.isEmpty()) {
      return new Precheck(fact, false, grant.validUntilEpochSeconds());
    }
    String why = r.get();
    if (why.startsWith("FactAlreadyUsed")) {
      return new Precheck(fact, true, 0);
    }
    if (why.startsWith("WrongChain")) {
      throw refused("the bundle was proved for chain id " + grant.statement().chainId() + "; the " + ledger.kind
          + " ledger has none (WrongChain)", "Prove again with --chain-id 0 for this ledger.");
    }
    if (why.startsWith("GrantsOnHold")) {
      throw refused(why, "Lift the hold: ./veridict eligibility reinstate --subject " + grant.subject() + " --policy "
          + policy + " --reason TEXT");
    }
    if (why.startsWith("ModelNotActive") && why.contains("not registered")) {
      throw refused(why, "Register the model first: ./veridict model register MODEL_DIR");
    }
    throw refused(why);
  }

  /** The statement was granted before: exit 0 if its grant is the current one and counts, else 1. */
  static Cli.Result alreadyGranted(LedgerAnchor l, GateStatement st, Bytes32 fact, String policy, Instant now)
      throws LedgerException {
    EligibilityStatus cur = l.eligibility(st.borrower(), st.policyId(), now);
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("status", "FINAL");
    o.put("subject", st.borrower());
    o.put("policy", policy);
    o.put("policy_id", ProofRecords.hex(st.policyId()));
    o.put("fact", ProofRecords.hex(fact));
    o.put("valid_until", cur.validUntilEpochSeconds());
    o.put("already_granted", true);
    if (cur.eligible() && cur.fact().equals(fact)) {
      o.put("detail", "already granted; nothing sent");
      return new Cli.Result(Cli.OK, o, "already granted: " + st.borrower() + " is eligible under '" + policy
          + "' until " + Instant.ofEpochSecond(cur.validUntilEpochSeconds()) + " by this bundle (fact "
          + ProofRecords.hex(fact) + "); nothing sent");
    }
    throw new Cli.Failure(Cli.REJECTED, "this bundle was granted before (fact " + ProofRecords.hex(fact)
        + ") and that grant no longer counts (revoked, superseded or expired); a statement is recorded once",
        "A new decision needs a new proof.", "Nothing was sent to the ledger.");
  }

  static String rule(int direction, long thresholdBits, long circuitThreshold) {
    return (direction == 0 ? "at-least " : "at-most ") + Double.longBitsToDouble(thresholdBits) + ", circuit threshold "
        + circuitThreshold;
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
          Instant now = Instant.now();
          EligibilityStatus st = l.eligibility(r.subject(), r.policyId(), now);
          long held = heldSince(ledger, l, r.subject(), r.policyId());
          ObjectNode o = Cli.JSON.createObjectNode();
          o.put("subject", r.subject());
          o.put("policy_id", ProofRecords.hex(r.policyId()));
          if (st.equals(EligibilityStatus.NONE) && held == 0) {
            throw new Cli.Failure(Cli.REJECTED, "nothing to revoke: " + r.subject() + " was never granted under '"
                + policy + "'", "Nothing was sent to the ledger.");
          }
          if (held != 0 && !st.eligible()) {
            o.put("status", "FINAL");
            o.put("already_revoked", true);
            o.put("held_since", held);
            o.put("detail", "already revoked; nothing sent");
            return Cli.emit(spec, json, new Cli.Result(Cli.OK, o, "already revoked: " + r.subject() + " under '"
                + policy + "' is on hold" + (held > 0 ? " since " + Instant.ofEpochSecond(held) : "")
                + " (no grant counts until 'eligibility reinstate'); nothing sent"));
          }
          Submissions.Outcome out = Submissions.submit(ledger, l, r,
              "revoke:" + r.subject() + ":" + ProofRecords.hex(r.policyId()) + ":" + System.nanoTime());
          ObjectNode oo = out.toJson();
          oo.setAll(o);
          oo.put("already_revoked", false);
          return Cli.emit(spec, json, new Cli.Result(out.exitCode(), oo, (out.exitCode() == Cli.OK
              ? "eligibility revoked: " + r.subject() + " under '" + policy + "'; on hold until reinstated\n"
              : "revocation of " + r.subject() + " under '" + policy + "' not done:\n") + out.text()));
        }
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }
  }

  /**
   * Since when (unix seconds) (subject, policy) is on hold after a revocation: the gate's {@code
   * heldSince} on an EVM; on the local and XRPL ledgers, from their history ({@code -1}: on hold,
   * time not tracked); 0 when not on hold.
   */
  static long heldSince(LedgerOptions ledger, LedgerAnchor l, String subject, Bytes32 policyId) throws LedgerException {
    if (ledger.kind.equals("evm")) {
      try (EvmGate gate = EvmGate.connect(evm(ledger))) {
        return gate.heldSince(subject, policyId);
      }
    }
    return EligibilityRules.isHeld(AuditCommand.history(l), subject, policyId, ledger.contextChainId(),
        EligibilityDomain.ledger(l.info().networkId())) ? -1 : 0;
  }

  @Command(
      name = "reinstate",
      mixinStandardHelpOptions = true,
      description = {"Lift the hold a revocation put on a subject under a policy, so that a new grant can count again "
          + "(the revoked grant stays revoked). On an EVM ledger only the gate's policy admin can."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:reinstated (final), or not on hold (nothing sent)", "2:usage error",
          "5:ledger error (see the message)", "6:submitted but not final within --timeout (run again to resume)"},
      footer = {"", "Example:",
          "  ./veridict eligibility reinstate --subject 0x00000000000000000000000000000000000a11ce --policy credit-policy-v1 --reason 'review cleared'"})
  static final class Reinstate implements Callable<Integer> {
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
        LedgerEntry.EligibilityReinstatement r;
        try {
          r = new LedgerEntry.EligibilityReinstatement(subject, ProofRecords.policyId(policy), reason);
        } catch (IllegalArgumentException e) {
          throw Cli.usage(e.getMessage());
        }
        try (LedgerAnchor l = ledger.open()) {
          long held = heldSince(ledger, l, r.subject(), r.policyId());
          if (held == 0) {
            ObjectNode o = Cli.JSON.createObjectNode();
            o.put("status", "FINAL");
            o.put("subject", r.subject());
            o.put("policy_id", ProofRecords.hex(r.policyId()));
            o.put("detail", "not on hold; nothing sent");
            return Cli.emit(spec, json, new Cli.Result(Cli.OK, o, "not on hold: " + r.subject() + " under '" + policy
                + "' has no revocation to lift; nothing sent"));
          }
          Submissions.Outcome out = Submissions.submit(ledger, l, r,
              "reinstate:" + r.subject() + ":" + ProofRecords.hex(r.policyId()) + ":" + System.nanoTime());
          ObjectNode o = out.toJson();
          o.put("subject", r.subject());
          o.put("policy_id", ProofRecords.hex(r.policyId()));
          return Cli.emit(spec, json, new Cli.Result(out.exitCode(), o,
              "eligibility reinstated: " + r.subject() + " under '" + policy + "' (a new grant can count again)\n"
                  + out.text()));
        }
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }
  }

  @Command(
      name = "policy",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {"EVM: set what a policy accepts on the EligibilityGate: proofs of this model version (its "
          + "circuit), under exactly this threshold rule, each grant valid for at most --max-validity. Needs the "
          + "gate's policy-admin role. The circuit threshold is computed from the model's public architecture.",
          "The local and XRPL ledgers have no policy registry: there the lender's CLI checks nothing of the kind."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:set (final on the ledger)", "2:usage error (not an EVM ledger, bad model file or threshold)",
          "5:ledger error (e.g. the model is not registered, or the key lacks the role)"},
      footer = {"", "Example:",
          "  ./veridict eligibility policy --policy credit-policy-v1 --model models/german --threshold 0.5 --ledger evm"})
  static final class PolicyCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "POLICY", description = "the policy id")
    String policy;

    @Option(names = "--model", required = true, paramLabel = "DIR",
        description = "the registered model version (its directory or model.public.json)")
    Path model;

    @Option(names = "--threshold", required = true, paramLabel = "T",
        description = "the decision threshold, in the model's prediction units (as 'prove --threshold')")
    double threshold;

    @Option(names = "--direction", defaultValue = "at-least", paramLabel = "DIR",
        description = "at-least (default) or at-most")
    String direction;

    @Option(names = "--max-validity", defaultValue = "30d", paramLabel = "DURATION",
        description = "the longest grant under the policy (default 30d; at most 366d)")
    String maxValidity;

    @Mixin LedgerOptions ledger;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        return Cli.emit(spec, json, set(ledger, policy, model, threshold, direction, maxValidity));
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }

    static Cli.Result set(LedgerOptions ledger, String policy, Path model, double threshold, String direction,
        String maxValidity) throws LedgerException {
      Path file = Files.isDirectory(model) ? model.resolve(Cli.PUBLIC_FILE) : model;
      byte[] bytes = Cli.read(file, 1 << 22, "public model file");
      ModelDescription d;
      try {
        d = ModelDescription.fromJson(Cli.JSON.readTree(bytes), file.getFileName().toString());
        d.checkAirId();
        d.checkCommitment();
      } catch (IOException | IllegalArgumentException e) {
        throw Cli.usage("cannot make the policy rule: " + Cli.firstLine(String.valueOf(e.getMessage())));
      }
      return set(ledger, policy, d, threshold, direction, maxValidity);
    }

    /** {@link #set(LedgerOptions, String, Path, double, String, String)} for a description already checked. */
    static Cli.Result set(LedgerOptions ledger, String policy, ModelDescription d, double threshold, String direction,
        String maxValidity) throws LedgerException {
      if (!ledger.kind.equals("evm")) {
        throw Cli.usage("policies are set on the EVM EligibilityGate only (--ledger evm); the " + ledger.kind
            + " ledger has no policy registry");
      }
      Policy rule;
      long circuitThreshold;
      try {
        rule = new Policy(threshold, Policy.Direction.fromId(direction));
        circuitThreshold = rule.circuitThreshold(d.architecture());
      } catch (IllegalArgumentException e) {
        throw Cli.usage("cannot make the policy rule: " + Cli.firstLine(String.valueOf(e.getMessage())));
      }
      long max = duration(maxValidity).getSeconds();
      if (max > EligibilityRules.MAX_VALIDITY_SECONDS) {
        throw Cli.usage("--max-validity is at most 366d, got " + maxValidity);
      }
      EvmConfig c = evm(ledger);
      Bytes32 pid = ProofRecords.policyId(policy);
      Bytes32 commitment = Bytes32.fromHex(d.modelCommitment());
      int dir = rule.direction() == Policy.Direction.AT_LEAST ? GateStatement.AT_LEAST : GateStatement.AT_MOST;
      EvmDeployer.setPolicy(c.rpc(), c.chainId(), ledger.key(ledger.evmConfig().keyFile()), c.contracts(), pid,
          new EvmDeployer.PolicyRule(commitment, dir, Double.doubleToLongBits(threshold), circuitThreshold, max));
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("status", "FINAL");
      o.put("policy", policy);
      o.put("policy_id", ProofRecords.hex(pid));
      o.put("model_commitment", ProofRecords.hex(commitment));
      o.put("air_id", "0x" + d.airId());
      o.put("direction", rule.direction().id());
      o.put("threshold", threshold);
      o.put("circuit_threshold", circuitThreshold);
      o.put("max_validity_seconds", max);
      return new Cli.Result(Cli.OK, o, "policy '" + policy + "' set on the gate: model " + ProofRecords.hex(commitment)
          + ", " + rule.direction().id() + " " + threshold + " (circuit threshold " + circuitThreshold
          + "), grants of at most " + Duration.ofSeconds(max).toDays() + " days");
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
