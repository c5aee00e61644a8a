package io.veridict.chain.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerEntry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * Golden calldata (compared byte for byte with an independent hand encoding), event topics, error
 * selectors, and a strict, total log decoder: every mutation of a valid log either decodes to the
 * same entry or is rejected, never throws.
 */
final class VeridictAbiTest {
  private static final Bytes32 ROOT = Bytes32.fromHex("11".repeat(32));
  private static final Bytes32 META = Bytes32.fromHex("22".repeat(32));

  private static String sel(String sig) {
    return HexFormat.of().formatHex(Hash.sha3(sig.getBytes()), 0, 4);
  }

  private static String word(long v) {
    return String.format("%064x", v);
  }

  @Test
  void anchorBatch_calldata_isTheAbiEncoding() {
    VeridictAbi.Call c = VeridictAbi.encode(new LedgerEntry.BatchAnchor(ROOT, 100, META));
    assertEquals(VeridictAbi.Target.PROOF_ANCHOR, c.target());
    assertEquals("0x" + sel("anchorBatch(bytes32,uint32,bytes32)") + ROOT.toHex() + word(100) + META.toHex(), c.data());
  }

  private static final String STATEMENT_TUPLE =
      "(uint32,bytes32,bytes32,bytes32,uint8,uint64,int64,bool,uint64,address,bytes32,bytes32,uint64)";

  @Test
  void grantRevokeReinstate_calldata_areTheAbiEncoding() {
    String who = "0x" + "ab".repeat(20);
    io.veridict.chain.GateStatement st = io.veridict.chain.TestGrants.statement(who, ROOT, 31337, 1);
    VeridictAbi.Call g = VeridictAbi.encode(new LedgerEntry.EligibilityGrant(st, 1_700_000_000L));
    // a static tuple is encoded in place: the 13 statement words, then validUntil
    assertEquals("0x" + sel("grant(" + STATEMENT_TUPLE + ",uint64)") + HexFormat.of().formatHex(st.abiWords())
        + word(1_700_000_000L), g.data());
    VeridictAbi.Call r = VeridictAbi.encode(new LedgerEntry.EligibilityRevocation(who, ROOT, "abc"));
    assertEquals("0x" + sel("revoke(address,bytes32,string)") + "0".repeat(24) + "ab".repeat(20)
        + ROOT.toHex() + word(0x60) + word(3) + "616263" + "0".repeat(58), r.data());
    VeridictAbi.Call re = VeridictAbi.encode(new LedgerEntry.EligibilityReinstatement(who, ROOT, "abc"));
    assertEquals("0x" + sel("reinstate(address,bytes32,string)") + "0".repeat(24) + "ab".repeat(20)
        + ROOT.toHex() + word(0x60) + word(3) + "616263" + "0".repeat(58), re.data());
  }

  @Test
  void decode_grantEvent_givesTheWholeStatement_theVerifier_andTheFact() {
    String who = "0x" + "ab".repeat(20);
    String verifier = "cd".repeat(20);
    io.veridict.chain.GateStatement st = io.veridict.chain.TestGrants.statement(who, ROOT, 31337, 2);
    List<String> t = List.of(VeridictAbi.ELIGIBILITY_GRANTED, "0x" + "0".repeat(24) + "ab".repeat(20), ROOT.toString(),
        META.toString());
    byte[] data = hex(HexFormat.of().formatHex(st.abiWords()) + word(1_700_000_000L) + word(3) + "0".repeat(24) + verifier);
    VeridictAbi.Decoded d = VeridictAbi.decode(t, data).orElseThrow();
    assertEquals(new LedgerEntry.EligibilityGrant(st, 1_700_000_000L), d.entry());
    assertEquals("0x" + verifier, d.writer());
    assertEquals(Optional.of(META), d.fact());
    // topics that disagree with the statement (another borrower or policy) are not the gate's event
    List<String> other = List.of(t.get(0), "0x" + "0".repeat(24) + "ee".repeat(20), t.get(2), t.get(3));
    assertTrue(VeridictAbi.decode(other, data).isEmpty());
    // a non-canonical word (a bool of 2) is refused
    byte[] bad = data.clone();
    bad[7 * 32 + 31] = 2;
    assertTrue(VeridictAbi.decode(t, bad).isEmpty());
  }

  @Test
  void eventTopics_areKeccakOfTheSignatures() {
    assertEquals("0x" + HexFormat.of().formatHex(Hash.sha3("BatchAnchored(bytes32,uint64,address,uint32,bytes32)".getBytes())),
        VeridictAbi.BATCH_ANCHORED);
    assertEquals("0x" + HexFormat.of().formatHex(Hash.sha3(
        ("EligibilityGranted(address,bytes32,bytes32," + STATEMENT_TUPLE + ",uint64,uint32,address)").getBytes())),
        VeridictAbi.ELIGIBILITY_GRANTED);
  }

