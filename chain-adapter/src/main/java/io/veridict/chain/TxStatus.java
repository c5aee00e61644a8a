package io.veridict.chain;

import java.util.Objects;

/**
 * Where a prepared transaction stands. The lifecycle is
 *
 * <pre>
 *   PENDING ──▶ INCLUDED ──▶ FINAL
 *      │            │
 *      ├──▶ FAILED  └──▶ REORGED (back to PENDING once resubmitted)
 *      └──▶ EXPIRED
 * </pre>
 *
 * <p>Only {@link Final} means the entry is on the ledger for good: on an EVM chain a receipt with
 * status 1 at the configured confirmation depth, on XRPL a result in a <em>validated</em> ledger,
 * on the local ledger a durable (fsync'd) append. {@link Expired} means the transaction can
 * <em>never</em> be included any more (its {@code LastLedgerSequence} passed), so preparing a new
 * one cannot create a duplicate. {@link Pending} after a timeout is <em>not</em> a failure: look
 * the transaction up again before doing anything else.
 */
public sealed interface TxStatus {

  /** The lifecycle states, for switches, logs and storage. */
  enum State {
    PENDING,
    INCLUDED,
    FINAL,
    FAILED,
    EXPIRED,
    REORGED
  }

  /** This status's state. */
  State state();

  /** True for states that will not change any more ({@link Final}, {@link Failed}, {@link Expired}). */
  default boolean isTerminal() {
    return switch (state()) {
      case FINAL, FAILED, EXPIRED -> true;
      case PENDING, INCLUDED, REORGED -> false;
    };
  }

  /**
   * Not (yet) in a block or ledger.
   *
   * @param known whether the node knows the transaction at all (in its pool/queue); {@code false}
   *     means it was never received or has been dropped, so resubmitting the same bytes is the
   *     right move
   * @param detail a short explanation (e.g. {@code "terQUEUED"}, {@code "not found"})
   */
  record Pending(boolean known, String detail) implements TxStatus {
    public Pending {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public State state() {
      return State.PENDING;
    }
  }

  /**
   * In a block or ledger that is not final yet.
   *
   * @param height block number or ledger index
   * @param confirmations blocks on top of it, including its own (1 = just mined)
   * @param required confirmations needed for {@link Final}
   */
  record Included(long height, long confirmations, long required) implements TxStatus {
    @Override
    public State state() {
      return State.INCLUDED;
    }
  }

  /**
   * On the ledger for good.
   *
   * @param height block number or ledger index
   * @param confirmations confirmations when observed (1 for XRPL validated ledgers and local)
   */
  record Final(long height, long confirmations) implements TxStatus {
    @Override
    public State state() {
      return State.FINAL;
    }
  }

  /**
   * Included or rejected with an error: it will not take effect.
   *
   * @param code the ledger's own code (e.g. {@code "tecNO_PERMISSION"}, {@code "reverted"})
   * @param reason a human-readable explanation
   * @param height where it was included, or {@code -1} if it was rejected before inclusion
   */
  record Failed(String code, String reason, long height) implements TxStatus {
    public Failed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public State state() {
      return State.FAILED;
    }
  }

  /**
   * Can never be included: the validated ledger passed the transaction's last valid height
   * without it.
   *
   * @param lastValidHeight the transaction's {@code LastLedgerSequence}
   * @param validatedHeight the validated ledger index that proves it
   */
  record Expired(long lastValidHeight, long validatedHeight) implements TxStatus {
    @Override
    public State state() {
      return State.EXPIRED;
    }
  }

  /**
   * Was included in a block that is no longer on the canonical chain; the same signed bytes may
   * be resubmitted.
   *
   * @param formerHeight the height it was seen at
   * @param detail what was observed (e.g. the block hash that changed)
   */
  record Reorged(long formerHeight, String detail) implements TxStatus {
    public Reorged {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public State state() {
      return State.REORGED;
    }
  }
}
