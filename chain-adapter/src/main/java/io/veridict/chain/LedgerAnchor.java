package io.veridict.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The port through which Veridict writes to and reads from a ledger: the embedded {@link
 * LocalLedger}, an EVM chain or the XRP Ledger. No web3j or xrpl4j type appears here.
 *
 * <p>Lifecycle, in the style of XRPL's reliable transaction submission:
 *
 * <ol>
 *   <li>{@link #prepare}: build and sign a transaction and compute its hash locally. Nothing is
 *       sent. The result is stored (e.g. in an {@link AnchorOutbox}) before anything else.
 *   <li>{@link #submit}: send the signed bytes. Idempotent: sending the same {@link PreparedTx}
 *       again never creates a second entry.
 *   <li>{@link #poll} / {@link #awaitFinal}: follow it through {@code PENDING → INCLUDED → FINAL},
 *       or {@code FAILED / EXPIRED / REORGED}.
 *   <li>{@link #find} / {@link #history}: read what is on the ledger, for audits.
 * </ol>
 *
 * <p>Guarantees every implementation gives: a {@link TxStatus.Final} is final by the ledger's own
 * rule (never just "submitted"); a prepared transaction is bound to one network, and submitting it
 * to another fails with {@link LedgerException.Reason#WRONG_CHAIN}; read methods only return
 * well-formed Veridict entries and skip foreign transactions; failures are {@link
 * LedgerException}s with a typed reason, and a node that does not answer within the configured
 * timeout yields {@link LedgerException.Reason#TIMEOUT}, never a hang.
 *
 * <p>Implementations are safe for use by several threads; one instance should own a signing key
 * (one nonce/sequence owner per key).
 */
public interface LedgerAnchor extends AutoCloseable {

  /**
   * Builds and signs a transaction that writes {@code entry}, computing its hash locally. Sends
   * nothing (it may read the node: sequence, fee, current ledger). Each call yields a new
   * transaction (a new sequence/nonce), so call it once per request and keep the result.
   *
   * @throws LedgerException e.g. {@code ENTRY_TOO_LARGE}, {@code FEE_TOO_HIGH}, {@code
   *     UNSUPPORTED}, {@code UNREACHABLE}
   */
  PreparedTx prepare(LedgerEntry entry) throws LedgerException;

  /**
   * Sends the signed bytes. Idempotent: if the ledger already has the transaction (or already
   * queued it), this returns normally. Returning does not mean included; use {@link #poll}.
   *
   * @throws LedgerException {@code WRONG_CHAIN} if {@code tx} was prepared for another network,
   *     {@code NONCE_CONFLICT} if another transaction took its sequence, {@code EXPIRED}, {@code
   *     REJECTED}, {@code INSUFFICIENT_FUNDS}, {@code UNREACHABLE}, {@code TIMEOUT}
   */
  void submit(PreparedTx tx) throws LedgerException;

  /**
   * Looks the transaction up once.
   *
   * @throws LedgerException only if the ledger cannot be asked ({@code UNREACHABLE}, {@code
   *     TIMEOUT}, {@code BAD_RESPONSE}) or {@code WRONG_CHAIN}; an unknown transaction is {@link
   *     TxStatus.Pending} with {@code known == false}, not an exception
   */
  TxStatus poll(PreparedTx tx) throws LedgerException;

  /**
   * Polls until the status is terminal ({@code FINAL}, {@code FAILED}, {@code EXPIRED}) or the
   * timeout passes, and returns the last status seen. Running out of time is <em>not</em> an
   * error: the returned status is then {@code PENDING}, {@code INCLUDED} or {@code REORGED}, and
   * the caller must poll again later rather than prepare a new transaction.
   *
   * @throws LedgerException as for {@link #poll}
   */
  TxStatus awaitFinal(PreparedTx tx, Duration timeout) throws LedgerException;

  /**
   * Finds the batch anchor with Merkle root {@code root}: the first one in ledger order if the
   * same root was anchored more than once.
   */
  Optional<Anchored> find(Bytes32 root) throws LedgerException;

  /**
   * Returns up to {@code limit} Veridict entries (all kinds) starting at {@code cursor}, in ledger
   * order, with where each landed.
   *
   * @param limit 1..1000
   */
  HistoryPage history(Cursor cursor, int limit) throws LedgerException;

  /** Describes the ledger: kind, network id, signing account, heights. */
  LedgerInfo info() throws LedgerException;

  /**
   * Whether {@code subject} is eligible under {@code policyId} at {@code now}: the latest grant
   * for the pair, unless a later revocation exists or it expired ({@code now} at or after {@code
   * validUntil} is expired). Only final entries count.
   *
   * @param subject a 20-byte address, {@code 0x} + 40 hex digits
   */
  EligibilityStatus eligibility(String subject, Bytes32 policyId, Instant now)
      throws LedgerException;

  /** Releases connections, files and locks. Does not throw checked exceptions. */
  @Override
  void close();
}
