package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.chain.LedgerAudit.Problem;
import io.veridict.chain.LedgerException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LocalLedgerTest {
  static final byte[] SEED = new byte[32];
  static final String ALICE = "0x00000000000000000000000000000000000000a1";

  static {
    SEED[0] = 7;
  }

  @TempDir Path dir;

  Path file() {
    return dir.resolve("ledger.jsonl");
  }

  static Bytes32 b(int x) {
    byte[] a = new byte[32];
    a[31] = (byte) x;
    a[0] = (byte) (x >> 8);
    return Bytes32.of(a);
  }

  static LedgerEntry.BatchAnchor anchor(int x) {
    return new LedgerEntry.BatchAnchor(b(x), x + 1, b(1000 + x));
  }

  /** A ledger with {@code n} batch anchors (roots b(1)..b(n)). */
  LocalLedger filled(int n) throws LedgerException {
    LocalLedger l = LocalLedger.open(file(), SEED);
    for (int i = 1; i <= n; i++) {
      l.submit(l.prepare(anchor(i)));
    }
    return l;
  }

  @Test
  void lifecycle_prepareSubmitPoll_isFinalImmediately_andIdempotent() throws Exception {
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      PreparedTx tx = l.prepare(anchor(1));
      assertEquals(LedgerKind.LOCAL, tx.kind());
      assertEquals(new TxStatus.Pending(false, "not found"), l.poll(tx));
      l.submit(tx);
      l.submit(tx);
      l.submit(tx);
      assertEquals(new TxStatus.Final(1, 1), l.poll(tx));
      assertEquals(new TxStatus.Final(1, 1), l.awaitFinal(tx, Duration.ofSeconds(1)));
      LedgerInfo info = l.info();
      assertEquals(1, info.headHeight());
      assertEquals(1, info.finalHeight());
      assertTrue(info.networkId().matches("local:[0-9a-f]{64}"));
      Anchored a = l.find(b(1)).orElseThrow();
      assertEquals(anchor(1), a.entry());
      assertEquals(tx.txHash(), a.txHash());
      assertTrue(a.isFinal());
      assertTrue(l.find(b(2)).isEmpty());
    }
    // durable across reopen
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      assertEquals(1, l.info().headHeight());
      assertInstanceOf(LedgerAudit.Intact.class, l.audit());
    }
  }

  @Test
  void prepare_sameEntryTwice_givesTwoTransactions_firstFoundWins() throws Exception {
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      PreparedTx t1 = l.prepare(anchor(5));
      PreparedTx t2 = l.prepare(anchor(5));
      assertFalse(t1.txHash().equals(t2.txHash()));
      l.submit(t1);
      l.submit(t2);
      assertEquals(t1.txHash(), l.find(b(5)).orElseThrow().txHash());
      assertEquals(2, l.info().headHeight());
    }
  }

  @Test
  void history_pagesInOrder_withCursor() throws Exception {
    try (LocalLedger l = filled(7)) {
      List<Anchored> all = new ArrayList<>();
      Cursor c = Cursor.START;
      int pages = 0;
      while (true) {
        HistoryPage p = l.history(c, 3);
        all.addAll(p.entries());
        pages++;
        if (p.next().isEmpty()) {
          break;
        }
        c = p.next().get();
      }
      assertEquals(3, pages);
      assertEquals(7, all.size());
      for (int i = 0; i < 7; i++) {
        assertEquals(i + 1, all.get(i).height());
        assertEquals(anchor(i + 1), all.get(i).entry());
      }
      assertThrows(IllegalArgumentException.class, () -> l.history(new Cursor("x"), 3));
      assertThrows(IllegalArgumentException.class, () -> l.history(Cursor.START, 0));
      assertEquals(0, l.history(new Cursor("99"), 5).entries().size());
    }
  }

  @Test
  void eligibility_latestGrant_revocation_expiry() throws Exception {
    Bytes32 policy = b(77);
    long now = Instant.now().getEpochSecond();
    Instant t = Instant.ofEpochSecond(now + 10);
    long until = now + 3_600;
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      EligibilityDomain domain = EligibilityDomain.ledger(l.info().networkId());
      assertEquals(EligibilityStatus.NONE, l.eligibility(ALICE, policy, t));
      l.submit(l.prepare(TestGrants.registration()));
      LedgerEntry.EligibilityGrant first = TestGrants.grant(ALICE, policy, 1, until);
      l.submit(l.prepare(first));
      Bytes32 fact = first.statement().fact(domain);
      assertEquals(new EligibilityStatus(true, until, fact), l.eligibility(ALICE.toUpperCase().replace("0X", "0x"), policy, t));
      assertFalse(l.eligibility(ALICE, policy, Instant.ofEpochSecond(until)).eligible(), "expiry is exclusive");
      assertEquals(EligibilityStatus.NONE, l.eligibility(ALICE, b(78), t));
      l.submit(l.prepare(new LedgerEntry.EligibilityRevocation(ALICE, policy, "fraud")));
      assertEquals(new EligibilityStatus(false, until, fact), l.eligibility(ALICE, policy, t));
      // revocation floor: another unexpired statement does not re-grant while the pair is on hold
      LedgerEntry.EligibilityGrant second = TestGrants.grant(ALICE, policy, 2, until + 1);
      l.submit(l.prepare(second));
      assertEquals(new EligibilityStatus(false, until, fact), l.eligibility(ALICE, policy, t));
      l.submit(l.prepare(new LedgerEntry.EligibilityReinstatement(ALICE, policy, "cleared")));
      assertFalse(l.eligibility(ALICE, policy, t).eligible(), "reinstating grants nothing by itself");
      LedgerEntry.EligibilityGrant third = TestGrants.grant(ALICE, policy, 3, until + 2);
      l.submit(l.prepare(third));
      assertEquals(new EligibilityStatus(true, until + 2, third.statement().fact(domain)), l.eligibility(ALICE, policy, t));
      // the same statement twice counts once; a deprecated model ends the grant
      l.submit(l.prepare(new LedgerEntry.EligibilityGrant(third.statement(), until + 3)));
      assertEquals(until + 2, l.eligibility(ALICE, policy, t).validUntilEpochSeconds());
      l.submit(l.prepare(new LedgerEntry.ModelDeprecation(TestGrants.MODEL, "drift")));
      assertFalse(l.eligibility(ALICE, policy, t).eligible());
    }
  }

  /** The gate's grant rules on the local ledger: each refused grant is on the ledger but counts for nothing. */
  @Test
  void eligibility_grantsTheGateWouldRefuse_countForNothing() throws Exception {
    Bytes32 policy = b(79);
    long now = Instant.now().getEpochSecond();
    Instant t = Instant.ofEpochSecond(now + 10);
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      String bob = "0x" + "b0".repeat(20);
      // model not registered
      l.submit(l.prepare(TestGrants.grant(bob, policy, 1, now + 3_600)));
      assertFalse(l.eligibility(bob, policy, t).eligible(), "unregistered model");
      l.submit(l.prepare(TestGrants.registration()));
      List<LedgerEntry.EligibilityGrant> refused = List.of(
          new LedgerEntry.EligibilityGrant(TestGrants.statement(bob, policy, 31337, 2), now + 3_600), // chain id
          new LedgerEntry.EligibilityGrant(TestGrants.statement(bob, policy, TestGrants.MODEL, b(9), 0, 3),
              now + 3_600), // airId of another circuit
          TestGrants.grant(bob, policy, 4, Long.MAX_VALUE), // unbounded validity
          TestGrants.grant(bob, policy, 5, now - 1)); // already expired
      for (LedgerEntry.EligibilityGrant g : refused) {
        l.submit(l.prepare(g));
        assertEquals(EligibilityStatus.NONE, l.eligibility(bob, policy, t), g.toString());
      }
      l.submit(l.prepare(TestGrants.grant(bob, policy, 6, now + 3_600)));
      assertTrue(l.eligibility(bob, policy, t).eligible());
    }
  }

  @Test
  void submit_toAnotherLedger_isWrongChain() throws Exception {
    try (LocalLedger a = LocalLedger.open(dir.resolve("a.jsonl"), SEED);
        LocalLedger b = LocalLedger.open(dir.resolve("b.jsonl"), SEED)) {
      PreparedTx tx = a.prepare(anchor(1));
      assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> b.submit(tx)).reason());
      assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> b.poll(tx)).reason());
    }
  }

  @Test
  void submit_tamperedSignedBytes_isRejected() throws Exception {
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      PreparedTx tx = l.prepare(anchor(1));
      byte[] bytes = tx.signedBytes();
      String s = new String(bytes, StandardCharsets.UTF_8).replace("\"count\":2", "\"count\":3");
      byte[] forged = s.getBytes(StandardCharsets.UTF_8);
      PreparedTx bad = new PreparedTx(tx.kind(), tx.networkId(), Bytes32.of(ProofRecord.keccak(forged)),
          forged, tx.sequence(), -1, new LedgerEntry.BatchAnchor(b(1), 3, b(1001)));
      assertEquals(Reason.REJECTED, assertThrows(LedgerException.class, () -> l.submit(bad)).reason());
      PreparedTx wrongHash = new PreparedTx(tx.kind(), tx.networkId(), b(9), bytes, tx.sequence(), -1, tx.entry());
      assertEquals(Reason.REJECTED, assertThrows(LedgerException.class, () -> l.submit(wrongHash)).reason());
      assertEquals(0, l.info().headHeight());
    }
  }

  @Test
  void badSeed_isBadKey() {
    assertEquals(Reason.BAD_KEY,
        assertThrows(LedgerException.class, () -> LocalLedger.open(file(), new byte[31])).reason());
  }

  @Test
  void twoInstances_sameFile_concurrentAppends_allLand_chainIntact() throws Exception {
    byte[] seed2 = LocalLedger.newSeed();
    try (LocalLedger a = LocalLedger.open(file(), SEED);
        LocalLedger b = LocalLedger.open(file(), seed2)) {
      ExecutorService ex = Executors.newFixedThreadPool(4);
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        LocalLedger l = i % 2 == 0 ? a : b;
        int x = i;
        fs.add(ex.submit(() -> {
          l.submit(l.prepare(anchor(x)));
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      ex.shutdown();
      assertEquals(40, a.info().headHeight());
      assertEquals(40, b.info().headHeight());
      for (int i = 1; i <= 40; i++) {
        assertTrue(b.find(b(i)).isPresent());
      }
      assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file()));
    }
  }

  // ------------------------------------------------------------- tampering

  List<String> lines() throws IOException {
    return new ArrayList<>(Files.readAllLines(file(), StandardCharsets.UTF_8));
  }

  void write(List<String> lines) throws IOException {
    Files.writeString(file(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  LedgerAudit.Tampered tampered(Optional<LedgerAudit.Checkpoint> cp) throws LedgerException {
    return assertInstanceOf(LedgerAudit.Tampered.class, LocalLedger.audit(file(), cp));
  }

  void assertOpenFailsCorrupt(long line) {
    LedgerException e = assertThrows(LedgerException.class, () -> LocalLedger.open(file(), SEED));
    assertEquals(Reason.CORRUPT_LEDGER, e.reason());
    assertTrue(e.getMessage().contains("line " + line), e.getMessage());
  }

  @Test
  void audit_intactLedger() throws Exception {
    filled(5).close();
    LedgerAudit.Intact ok = assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file()));
    assertEquals(5, ok.intactEntries());
  }

  @Test
  void audit_editedLine_isHashMismatch_atThatLine() throws Exception {
    filled(5).close();
    List<String> ls = lines();
    // line 4 = height 3 = anchor(3) with count 4
    ls.set(3, ls.get(3).replace("\\\"count\\\":4", "\\\"count\\\":5"));
    write(ls);
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.HASH_MISMATCH, t.problem());
    assertEquals(4, t.lineNumber());
    assertEquals(3, t.height());
    assertEquals(2, t.intactEntries());
    assertOpenFailsCorrupt(4);
  }

  @Test
  void audit_editedLineWithRecomputedHash_isBadSignature() throws Exception {
    filled(3).close();
    List<String> ls = lines();
    // Recompute the hash of an edited line (an attacker without the key can do that much).
    com.fasterxml.jackson.databind.node.ObjectNode n =
        (com.fasterxml.jackson.databind.node.ObjectNode) EntryCodec.JSON.readTree(ls.get(2));
    n.put("time", n.get("time").longValue() + 1);
    com.fasterxml.jackson.databind.node.ObjectNode body = n.deepCopy();
    body.remove(List.of("hash", "signer", "sig"));
    n.put("hash", Bytes32.of(ProofRecord.keccak(body.toString().getBytes(StandardCharsets.UTF_8))).toHex());
    ls.set(2, n.toString());
    write(ls);
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.BAD_SIGNATURE, t.problem());
    assertEquals(3, t.lineNumber());
  }

  @Test
  void audit_deletedLine_isHeightGap() throws Exception {
    filled(5).close();
    List<String> ls = lines();
    ls.remove(2); // height 2
    write(ls);
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.HEIGHT_GAP, t.problem());
    assertEquals(3, t.lineNumber());
    assertEquals(2, t.height());
    assertOpenFailsCorrupt(3);
  }

  @Test
  void audit_reorderedLines_isHeightGap() throws Exception {
    filled(5).close();
    List<String> ls = lines();
    String x = ls.get(3);
    ls.set(3, ls.get(4));
    ls.set(4, x);
    write(ls);
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.HEIGHT_GAP, t.problem());
    assertEquals(4, t.lineNumber());
  }

  @Test
  void audit_lineReplacedFromAnotherLedger_isBrokenLink() throws Exception {
    Path other = dir.resolve("other.jsonl");
    try (LocalLedger o = LocalLedger.open(other, SEED)) {
      o.submit(o.prepare(anchor(1)));
      o.submit(o.prepare(anchor(2)));
    }
    filled(3).close();
    List<String> ls = lines();
    ls.set(2, Files.readAllLines(other).get(2));
    write(ls);
    assertEquals(Problem.BROKEN_LINK, tampered(Optional.empty()).problem());
  }

  @Test
  void audit_truncatedTail_detectedAgainstCheckpoint() throws Exception {
    LedgerAudit.Checkpoint cp;
    try (LocalLedger l = filled(5)) {
      cp = l.checkpoint();
    }
    assertEquals(5, cp.height());
    List<String> ls = lines();
    ls.remove(ls.size() - 1);
    write(ls);
    // without a checkpoint a shorter chain is valid: say so honestly
    assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file()));
    LedgerAudit.Tampered t = tampered(Optional.of(cp));
    assertEquals(Problem.TRUNCATED, t.problem());
    assertEquals(4, t.intactEntries());
  }

  @Test
  void openLedger_fileShrinksUnderIt_isCorrupt() throws Exception {
    try (LocalLedger l = filled(3)) {
      List<String> ls = lines();
      ls.remove(ls.size() - 1);
      write(ls);
      assertEquals(Reason.CORRUPT_LEDGER, assertThrows(LedgerException.class, l::info).reason());
      assertEquals(Problem.TRUNCATED, assertInstanceOf(LedgerAudit.Tampered.class, LocalLedger.audit(file(),
          Optional.of(new LedgerAudit.Checkpoint(3, Bytes32.ZERO)))).problem());
    }
  }

  @Test
  void audit_badBlockSignature() throws Exception {
    filled(3).close();
    List<String> ls = lines();
    String l = ls.get(2);
    int i = l.indexOf("\"sig\":\"") + 7;
    char c = l.charAt(i) == '0' ? '1' : '0';
    ls.set(2, l.substring(0, i) + c + l.substring(i + 1));
    write(ls);
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.BAD_SIGNATURE, t.problem());
    assertEquals(3, t.lineNumber());
  }

  @Test
  void audit_garbageLine_isMalformed_andHugeLine_isBounded() throws Exception {
    filled(2).close();
    List<String> ls = lines();
    ls.add(2, "{not json");
    write(ls);
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.MALFORMED, t.problem());
    assertEquals(3, t.lineNumber());

    Files.delete(file());
    filled(2).close();
    ls = lines().subList(0, 3);
    ls.add("x".repeat(LocalLedger.MAX_LINE_BYTES * 4));
    write(ls);
    t = tampered(Optional.empty());
    assertEquals(Problem.LINE_TOO_LONG, t.problem());
    assertEquals(4, t.lineNumber());
  }

  @Test
  void audit_emptyFile_isBadGenesis() throws Exception {
    Files.writeString(file(), "");
    assertEquals(Problem.BAD_GENESIS, tampered(Optional.empty()).problem());
  }

  @Test
  void tornLastLine_isReported_thenCutOnOpen_earlierDataKept() throws Exception {
    PreparedTx kept;
    try (LocalLedger l = filled(3)) {
      kept = l.prepare(anchor(9));
      l.submit(kept);
    }
    // A crash in the middle of an append: half a line, no newline.
    String full = Files.readString(file());
    String lastLine = lines().get(4);
    Files.writeString(file(), full + lastLine.substring(0, lastLine.length() / 2));
    LedgerAudit.Tampered t = tampered(Optional.empty());
    assertEquals(Problem.TORN_TAIL, t.problem());
    assertEquals(6, t.lineNumber());
    assertEquals(4, t.intactEntries());
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      assertEquals(1, l.recoveries().size());
      assertTrue(l.recoveries().get(0).contains("line 6"), l.recoveries().get(0));
      assertEquals(4, l.info().headHeight());
      assertEquals(new TxStatus.Final(4, 1), l.poll(kept));
      l.submit(l.prepare(anchor(10)));
      assertEquals(5, l.info().headHeight());
    }
    assertEquals(5, assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file())).intactEntries());
  }

  @Test
  void tornGenesis_isCut_andANewLedgerStarts() throws Exception {
    Files.writeString(file(), "{\"height\":0,\"type\":\"gen");
    assertEquals(Problem.TORN_TAIL, tampered(Optional.empty()).problem());
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      assertEquals(1, l.recoveries().size());
      l.submit(l.prepare(anchor(1)));
      assertEquals(1, l.info().headHeight());
    }
    assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file()));
  }

  @Test
  void allEntryKinds_roundTripThroughTheFile() throws Exception {
    List<LedgerEntry> es = List.of(
        anchor(1),
        new LedgerEntry.ModelRegistration(b(2), b(3), b(4), "https://example.org/m/ü"),
        new LedgerEntry.ModelDeprecation(b(2), "superseded \"v2\""),
        TestGrants.grant(ALICE, b(5), 6, 1_900_000_000L),
        new LedgerEntry.EligibilityRevocation(ALICE, b(5), "revoked"),
        new LedgerEntry.EligibilityReinstatement(ALICE, b(5), "cleared"));
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      for (LedgerEntry e : es) {
        l.submit(l.prepare(e));
      }
    }
    try (LocalLedger l = LocalLedger.open(file(), SEED)) {
      List<LedgerEntry> got = l.history(Cursor.START, 10).entries().stream().map(Anchored::entry).toList();
      assertEquals(es, got);
    }
  }
}
