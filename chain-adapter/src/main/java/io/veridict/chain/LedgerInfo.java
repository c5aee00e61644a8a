package io.veridict.chain;

import java.util.Objects;

/**
 * What a ledger says about itself.
 *
 * @param kind local, EVM or XRPL
 * @param networkId the network a transaction is bound to: the EVM chain id in decimal, the XRPL
 *     network id in decimal ({@code "0"} for mainnet and networks without one), or the local
 *     ledger's id ({@code local:} + 64 hex digits)
 * @param account the address that signs this adapter's transactions
 * @param headHeight the latest block / ledger index / record count seen
 * @param finalHeight the latest final height (EVM: head minus confirmation depth; XRPL: the
 *     validated ledger index; local: equal to {@code headHeight})
 */
public record LedgerInfo(
    LedgerKind kind, String networkId, String account, long headHeight, long finalHeight) {
  public LedgerInfo {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(networkId, "networkId");
    Objects.requireNonNull(account, "account");
  }
}
