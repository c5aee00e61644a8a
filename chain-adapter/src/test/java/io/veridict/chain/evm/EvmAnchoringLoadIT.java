package io.veridict.chain.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.MerkleBatch;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import io.veridict.contracts.DevNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.web3j.crypto.Hash;

/**
 * The anchoring load run: 10,000 proof records in 100 batches of 100, each batch a {@link
 * MerkleBatch} (OpenZeppelin StandardMerkleTree layout: double-hashed leaves, sorted pairs) whose root goes through the
 * full adapter lifecycle (prepare → submit → awaitFinal) on a real anvil. Reports records/s and gas
 * per record; checks every root is anchored exactly once and a sample of inclusion proofs verifies
 * on chain. Slow-ish, so only with {@code -Dveridict.evm.load=true}.
 */
@EnabledIfSystemProperty(named = "veridict.evm.load", matches = "true")
final class EvmAnchoringLoadIT {
  private static final int BATCHES = Integer.getInteger("veridict.evm.load.batches", 100);
  private static final int LEAVES = Integer.getInteger("veridict.evm.load.leaves", 100);

  /** keccak256(keccak256(abi.encode(bytes32 x5, address))): the Veridict proof record leaf. */
  static byte[] recordLeaf(int batch, int i) {
    byte[] enc = new byte[6 * 32];
    for (int w = 0; w < 5; w++) {
      byte[] v = Hash.sha3(("record/" + batch + "/" + i + "/" + w).getBytes());
      System.arraycopy(v, 0, enc, 32 * w, 32);
    }
    byte[] subject = Hash.sha3(("subject/" + batch + "/" + i).getBytes());
    System.arraycopy(subject, 12, enc, 5 * 32 + 12, 20);
    return Hash.sha3(Hash.sha3(enc));
  }

  @Test
  void anchorTenThousandRecords() throws Exception {
    try (EvmTestChain chain = EvmTestChain.start(DevNode.Options.defaults());
        EvmLedgerAnchor a = chain.writer()) {
      // 0. the records and trees (off chain, not timed)
      List<Bytes32> roots = new ArrayList<>();
      List<MerkleBatch> trees = new ArrayList<>();
      long treeStart = System.nanoTime();
      for (int b = 0; b < BATCHES; b++) {
        List<Bytes32> leaves = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
          leaves.add(Bytes32.of(recordLeaf(b, i)));
        }
        MerkleBatch tree = MerkleBatch.ofLeafHashes(leaves);
        roots.add(tree.root());
        trees.add(tree);
      }
      double treeMs = (System.nanoTime() - treeStart) / 1e6;

      // 1. prepare + submit every batch, then 2. wait for each to be final
      long start = System.nanoTime();
      List<PreparedTx> txs = new ArrayList<>();
      for (int b = 0; b < BATCHES; b++) {
        PreparedTx tx = a.prepare(new LedgerEntry.BatchAnchor(roots.get(b), LEAVES, Bytes32.ZERO));
        a.submit(tx);
        txs.add(tx);
      }
      for (PreparedTx tx : txs) {
        assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, Duration.ofSeconds(60)));
      }
      double seconds = (System.nanoTime() - start) / 1e9;

      // 3. gas from the receipts
      long gas = 0;
      for (PreparedTx tx : txs) {
        gas += Long.decode(chain.rpc("eth_getTransactionReceipt", tx.txHash().toString()).get("gasUsed").asText());
      }
      int records = BATCHES * LEAVES;

      // 4. the audit view: every root exactly once, in order
      List<Bytes32> seen = new ArrayList<>();
      long scanStart = System.nanoTime();
      Cursor c = Cursor.START;
      while (true) {
        HistoryPage p = a.history(c, 1000);
        for (Anchored x : p.entries()) {
          if (x.entry() instanceof LedgerEntry.BatchAnchor ba) {
            seen.add(ba.root());
          }
        }
        if (p.next().isEmpty()) {
          break;
        }
        c = p.next().get();
      }
      double scanMs = (System.nanoTime() - scanStart) / 1e6;
      assertEquals(roots, seen);

      // 5. a sample of inclusion proofs verifies on chain (3 records of every 10th batch)
      var proofAnchor = io.veridict.contracts.generated.ProofAnchor.load(chain.contracts.proofAnchor(),
          org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(chain.node.rpcUrl())),
          org.web3j.crypto.Credentials.create(DevNode.DEV_KEYS.get(0)),
          new org.web3j.tx.gas.StaticGasProvider(java.math.BigInteger.ONE, java.math.BigInteger.valueOf(100_000)));
      for (int b = 0; b < BATCHES; b += 10) {
        MerkleBatch tree = trees.get(b);
        for (int i : new int[] {0, LEAVES / 2, LEAVES - 1}) {
          List<byte[]> proof = tree.proof(i).stream().map(Bytes32::toByteArray).toList();
          assertTrue(MerkleBatch.verify(tree.root(), tree.leafHash(i), tree.proof(i)));
          assertTrue(proofAnchor.verifyInclusion(tree.root().toByteArray(), proof, recordLeaf(b, i)).send());
        }
      }

      String report = String.format(Locale.ROOT,
          "| records | batches × leaves | wall time (prepare→FINAL) | records/s | batches/s | gas total | gas per batch | gas per record | trees | history scan |%n"
              + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|%n"
              + "| %d | %d × %d | %.2f s | %.0f | %.1f | %d | %d | %.1f | %.0f ms | %.0f ms |%n",
          records, BATCHES, LEAVES, seconds, records / seconds, BATCHES / seconds, gas, gas / BATCHES,
          (double) gas / records, treeMs, scanMs);
      System.out.println(report);
      String target = System.getProperty("veridict.evm.loadReport");
      if (target != null) {
        Path p = Path.of(target);
        Files.createDirectories(p.toAbsolutePath().getParent());
        Files.writeString(p, "Measured " + LocalDate.now(ZoneOffset.UTC) + ", confirmations 1, anvil automine, "
            + Map.of("cpus", Runtime.getRuntime().availableProcessors()) + "\n\n" + report);
      }
    }
  }
}
