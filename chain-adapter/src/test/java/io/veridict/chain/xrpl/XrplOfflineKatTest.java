package io.veridict.chain.xrpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.primitives.UnsignedInteger;
import io.veridict.chain.Bytes32;
import io.veridict.chain.EntryCodec;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.PreparedTx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;
import org.xrpl.xrpl4j.codec.binary.XrplBinaryCodec;
import org.xrpl.xrpl4j.crypto.keys.PrivateKey;
import org.xrpl.xrpl4j.crypto.signing.SingleSignedTransaction;
import org.xrpl.xrpl4j.crypto.signing.bc.BcSignatureService;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.Payment;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Offline checks of signing, encoding and hashing against xrpl4j's own codec and a published
 * testnet transaction; no node involved.
 */
final class XrplOfflineKatTest {
  static final HexFormat HEX = HexFormat.of();
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A secp256k1-signed Payment published on the XRPL testnet (transaction
   * A202034796F37F38D1D20F2025DECECB1623FC801F041FC694199C0D0E49A739), as used in Trust Wallet's
   * wallet-core test {@code test_ripple_sign_xrp_payment_0}.
   */
  static final String TESTNET_KEY = "a5576c0f63da10e584568c8d134569ff44017b0a249eb70657127ae04f38cc77";
  static final String TESTNET_BLOB = "12000022000000002401ec5fd8201b01ec5fed61400000000000000a68400000000000000a"
      + "732103d13e1152965a51a4a9fd9a8b4ea3dd82a4eba6b25fcad5f460a2342bb650333f74463044022037d32835c9394f39b2cf"
      + "d4eaf5b0a80e0db397ace06630fa2b099ff73e425dbc02205288f780330b7a88a1980fa83c647b5908502ad7de9a44500c08f0"
      + "750b0d9e8481144c55f5a78067206507580be7bb2686c8460adff983148132e4e20aecf29090ac428a9c43f230a829220d";
  static final String TESTNET_HASH = "a202034796f37f38d1d20f2025decec b1623fc801f041fc694199c0d0e49a739".replace(" ", "");

  @Test
  void transactionHash_ofPublishedTestnetTx_matchesItsId() {
    assertEquals(TESTNET_HASH, XrplLedgerAnchor.transactionHash(HEX.parseHex(TESTNET_BLOB)).toHex());
  }

  @Test
  void xrpl4jSigning_reproducesPublishedTestnetBlob() throws Exception {
    PrivateKey pk = PrivateKey.fromNaturalBytes(UnsignedByteArray.of(HEX.parseHex(TESTNET_KEY)), KeyType.SECP256K1);
    BcSignatureService s = new BcSignatureService();
    Payment payment = Payment.builder()
        .account(Address.of("rfxdLwsZnoespnTDDb1Xhvbc8EFNdztaoq"))
        .destination(Address.of("rU893viamSnsfP3zjzM2KPxjqZjXSXK6VF"))
        .amount(XrpCurrencyAmount.ofDrops(10))
        .fee(XrpCurrencyAmount.ofDrops(10))
        .sequence(UnsignedInteger.valueOf(32_268_248))
        .lastLedgerSequence(UnsignedInteger.valueOf(32_268_269))
        .signingPublicKey(s.derivePublicKey(pk))
        .flags(org.xrpl.xrpl4j.model.flags.PaymentFlags.of(0))
        .build();
    SingleSignedTransaction<Payment> signed = s.sign(pk, payment);
    assertEquals(TESTNET_BLOB, signed.signedTransactionBytes().hexValue().toLowerCase());
    assertEquals(TESTNET_HASH, signed.hash().value().toLowerCase());
    JsonNode decoded = JSON.readTree(XrplBinaryCodec.getInstance().decode(TESTNET_BLOB.toUpperCase()));
    assertEquals("rfxdLwsZnoespnTDDb1Xhvbc8EFNdztaoq", decoded.get("Account").asText());
    assertEquals(32_268_269, decoded.get("LastLedgerSequence").asLong());
  }

  static Bytes32 b(int x) {
    byte[] a = new byte[32];
    a[31] = (byte) x;
    return Bytes32.of(a);
  }

  static List<LedgerEntry> allKinds() {
    return List.of(
        new LedgerEntry.BatchAnchor(b(1), 100, b(2)),
        new LedgerEntry.ModelRegistration(b(3), b(4), b(5), "ipfs://model"),
        new LedgerEntry.ModelDeprecation(b(3), "superseded"),
        io.veridict.chain.TestGrants.grant("0x" + "12".repeat(20), b(6), 7, 2_000_000_000L),
        new LedgerEntry.EligibilityRevocation("0x" + "12".repeat(20), b(6), "fraud"),
        new LedgerEntry.EligibilityReinstatement("0x" + "12".repeat(20), b(6), "cleared"));
  }