  @Test
  void errorNames_fromRevertData() {
    assertEquals(Optional.of("RootAlreadyAnchored"),
        VeridictAbi.errorName("0x" + sel("RootAlreadyAnchored(bytes32,uint64)") + ROOT.toHex() + word(0)));
    assertEquals(Optional.of("AccessControlUnauthorizedAccount"),
        VeridictAbi.errorName("0x" + sel("AccessControlUnauthorizedAccount(address,bytes32)")));
    assertEquals(Optional.empty(), VeridictAbi.errorName("0xdeadbeef"));
    assertEquals(Optional.empty(), VeridictAbi.errorName(""));
    assertEquals(Optional.empty(), VeridictAbi.errorName("garbage!"));
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static List<String> revokedTopics() {
    return List.of(VeridictAbi.ELIGIBILITY_REVOKED, "0x" + "0".repeat(24) + "ab".repeat(20), ROOT.toString(), META.toString());
  }

  private static byte[] revokedData(String reasonHex, long len) {
    return hex(word(0) + "0".repeat(24) + "cd".repeat(20) + word(0x60) + word(len) + reasonHex);
  }

  @Test
  void decode_revocation_andStrictness() {
    String pad = "616263" + "0".repeat(58);
    assertEquals(Optional.of(new LedgerEntry.EligibilityRevocation("0x" + "ab".repeat(20), ROOT, "abc")),
        VeridictAbi.decodeEntry(revokedTopics(), revokedData(pad, 3)));
    // non-zero padding, wrong length, invalid UTF-8, control characters, over-long text
    assertTrue(VeridictAbi.decodeEntry(revokedTopics(), revokedData("616263" + "0".repeat(57) + "1", 3)).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(revokedTopics(), revokedData(pad, 4)).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(revokedTopics(), revokedData(pad, 35)).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(revokedTopics(), revokedData("ff" + "0".repeat(62), 1)).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(revokedTopics(), revokedData("07" + "0".repeat(62), 1)).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(revokedTopics(), revokedData("61".repeat(288), 288)).isEmpty());
    // a dirty address word in the topic
    List<String> dirty = new ArrayList<>(revokedTopics());
    dirty.set(1, "0x01" + "0".repeat(22) + "ab".repeat(20));
    assertTrue(VeridictAbi.decodeEntry(dirty, revokedData(pad, 3)).isEmpty());
  }

  @Test
  void decode_batch_rejectsZeroAndOversizedLeafCounts() {
    List<String> t = List.of(VeridictAbi.BATCH_ANCHORED, ROOT.toString(), "0x" + word(0), "0x" + "0".repeat(24) + "cd".repeat(20));
    assertEquals(Optional.of(new LedgerEntry.BatchAnchor(ROOT, 5, META)), VeridictAbi.decodeEntry(t, hex(word(5) + META.toHex())));
    assertTrue(VeridictAbi.decodeEntry(t, hex(word(0) + META.toHex())).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(t, hex("1" + word(5).substring(1) + META.toHex())).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(t, hex(word(0x80000000L) + META.toHex())).isEmpty());
    assertTrue(VeridictAbi.decodeEntry(t.subList(0, 3), hex(word(5) + META.toHex())).isEmpty());
  }

  @Test
  void decode_mutatedLogs_neverThrow_andNeverChangeTheMeaningSilently() {
    List<String> topics = revokedTopics();
    byte[] data = revokedData("616263" + "0".repeat(58), 3);
    LedgerEntry original = VeridictAbi.decodeEntry(topics, data).orElseThrow();
    long seed = 0x5eed_0001L;
    Random rnd = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      byte[] m = data.clone();
      int kind = rnd.nextInt(3);
      if (kind == 0) {
        m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
      } else if (kind == 1) {
        m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 40));
      } else {
        m = new byte[rnd.nextInt(200)];
        rnd.nextBytes(m);
      }
      Optional<LedgerEntry> e = VeridictAbi.decodeEntry(topics, m);
      // a flip inside the verifier/version words changes no entry field; anything else must reject
      if (e.isPresent() && !e.get().equals(original)) {
        assertTrue(e.get() instanceof LedgerEntry.EligibilityRevocation, "seed " + seed + " i " + i);
      }
    }
    for (int i = 0; i < 2_000; i++) {
      List<String> t = new ArrayList<>(topics);
      byte[] junk = new byte[32];
      rnd.nextBytes(junk);
      t.set(rnd.nextInt(t.size()), rnd.nextBoolean() ? "0x" + HexFormat.of().formatHex(junk) : "not hex");
      VeridictAbi.decodeEntry(t, data); // must not throw
    }
    assertTrue(VeridictAbi.decodeEntry(List.of(), data).isEmpty());
  }

  @Test
  void feeBump_isAtLeastTwelveAndAHalfPercent_roundedUp() {
    assertEquals(BigInteger.valueOf(1125), EvmLedgerAnchor.bump(BigInteger.valueOf(1000)));
    assertEquals(BigInteger.valueOf(2), EvmLedgerAnchor.bump(BigInteger.ONE));
    assertEquals(BigInteger.ZERO, EvmLedgerAnchor.bump(BigInteger.ZERO));
    for (long v : new long[] {7, 8, 9, 1_000_000_007L, 1_000_000_000L}) {
      BigInteger b = EvmLedgerAnchor.bump(BigInteger.valueOf(v));
      assertTrue(b.multiply(BigInteger.valueOf(1000)).compareTo(BigInteger.valueOf(v * 1125)) >= 0);
      assertTrue(b.subtract(BigInteger.ONE).multiply(BigInteger.valueOf(1000)).compareTo(BigInteger.valueOf(v * 1125)) < 0);
    }
  }

  @Test
  void config_rejectsBadValues_withTheRule() {
    var c = new EvmContracts("0x" + "11".repeat(20), "0x" + "22".repeat(20), "0x" + "33".repeat(20), Optional.empty(), 0);
    var ok = EvmConfig.of(java.net.URI.create("http://127.0.0.1:8545"), 1, c);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ok.withConfirmations(0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ok.withFeeCaps(EvmConfig.gwei(1), EvmConfig.gwei(2)));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ok.withLogChunkBlocks(0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> EvmConfig.of(java.net.URI.create("ws://127.0.0.1:8545"), 1, c));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> EvmConfig.of(java.net.URI.create("http://127.0.0.1:8545"), 0, c));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new EvmContracts("0x12", "0x" + "22".repeat(20), "0x" + "33".repeat(20), Optional.empty(), 0));
  }
}
