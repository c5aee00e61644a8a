package io.veridict.chain;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * What can be written to a ledger: the closed set of Veridict ledger entries. Every
 * implementation of {@link LedgerAnchor} accepts all six kinds (on an EVM they are calls to the
 * {@code ProofAnchor}, {@code ModelRegistry} and {@code EligibilityGate} contracts; on XRPL and the
 * local ledger they are self-describing records).
 *
 * <p>No personal data goes on a ledger: a batch anchor carries a Merkle root of proof records, a
 * grant carries a pseudonymous address and a statement of commitments (digests), never features or
 * scores.
 *
 * <p>All records are immutable and validated at construction; strings are bounded so that every
 * entry fits an XRPL memo (see {@link #MAX_TEXT_BYTES}).
 */
public sealed interface LedgerEntry {

  /** Upper bound on the UTF-8 length of the free-text fields (metadata URI, reasons). */
  int MAX_TEXT_BYTES = 256;

  /** A short, stable name of the entry kind ({@code "anchor"}, {@code "model"}, ...). */
  String kind();

  /**
   * A Merkle root over {@code leafCount} proof records (see {@link MerkleBatch}).
   *
   * @param root the OpenZeppelin-compatible Merkle root
   * @param leafCount number of proof records in the batch, at least 1
   * @param metaHash digest of off-chain batch metadata (e.g. where the bundles are stored); may be
   *     {@link Bytes32#ZERO}
   */
  record BatchAnchor(Bytes32 root, int leafCount, Bytes32 metaHash) implements LedgerEntry {
    public BatchAnchor {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(metaHash, "metaHash");
      if (leafCount < 1) {
        throw new IllegalArgumentException("leafCount must be at least 1, got " + leafCount);
      }
    }

    @Override
    public String kind() {
      return "anchor";
    }
  }

  /**
   * Registers a model version. Registrations are never deleted, only deprecated.
   *
   * @param modelCommitment the salted RPO-256 commitment to the quantized parameters
   * @param airId the identity of the compiled decision circuit
   * @param metadataHash digest of the model's public metadata
   * @param metadataUri where the metadata can be fetched; at most {@link #MAX_TEXT_BYTES} UTF-8
   *     bytes, may be empty
   */
  record ModelRegistration(
      Bytes32 modelCommitment, Bytes32 airId, Bytes32 metadataHash, String metadataUri)
      implements LedgerEntry {
    public ModelRegistration {
      Objects.requireNonNull(modelCommitment, "modelCommitment");
      Objects.requireNonNull(airId, "airId");
      Objects.requireNonNull(metadataHash, "metadataHash");
      checkText("metadataUri", metadataUri);
    }

    @Override
    public String kind() {
      return "model";
    }
  }

  /** Marks a registered model version as no longer acceptable, with a human-readable reason. */
  record ModelDeprecation(Bytes32 modelCommitment, String reason) implements LedgerEntry {
    public ModelDeprecation {
      Objects.requireNonNull(modelCommitment, "modelCommitment");
      checkText("reason", reason);
    }

    @Override
    public String kind() {
      return "deprecate";
    }
  }

  /**
   * Records that the statement's borrower is eligible under its policy until a time, after a
   * lender's verifier service accepted a proof of {@code statement}. The entry carries the whole
   * public statement, never a caller-supplied digest: the ledger computes the grant's fact from it
   * ({@link GateStatement#fact}), and refuses (EVM) or ignores (local, XRPL) a statement its rules
   * do not accept (see {@code docs/ledger.md}, "Eligibility rules").
   *
   * @param statement the verified public statement
   * @param validUntilEpochSeconds expiry, seconds since the Unix epoch, positive
   */
  record EligibilityGrant(GateStatement statement, long validUntilEpochSeconds) implements LedgerEntry {
    public EligibilityGrant {
      Objects.requireNonNull(statement, "statement");
      if (validUntilEpochSeconds <= 0) {
        throw new IllegalArgumentException(
            "validUntilEpochSeconds must be positive, got " + validUntilEpochSeconds);
      }
    }

    /** The borrower (lowercase address). */
    public String subject() {
      return statement.borrower();
    }

    /** The policy. */
    public Bytes32 policyId() {
      return statement.policyId();
    }

    @Override
    public String kind() {
      return "grant";
    }
  }

  /**
   * Lifts the hold a revocation put on (subject, policy): later grants are accepted again. On the
   * EVM only the gate's policy admin can send it.
   */
  record EligibilityReinstatement(String subject, Bytes32 policyId, String reason) implements LedgerEntry {
    public EligibilityReinstatement {
      subject = normaliseAddress(subject);
      Objects.requireNonNull(policyId, "policyId");
      checkText("reason", reason);
    }

    @Override
    public String kind() {
      return "reinstate";
    }
  }

  /**
   * Revokes the current eligibility grant (it stays in the history) and puts (subject, policy) on
   * hold: no later grant counts until an {@link EligibilityReinstatement}.
   */
  record EligibilityRevocation(String subject, Bytes32 policyId, String reason)
      implements LedgerEntry {
    public EligibilityRevocation {
      subject = normaliseAddress(subject);
      Objects.requireNonNull(policyId, "policyId");
      checkText("reason", reason);
    }

    @Override
    public String kind() {
      return "revoke";
    }
  }

  /**
   * Validates a 20-byte hex address ({@code 0x} + 40 hex digits, any case) and returns it in
   * lowercase. Lowercase (not EIP-55 checksum case) so that equal addresses are equal strings.
   *
   * @throws IllegalArgumentException with the bad value and the rule
   */
  static String normaliseAddress(String address) {
    Objects.requireNonNull(address, "subject");
    if (!Checks.ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "subject must be a 20-byte address, 0x followed by 40 hex digits, got '"
              + (address.length() > 60 ? address.substring(0, 57) + "..." : address)
              + "'");
    }
    return address.toLowerCase(Locale.ROOT);
  }

  private static void checkText(String name, String text) {
    Objects.requireNonNull(text, name);
    int len = text.getBytes(StandardCharsets.UTF_8).length;
    if (len > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException(
          name + " is " + len + " UTF-8 bytes; at most " + MAX_TEXT_BYTES + " are allowed");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new IllegalArgumentException(name + " must not contain control characters");
      }
    }
  }
}