  static XrplLedgerAnchor offline(XrplSigningKey key) {
    return XrplLedgerAnchor.connect(XrplConfig.of(URI.create("http://127.0.0.1:9/")), key);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ED25519", "SECP256K1"})
  void signedBlob_decodesWithXrpl4j_toTheSameFields(String type) throws Exception {
    byte[] raw = new byte[32];
    raw[0] = 1;
    raw[31] = (byte) type.length();
    XrplSigningKey key = type.equals("ED25519") ? XrplSigningKey.ed25519(raw) : XrplSigningKey.secp256k1(raw);
    try (XrplLedgerAnchor a = offline(key)) {
      int[] xrpl4jDecoded = {0};
      for (LedgerEntry e : allKinds()) {
        PreparedTx tx = a.build(e, XrplMemo.of(e), 0, 12, 7, 1234);
        String blob = HEX.formatHex(tx.signedBytes()).toUpperCase();
        JsonNode d = XrplBinaryReader.decode(tx.signedBytes()).json();
        if (XrplMemo.of(e).memoDataHex().length() / 2 <= 192) {
          // where xrpl4j's decoder works (fields up to 192 bytes), it agrees with our reader
          JsonNode x = JSON.readTree(XrplBinaryCodec.getInstance().decode(blob));
          for (String f : List.of("TransactionType", "Account", "Fee", "Sequence", "LastLedgerSequence",
              "SigningPubKey", "TxnSignature", "Memos")) {
            assertEquals(x.get(f).asText(), d.get(f).asText(), f);
          }
          assertEquals(e, XrplMemo.decode(x.get("Memos")).orElseThrow());
          xrpl4jDecoded[0]++;
        }
        assertEquals("AccountSet", d.get("TransactionType").asText());
        assertEquals(a.account(), d.get("Account").asText());
        assertEquals("12", d.get("Fee").asText());
        assertEquals(7, d.get("Sequence").asLong());
        assertEquals(1234, d.get("LastLedgerSequence").asLong());
        assertFalse(d.has("NetworkID"), "no NetworkID for network ids <= 1024");
        assertTrue(d.has("TxnSignature") && d.has("SigningPubKey"));
        assertEquals(type.equals("ED25519"), d.get("SigningPubKey").asText().startsWith("ED"));
        // hash: ours == xrpl4j's (checked in build) == an independent SHA-512Half
        assertEquals(HEX.formatHex(RippledSimulator.txHash(tx.signedBytes())), tx.txHash().toHex());
        // memo hex round-trips to the entry
        assertEquals(e, XrplMemo.decode(d.get("Memos")).orElseThrow());
        JsonNode memo = d.get("Memos").get(0).get("Memo");
        assertEquals("veridict/" + e.kind(),
            new String(HEX.parseHex(memo.get("MemoType").asText()), StandardCharsets.UTF_8));
        assertEquals("application/json",
            new String(HEX.parseHex(memo.get("MemoFormat").asText()), StandardCharsets.UTF_8));
        assertEquals(new String(EntryCodec.encode(e), StandardCharsets.UTF_8),
            new String(HEX.parseHex(memo.get("MemoData").asText()), StandardCharsets.UTF_8));
      }
      assertTrue(xrpl4jDecoded[0] >= 2, "xrpl4j's codec checked at least the short entries");
    }
  }

  /**
   * Documents XRPLF/xrpl4j#805 in the pinned 4.0.3: its encoder writes a 200-byte field with the
   * correct two-byte length prefix (C1 07), its decoder cannot read it back. Our blobs are built by
   * the (correct) encoder; only decoding needs {@link XrplBinaryReader}. When this test fails,
   * xrpl4j has been fixed and the reader can go.
   */
  @Test
  void xrpl4jDecoder_misreadsTwoByteLengthPrefixes_issue805() throws Exception {
    String json = "{\"Memos\":[{\"Memo\":{\"MemoData\":\"" + "7B".repeat(200) + "\"}}]}";
    String enc = XrplBinaryCodec.getInstance().encode(json);
    assertTrue(enc.startsWith("F9EA7DC107"), enc.substring(0, 10));
    assertThrows(RuntimeException.class, () -> XrplBinaryCodec.getInstance().decode(enc));
  }

  @Test
  void networkIdField_onlyAbove1024() throws Exception {
    try (XrplLedgerAnchor a = offline(XrplSigningKey.ed25519(new byte[32]))) {
      LedgerEntry e = allKinds().get(0);
      for (long net : new long[] {0, 1, 1024, 1025, 21_337}) {
        PreparedTx tx = a.build(e, XrplMemo.of(e), net, 10, 1, 100);
        JsonNode d = JSON.readTree(XrplBinaryCodec.getInstance().decode(HEX.formatHex(tx.signedBytes()).toUpperCase()));
        assertEquals(net > 1024, d.has("NetworkID"), "network " + net);
        if (net > 1024) {
          assertEquals(net, d.get("NetworkID").asLong());
        }
        assertEquals(Long.toString(net), tx.networkId());
      }
    }
  }

  @Test
  void memoLimit_1KB_isEnforced_andTheLargestValidEntryFits() throws Exception {
    LedgerEntry largest = new LedgerEntry.ModelRegistration(b(1), b(2), b(3), "\"".repeat(256));
    XrplMemo m = XrplMemo.of(largest);
    assertTrue(m.serializedSize() <= XrplMemo.MAX_MEMOS_BYTES, "size " + m.serializedSize());
    assertTrue(m.serializedSize() > 700, "size " + m.serializedSize());
    XrplMemo tooBig = new XrplMemo(m.memoTypeHex(), m.memoFormatHex(), "AB".repeat(1000));
    LedgerException ex = assertThrows(LedgerException.class, () -> tooBig.checkSize("test"));
    assertEquals(LedgerException.Reason.ENTRY_TOO_LARGE, ex.reason());
    // exactly at the boundary
    int overhead = new XrplMemo(m.memoTypeHex(), m.memoFormatHex(), "").serializedSize();
    assertTrue(overhead < 60);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]",
      "[{\"Memo\":{\"MemoType\":\"74657374\",\"MemoFormat\":\"6170706C69636174696F6E2F6A736F6E\",\"MemoData\":\"7B7D\"}}]",
      "[{\"Memo\":{\"MemoType\":\"766572696469637422\",\"MemoFormat\":\"00\",\"MemoData\":\"7B7D\"}}]",
      "[{\"Memo\":{\"MemoType\":\"zz\",\"MemoFormat\":\"00\",\"MemoData\":\"7B7D\"}}]",
      "[{\"Memo\":{\"MemoType\":\"7665726964696374\"}}]",
      "[{\"Memo\":{\"MemoType\":\"766572696469637426616E63686F72\",\"MemoFormat\":\"6170706C69636174696F6E2F6A736F6E\",\"MemoData\":\"7B7D\"}}]",
      "{}",
  })
  void foreignOrMalformedMemos_areSkipped_notErrors(String memos) throws Exception {
    assertTrue(XrplMemo.decode(JSON.readTree(memos)).isEmpty());
  }

  @Test
  void memoWithKindMismatch_isSkipped() throws Exception {
    LedgerEntry e = allKinds().get(0);
    XrplMemo m = XrplMemo.of(e);
    String wrongType = HEX.formatHex("veridict/model".getBytes(StandardCharsets.UTF_8)).toUpperCase();
    String json = "[{\"Memo\":{\"MemoType\":\"" + wrongType + "\",\"MemoFormat\":\"" + m.memoFormatHex()
        + "\",\"MemoData\":\"" + m.memoDataHex() + "\"}}]";
    assertTrue(XrplMemo.decode(JSON.readTree(json)).isEmpty());
    String right = "[{\"Memo\":{\"MemoType\":\"" + m.memoTypeHex() + "\",\"MemoFormat\":\"" + m.memoFormatHex()
        + "\",\"MemoData\":\"" + m.memoDataHex().toLowerCase() + "\"}}]";
    assertEquals(e, XrplMemo.decode(JSON.readTree(right)).orElseThrow());
  }

  @Test
  void keys_badInput_isBadKey_andNeverPrinted() {
    assertEquals(LedgerException.Reason.BAD_KEY,
        assertThrows(LedgerException.class, () -> XrplSigningKey.ed25519(new byte[31])).reason());
    LedgerException e = assertThrows(LedgerException.class, () -> XrplSigningKey.fromSeed("sNotASeed123"));
    assertFalse(e.getMessage().contains("sNotASeed123"));
  }

  @Test
  void familySeed_derivesTheKnownGenesisAccount() throws Exception {
    // The well-known genesis account of rippled's standalone mode.
    XrplSigningKey k = XrplSigningKey.fromSeed("snoPBrXtMeMyMHUVTgbuqAfg1SUTb");
    try (XrplLedgerAnchor a = offline(k)) {
      assertEquals("rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", a.account());
    }
    assertFalse(k.toString().contains("sno"));
  }

  @Test
  void oneSequenceOwnerPerKey() throws Exception {
    XrplSigningKey k = XrplSigningKey.ed25519(new byte[32]);
    try (XrplLedgerAnchor a = offline(k)) {
      assertThrows(IllegalStateException.class, () -> offline(k));
    }
    offline(k).close();
  }
}
