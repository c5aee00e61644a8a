package io.veridict.chain;

import java.util.Objects;

/**
 * A batch of proof records could not be built into a {@link MerkleBatch}, for a reason from a
 * closed set. Checked, like {@link LedgerException}: an empty or oversized batch is an input the
 * caller must handle, not a bug.
 */
public final class BatchException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a batch was refused. */
  public enum Reason {
    /** No records: a Merkle tree needs at least one leaf (OpenZeppelin refuses too). */
    EMPTY,
    /** More records than {@link MerkleBatch#MAX_LEAVES}. */
    TOO_LARGE,
    /** A leaf encoding is malformed (e.g. not a whole number of 32-byte ABI words). */
    MALFORMED_LEAF
  }

  private final Reason reason;

  public BatchException(Reason reason, String message) {
    super(reason + ": " + Objects.requireNonNull(message, "message"));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the batch was refused. */
  public Reason reason() {
    return reason;
  }
}
