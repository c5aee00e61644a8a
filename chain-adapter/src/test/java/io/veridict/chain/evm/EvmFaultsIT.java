package io.veridict.chain.evm;

import static io.veridict.chain.evm.EvmTestChain.b32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.chain.LedgerKind;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import io.veridict.contracts.DevNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.utils.Numeric;

/**
 * Faults that need control over mining or over the node process: dropped and stuck (fee-bumped)
 * transactions on a node that mines only on request, and a node killed mid-submission and
 * restarted from its state file. After each, every entry is on the chain exactly once.
 */
final class EvmFaultsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static int count(EvmLedgerAnchor a, Bytes32 root) throws LedgerException {
    int n = 0;
    Cursor c = Cursor.START;
    while (true) {
      HistoryPage p = a.history(c, 1000);
      for (Anchored x : p.entries()) {
        if (x.entry() instanceof LedgerEntry.BatchAnchor b && b.root().equals(root)) {
          n++;
        }
      }
      if (p.next().isEmpty()) {
        return n;
      }
      c = p.next().get();
    }
  }

  @Test
  void droppedTransaction_isPendingUnknown_andResubmittingTheSameBytesAnchorsOnce() throws Exception {
    try (EvmTestChain chain = EvmTestChain.start(DevNode.Options.defaults().withoutAutoMine());
        EvmLedgerAnchor a = chain.writer()) {
      Bytes32 root = b32("dropped-root");
      PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(root, 10, Bytes32.ZERO));
      a.submit(tx);
      TxStatus.Pending p = assertInstanceOf(TxStatus.Pending.class, a.poll(tx));
      assertTrue(p.known());
      // a receipt timeout is not a failure: awaitFinal returns PENDING, no exception
      assertInstanceOf(TxStatus.Pending.class, a.awaitFinal(tx, Duration.ofMillis(100)));

      chain.rpc("anvil_dropTransaction", tx.txHash().toString());
      TxStatus.Pending gone = assertInstanceOf(TxStatus.Pending.class, a.poll(tx));
      assertTrue(!gone.known(), "dropped: " + gone);

      a.submit(tx);
      chain.mine(1);
      assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, WAIT));
      assertEquals(1, count(a, root));
    }
  }

  @Test
  void stuckTransaction_replacedWithHigherFees_onlyTheReplacementLands() throws Exception {
    try (EvmTestChain chain = EvmTestChain.start(DevNode.Options.defaults().withoutAutoMine());
        EvmLedgerAnchor a = chain.writer()) {
      Bytes32 root = b32("stuck-root");
      PreparedTx stuck = a.prepare(new LedgerEntry.BatchAnchor(root, 10, Bytes32.ZERO));
      a.submit(stuck);

      // a replacement that does not raise the fees is refused by the node: a nonce conflict
      // (geth wants +10%; anvil only strictly more, so the adapter's +12.5% clears both)
      Transaction1559 old = (Transaction1559) TransactionDecoder.decode(Numeric.toHexString(stuck.signedBytes())).getTransaction();
      Credentials key = EvmLedgerAnchor.credentials(EvmTestChain.WRITER_KEY);
      RawTransaction cheap = RawTransaction.createTransaction(31337, old.getNonce(), old.getGasLimit(), old.getTo(),
          BigInteger.ZERO, VeridictAbi.encode(new LedgerEntry.BatchAnchor(b32("other-root"), 1, Bytes32.ZERO)).data(),
          old.getMaxPriorityFeePerGas(), old.getMaxFeePerGas());
      byte[] cheapSigned = TransactionEncoder.signMessage(cheap, key);
      PreparedTx underpriced = new PreparedTx(LedgerKind.EVM, "31337", Bytes32.of(Hash.sha3(cheapSigned)), cheapSigned,
          stuck.sequence(), -1, stuck.entry());
      assertEquals(Reason.NONCE_CONFLICT, assertThrows(LedgerException.class, () -> a.submit(underpriced)).reason());

      PreparedTx bumped = a.replaceWithHigherFees(stuck);
      assertEquals(stuck.sequence(), bumped.sequence());
      assertEquals(stuck.entry(), bumped.entry());
      assertNotEquals(stuck.txHash(), bumped.txHash());
      Transaction1559 nu = (Transaction1559) TransactionDecoder.decode(Numeric.toHexString(bumped.signedBytes())).getTransaction();
      assertTrue(nu.getMaxPriorityFeePerGas().multiply(BigInteger.valueOf(1000))
          .compareTo(old.getMaxPriorityFeePerGas().multiply(BigInteger.valueOf(1125))) >= 0);
      assertTrue(nu.getMaxFeePerGas().multiply(BigInteger.valueOf(1000))
          .compareTo(old.getMaxFeePerGas().multiply(BigInteger.valueOf(1125))) >= 0);
      assertEquals(old.getGasLimit(), nu.getGasLimit());

      a.submit(bumped);
      chain.mine(1);
      assertInstanceOf(TxStatus.Final.class, a.awaitFinal(bumped, WAIT));
      TxStatus.Failed loser = assertInstanceOf(TxStatus.Failed.class, a.poll(stuck));
      assertEquals("NONCE_USED", loser.code());
      assertEquals(Reason.NONCE_CONFLICT, assertThrows(LedgerException.class, () -> a.submit(stuck)).reason());
      assertEquals(1, count(a, root));
    }
  }

  @Test
  void nodeKilledMidSubmission_andRestartedFromItsState_nothingLostNothingTwice(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("anvil-state.json");
    try (EvmTestChain chain = EvmTestChain.start(DevNode.Options.defaults().withStateFile(state))) {
      chain.restart(); // graceful: the deployment is in the state file
      assertTrue(Files.size(state) > 0);
      try (EvmLedgerAnchor a = chain.writer()) {
        List<PreparedTx> txs = new ArrayList<>();
        // 1. mined before the crash, but the crash loses it (not yet dumped)
        PreparedTx first = a.prepare(new LedgerEntry.BatchAnchor(b32("crash-1"), 1, Bytes32.ZERO));
        a.submit(first);
        assertInstanceOf(TxStatus.Final.class, a.awaitFinal(first, WAIT));
        txs.add(first);
        // 2. prepared (in the outbox) but the node dies before it is sent
        PreparedTx second = a.prepare(new LedgerEntry.BatchAnchor(b32("crash-2"), 2, Bytes32.ZERO));
        txs.add(second);
        chain.crashAndRestart();
        // while the node is down a submission is UNREACHABLE (nothing sent); here it is up again

        // recovery, as an outbox does it: poll each in nonce order, resubmit the same bytes when
        // the node does not have it, then wait
        for (PreparedTx tx : txs) {
          TxStatus s = a.poll(tx);
          if (s instanceof TxStatus.Reorged || (s instanceof TxStatus.Pending p && !p.known())) {
            a.submit(tx);
          }
        }
        for (PreparedTx tx : txs) {
          assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, WAIT), tx::toString);
          a.submit(tx); // idempotent afterwards too
        }
        assertEquals(1, count(a, b32("crash-1")));
        assertEquals(1, count(a, b32("crash-2")));
      }
      // a graceful restart keeps everything: still exactly once, and final
      chain.restart();
      try (EvmLedgerAnchor a = chain.writer()) {
        assertEquals(1, count(a, b32("crash-1")));
        assertEquals(1, count(a, b32("crash-2")));
        assertTrue(a.find(b32("crash-2")).orElseThrow().isFinal());
      }
    }
  }

  @Test
  void nodeDown_submitIsUnreachable_andTheSameBytesLandAfterRestart(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("anvil-state.json");
    try (EvmTestChain chain = EvmTestChain.start(DevNode.Options.defaults().withStateFile(state))) {
      chain.restart();
      try (EvmLedgerAnchor a = chain.writer()) {
        PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(b32("down-root"), 1, Bytes32.ZERO));
        int port = chain.node.port();
        chain.node.kill();
        LedgerException e = assertThrows(LedgerException.class, () -> a.submit(tx));
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.reason().retryable());
        chain.node = DevNode.start(chain.anvil, chain.options, port);
        a.submit(tx);
        assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, WAIT));
        assertEquals(1, count(a, b32("down-root")));
      }
    }
  }
}
