package io.veridict.chain;

import java.util.Objects;

/**
 * The answer to "is this subject eligible under this policy now?", the same triple as the {@code
 * EligibilityGate.isEligible(borrower, policyId)} contract call.
 *
 * @param eligible true if an unrevoked, unexpired grant exists
 * @param validUntilEpochSeconds the expiry of the latest grant, or 0 if there is none
 * @param fact the latest grant's fact, or {@link Bytes32#ZERO} if there is none
 */
public record EligibilityStatus(boolean eligible, long validUntilEpochSeconds, Bytes32 fact) {
  /** No grant at all. */
  public static final EligibilityStatus NONE = new EligibilityStatus(false, 0, Bytes32.ZERO);

  public EligibilityStatus {
    Objects.requireNonNull(fact, "fact");
    if (eligible && fact.isZero()) {
      throw new IllegalArgumentException("an eligible status needs a non-zero fact");
    }
  }
}
