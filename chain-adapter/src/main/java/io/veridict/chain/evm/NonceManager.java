package io.veridict.chain.evm;

import io.veridict.chain.LedgerException;

/**
 * The single owner of one key's nonces in this process (REFERENCES pitfall 17). Hands out
 * consecutive nonces starting from the node's pending count; never goes backwards on its own
 * (prepared-but-unsent transactions hold their nonces), but follows the chain forward when
 * another sender used the key, and forgets its counter after a "nonce too low" ({@link #resync}).
 */
final class NonceManager {
  /** Reads the node's pending transaction count for the key. */
  @FunctionalInterface
  interface PendingCount {
    long get() throws LedgerException;
  }

  private final PendingCount pending;
  private long next = -1;

  NonceManager(PendingCount pending) {
    this.pending = pending;
  }

  /** The next nonce: max(local counter, node's pending count). */
  synchronized long allocate() throws LedgerException {
    long chain = pending.get();
    long n = Math.max(next, chain);
    next = n + 1;
    return n;
  }

  /** Drops the local counter; the next allocation trusts the node alone. */
  synchronized void resync() {
    next = -1;
  }
}
