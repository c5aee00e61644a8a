package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.chain.AnchorOutbox.State;
import io.veridict.chain.LedgerException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AnchorOutboxTest {
  static final Duration T = Duration.ofSeconds(2);

  @TempDir Path dir;
  LocalLedger local;
  Faulty ledger;

  /** A LedgerAnchor around a LocalLedger that can be told to misbehave in the ways real nodes do. */
  static final class Faulty implements LedgerAnchor {
    final LocalLedger inner;
    int prepares;
    int submits;
    boolean timeoutAfterSubmit;
    int dropFirst;
    boolean notFinalInTime;
    boolean reject;
    final Set<Bytes32> expired = new HashSet<>();

    Faulty(LocalLedger inner) {
      this.inner = inner;
    }

    @Override
    public PreparedTx prepare(LedgerEntry entry) throws LedgerException {
      prepares++;
      return inner.prepare(entry);
    }

    @Override
    public void submit(PreparedTx tx) throws LedgerException {
      submits++;
      if (reject) {
        throw new LedgerException(Reason.REJECTED, "temMALFORMED");
      }
      if (dropFirst > 0) {
        dropFirst--;
        expired.add(tx.txHash());
        return; // accepted, then silently dropped; its last valid height passes
      }
      inner.submit(tx);
      if (timeoutAfterSubmit) {
        timeoutAfterSubmit = false;
        throw new LedgerException(Reason.TIMEOUT, "no answer in 1 s");
      }
    }

    @Override
    public TxStatus poll(PreparedTx tx) throws LedgerException {
      if (expired.contains(tx.txHash())) {
        return new TxStatus.Expired(10, 11);
      }
      return inner.poll(tx);
    }

    @Override
    public TxStatus awaitFinal(PreparedTx tx, Duration timeout) throws LedgerException {
      if (notFinalInTime) {
        notFinalInTime = false;
        return new TxStatus.Pending(true, "queued");
      }
      return expired.contains(tx.txHash()) ? poll(tx) : inner.awaitFinal(tx, timeout);
    }

    @Override
    public Optional<Anchored> find(Bytes32 root) throws LedgerException {
      return inner.find(root);
    }

    @Override
    public HistoryPage history(Cursor cursor, int limit) throws LedgerException {
      return inner.history(cursor, limit);
    }

    @Override
    public LedgerInfo info() throws LedgerException {
      return inner.info();
    }

    @Override
    public EligibilityStatus eligibility(String s, Bytes32 p, Instant now) throws LedgerException {
      return inner.eligibility(s, p, now);
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void setUp() throws LedgerException {
    local = LocalLedger.open(dir.resolve("ledger.jsonl"), LocalLedger.newSeed());
    ledger = new Faulty(local);
  }

  @AfterEach
  void tearDown() {
    local.close();
  }

  AnchorOutbox outbox() throws LedgerException {
    return AnchorOutbox.open(dir.resolve("outbox"), ledger);
  }

  static LedgerEntry.BatchAnchor anchor(int x) {
    return new LedgerEntry.BatchAnchor(LocalLedgerTest.b(x), 2, Bytes32.ZERO);
  }

  long count() throws LedgerException {
    return local.info().headHeight();
  }

  @Test
  void anchor_happyPath_final_andDuplicateRequestIsNotAnchoredTwice() throws Exception {
    AnchorOutbox o = outbox();
    AnchorOutbox.Ticket t = o.anchor(anchor(1), T);
    assertEquals(State.FINAL, t.state());
    assertEquals(1, t.height());
    AnchorOutbox.Ticket again = o.anchor(anchor(1), T);
    assertEquals(t.tx(), again.tx());
    assertEquals(1, ledger.prepares);
    assertEquals(1, count());
    assertThrows(IllegalArgumentException.class,
        () -> o.submit(AnchorOutbox.keyOf(anchor(1)), anchor(2), T));
  }

  @Test
  void timeoutAfterTheLedgerTookIt_resumeFindsIt_noSecondTransaction() throws Exception {
    AnchorOutbox o = outbox();
    ledger.timeoutAfterSubmit = true;
    LedgerException e = assertThrows(LedgerException.class, () -> o.anchor(anchor(1), T));
    assertEquals(Reason.TIMEOUT, e.reason());
    assertEquals(State.PREPARED, o.ticket(AnchorOutbox.keyOf(anchor(1))).orElseThrow().state());
    AnchorOutbox.Ticket t = o.anchor(anchor(1), T);
    assertEquals(State.FINAL, t.state());
    assertEquals(1, ledger.prepares);
    assertEquals(1, ledger.submits, "the ledger already had it: looked up, not resent");
    assertEquals(1, count());
  }

  @Test
  void droppedAndExpired_isRepreparedOnce_andTheOldHashIsRecorded() throws Exception {
    ledger.dropFirst = 1;
    AnchorOutbox.Ticket t = outbox().anchor(anchor(2), T);
    assertEquals(State.FINAL, t.state());
    assertEquals(1, t.supersededTxHashes().size());
    assertEquals(2, ledger.prepares);
    assertEquals(1, count());
  }

  @Test
  void alwaysExpiring_givesUpAfterMaxAttempts() throws Exception {
    ledger.dropFirst = Integer.MAX_VALUE;
    AnchorOutbox.Ticket t = outbox().anchor(anchor(1), T);
    assertEquals(State.FAILED, t.state());
    assertEquals(AnchorOutbox.MAX_ATTEMPTS, ledger.prepares);
    assertEquals(0, count());
  }

  @Test
  void notFinalInTime_staysSubmitted_resumeAllFinishes() throws Exception {
    AnchorOutbox o = outbox();
    ledger.notFinalInTime = true;
    AnchorOutbox.Ticket t = o.anchor(anchor(1), T);
    assertEquals(State.SUBMITTED, t.state());
    List<AnchorOutbox.Ticket> resumed = o.resumeAll(T);
    assertEquals(1, resumed.size());
    assertEquals(State.FINAL, resumed.get(0).state());
    assertEquals(1, ledger.prepares);
    assertEquals(1, count());
    assertEquals(List.of(), o.resumeAll(T));
  }

  @Test
  void rejected_isFailed_terminal() throws Exception {
    AnchorOutbox o = outbox();
    ledger.reject = true;
    AnchorOutbox.Ticket t = o.anchor(anchor(1), T);
    assertEquals(State.FAILED, t.state());
    assertTrue(t.detail().contains("temMALFORMED"));
    assertEquals(State.FAILED, o.anchor(anchor(1), T).state());
    assertEquals(1, ledger.submits);
  }

  @Test
  void rootAlreadyOnTheLedger_isNotAnchoredAgain() throws Exception {
    local.submit(local.prepare(anchor(1)));
    AnchorOutbox.Ticket t = outbox().anchor(anchor(1), T);
    assertEquals(State.FINAL, t.state());
    assertEquals(0, ledger.submits);
    assertEquals(1, count());
  }

  @Test
  void sameRequestFromManyThreads_andTwoOutboxInstances_anchorsOnce() throws Exception {
    AnchorOutbox o1 = outbox();
    AnchorOutbox o2 = outbox();
    java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(6);
    List<java.util.concurrent.Future<AnchorOutbox.Ticket>> fs = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      AnchorOutbox o = i % 2 == 0 ? o1 : o2;
      fs.add(ex.submit(() -> o.anchor(anchor(1), T)));
    }
    Set<Bytes32> txs = new HashSet<>();
    for (var f : fs) {
      AnchorOutbox.Ticket t = f.get();
      assertEquals(State.FINAL, t.state());
      txs.add(t.tx().txHash());
    }
    ex.shutdown();
    assertEquals(1, txs.size());
    assertEquals(1, count());
  }

  @Test
  void corruptTicket_isTypedError() throws Exception {
    AnchorOutbox o = outbox();
    o.anchor(anchor(1), T);
    try (var s = Files.list(dir.resolve("outbox"))) {
      Path ticket = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      Files.writeString(ticket, "{\"v\":1}");
    }
    assertEquals(Reason.CORRUPT_LEDGER,
        assertThrows(LedgerException.class, () -> o.anchor(anchor(1), T)).reason());
  }
}
