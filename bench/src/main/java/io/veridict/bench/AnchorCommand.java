package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.Bytes32;
import io.veridict.chain.MerkleBatch;
import io.veridict.chain.ProofRecord;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ProofBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code veridict anchor BUNDLE|DIR ...}: verifies decision bundles, batches their proof records
 * into an OpenZeppelin-compatible Merkle tree, writes the batch manifest (every record with its
 * inclusion proof) and anchors the root on the ledger through the durable outbox.
 */
@Command(
    name = "anchor",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Anchor decision bundles on a ledger: verify each bundle, build a Merkle tree of their proof records "
            + "(OpenZeppelin StandardMerkleTree leaves), write a batch manifest with every record's inclusion proof "
            + "next to the bundles, and write the root (with the record count and the manifest's Keccak-256) to the "
            + "ledger. Nothing personal goes on the ledger.",
        "The request is persisted in an outbox before anything is sent: run the same command again after a "
            + "crash or timeout and it resumes the same transaction; it never anchors a batch twice."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:anchored (final on the ledger)", "1:a bundle does not verify (nothing was anchored)",
        "2:usage error", "5:ledger error; 6:submitted but not final within --timeout (run again to resume)"},
    footer = {"", "Examples:",
        "  ./veridict anchor out/bundles",
        "  ./veridict anchor a.bundle.json b.bundle.json --ledger evm --json"})
final class AnchorCommand implements Callable<Integer> {
  /** The batch manifest format written next to the bundles. */
  static final String MANIFEST_FORMAT = "veridict-batch";
  static final int MAX_BATCH = 100_000;

