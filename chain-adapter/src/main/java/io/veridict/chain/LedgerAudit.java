package io.veridict.chain;

import java.util.Objects;

/**
 * The result of auditing a {@link LocalLedger} file: either the whole hash chain is intact, or
 * the first place where it is not, with the 1-based line number, the height that line should
 * have had and a typed {@link Problem}.
 *
 * <p>What an audit can and cannot prove: an edited, deleted, inserted or reordered line, a bad
 * signature, a foreign transaction or a torn (partially written) last line are always found.
 * Removing lines from the <em>end</em> leaves a shorter but valid chain; that is only detected
 * against a {@link Checkpoint} remembered from earlier (e.g. a height and head hash anchored
 * elsewhere, or kept by the outbox).
 */
public sealed interface LedgerAudit {

  /** What is wrong, in the order the checks run on each line. */
  enum Problem {
    /** A line is longer than {@link LocalLedger#MAX_LINE_BYTES}; reading stops there. */
    LINE_TOO_LONG,
    /** The last line has no terminating newline: an append was cut short (crash, full disk). */
    TORN_TAIL,
    /** Not JSON, a missing/extra/mistyped field, or not in canonical form. */
    MALFORMED,
    /** The first line is not a valid genesis record. */
    BAD_GENESIS,
    /** A line's height is not the previous height + 1: a line was deleted, inserted or moved. */
    HEIGHT_GAP,
    /** A line's {@code prev} is not the previous line's hash. */
    BROKEN_LINK,
    /** A line's {@code hash} is not the hash of its content: the line was edited. */
    HASH_MISMATCH,
    /** The block signature or the transaction signature does not verify. */
    BAD_SIGNATURE,
    /** A transaction was signed for another ledger (another {@code local:} network id). */
    WRONG_NETWORK,
    /** The same transaction appears twice. */
    DUPLICATE_TX,
    /** The chain is shorter than, or differs at, a remembered {@link Checkpoint}. */
    TRUNCATED
  }

  /** Number of entries (heights 1..n) that verified before any problem. */
  long intactEntries();

  /**
   * A remembered head: the ledger had {@code height} entries and the hash of line {@code height}
   * was {@code hash}.
   */
  record Checkpoint(long height, Bytes32 hash) {
    public Checkpoint {
      Objects.requireNonNull(hash, "hash");
      if (height < 0) {
        throw new IllegalArgumentException("height must be non-negative, got " + height);
      }
    }
  }

  /**
   * Every line verified.
   *
   * @param networkId the ledger's id ({@code local:} + 64 hex digits)
   * @param intactEntries number of entries
   * @param head the hash of the last line (the genesis hash for an empty ledger)
   */
  record Intact(String networkId, long intactEntries, Bytes32 head) implements LedgerAudit {
    public Intact {
      Objects.requireNonNull(networkId, "networkId");
      Objects.requireNonNull(head, "head");
    }
  }

  /**
   * The first problem found.
   *
   * @param problem what is wrong
   * @param lineNumber the 1-based line of the file (line 1 is the genesis record)
   * @param height the height expected at that line ({@code lineNumber - 1})
   * @param detail a human-readable explanation
   * @param intactEntries entries before that line that verified
   */
  record Tampered(Problem problem, long lineNumber, long height, String detail, long intactEntries)
      implements LedgerAudit {
    public Tampered {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
