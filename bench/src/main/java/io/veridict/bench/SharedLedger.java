package io.veridict.bench;

import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.EligibilityStatus;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerInfo;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One long-lived adapter for a remote ledger (EVM, XRPL), shared by every request of the HTTP
 * service. An adapter owns its signing account's nonces or sequences in this process, so a second
 * one opened at the same time is refused ({@code LOCKED} on EVM, an exception on XRPL): with an
 * adapter per request, any unauthenticated read (readiness, an eligibility query) could make a
 * concurrent ledger write fail. The adapters are thread-safe; this hands out handles whose {@code
 * close()} does nothing, and {@link #close()} closes the adapter itself.
 *
 * <p>Opened lazily: a node that is down at start makes the first request fail, not the start; the
 * next request tries again.
 */
final class SharedLedger implements AutoCloseable {
  private final LedgerOptions options;
  private LedgerAnchor anchor;
  private boolean closed;

  SharedLedger(LedgerOptions options) {
    this.options = options;
  }

  /** The shared adapter, opened on first use; closing the handle leaves it open. */
  synchronized LedgerAnchor handle() throws LedgerException {
    if (closed) {
      throw new LedgerException(LedgerException.Reason.UNREACHABLE, "the service is shutting down");
    }
    if (anchor == null) {
      anchor = options.openUnshared();
    }
    return new Handle(anchor);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (anchor != null) {
      anchor.close();
      anchor = null;
    }
  }

  /** Delegates everything but {@code close()}. */
  private record Handle(LedgerAnchor a) implements LedgerAnchor {
    @Override
    public PreparedTx prepare(LedgerEntry entry) throws LedgerException {
      return a.prepare(entry);
    }

    @Override
    public void submit(PreparedTx tx) throws LedgerException {
      a.submit(tx);
    }

    @Override
    public TxStatus poll(PreparedTx tx) throws LedgerException {
      return a.poll(tx);
    }

    @Override
    public TxStatus awaitFinal(PreparedTx tx, Duration timeout) throws LedgerException {
      return a.awaitFinal(tx, timeout);
    }

    @Override
    public Optional<Anchored> find(Bytes32 root) throws LedgerException {
      return a.find(root);
    }

    @Override
    public HistoryPage history(Cursor cursor, int limit) throws LedgerException {
      return a.history(cursor, limit);
    }

    @Override
    public LedgerInfo info() throws LedgerException {
      return a.info();
    }

    @Override
    public EligibilityStatus eligibility(String subject, Bytes32 policyId, Instant now) throws LedgerException {
      return a.eligibility(subject, policyId, now);
    }

    @Override
    public void close() {
      // The shared adapter stays open: SharedLedger.close() closes it.
    }
  }
}