  @Parameters(arity = "1..*", paramLabel = "BUNDLE|DIR",
      description = "bundle files, or directories whose *bundle*.json files are anchored")
  List<Path> inputs;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "where to write the batch manifest (default: batch-<root>.json in the first bundle's directory)")
  Path manifest;

  @Option(names = "--expect-model", paramLabel = "COMMITMENT",
      description = "every bundle must be for this (registered) model commitment")
  String expectModel;

  @Mixin LedgerOptions ledger;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return Cli.emit(spec, json, anchor(ledger, inputs, manifest, Optional.ofNullable(expectModel)));
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    } catch (LedgerException e) {
      return Cli.report(spec, LedgerFailures.of(e));
    }
  }

  /**
   * Verifies every bundle, writes the batch manifest and anchors the root (resuming the outbox's
   * transaction for the same root). Exit 0 final, 6 submitted but not final, 5 the ledger failed.
   *
   * @param manifest where the manifest goes; null: {@code batch-<root>.json} beside the first bundle
   * @throws Cli.Failure exit 1 (a bundle does not verify: nothing anchored) or 2
   */
  static Cli.Result anchor(LedgerOptions ledger, List<Path> inputs, Path manifest, Optional<String> expectModel)
      throws LedgerException {
    List<Path> files = bundleFiles(inputs);
    if (files.isEmpty()) {
      throw Cli.usage("no bundles found in " + inputs, "Give bundle files or directories holding *bundle*.json files.");
    }
    if (files.size() > MAX_BATCH) {
      throw Cli.usage(files.size() + " bundles; at most " + MAX_BATCH + " per batch");
    }
    // Verify everything first: an invalid proof never reaches the ledger.
    DecisionVerifier verifier = DecisionVerifier.standard();
    Instant now = Instant.now();
    List<ProofRecord> leaves = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes = Cli.read(f, ProofBundle.MAX_BYTES, "bundle");
      try {
        verifier.verify(bytes, expectModel, now);
        leaves.add(ProofRecords.record(bytes, ProofBundle.fromJsonBytes(bytes)));
      } catch (DecisionVerificationException e) {
        failures.add(f + ": " + e.reason() + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new Cli.Failure(Cli.REJECTED, failures.size() + " of " + files.size()
          + " bundles do not verify; nothing was anchored:\n  " + String.join("\n  ", failures));
    }
    MerkleBatch tree;
    try {
      tree = MerkleBatch.ofRecords(leaves);
    } catch (io.veridict.chain.BatchException e) {
      throw Cli.usage("cannot build the batch: " + e.getMessage());
    }
    Bytes32 root = tree.root();
    Path manifestFile = manifest != null ? manifest
        : files.get(0).toAbsolutePath().getParent().resolve("batch-" + ProofRecords.hex(root).substring(2, 18) + ".json");
    byte[] manifestBytes = manifestBytes(root, files, leaves, tree, manifestFile.toAbsolutePath().getParent());
    try {
      if (!Files.exists(manifestFile) || !java.util.Arrays.equals(Files.readAllBytes(manifestFile), manifestBytes)) {
        Cli.writeAtomically(manifestFile, manifestBytes, false);
      }
    } catch (IOException e) {
      throw Cli.usage("cannot write the manifest " + manifestFile + ": " + e.getMessage());
    }
    Bytes32 metaHash = Bytes32.of(ProofRecords.keccak(manifestBytes));
    LedgerEntry.BatchAnchor entry = new LedgerEntry.BatchAnchor(root, leaves.size(), metaHash);
    try (LedgerAnchor l = ledger.open()) {
      Submissions.Outcome out = Submissions.submit(ledger, l, entry, "anchor:" + ProofRecords.hex(root));
      ObjectNode o = out.toJson();
      o.put("root", ProofRecords.hex(root));
      o.put("records", leaves.size());
      o.put("meta_hash", ProofRecords.hex(metaHash));
      o.put("manifest", manifestFile.toString());
      return new Cli.Result(out.exitCode(), o, "anchored " + leaves.size() + " proof record(s)\n"
          + "  root      " + ProofRecords.hex(root) + "\n"
          + "  manifest  " + manifestFile + " (Keccak-256 " + ProofRecords.hex(metaHash) + ")\n" + out.text());
    }
  }

  /**
   * Bundle files in a stable order: files as given, directories' {@code *bundle*.json} (not {@code
   * *.opening.json}) sorted by name.
   */
  static List<Path> bundleFiles(List<Path> inputs) {
    List<Path> out = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().contains("bundle")
                  && f.getFileName().toString().endsWith(".json")
                  && !f.getFileName().toString().endsWith(".opening.json")) // applicants' openings: never anchored
              .sorted().forEach(out::add);
        } catch (IOException e) {
          throw Cli.usage("cannot list " + p + ": " + e.getMessage());
        }
      } else {
        Cli.checkReadable(p, "bundle");
        out.add(p);
      }
    }
    return out.stream().map(Path::toAbsolutePath).map(Path::normalize).distinct().toList();
  }

  /**
   * The manifest: what an auditor needs to tie each bundle to the anchored root. Deterministic for
   * the same bundles (so a re-run writes the same bytes and the same meta hash).
   */
  static byte[] manifestBytes(Bytes32 root, List<Path> files, List<ProofRecord> leaves, MerkleBatch tree,
      Path manifestDir) {
    ObjectNode m = Cli.JSON.createObjectNode();
    m.put("format", MANIFEST_FORMAT);
    m.put("version", 1);
    m.put("root", ProofRecords.hex(root));
    m.put("leaf_encoding", "bytes32 bundleDigest, bytes32 modelCommitment, bytes32 inputCommitment, bytes32 airId, "
        + "bytes32 policyId, address subject");
    m.put("leaf_count", leaves.size());
    ArrayNode recs = m.putArray("records");
    for (int i = 0; i < leaves.size(); i++) {
      ProofRecord leaf = leaves.get(i);
      ObjectNode r = recs.addObject();
      Path f = files.get(i);
      r.put("bundle", manifestDir.relativize(f).toString());
      r.put("bundle_digest", ProofRecords.hex(leaf.bundleDigest()));
      r.put("model_commitment", ProofRecords.hex(leaf.modelCommitment()));
      r.put("input_commitment", ProofRecords.hex(leaf.inputCommitment()));
      r.put("air_id", ProofRecords.hex(leaf.airId()));
      r.put("policy_id", ProofRecords.hex(leaf.policyId()));
      r.put("subject", leaf.subject());
      r.put("leaf_hash", ProofRecords.hex(leaf.leafHash()));
      ArrayNode proof = r.putArray("proof");
      for (Bytes32 p : tree.proof(i)) {
        proof.add(ProofRecords.hex(p));
      }
    }
    try {
      return Cli.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
