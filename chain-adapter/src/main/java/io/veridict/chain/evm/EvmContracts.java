package io.veridict.chain.evm;

import io.veridict.chain.LedgerEntry;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the Veridict contracts live on one chain.
 *
 * @param modelRegistry the {@code ModelRegistry} address
 * @param proofAnchor the {@code ProofAnchor} address
 * @param eligibilityGate the {@code EligibilityGate} address
 * @param lendingPool the example {@code LendingPool}, if one was deployed
 * @param deployBlock the block the contracts were deployed in: log scans start there
 */
public record EvmContracts(
    String modelRegistry,
    String proofAnchor,
    String eligibilityGate,
    Optional<String> lendingPool,
    long deployBlock) {
  public EvmContracts {
    modelRegistry = LedgerEntry.normaliseAddress(modelRegistry);
    proofAnchor = LedgerEntry.normaliseAddress(proofAnchor);
    eligibilityGate = LedgerEntry.normaliseAddress(eligibilityGate);
    Objects.requireNonNull(lendingPool, "lendingPool");
    lendingPool = lendingPool.map(LedgerEntry::normaliseAddress);
    if (deployBlock < 0) {
      throw new IllegalArgumentException("deployBlock must be >= 0, got " + deployBlock);
    }
  }
}
