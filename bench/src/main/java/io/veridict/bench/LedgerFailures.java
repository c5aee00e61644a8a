package io.veridict.bench;

import io.veridict.chain.LedgerException;

/** Turns a {@link LedgerException} into exit code 5 with what to do about it. */
final class LedgerFailures {
  /** Exit code: the ledger refused, failed or could not be reached. */
  static final int LEDGER = 5;

  private LedgerFailures() {}

  static Cli.Failure of(LedgerException e) {
    String hint = switch (e.reason()) {
      case UNREACHABLE -> "Is the node running and is --rpc right? Nothing was sent; run the command again.";
      case TIMEOUT -> "The node did not answer in time. Pending anchors stay in the outbox; run the command again to resume.";
      case BAD_RESPONSE -> "The node answered something unexpected; check it is the right kind of node.";
      case WRONG_CHAIN -> "The node is another network than the configuration says; check --rpc / --chain-id.";
      case INSUFFICIENT_FUNDS -> "Fund the signing account (see 'ledger info') and run the command again.";
      case NONCE_CONFLICT -> "Another transaction used this key's nonce/sequence; run the command again.";
      case FEE_TOO_HIGH -> "Fees are above the configured cap; try later.";
      case UNAUTHORIZED -> "The signing key lacks the role for this operation on the contracts.";
      case CORRUPT_LEDGER -> "Run './veridict audit' to see where the ledger was altered.";
      case LOCKED -> "Another veridict process holds the ledger; wait for it to finish.";
      default -> "See docs/cli.md (exit code 5).";
    };
    // Some adapters already start their message with the reason: say it once.
    String m = e.getMessage() == null ? "" : e.getMessage();
    String prefix = e.reason() + ": ";
    return new Cli.Failure(LEDGER, "ledger " + prefix + (m.startsWith(prefix) ? m.substring(prefix.length()) : m), hint);
  }
}
