package io.veridict.chain.evm;

import static io.veridict.chain.evm.EvmTestChain.MODEL;
import static io.veridict.chain.evm.EvmTestChain.POLICY;
import static io.veridict.chain.evm.EvmTestChain.b32;
import static io.veridict.chain.evm.EvmTestChain.registration;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.EligibilityStatus;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.chain.LedgerInfo;
import io.veridict.chain.LedgerKind;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import io.veridict.contracts.DevNode;
import io.veridict.contracts.generated.LendingPool;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * {@link EvmLedgerAnchor} against a real anvil (one per class, contracts deployed once): the
 * happy path read back through the adapter and through raw {@code eth_getLogs}, eligibility and
 * the lending pool, and the faults that need a mining node (reorg, nonce too low, unfunded key,
 * wrong chain, reverts, gas limits at maximal entry sizes).
 */
final class EvmLedgerAnchorIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static EvmTestChain chain;

  @BeforeAll
  static void start() throws Exception {
    chain = EvmTestChain.start(DevNode.Options.defaults());
    try (EvmLedgerAnchor a = chain.writer()) {
      assertFinal(a, a.prepare(registration(MODEL)));
    }
    chain.bindPolicy(POLICY, MODEL);
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  static TxStatus assertFinal(EvmLedgerAnchor a, PreparedTx tx) throws LedgerException {
    a.submit(tx);
    TxStatus s = a.awaitFinal(tx, WAIT);
    assertInstanceOf(TxStatus.Final.class, s, () -> "status of " + tx + ": " + s);
    return s;
  }

  static List<Anchored> allHistory(EvmLedgerAnchor a, int limit) throws LedgerException {
    List<Anchored> all = new ArrayList<>();
    Cursor c = Cursor.START;
    for (int guard = 0; guard < 10_000; guard++) {
      HistoryPage p = a.history(c, limit);
      all.addAll(p.entries());
      if (p.next().isEmpty()) {
        return all;
      }
      c = p.next().get();
    }
    throw new AssertionError("history did not end");
  }

  private static int countRoot(List<Anchored> all, Bytes32 root) {
    int n = 0;
    for (Anchored x : all) {
      if (x.entry() instanceof LedgerEntry.BatchAnchor b && b.root().equals(root)) {
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ happy path

  @Test
  void anchor_readBackThroughAdapter_andRawGetLogs() throws Exception {
    Bytes32 root = b32("happy-root");
    LedgerEntry.BatchAnchor entry = new LedgerEntry.BatchAnchor(root, 100, b32("manifest"));
    try (EvmLedgerAnchor a = chain.writer()) {
      PreparedTx tx = a.prepare(entry);
      assertEquals(LedgerKind.EVM, tx.kind());
      assertEquals("31337", tx.networkId());
      assertEquals(-1, tx.lastValidHeight());
      TxStatus.Final fin = (TxStatus.Final) assertFinal(a, tx);

      Anchored found = a.find(root).orElseThrow();
      assertEquals(entry, found.entry());
      assertEquals(tx.txHash(), found.txHash());
      assertEquals(fin.height(), found.height());
      assertTrue(found.isFinal());
      assertTrue(a.find(b32("never-anchored")).isEmpty());

      // the same through a raw eth_getLogs scan, independent of the adapter's decoder
      JsonNode logs =
          chain.rpc("eth_getLogs", java.util.Map.of("fromBlock", "0x0", "toBlock", "latest",
              "address", chain.contracts.proofAnchor(),
              "topics", List.of(VeridictAbi.BATCH_ANCHORED, root.toString())));
      assertEquals(1, logs.size());
      JsonNode log = logs.get(0);
      assertEquals(tx.txHash().toString(), log.get("transactionHash").asText());
      assertEquals("0x" + "0".repeat(24) + a.account().substring(2), log.get("topics").get(3).asText());
      String data = log.get("data").asText().substring(2);
      assertEquals(100, Integer.parseInt(data.substring(0, 64), 16));
      assertEquals(b32("manifest").toHex(), data.substring(64));
      assertEquals(found.position(), Long.decode(log.get("logIndex").asText()));
    }
  }

  @Test
  void submit_sameBytesAgain_isIdempotent_andAnchorsOnce() throws Exception {
    Bytes32 root = b32("idempotent-root");
    try (EvmLedgerAnchor a = chain.writer()) {
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(root, 1, Bytes32.ZERO));
      a.submit(tx);
      a.submit(tx); // mined already: "nonce too low" for our own tx is success
      assertFinal(a, tx);
      a.submit(tx);
      assertEquals(1, countRoot(allHistory(a, 1000), root));
    }
  }

  @Test
  void sameRootTwice_secondTransactionFailsWithTheContractError() throws Exception {
    Bytes32 root = b32("duplicate-root");
    try (EvmLedgerAnchor a = chain.writer()) {
      assertFinal(a, a.prepare(new LedgerEntry.BatchAnchor(root, 1, Bytes32.ZERO)));
      PreparedTx second = a.prepare(new LedgerEntry.BatchAnchor(root, 2, Bytes32.ZERO));
      a.submit(second);
      TxStatus s = a.awaitFinal(second, WAIT);
      TxStatus.Failed f = assertInstanceOf(TxStatus.Failed.class, s);
      assertEquals("RootAlreadyAnchored", f.code());
      assertTrue(f.height() > 0);
      assertEquals(1, countRoot(allHistory(a, 1000), root));
      assertEquals(1, a.find(root).orElseThrow().entry() instanceof LedgerEntry.BatchAnchor b ? b.leafCount() : -1);
    }
  }

  @Test
  void confirmations_includedUntilDepth_thenFinal() throws Exception {
    try (EvmLedgerAnchor a = EvmLedgerAnchor.connect(chain.config().withConfirmations(3), EvmTestChain.WRITER_KEY)) {
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(b32("deep-root"), 3, Bytes32.ZERO));
      a.submit(tx);
      TxStatus first = a.poll(tx);
      for (int i = 0; i < 500 && first instanceof TxStatus.Pending; i++) {
        Thread.sleep(10); // automine is asynchronous: wait for the block, not for a time
        first = a.poll(tx);
      }
      TxStatus.Included inc = assertInstanceOf(TxStatus.Included.class, first);
      assertEquals(1, inc.confirmations());
      assertEquals(3, inc.required());
      assertFalse(a.find(b32("deep-root")).orElseThrow().isFinal());
      chain.mine(2);
      TxStatus.Final fin = assertInstanceOf(TxStatus.Final.class, a.poll(tx));
      assertEquals(3, fin.confirmations());
      assertTrue(a.find(b32("deep-root")).orElseThrow().isFinal());
      LedgerInfo info = a.info();
      assertEquals(info.headHeight() - 2, info.finalHeight());
      assertEquals(a.account(), info.account());
    }
  }

  @Test
  void registrationDeprecation_andEligibility_grantRevokeExpire_andLendingPool() throws Exception {
    Bytes32 model2 = b32("model-v2");
    Bytes32 policy2 = b32("policy-2");
    Credentials borrower = Credentials.create(DevNode.DEV_KEYS.get(2));
    Credentials other = Credentials.create(DevNode.DEV_KEYS.get(3));
    String who = borrower.getAddress();
    try (EvmLedgerAnchor a = chain.writer()) {
      assertFinal(a, a.prepare(registration(model2)));
      chain.bindPolicy(policy2, model2);
      long now = Long.decode(chain.rpc("eth_getBlockByNumber", "latest", false).get("timestamp").asText());
      LedgerEntry.EligibilityGrant g1 = EvmTestChain.grant(who, POLICY, MODEL, 1, now + 3600);
      LedgerEntry.EligibilityGrant g2 = EvmTestChain.grant(who, policy2, model2, 2, now + 3600);
      // the fact computed here is the gate's (EIP-712 under its domain)
      Bytes32 fact = g1.statement().fact(chain.domain());
      assertFinal(a, a.prepare(g1));
      assertFinal(a, a.prepare(g2));

      EligibilityStatus s = a.eligibility(who, POLICY, Instant.ofEpochSecond(now));
      assertEquals(new EligibilityStatus(true, now + 3600, fact), s);
      // expiry by the caller's clock: at validUntil it is expired
      assertFalse(a.eligibility(who, POLICY, Instant.ofEpochSecond(now + 3600)).eligible());
      assertEquals(EligibilityStatus.NONE, a.eligibility(other.getAddress(), POLICY, Instant.ofEpochSecond(now)));

      // the example pool lends to the eligible borrower and refuses the other
      Web3j web3j = Web3j.build(new HttpService(chain.node.rpcUrl()));
      try {
        StaticEIP1559GasProvider gas = new StaticEIP1559GasProvider(31337, EvmConfig.gwei(10), EvmConfig.gwei(1), BigInteger.valueOf(300_000));
        String poolAddress = chain.contracts.lendingPool().orElseThrow();
        LendingPool funder = LendingPool.load(poolAddress, web3j, tm(web3j, Credentials.create(DevNode.DEV_KEYS.get(0))), gas);
        assertTrue(funder.deposit(BigInteger.TEN.pow(19)).send().isStatusOK());
        LendingPool asBorrower = LendingPool.load(poolAddress, web3j, tm(web3j, borrower), gas);
        assertTrue(asBorrower.borrow(BigInteger.TEN.pow(17)).send().isStatusOK());
        assertEquals(BigInteger.TEN.pow(17), funder.debtOf(who).send());
        LendingPool asOther = LendingPool.load(poolAddress, web3j, tm(web3j, other), gas);
        assertThrows(Exception.class, () -> asOther.borrow(BigInteger.TEN.pow(17)).send());
        assertEquals(BigInteger.ZERO, funder.debtOf(other.getAddress()).send());

        // revocation: not eligible, the history keeps both
        assertFinal(a, a.prepare(new LedgerEntry.EligibilityRevocation(who, POLICY, "appeal lost")));
        assertFalse(a.eligibility(who, POLICY, Instant.ofEpochSecond(now)).eligible());
        assertTrue(asBorrower.repay(BigInteger.TEN.pow(17)).send().isStatusOK());
        assertThrows(Exception.class, () -> asBorrower.borrow(BigInteger.TEN.pow(17)).send());
      } finally {
        web3j.shutdown();
      }

      // deprecating the model behind policy2 makes that grant ineligible
      assertTrue(a.eligibility(who, policy2, Instant.ofEpochSecond(now)).eligible());
      assertFinal(a, a.prepare(new LedgerEntry.ModelDeprecation(model2, "")));
      assertFalse(a.eligibility(who, policy2, Instant.ofEpochSecond(now)).eligible());

      List<Anchored> all = allHistory(a, 1000);
      List<LedgerEntry> mine = all.stream().map(Anchored::entry)
          .filter(e -> switch (e) {
            case LedgerEntry.EligibilityGrant g -> g.subject().equals(who.toLowerCase());
            case LedgerEntry.EligibilityRevocation r -> r.subject().equals(who.toLowerCase());
            case LedgerEntry.EligibilityReinstatement r -> r.subject().equals(who.toLowerCase());
            case LedgerEntry.ModelRegistration m -> m.modelCommitment().equals(model2);
            case LedgerEntry.ModelDeprecation d -> d.modelCommitment().equals(model2);
            case LedgerEntry.BatchAnchor b -> false;
          }).toList();
      assertEquals(List.of(
          registration(model2),
          g1,
          g2,
          new LedgerEntry.EligibilityRevocation(who, POLICY, "appeal lost"),
          new LedgerEntry.ModelDeprecation(model2, "")), mine);
      // every grant names its verifier (the writer key) in the history
      String writer = EvmLedgerAnchor.credentials(EvmTestChain.WRITER_KEY).getAddress().toLowerCase();
      assertTrue(all.stream().filter(x -> x.entry() instanceof LedgerEntry.EligibilityGrant)
          .allMatch(x -> x.writer().equals(writer)));
    }
  }

  private static RawTransactionManager tm(Web3j web3j, Credentials c) {
    return new RawTransactionManager(web3j, c, 31337, new PollingTransactionReceiptProcessor(web3j, 20, 500));
  }

  @Test
  void history_pagesWithSmallChunksAndLimits_seeEverythingOnceInOrder() throws Exception {
    try (EvmLedgerAnchor a = chain.writer()) {
      for (int i = 0; i < 5; i++) {
        assertFinal(a, a.prepare(new LedgerEntry.BatchAnchor(b32("page-" + i), i + 1, Bytes32.ZERO)));
      }
      List<Anchored> big = allHistory(a, 1000);
      try (EvmLedgerAnchor small = reopen(a, chain.config().withLogChunkBlocks(2))) {
        List<Anchored> paged = allHistory(small, 1);
        assertEquals(big, paged);
        assertThrows(IllegalArgumentException.class, () -> small.history(new Cursor("nonsense"), 10));
        assertThrows(IllegalArgumentException.class, () -> small.history(Cursor.START, 0));
      }
      Set<String> seen = new HashSet<>();
      for (int i = 1; i < big.size(); i++) {
        Anchored p = big.get(i - 1);
        Anchored q = big.get(i);
        assertTrue(p.height() < q.height() || (p.height() == q.height() && p.position() < q.position()));
      }
      for (Anchored x : big) {
        assertTrue(seen.add(x.txHash() + "/" + x.position()), "duplicate " + x);
      }
      for (int i = 0; i < 5; i++) {
        assertEquals(1, countRoot(big, b32("page-" + i)));
      }
    }
  }

  /** Closes {@code a} (one nonce owner per key) and opens the same key with another config. */
  private static EvmLedgerAnchor reopen(EvmLedgerAnchor a, EvmConfig config) throws LedgerException {
    a.close();
    return EvmLedgerAnchor.connect(config, EvmTestChain.WRITER_KEY);
  }

  // ------------------------------------------------------------------ faults

  @Test
  void reorg_viaSnapshotRevert_isReported_andResubmissionAnchorsOnce() throws Exception {
    Bytes32 root = b32("reorg-root");
    try (EvmLedgerAnchor a = chain.writer()) {
      String snapshot = chain.rpc("evm_snapshot").asText();
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(root, 7, Bytes32.ZERO));
      TxStatus.Final before = (TxStatus.Final) assertFinal(a, tx);
      assertTrue(chain.rpc("evm_revert", snapshot).asBoolean());
      // a different block at the same height, so the old block hash is gone for good
      chain.mine(2);
      TxStatus s = a.poll(tx);
      TxStatus.Reorged r = assertInstanceOf(TxStatus.Reorged.class, s, () -> "after revert: " + s);
      assertEquals(before.height(), r.formerHeight());
      assertTrue(a.find(root).isEmpty());
      // resubmit the same bytes: included again, exactly once
      assertFinal(a, tx);
      assertEquals(1, countRoot(allHistory(a, 1000), root));
    }
  }

  @Test
  void nonceTooLow_isNonceConflict_theLoserIsFailed_andTheNextPrepareWorks() throws Exception {
    try (EvmLedgerAnchor a = chain.writer()) {
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(b32("nonce-root"), 1, Bytes32.ZERO));
      // another sender with the same key takes the nonce (a second process, a wallet)
      Credentials same = EvmLedgerAnchor.credentials(EvmTestChain.WRITER_KEY);
      RawTransaction stolen = RawTransaction.createTransaction(31337, BigInteger.valueOf(tx.sequence()),
          BigInteger.valueOf(21_000), same.getAddress(), BigInteger.ZERO, "", EvmConfig.gwei(1), EvmConfig.gwei(10));
      chain.rpc("eth_sendRawTransaction", Numeric.toHexString(TransactionEncoder.signMessage(stolen, same)));
      LedgerException e = assertThrows(LedgerException.class, () -> a.submit(tx));
      assertEquals(Reason.NONCE_CONFLICT, e.reason());
      TxStatus.Failed f = assertInstanceOf(TxStatus.Failed.class, a.poll(tx));
      assertEquals("NONCE_USED", f.code());
      PreparedTx again = a.prepare(tx.entry());
      assertNotEquals(tx.sequence(), again.sequence());
      assertFinal(a, again);
      assertEquals(1, countRoot(allHistory(a, 1000), b32("nonce-root")));
    }
  }

  @Test
  void unfundedKey_isInsufficientFunds() throws Exception {
    byte[] poor = EvmTestChain.b32("an unfunded key").toByteArray();
    try (EvmLedgerAnchor a = EvmLedgerAnchor.connect(chain.config(), poor)) {
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(b32("poor-root"), 1, Bytes32.ZERO));
      LedgerException e = assertThrows(LedgerException.class, () -> a.submit(tx));
      assertEquals(Reason.INSUFFICIENT_FUNDS, e.reason());
      assertFalse(e.reason().retryable());
    }
  }

  @Test
  void wrongChain_atConnect_andForATransactionOfAnotherNetwork() throws Exception {
    EvmConfig wrong = EvmConfig.of(URI.create(chain.node.rpcUrl()), 1, chain.contracts);
    LedgerException e = assertThrows(LedgerException.class, () -> EvmLedgerAnchor.connect(wrong, EvmTestChain.WRITER_KEY));
    assertEquals(Reason.WRONG_CHAIN, e.reason());
    try (EvmLedgerAnchor a = chain.writer()) {
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(b32("chain-root"), 1, Bytes32.ZERO));
      PreparedTx foreign = new PreparedTx(LedgerKind.EVM, "1", tx.txHash(), tx.signedBytes(),
          tx.sequence(), -1, tx.entry());
      assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> a.submit(foreign)).reason());
      assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> a.poll(foreign)).reason());
      PreparedTx xrpl = new PreparedTx(LedgerKind.XRPL, "31337", tx.txHash(), tx.signedBytes(),
          tx.sequence(), -1, tx.entry());
      assertEquals(Reason.WRONG_CHAIN, assertThrows(LedgerException.class, () -> a.submit(xrpl)).reason());
      assertFinal(a, tx); // the nonce is not lost
    }
    // no contracts at the configured addresses (e.g. right chain id, wrong deployment)
    EvmContracts none = new EvmContracts("0x" + "11".repeat(20), "0x" + "22".repeat(20),
        "0x" + "33".repeat(20), Optional.empty(), 0);
    EvmConfig empty = EvmConfig.of(URI.create(chain.node.rpcUrl()), 31337, none);
    assertEquals(Reason.UNSUPPORTED,
        assertThrows(LedgerException.class, () -> EvmLedgerAnchor.connect(empty, EvmTestChain.WRITER_KEY)).reason());
  }

  @Test
  void oneNonceOwnerPerKey_secondOpenInstanceIsLocked() throws Exception {
    try (EvmLedgerAnchor a = chain.writer()) {
      assertEquals(Reason.LOCKED, assertThrows(LedgerException.class, chain::writer).reason());
    }
    chain.writer().close(); // released on close
  }

  @Test
  void feeCap_belowBaseFee_isFeeTooHigh_andConsumesNoNonce() throws Exception {
    try (EvmLedgerAnchor capped = EvmLedgerAnchor.connect(
        chain.config().withFeeCaps(BigInteger.ONE, BigInteger.ZERO), EvmTestChain.WRITER_KEY)) {
      LedgerException e = assertThrows(LedgerException.class,
          () -> capped.prepare(new LedgerEntry.BatchAnchor(b32("cap-root"), 1, Bytes32.ZERO)));
      assertEquals(Reason.FEE_TOO_HIGH, e.reason());
    }
    try (EvmLedgerAnchor a = chain.writer()) {
      long pending = Long.decode(chain.rpc("eth_getTransactionCount", a.account(), "pending").asText());
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(b32("cap-root"), 1, Bytes32.ZERO));
      assertEquals(pending, tx.sequence());
      assertFinal(a, tx);
    }
  }

  @Test
  void explicitGasLimits_coverTheLargestEntries_pitfall20() throws Exception {
    String text = "é".repeat(LedgerEntry.MAX_TEXT_BYTES / 2); // 256 UTF-8 bytes
    Bytes32 model = b32("model-max");
    long now = Long.decode(chain.rpc("eth_getBlockByNumber", "latest", false).get("timestamp").asText());
    String who = "0x" + "ab".repeat(20);
    List<LedgerEntry> entries = List.of(
        new LedgerEntry.ModelRegistration(model, b32("air"), b32("meta"), text),
        new LedgerEntry.BatchAnchor(b32("max-root"), Integer.MAX_VALUE, b32("m")),
        EvmTestChain.grant(who, POLICY, MODEL, 900, now + 100_000),
        new LedgerEntry.EligibilityRevocation(who, POLICY, text),
        new LedgerEntry.ModelDeprecation(model, text));
    EvmConfig.GasLimits limits = EvmConfig.GasLimits.defaults();
    long[] limit = {limits.register(), limits.anchor(), limits.grant(), limits.revoke(), limits.deprecate()};
    try (EvmLedgerAnchor a = chain.writer()) {
      for (int i = 0; i < entries.size(); i++) {
        PreparedTx tx = a.prepare(entries.get(i));
        assertFinal(a, tx);
        long used = Long.decode(chain.rpc("eth_getTransactionReceipt", tx.txHash().toString()).get("gasUsed").asText());
        System.out.println("gas " + entries.get(i).kind() + " (maximal) used " + used + " of limit " + limit[i]);
        assertTrue(used < limit[i], entries.get(i).kind() + " used " + used + " of " + limit[i]);
        // and at most ~75% of it: the limit keeps headroom for storage-cost changes
        assertTrue(used * 4 < limit[i] * 3 + 1, entries.get(i).kind() + " used " + used + " of " + limit[i]);
      }
      assertEquals(entries.get(0), a.history(Cursor.START, 1000).entries().stream()
          .map(Anchored::entry).filter(e -> e.equals(entries.get(0))).findFirst().orElseThrow());
    }
  }
}
