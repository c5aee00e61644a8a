package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.MerkleBatch;
import io.veridict.chain.ProofRecord;
import io.veridict.chain.Cursor;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerInfo;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ProofBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code veridict audit}: what a regulator runs. Reads every Veridict entry on a ledger (model
 * registrations and deprecations, batch anchors, eligibility grants and revocations), checks the
 * ledger's own integrity where it can (the local ledger's hash chain), and for every anchored batch
 * finds its manifest and bundles, checks the manifest against the anchored meta hash, each bundle
 * against its record, each record's inclusion proof against the root, that the model was
 * registered on the ledger, and re-verifies every STARK proof. Exit 0 only if everything holds.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Audit a ledger: list its model registrations, anchors and eligibility entries, and re-verify every "
            + "anchored proof from the bundles in --bundles (manifest hash, bundle digest, Merkle inclusion, "
            + "model registered, STARK proof). Prints a report; --report FILE also writes it as JSON."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every anchored record verified and the ledger is intact",
        "1:something failed (listed: which record, why), or the ledger was tampered with", "2:usage error",
        "5:ledger error"},
    footer = {"", "Examples:",
        "  ./veridict audit --bundles out/bundles",
        "  ./veridict audit --ledger evm --bundles out/bundles --report audit.json --json"})
final class AuditCommand implements Callable<Integer> {
  static final int PAGE = 500;
  static final int MAX_ENTRIES = 1_000_000;

  @Option(names = "--bundles", paramLabel = "DIR", arity = "1..*",
      description = "directories holding the bundles and batch manifests (default: the current directory)")
  List<Path> bundleDirs;

  @Option(names = "--report", paramLabel = "FILE", description = "also write the report as JSON to FILE")
  Path report;

  @Mixin LedgerOptions ledger;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  record Problem(String where, String what) {}

  @Override
  public Integer call() {
    try {
      return Cli.emit(spec, json, audit(ledger, bundleDirs == null ? List.of(Path.of(".")) : bundleDirs, report));
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    } catch (LedgerException e) {
      return Cli.report(spec, LedgerFailures.of(e));
    }
  }

  /**
   * Rebuilds the trail from the ledger and re-verifies every anchored record against the manifests
   * in {@code dirs}: exit 0 all verified, 1 problems (listed in the result).
   *
   * @param report also write the JSON report there (null: no file)
   * @throws Cli.Failure exit 2 for a directory that is not one
   */
  static Cli.Result audit(LedgerOptions ledger, List<Path> dirs, Path report) throws LedgerException {
    return audit(ledger, dirs, report, DecisionVerifier.standard());
  }

