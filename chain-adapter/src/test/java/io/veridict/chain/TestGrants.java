package io.veridict.chain;

/** Statements and grants for the adapter tests. */
public final class TestGrants {
  /** The model tests register before granting (local and XRPL count grants of registered models only). */
  public static final Bytes32 MODEL = Bytes32.fromHex("4d".repeat(32));
  /** Its circuit. */
  public static final Bytes32 AIR = Bytes32.fromHex("a1".repeat(32));

  private TestGrants() {}

  /** The registration of {@link #MODEL}. */
  public static LedgerEntry.ModelRegistration registration() {
    return new LedgerEntry.ModelRegistration(MODEL, AIR, Bytes32.ZERO, "");
  }

  /** An approving statement of {@link #MODEL} for {@code borrower}; {@code nonce} makes it unique. */
  public static GateStatement statement(String borrower, Bytes32 policy, long chainId, int nonce) {
    return statement(borrower, policy, MODEL, AIR, chainId, nonce);
  }

  public static GateStatement statement(String borrower, Bytes32 policy, Bytes32 model, Bytes32 air, long chainId,
      int nonce) {
    return new GateStatement(GateStatement.VERSION, air, model, GateStatement.nonceHashOf("input-" + nonce), GateStatement.AT_LEAST,
        Double.doubleToLongBits(0.5), 7_411, true, chainId, borrower, policy,
        GateStatement.nonceHashOf("nonce-" + nonce), 0);
  }

  /** A grant of {@link #statement} on a ledger without chain id (local, XRPL). */
  public static LedgerEntry.EligibilityGrant grant(String borrower, Bytes32 policy, int nonce, long validUntil) {
    return new LedgerEntry.EligibilityGrant(statement(borrower, policy, 0, nonce), validUntil);
  }
}
