package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class MerkleBatchTest {

  static ProofRecord record(Random rnd) {
    byte[][] w = new byte[5][32];
    for (byte[] x : w) {
      rnd.nextBytes(x);
    }
    byte[] addr = new byte[20];
    rnd.nextBytes(addr);
    return new ProofRecord(Bytes32.of(w[0]), Bytes32.of(w[1]), Bytes32.of(w[2]), Bytes32.of(w[3]),
        Bytes32.of(w[4]), "0x" + java.util.HexFormat.of().formatHex(addr));
  }

  @Test
  void ofRecords_empty_isTypedError() {
    BatchException e = assertThrows(BatchException.class, () -> MerkleBatch.ofRecords(List.of()));
    assertEquals(BatchException.Reason.EMPTY, e.reason());
    assertThrows(BatchException.class, () -> MerkleBatch.ofLeafHashes(List.of()));
  }

  @Test
  void ofAbiEncoded_notWordAligned_isMalformed() {
    BatchException e = assertThrows(BatchException.class,
        () -> MerkleBatch.ofAbiEncoded(List.of(new byte[31])));
    assertEquals(BatchException.Reason.MALFORMED_LEAF, e.reason());
  }

  @Test
  void oneLeaf_rootIsTheLeaf_emptyProof() throws BatchException {
    ProofRecord r = record(new Random(1));
    MerkleBatch b = MerkleBatch.ofRecords(List.of(r));
    assertEquals(r.leafHash(), b.root());
    assertEquals(List.of(), b.proof(0));
    assertTrue(MerkleBatch.verify(b.root(), r, List.of()));
    assertFalse(MerkleBatch.verify(b.root(), record(new Random(2)), List.of()));
  }

  @Test
  void verify_hostileInputs_false_neverThrows() throws BatchException {
    MerkleBatch b = MerkleBatch.ofRecords(List.of(record(new Random(3)), record(new Random(4))));
    assertFalse(MerkleBatch.verify(null, b.leafHash(0), b.proof(0)));
    assertFalse(MerkleBatch.verify(b.root(), (Bytes32) null, b.proof(0)));
    assertFalse(MerkleBatch.verify(b.root(), b.leafHash(0), null));
    List<Bytes32> withNull = new ArrayList<>();
    withNull.add(null);
    assertFalse(MerkleBatch.verify(b.root(), b.leafHash(0), withNull));
    List<Bytes32> huge = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      huge.add(Bytes32.ZERO);
    }
    assertFalse(MerkleBatch.verify(b.root(), b.leafHash(0), huge));
    assertFalse(MerkleBatch.verifyMultiProof(b.root(),
        new MerkleBatch.MultiProof(List.of(), List.of(), List.of(true, true))));
  }

  /** Seeded property test: every proof verifies; every single-bit flip of leaf or proof is rejected. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
  void proofs_verify_andTamperingIsRejected(long seed) throws BatchException {
    Random rnd = new Random(seed);
    int n = 1 + rnd.nextInt(40);
    List<ProofRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(record(rnd));
    }
    MerkleBatch b = MerkleBatch.ofRecords(records);
    for (int i = 0; i < n; i++) {
      List<Bytes32> proof = b.proof(i);
      assertTrue(MerkleBatch.verify(b.root(), records.get(i), proof), "seed " + seed + " leaf " + i);
      byte[] leaf = records.get(i).leafHash().toByteArray();
      leaf[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
      assertFalse(MerkleBatch.verify(b.root(), Bytes32.of(leaf), proof), "seed " + seed);
      if (!proof.isEmpty()) {
        List<Bytes32> bad = new ArrayList<>(proof);
        int k = rnd.nextInt(bad.size());
        byte[] p = bad.get(k).toByteArray();
        p[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
        bad.set(k, Bytes32.of(p));
        assertFalse(MerkleBatch.verify(b.root(), records.get(i), bad), "seed " + seed);
        assertFalse(MerkleBatch.verify(b.root(), records.get(i), proof.subList(0, proof.size() - 1)));
      }
      // a record with one field changed is not in the tree
      ProofRecord r = records.get(i);
      ProofRecord other = new ProofRecord(r.bundleDigest(), r.modelCommitment(), r.inputCommitment(),
          r.airId(), r.policyId(), "0x" + "00".repeat(19) + "01");
      assertFalse(MerkleBatch.verify(b.root(), other, proof));
    }
    if (n >= 2) {
      MerkleBatch.MultiProof mp = b.multiProof(0, n - 1);
      assertTrue(MerkleBatch.verifyMultiProof(b.root(), mp));
    }
  }
}
