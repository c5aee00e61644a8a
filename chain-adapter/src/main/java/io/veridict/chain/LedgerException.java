package io.veridict.chain;

import java.util.Objects;

/**
 * A ledger operation did not succeed, for a reason from a closed set. Checked, because every
 * caller must decide what to do: retry later ({@link Reason#UNREACHABLE}, {@link Reason#TIMEOUT}),
 * fix configuration ({@link Reason#WRONG_CHAIN}, {@link Reason#INSUFFICIENT_FUNDS}) or stop
 * ({@link Reason#CORRUPT_LEDGER}). A bug in the adapter is an unchecked exception instead.
 *
 * <p>The message names the operation, the bad value and the rule, never a key.
 */
public final class LedgerException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a ledger operation failed. */
  public enum Reason {
    /** The node could not be reached (connection refused, DNS, TLS). Nothing was sent. */
    UNREACHABLE(true),
    /** The node did not answer in time. The request may or may not have taken effect. */
    TIMEOUT(true),
    /** The node answered with something that is not a valid response for the method. */
    BAD_RESPONSE(true),
    /** The ledger refused the transaction outright (malformed, bad signature, not permitted). */
    REJECTED(false),
    /** The signing account cannot pay the fee or the reserve. */
    INSUFFICIENT_FUNDS(false),
    /** The node or the transaction belongs to another network / chain id / local ledger. */
    WRONG_CHAIN(false),
    /** The sequence/nonce was used by another transaction of the same key ({@code tefPAST_SEQ}, "nonce too low"). */
    NONCE_CONFLICT(false),
    /** The network fee is above the configured cap. */
    FEE_TOO_HIGH(true),
    /** The transaction can no longer be included ({@code tefMAX_LEDGER}, LastLedgerSequence passed). */
    EXPIRED(false),
    /** The entry does not fit the ledger (e.g. an XRPL memo over 1 KB). */
    ENTRY_TOO_LARGE(false),
    /** This ledger cannot hold this kind of entry (e.g. no contract address configured). */
    UNSUPPORTED(false),
    /** The caller lacks the role/permission the contract requires. */
    UNAUTHORIZED(false),
    /** The stored ledger failed verification (hash chain, signature, framing). */
    CORRUPT_LEDGER(false),
    /** Another process holds the ledger/outbox lock and did not release it in time. */
    LOCKED(true),
    /** Reading or writing local storage failed (disk full, permissions). */
    STORAGE(true),
    /** The key could not be read or is malformed. */
    BAD_KEY(false);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether retrying the same operation later can succeed without changing anything. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;

  /** A failure with a reason and a message that explains it. */
  public LedgerException(Reason reason, String message) {
    super(reason + ": " + Objects.requireNonNull(message, "message"));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** A failure caused by a lower-level exception. */
  public LedgerException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the operation failed. */
  public Reason reason() {
    return reason;
  }
}