  /** {@link #audit(LedgerOptions, List, Path)} with {@code verifier} (the service's, with its circuit cache). */
  static Cli.Result audit(LedgerOptions ledger, List<Path> dirs, Path report, DecisionVerifier verifier)
      throws LedgerException {
    long t0 = System.nanoTime();
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        throw Cli.usage("--bundles " + d + " is not a directory");
      }
    }
    List<Problem> problems = new ArrayList<>();
    List<Anchored> entries = new ArrayList<>();
    LedgerInfo info;
    if (ledger.kind.equals("local")) {
      LocalLedgers.integrity(ledger.localDir()).ifPresent(problems::add);
      if (!problems.isEmpty()) {
        // A tampered file cannot be opened (the ledger refuses to build on it): report where.
        return report(ledger, report, null, List.of(), problems, t0, Map.of(), Map.of(), 0, 0, 0, 0, 0, Cli.JSON.createArrayNode(),
            0, Cli.JSON.createArrayNode(), "");
      }
    }
    try (LedgerAnchor l = ledger.open()) {
      info = l.info();
      entries.addAll(history(l));
    }

    // Registrations first: which model commitments the ledger knows, and when each was deprecated.
    Map<Bytes32, Anchored> registered = new HashMap<>();
    Map<Bytes32, Anchored> deprecated = new HashMap<>();
    int anchors = 0;
    int grants = 0;
    int revocations = 0;
    int reinstatements = 0;
    for (Anchored a : entries) {
      switch (a.entry()) {
        case LedgerEntry.ModelRegistration r -> registered.putIfAbsent(r.modelCommitment(), a);
        case LedgerEntry.ModelDeprecation d -> deprecated.putIfAbsent(d.modelCommitment(), a);
        case LedgerEntry.BatchAnchor b -> anchors++;
        case LedgerEntry.EligibilityGrant g -> grants++;
        case LedgerEntry.EligibilityRevocation r -> revocations++;
        case LedgerEntry.EligibilityReinstatement r -> reinstatements++;
      }
    }
    // Every eligibility entry with every field the ledger holds: which model, circuit and threshold
    // rule each grant used, who wrote it, and the fact the ledger computed for it.
    io.veridict.chain.EligibilityDomain domain = ledger.kind.equals("evm")
        ? io.veridict.chain.EligibilityDomain.evm(EligibilityCommand.evm(ledger).chainId(),
            EligibilityCommand.evm(ledger).contracts().eligibilityGate())
        : io.veridict.chain.EligibilityDomain.ledger(info.networkId());
    ArrayNode eligibility = Cli.JSON.createArrayNode();
    StringBuilder grantLines = new StringBuilder();
    int listed = 0;
    for (Anchored a : entries) {
      ObjectNode e;
      String line;
      switch (a.entry()) {
        case LedgerEntry.EligibilityGrant g -> {
          io.veridict.chain.GateStatement st = g.statement();
          e = eligibility.addObject().put("kind", "grant");
          e.put("subject", st.borrower()).put("policy_id", ProofRecords.hex(st.policyId()))
              .put("fact", ProofRecords.hex(st.fact(domain)))
              .put("model_commitment", ProofRecords.hex(st.modelCommitment()))
              .put("model_registered", registered.containsKey(st.modelCommitment()))
              .put("air_id", ProofRecords.hex(st.airId()))
              .put("input_commitment", ProofRecords.hex(st.inputCommitment()))
              .put("direction", st.direction() == 0 ? "at-least" : "at-most")
              .put("threshold", Double.longBitsToDouble(st.thresholdBits()))
              .put("circuit_threshold", st.circuitThreshold())
              .put("decision", st.decision()).put("chain_id", st.chainId())
              .put("nonce_hash", ProofRecords.hex(st.nonceHash())).put("expires_at", st.expiresAt())
              .put("valid_until", g.validUntilEpochSeconds());
          line = "grant     " + st.borrower() + " under " + ProofRecords.hex(st.policyId()) + ": model "
              + ProofRecords.hex(st.modelCommitment()) + (registered.containsKey(st.modelCommitment()) ? "" : " (NOT registered)")
              + ", " + EligibilityCommand.rule(st.direction(), st.thresholdBits(), st.circuitThreshold())
              + ", until " + java.time.Instant.ofEpochSecond(g.validUntilEpochSeconds());
          if (!registered.containsKey(st.modelCommitment())) {
            problems.add(new Problem("grant at height " + a.height() + " (tx " + ProofRecords.hex(a.txHash()) + ")",
                "model " + ProofRecords.hex(st.modelCommitment()) + " is not registered on this ledger"));
          }
        }
        case LedgerEntry.EligibilityRevocation r -> {
          e = eligibility.addObject().put("kind", "revoke").put("subject", r.subject())
              .put("policy_id", ProofRecords.hex(r.policyId())).put("reason", r.reason());
          line = "revoke    " + r.subject() + " under " + ProofRecords.hex(r.policyId()) + " (on hold): " + r.reason();
        }
        case LedgerEntry.EligibilityReinstatement r -> {
          e = eligibility.addObject().put("kind", "reinstate").put("subject", r.subject())
              .put("policy_id", ProofRecords.hex(r.policyId())).put("reason", r.reason());
          line = "reinstate " + r.subject() + " under " + ProofRecords.hex(r.policyId()) + ": " + r.reason();
        }
        default -> {
          continue;
        }
      }
      e.put("writer", a.writer()).put("height", a.height()).put("tx_hash", ProofRecords.hex(a.txHash()))
          .put("final", a.isFinal());
      if (listed++ < 20) {
        grantLines.append("\n    ").append(line).append(a.writer().isEmpty() ? "" : ", by " + a.writer());
      }
    }
    if (listed > 20) {
      grantLines.append("\n    ... ").append(listed - 20).append(" more in the JSON report");
    }

    Map<Bytes32, Path> manifests = findManifests(dirs);
    int records = 0;
    int verified = 0;
    ArrayNode batches = Cli.JSON.createArrayNode();
    for (Anchored a : entries) {
      if (!(a.entry() instanceof LedgerEntry.BatchAnchor b)) {
        continue;
      }
      String where = "anchor " + ProofRecords.hex(b.root()) + " (height " + a.height() + ", tx " + ProofRecords.hex(a.txHash()) + ")";
      ObjectNode bj = batches.addObject();
      bj.put("root", ProofRecords.hex(b.root()));
      bj.put("records", b.leafCount());
      bj.put("height", a.height());
      bj.put("tx_hash", ProofRecords.hex(a.txHash()));
      bj.put("final", a.isFinal());
      records += b.leafCount();
      Path mf = manifests.get(b.root());
      if (mf == null) {
        problems.add(new Problem(where, "no batch manifest for this root in " + dirs + ": its " + b.leafCount()
            + " record(s) cannot be checked"));
        bj.put("verified", 0);
        continue;
      }
      bj.put("manifest", mf.toString());
      int ok = auditBatch(b, a, mf, where, registered, deprecated, verifier, problems);
      verified += ok;
      bj.put("verified", ok);
    }

    return report(ledger, report, info, entries, problems, t0, registered, deprecated, anchors, records, verified, grants, revocations,
        batches, reinstatements, eligibility, grantLines.toString());
  }

  private static Cli.Result report(LedgerOptions ledger, Path report, LedgerInfo info, List<Anchored> entries, List<Problem> problems, long t0,
      Map<Bytes32, Anchored> registered, Map<Bytes32, Anchored> deprecated, int anchors, int records, int verified,
      int grants, int revocations, ArrayNode batches, int reinstatements, ArrayNode eligibility, String eligibilityLines) {
    boolean allOk = problems.isEmpty();
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("ledger", info == null ? ledger.kind : info.kind().name().toLowerCase(java.util.Locale.ROOT));
    o.put("network_id", info == null ? "" : info.networkId());
    o.put("head_height", info == null ? -1 : info.headHeight());
    o.put("entries", entries.size());
    o.put("models_registered", registered.size());
    o.put("models_deprecated", deprecated.size());
    o.put("anchors", anchors);
    o.put("records", records);
    o.put("records_verified", verified);
    o.put("eligibility_grants", grants);
    o.put("eligibility_revocations", revocations);
    o.put("eligibility_reinstatements", reinstatements);
    o.set("eligibility", eligibility);
    o.put("all_verified", allOk);
    ArrayNode pj = o.putArray("problems");
    for (Problem p : problems) {
      pj.addObject().put("where", p.where()).put("what", p.what());
    }
    o.set("batches", batches);
    o.put("audit_ms", Math.round((System.nanoTime() - t0) / 1e6));
    if (report != null) {
      try {
        Cli.writeAtomically(report, Cli.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o), false);
      } catch (IOException e) {
        throw Cli.usage("cannot write the report " + report + ": " + e.getMessage());
      }
    }
    StringBuilder sb = new StringBuilder();
    {
      sb.append("audit of the ").append(o.get("ledger").asText()).append(" ledger ")
          .append(info == null ? ledger.localDir().toString() : info.networkId() + " (head " + info.headHeight() + ")")
          .append('\n');
      sb.append("  entries            ").append(entries.size()).append('\n');
      sb.append("  models registered  ").append(registered.size()).append(" (deprecated ")
          .append(deprecated.size()).append(")\n");
      sb.append("  anchors            ").append(anchors).append(" holding ").append(records).append(" record(s)\n");
      sb.append("  records verified   ").append(verified).append(" of ").append(records).append('\n');
      sb.append("  eligibility        ").append(grants).append(" grant(s), ").append(revocations)
          .append(" revocation(s)").append(reinstatements > 0 ? ", " + reinstatements + " reinstatement(s)" : "")
          .append(eligibilityLines).append('\n');
      if (allOk) {
        sb.append("result: ALL VERIFIED");
      } else {
        sb.append("result: ").append(problems.size()).append(" PROBLEM(S)");
        for (Problem p : problems) {
          sb.append("\n  - ").append(p.where()).append(": ").append(p.what());
        }
      }
      if (report != null) {
        sb.append("\nreport: ").append(report);
      }
    }
    return new Cli.Result(allOk ? Cli.OK : Cli.REJECTED, o, sb.toString());
  }

  /** Checks one anchored batch against its manifest; returns how many records verified. */
  private static int auditBatch(LedgerEntry.BatchAnchor b, Anchored a, Path mf, String where,
      Map<Bytes32, Anchored> registered, Map<Bytes32, Anchored> deprecated, DecisionVerifier verifier,
      List<Problem> problems) {
    byte[] manifestBytes;
    JsonNode m;
    try {
      manifestBytes = Files.readAllBytes(mf);
      m = Cli.STRICT_JSON.readTree(manifestBytes);
    } catch (IOException e) {
      problems.add(new Problem(where, "manifest " + mf + " unreadable: " + Cli.firstLine(e.getMessage())));
      return 0;
    }
    if (!b.metaHash().equals(Bytes32.of(ProofRecords.keccak(manifestBytes)))) {
      problems.add(new Problem(where, "manifest " + mf + " was altered: its Keccak-256 is not the anchored meta hash "
          + ProofRecords.hex(b.metaHash())));
      return 0;
    }
    JsonNode recs = m.path("records");
    if (!recs.isArray() || recs.size() != b.leafCount()) {
      problems.add(new Problem(where, "manifest lists " + recs.size() + " records; the anchor says " + b.leafCount()));
      return 0;
    }
    // normalize(): "--bundles ." gives ./batch-x.json, whose parent ends in "." and startsWith fails.
    Path dir = mf.toAbsolutePath().normalize().getParent();
    int ok = 0;
    for (int i = 0; i < recs.size(); i++) {
      JsonNode r = recs.get(i);
      String bundleName = r.path("bundle").asText();
      String rw = where + " record " + i + " (" + bundleName + ")";
      try {
        Path bf = dir.resolve(bundleName).normalize();
        if (!bf.startsWith(dir) || !Files.isRegularFile(bf)) {
          problems.add(new Problem(rw, "bundle file missing"));
          continue;
        }
        if (Files.size(bf) > ProofBundle.MAX_BYTES) {
          problems.add(new Problem(rw, "bundle larger than " + ProofBundle.MAX_BYTES + " bytes"));
          continue;
        }
        byte[] bytes = Files.readAllBytes(bf);
        ProofRecord leaf;
        try {
          leaf = ProofRecords.record(bytes, ProofBundle.fromJsonBytes(bytes));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(rw, "bundle is malformed: " + e.getMessage()));
          continue;
        }
        if (!ProofRecords.hex(leaf.leafHash()).equals(r.path("leaf_hash").asText())) {
          problems.add(new Problem(rw, ProofRecords.hex(leaf.bundleDigest()).equals(r.path("bundle_digest").asText())
              ? "the bundle's record is not the anchored one" : "the bundle was altered after anchoring (digest differs)"));
          continue;
        }
        List<Bytes32> proof = new ArrayList<>();
        for (JsonNode p : r.path("proof")) {
          proof.add(Bytes32.fromHex(p.asText()));
        }
        if (!MerkleBatch.verify(b.root(), leaf.leafHash(), proof)) {
          problems.add(new Problem(rw, "Merkle inclusion proof does not lead to the anchored root"));
          continue;
        }
        Anchored reg = registered.get(leaf.modelCommitment());
        if (reg == null) {
          problems.add(new Problem(rw, "model " + ProofRecords.hex(leaf.modelCommitment()) + " is not registered on this ledger"));
          continue;
        }
        Anchored dep = deprecated.get(leaf.modelCommitment());
        if (dep != null && isBefore(dep, a)) {
          problems.add(new Problem(rw, "model " + ProofRecords.hex(leaf.modelCommitment())
              + " was deprecated (height " + dep.height() + ") before this anchor"));
          continue;
        }
        // Expiry is judged at anchoring time: a proof anchored while valid stays valid evidence.
        verifier.verify(bytes, Optional.of(ProofRecords.hex(leaf.modelCommitment())), a.timestamp());
        ok++;
      } catch (DecisionVerificationException e) {
        problems.add(new Problem(rw, "proof rejected: " + e.reason() + ": " + e.getMessage()));
      } catch (IOException | IllegalArgumentException e) {
        problems.add(new Problem(rw, "cannot check: " + Cli.firstLine(String.valueOf(e.getMessage()))));
      }
    }
    return ok;
  }

  private static boolean isBefore(Anchored x, Anchored y) {
    return x.height() < y.height() || (x.height() == y.height() && x.position() < y.position());
  }

  /** Every {@code batch-*.json} manifest under the directories (one level deep), by root. */
  static Map<Bytes32, Path> findManifests(List<Path> dirs) {
    Map<Bytes32, Path> out = new LinkedHashMap<>();
    for (Path d : dirs) {
      try (Stream<Path> s = Files.list(d)) {
        for (Path f : s.sorted().toList()) {
          String n = f.getFileName().toString();
          if (!n.endsWith(".json") || !Files.isRegularFile(f) || Files.size(f) > (64L << 20)) {
            continue;
          }
          if (!n.startsWith("batch-")) {
            continue;
          }
          try {
            JsonNode m = Cli.STRICT_JSON.readTree(Files.readAllBytes(f));
            if (AnchorCommand.MANIFEST_FORMAT.equals(m.path("format").asText())) {
              out.putIfAbsent(Bytes32.fromHex(m.path("root").asText()), f.toAbsolutePath());
            }
          } catch (IOException | IllegalArgumentException e) {
            // Not a manifest; an anchor without its manifest is reported as such.
          }
        }
      } catch (IOException e) {
        throw Cli.usage("cannot list " + d + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** The ledger's whole final history, oldest first (at most {@link #MAX_ENTRIES} entries). */
  static List<Anchored> history(LedgerAnchor l) throws LedgerException {
    List<Anchored> entries = new ArrayList<>();
    Cursor c = Cursor.START;
    while (true) {
      HistoryPage page = l.history(c, PAGE);
      entries.addAll(page.entries());
      if (page.next().isEmpty() || entries.size() > MAX_ENTRIES) {
        return entries;
      }
      c = page.next().get();
    }
  }
}
