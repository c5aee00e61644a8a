package io.veridict.model;

import java.util.Objects;

/**
 * What a proof is for, so it cannot be replayed elsewhere: the ledger (chain id), the subject (e.g.
 * the borrower's address), the lender's policy id, a nonce, and an expiry. All bound into the
 * proof's public inputs (through {@link DecisionStatement#contextDigest()}).
 *
 * @param chainId the ledger/chain id (0 = none)
 * @param subject who the decision is about (an address or opaque id; never personal data)
 * @param policyId the lender's policy identifier
 * @param nonce a unique value per decision
 * @param expiresAt expiry as Unix seconds (0 = no expiry)
 */
public record Context(long chainId, String subject, String policyId, String nonce, long expiresAt) {
  public static final int MAX_FIELD_LENGTH = 256;

  public Context {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(nonce, "nonce");
    for (String s : new String[] {subject, policyId, nonce}) {
      if (s.length() > MAX_FIELD_LENGTH) {
        throw new IllegalArgumentException("context fields are at most " + MAX_FIELD_LENGTH + " characters");
      }
    }
    if (chainId < 0 || expiresAt < 0) {
      throw new IllegalArgumentException("chain id and expiry must be >= 0");
    }
  }
}
