package io.veridict.chain.xrpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.veridict.chain.AnchorOutbox;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.EligibilityStatus;
import io.veridict.chain.EntryCodec;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.chain.LedgerInfo;
import io.veridict.chain.LedgerKind;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link XrplLedgerAnchor} against the {@link RippledSimulator} (rippled's JSON-RPC wire protocol; not a real node). */
final class XrplLedgerAnchorTest {
  static final Duration T = Duration.ofSeconds(10);

  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  RippledSimulator sim(long networkId) throws IOException {
    RippledSimulator s = new RippledSimulator(networkId);
    open.add(s);
    return s;
  }

  static XrplConfig config(URI url) {
    return XrplConfig.of(url).withPollInterval(Duration.ofMillis(1)).withLastLedgerOffset(5)
        .withRequestTimeout(Duration.ofSeconds(5));
  }

  XrplLedgerAnchor anchor(RippledSimulator s, XrplSigningKey key, boolean fund) {
    XrplLedgerAnchor a = XrplLedgerAnchor.connect(config(s.url()), key);
    open.add(a);
    if (fund) {
      s.fund(a.account(), 100_000_000);
    }
    return a;
  }

  static XrplSigningKey key(int i) throws LedgerException {
    byte[] k = new byte[32];
    k[0] = 9;
    k[31] = (byte) i;
    return XrplSigningKey.ed25519(k);
  }

  static Bytes32 b(int x) {
    return XrplOfflineKatTest.b(x);
  }

  static LedgerEntry.BatchAnchor batch(int x) {
    return new LedgerEntry.BatchAnchor(b(x), x + 1, b(200 + x));
  }

  @Test
  void lifecycle_prepareSubmitAwaitFinal_findAndHistory() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    assertEquals(LedgerKind.XRPL, tx.kind());
    assertEquals("0", tx.networkId());
    assertEquals(1, tx.sequence());
    assertEquals(s.validatedIndex() + 5, tx.lastValidHeight(), "LastLedgerSequence = validated + offset");
    assertEquals(new TxStatus.Pending(false, "not found"), a.poll(tx));
    a.submit(tx);
    TxStatus st = a.awaitFinal(tx, T);
    TxStatus.Final f = assertInstanceOf(TxStatus.Final.class, st);
    Anchored found = a.find(b(1)).orElseThrow();
    assertEquals(batch(1), found.entry());
    assertEquals(tx.txHash(), found.txHash());
    assertEquals(f.height(), found.height());
    assertTrue(found.isFinal());
    assertTrue(a.find(b(2)).isEmpty());
    LedgerInfo info = a.info();
    assertEquals(LedgerKind.XRPL, info.kind());
    assertEquals(a.account(), info.account());
    assertEquals(s.validatedIndex(), info.finalHeight());
  }

  @Test
  void secp256k1Key_endToEnd_signatureCheckedBySimulator() throws Exception {
    RippledSimulator s = sim(0);
    byte[] k = new byte[32];
    k[5] = 3;
    XrplLedgerAnchor a = anchor(s, XrplSigningKey.secp256k1(k), true);
    PreparedTx tx = a.prepare(new LedgerEntry.ModelRegistration(b(1), b(2), b(3), "https://x/" + "m".repeat(200)));
    a.submit(tx);
    assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, T));
  }

  @Test
  void submit_isIdempotent_sameBytesTwice_andAfterValidation() throws Exception {
    RippledSimulator s = sim(0);
    s.autoClose = false;
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    a.submit(tx);
    a.submit(tx); // tefALREADY: in the open ledger
    s.closeLedger();
    a.submit(tx); // tefPAST_SEQ, but the same hash is in: fine
    assertInstanceOf(TxStatus.Final.class, a.poll(tx));
    assertEquals(1, s.appliedCount(a.account()));
  }

  @Test
  void sequences_advanceForInFlightTransactions() throws Exception {
    RippledSimulator s = sim(0);
    s.autoClose = false;
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx t1 = a.prepare(batch(1));
    PreparedTx t2 = a.prepare(batch(2));
    assertEquals(t1.sequence() + 1, t2.sequence());
    a.submit(t2); // ahead of t1: held (terPRE_SEQ) until t1 arrives
    a.submit(t1);
    s.closeLedger();
    assertInstanceOf(TxStatus.Final.class, a.poll(t1));
    assertInstanceOf(TxStatus.Final.class, a.poll(t2));
  }

  @Test
  void terQUEUED_isPending_thenFinal() throws Exception {
    RippledSimulator s = sim(0);
    s.autoClose = false;
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    s.forceNextSubmit.add("terQUEUED");
    a.submit(tx);
    TxStatus.Pending p = assertInstanceOf(TxStatus.Pending.class, a.poll(tx));
    assertTrue(p.known());
    s.closeLedger();
    assertInstanceOf(TxStatus.Final.class, a.poll(tx));
  }

  @Test
  void telINSUF_FEE_P_isFeeTooHigh() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    s.openLedgerFee = 50; // load rose after signing
    LedgerException e = assertThrows(LedgerException.class, () -> a.submit(tx));
    assertEquals(Reason.FEE_TOO_HIGH, e.reason());
    assertTrue(e.getMessage().contains("telINSUF_FEE_P"));
    s.forceNextSubmit.add("telINSUF_FEE_P");
    assertEquals(Reason.FEE_TOO_HIGH, assertThrows(LedgerException.class, () -> a.submit(tx)).reason());
  }

  @Test
  void feeAboveCap_isRefusedAtPrepare() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    s.openLedgerFee = 1_000_000;
    assertEquals(Reason.FEE_TOO_HIGH, assertThrows(LedgerException.class, () -> a.prepare(batch(1))).reason());
  }

  @Test
  void tefMAX_LEDGER_isExpired_forcedAndReal() throws Exception {
    RippledSimulator s = sim(0);
    s.autoClose = false;
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    s.forceNextSubmit.add("tefMAX_LEDGER");
    assertEquals(Reason.EXPIRED, assertThrows(LedgerException.class, () -> a.submit(tx)).reason());
    for (int i = 0; i < 6; i++) {
      s.closeLedger();
    }
    assertEquals(Reason.EXPIRED, assertThrows(LedgerException.class, () -> a.submit(tx)).reason());
    TxStatus.Expired x = assertInstanceOf(TxStatus.Expired.class, a.poll(tx));
    assertEquals(tx.lastValidHeight(), x.lastValidHeight());
    assertTrue(x.validatedHeight() > x.lastValidHeight());
  }

  @Test
  void droppedTransaction_expiresOnlyAfterLastLedgerSequence_inAValidatedLedger() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    s.dropNext = 1;
    a.submit(tx);
    TxStatus st = a.awaitFinal(tx, T); // autoClose advances a ledger per lookup
    TxStatus.Expired x = assertInstanceOf(TxStatus.Expired.class, st);
    assertTrue(x.validatedHeight() > tx.lastValidHeight());
    assertEquals(0, s.appliedCount(a.account()));
  }

  @Test
  void notFound_withoutSearchedAll_isNeverExpired() throws Exception {
    RippledSimulator s = sim(0);
    s.searchedAll = false;
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    for (int i = 0; i < 10; i++) {
      s.closeLedger();
    }
    TxStatus.Pending p = assertInstanceOf(TxStatus.Pending.class, a.poll(tx));
    assertTrue(p.detail().contains("lacks ledgers"), p.detail());
  }

  @Test
  void tefPAST_SEQ_byAnotherTransaction_isNonceConflict() throws Exception {
    RippledSimulator s = sim(0);
    XrplSigningKey k = key(1);
    XrplLedgerAnchor a = anchor(s, k, true);
    PreparedTx first = a.prepare(batch(1));
    a.close();
    // another owner of the same key (e.g. after a restart without the outbox) takes the sequence
    XrplLedgerAnchor b = anchor(s, k, false);
    PreparedTx other = b.prepare(batch(2));
    assertEquals(first.sequence(), other.sequence());
    b.submit(other);
    assertInstanceOf(TxStatus.Final.class, b.awaitFinal(other, T));
    assertEquals(Reason.NONCE_CONFLICT, assertThrows(LedgerException.class, () -> b.submit(first)).reason());
  }

  @Test
  void tecResult_inValidatedLedger_isFailed() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    PreparedTx tx = a.prepare(batch(1));
    s.tecNext = "tecNO_PERMISSION";
    a.submit(tx);
    TxStatus.Failed f = assertInstanceOf(TxStatus.Failed.class, a.awaitFinal(tx, T));
    assertEquals("tecNO_PERMISSION", f.code());
    assertTrue(a.find(b(1)).isEmpty(), "a failed transaction is not an anchor");
  }

  @Test
  void unfundedAccount_isInsufficientFunds() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), false);
    assertEquals(Reason.INSUFFICIENT_FUNDS, assertThrows(LedgerException.class, () -> a.prepare(batch(1))).reason());
  }

  @Test
  void networkIdAbove1024_isSignedIn_andAnotherNetworkIsWrongChain() throws Exception {
    RippledSimulator big = sim(21_338);
    XrplSigningKey k = key(1);
    XrplLedgerAnchor a = anchor(big, k, true);
    PreparedTx tx = a.prepare(batch(1));
    assertEquals("21338", tx.networkId());
    a.submit(tx);
    assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, T));
    a.close();

    RippledSimulator main = sim(0);
    XrplLedgerAnchor m = anchor(main, k, true);
    assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> m.submit(tx)).reason());
    assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> m.poll(tx)).reason());
  }

  @Test
  void hangingNode_isTimeout_closedPort_isUnreachable() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = XrplLedgerAnchor.connect(config(s.url()).withRequestTimeout(Duration.ofMillis(300)), key(1));
    open.add(a);
    s.fund(a.account(), 100_000_000);
    s.hangMillis = 3_000;
    assertEquals(Reason.TIMEOUT, assertThrows(LedgerException.class, () -> a.prepare(batch(1))).reason());
    s.hangMillis = 0;
    a.close();

    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort();
    }
    XrplLedgerAnchor dead = XrplLedgerAnchor.connect(config(URI.create("http://127.0.0.1:" + port + "/")), key(2));
    open.add(dead);
    assertEquals(Reason.UNREACHABLE, assertThrows(LedgerException.class, () -> dead.info()).reason());
  }

  @Test
  void hostileAnswers_areBadResponse() throws Exception {
    for (String body : List.of("not json", "{\"result\": 5}", "{}", "x".repeat(XrplRpc.MAX_RESPONSE_BYTES + 10),
        "{\"result\":{\"status\":\"success\",\"info\":{\"network_id\":\"-1\"}}}")) {
      HttpServer h = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      h.createContext("/", ex -> {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        } catch (IOException ignored) {
          // client stopped reading
        }
      });
      h.start();
      try (XrplLedgerAnchor a = XrplLedgerAnchor.connect(
          config(URI.create("http://127.0.0.1:" + h.getAddress().getPort() + "/")), key(3))) {
        assertEquals(Reason.BAD_RESPONSE, assertThrows(LedgerException.class, a::info).reason(),
            body.substring(0, Math.min(40, body.length())));
      } finally {
        h.stop(0);
      }
    }
  }

  @Test
  void nodeThatStallsMidBody_isTimeout_notAHang() throws Exception {
    HttpServer h = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    h.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    h.createContext("/", ex -> {
      ex.sendResponseHeaders(200, 10_000);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("{\"result\":".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(5_000);
      } catch (IOException | InterruptedException ignored) {
        // client gave up
      }
    });
    h.start();
    try (XrplLedgerAnchor a = XrplLedgerAnchor.connect(
        config(URI.create("http://127.0.0.1:" + h.getAddress().getPort() + "/")).withRequestTimeout(Duration.ofMillis(300)),
        key(4))) {
      assertEquals(Reason.TIMEOUT, assertThrows(LedgerException.class, a::info).reason());
    } finally {
      h.stop(0);
    }
  }

  static ObjectNode foreign(String account, String type) {
    ObjectNode t = RippledSimulator.JSON.createObjectNode();
    t.put("TransactionType", type);
    t.put("Account", account);
    t.put("Fee", "10");
    t.put("Sequence", 99);
    return t;
  }

  static void memo(ObjectNode t, String type, String format, byte[] data) {
    HexFormat hex = HexFormat.of().withUpperCase();
    ObjectNode m = t.putArray("Memos").addObject().putObject("Memo");
    m.put("MemoType", hex.formatHex(type.getBytes(StandardCharsets.UTF_8)));
    m.put("MemoFormat", hex.formatHex(format.getBytes(StandardCharsets.UTF_8)));
    m.put("MemoData", hex.formatHex(data));
  }

  @Test
  void history_skipsForeignTransactions_andPagesWithMarkers() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    String acct = a.account();
    List<LedgerEntry> ours = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      LedgerEntry e = batch(i);
      PreparedTx tx = a.prepare(e);
      a.submit(tx);
      assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, T));
      ours.add(e);
      // foreign history between ours
      s.injectValidated(foreign(acct, "Payment"), "tesSUCCESS");
    }
    ObjectNode noMemo = foreign(acct, "AccountSet");
    s.injectValidated(noMemo, "tesSUCCESS");
    ObjectNode otherApp = foreign(acct, "AccountSet");
    memo(otherApp, "otherapp/x", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    s.injectValidated(otherApp, "tesSUCCESS");
    ObjectNode badData = foreign(acct, "AccountSet");
    memo(badData, "veridict/anchor", "application/json", "{\"v\":1,\"kind\":\"anchor\"}".getBytes(StandardCharsets.UTF_8));
    s.injectValidated(badData, "tesSUCCESS");
    ObjectNode failed = foreign(acct, "AccountSet");
    memo(failed, "veridict/anchor", "application/json", EntryCodec.encode(batch(77)));
    s.injectValidated(failed, "tecNO_PERMISSION");
    ObjectNode someoneElse = foreign("rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "AccountSet");
    memo(someoneElse, "veridict/anchor", "application/json", EntryCodec.encode(batch(78)));
    s.injectValidated(someoneElse, "tesSUCCESS");

    List<LedgerEntry> seen = new ArrayList<>();
    Cursor c = Cursor.START;
    int pages = 0;
    while (true) {
      HistoryPage p = a.history(c, 2);
      p.entries().forEach(x -> seen.add(x.entry()));
      pages++;
      if (p.next().isEmpty()) {
        break;
      }
      c = p.next().get();
      assertTrue(c.token().startsWith("m"));
    }
    assertEquals(ours, seen);
    assertTrue(pages >= 7, "pages " + pages);
    assertTrue(a.find(b(77)).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> a.history(new Cursor("bogus"), 2));
  }

  @Test
  void eligibility_overValidatedHistory() throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    String alice = "0x" + "ab".repeat(20);
    // the simulator's ledgers close at Ripple time 780,000,000 + 4 per ledger (2024-09)
    long landed = 946_684_800L + RippledSimulator.RIPPLE_EPOCH_START;
    long until = landed + 3_600;
    Instant now = Instant.ofEpochSecond(landed + 600);
    io.veridict.chain.EligibilityDomain domain = io.veridict.chain.EligibilityDomain.ledger(a.info().networkId());
    assertEquals(EligibilityStatus.NONE, a.eligibility(alice, b(9), now));
    LedgerEntry.EligibilityGrant g = io.veridict.chain.TestGrants.grant(alice, b(9), 10, until);
    Bytes32 fact = g.statement().fact(domain);
    for (LedgerEntry e : List.of(io.veridict.chain.TestGrants.registration(), g,
        new LedgerEntry.EligibilityRevocation(alice, b(9), "r"),
        io.veridict.chain.TestGrants.grant(alice, b(9), 11, until))) {
      PreparedTx tx = a.prepare(e);
      a.submit(tx);
      a.awaitFinal(tx, T);
      if (e == g) {
        assertEquals(new EligibilityStatus(true, until, fact), a.eligibility(alice, b(9), now));
      }
    }
    // revoked, and the later grant does not count while the pair is on hold
    assertEquals(new EligibilityStatus(false, until, fact), a.eligibility(alice, b(9), now));
  }

  @Test
  void outboxOverXrpl_droppedTxExpires_reprepared_anchoredExactlyOnce(@TempDir Path dir) throws Exception {
    RippledSimulator s = sim(0);
    XrplLedgerAnchor a = anchor(s, key(1), true);
    s.dropNext = 1;
    AnchorOutbox o = AnchorOutbox.open(dir, a);
    AnchorOutbox.Ticket t = o.anchor(batch(1), T);
    assertEquals(AnchorOutbox.State.FINAL, t.state());
    assertEquals(1, t.supersededTxHashes().size());
    assertNotEquals(t.supersededTxHashes().get(0), t.tx().txHash());
    assertEquals(1, s.appliedCount(a.account()));
    assertEquals(AnchorOutbox.State.FINAL, o.anchor(batch(1), T).state());
    assertEquals(1, s.appliedCount(a.account()));
  }
}
