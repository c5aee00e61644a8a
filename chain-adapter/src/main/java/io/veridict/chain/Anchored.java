package io.veridict.chain;

import java.time.Instant;
import java.util.Objects;

/**
 * A ledger entry as found on the ledger, with where it landed.
 *
 * @param entry what was written
 * @param txHash the transaction that wrote it
 * @param height block number (EVM), ledger index (XRPL) or record index (local)
 * @param position order within that height (EVM log index, XRPL transaction index, 0 for local),
 *     so that ({@code height}, {@code position}) is the ledger order
 * @param timestamp the block/ledger close time (local: the append time)
 * @param isFinal whether it is final by the adapter's rule (confirmation depth, validated ledger)
 * @param writer who wrote it, as the ledger names it: on an EVM the account the contract's event
 *     names (registrar, submitter, verifier, admin), on XRPL the sending account, on the local
 *     ledger {@code ed25519:} + the signing key; empty when unknown
 */
public record Anchored(
    LedgerEntry entry, Bytes32 txHash, long height, long position, Instant timestamp,
    boolean isFinal, String writer) {
  /** An entry whose writer is not known. */
  public Anchored(LedgerEntry entry, Bytes32 txHash, long height, long position, Instant timestamp,
      boolean isFinal) {
    this(entry, txHash, height, position, timestamp, isFinal, "");
  }

  public Anchored {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(writer, "writer");
    if (height < 0 || position < 0) {
      throw new IllegalArgumentException(
          "height and position must be non-negative, got " + height + "/" + position);
    }
  }
}
