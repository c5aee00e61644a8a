package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known-answer tests against {@code merkle-golden.json}, produced by the real
 * {@code @openzeppelin/merkle-tree} (see {@code src/test/node/golden.mjs}): root, the whole tree
 * array, every leaf hash, tree index and proof, and the multiproofs.
 */
final class MerkleBatchKatTest {

  static Stream<JsonNode> cases() throws IOException {
    try (InputStream in = MerkleBatchKatTest.class.getResourceAsStream("/merkle-golden.json")) {
      JsonNode doc = new ObjectMapper().readTree(in);
      List<JsonNode> out = new ArrayList<>();
      doc.get("cases").forEach(out::add);
      if (out.size() < 13) {
        throw new IllegalStateException("expected all golden cases, got " + out.size());
      }
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void golden_case_matchesOpenZeppelin(JsonNode c) throws BatchException {
    List<String> types = new ArrayList<>();
    c.get("leafEncoding").forEach(t -> types.add(t.asText()));
    List<byte[]> encoded = new ArrayList<>();
    for (JsonNode leaf : c.get("leaves")) {
      encoded.add(abiEncodeStatic(types, leaf.get("value")));
    }
    MerkleBatch batch = MerkleBatch.ofAbiEncoded(encoded);

    assertEquals(Bytes32.fromHex(c.get("root").asText()), batch.root(), "root");
    List<Bytes32> tree = new ArrayList<>();
    c.get("tree").forEach(n -> tree.add(Bytes32.fromHex(n.asText())));
    assertEquals(tree, batch.tree(), "tree array");

    int i = 0;
    for (JsonNode leaf : c.get("leaves")) {
      Bytes32 leafHash = Bytes32.fromHex(leaf.get("leafHash").asText());
      assertEquals(leafHash, batch.leafHash(i), "leaf hash " + i);
      assertEquals(leaf.get("treeIndex").asInt(), batch.treeIndex(i), "tree index " + i);
      List<Bytes32> proof = new ArrayList<>();
      leaf.get("proof").forEach(p -> proof.add(Bytes32.fromHex(p.asText())));
      assertEquals(proof, batch.proof(i), "proof " + i);
      assertTrue(MerkleBatch.verify(batch.root(), leafHash, proof));
      i++;
    }

    if (types.equals(List.of("bytes32", "bytes32", "bytes32", "bytes32", "bytes32", "address"))) {
      List<ProofRecord> records = new ArrayList<>();
      for (JsonNode leaf : c.get("leaves")) {
        JsonNode v = leaf.get("value");
        records.add(new ProofRecord(b(v.get(0)), b(v.get(1)), b(v.get(2)), b(v.get(3)), b(v.get(4)),
            v.get(5).asText()));
      }
      MerkleBatch fromRecords = MerkleBatch.ofRecords(records);
      assertEquals(batch.root(), fromRecords.root());
      for (int k = 0; k < records.size(); k++) {
        assertArrayEquals(encoded.get(k), records.get(k).abiEncode());
        assertTrue(MerkleBatch.verify(batch.root(), records.get(k), fromRecords.proof(k)));
      }
    }

    JsonNode mp = c.get("multiProof");
    if (mp != null) {
      int[] indices = new int[mp.get("indices").size()];
      for (int k = 0; k < indices.length; k++) {
        indices[k] = mp.get("indices").get(k).asInt();
      }
      MerkleBatch.MultiProof got = batch.multiProof(indices);
      List<Bytes32> leaves = new ArrayList<>();
      mp.get("leafHashes").forEach(n -> leaves.add(Bytes32.fromHex(n.asText())));
      List<Bytes32> proof = new ArrayList<>();
      mp.get("proof").forEach(n -> proof.add(Bytes32.fromHex(n.asText())));
      List<Boolean> flags = new ArrayList<>();
      mp.get("proofFlags").forEach(n -> flags.add(n.asBoolean()));
      assertEquals(new MerkleBatch.MultiProof(leaves, proof, flags), got);
      assertTrue(MerkleBatch.verifyMultiProof(batch.root(), got));
      if (!proof.isEmpty()) {
        List<Bytes32> bad = new ArrayList<>(proof);
        bad.set(0, flip(bad.get(0)));
        assertFalse(MerkleBatch.verifyMultiProof(batch.root(), new MerkleBatch.MultiProof(leaves, bad, flags)));
      }
      List<Bytes32> badLeaves = new ArrayList<>(leaves);
      badLeaves.set(0, flip(badLeaves.get(0)));
      assertFalse(MerkleBatch.verifyMultiProof(batch.root(), new MerkleBatch.MultiProof(badLeaves, proof, flags)));
    }
  }

  static Bytes32 b(JsonNode n) {
    return Bytes32.fromHex(n.asText());
  }

  static Bytes32 flip(Bytes32 x) {
    byte[] a = x.toByteArray();
    a[31] ^= 1;
    return Bytes32.of(a);
  }

  /** {@code abi.encode} for the static types the golden file uses: one 32-byte word each. */
  static byte[] abiEncodeStatic(List<String> types, JsonNode values) {
    byte[] out = new byte[32 * types.size()];
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i);
      JsonNode v = values.get(i);
      byte[] word;
      if (t.equals("bytes32")) {
        word = Bytes32.fromHex(v.asText()).toByteArray();
      } else if (t.equals("address")) {
        word = leftPad(java.util.HexFormat.of().parseHex(v.asText().substring(2)));
      } else if (t.equals("bool")) {
        word = new byte[32];
        word[31] = (byte) (v.asBoolean() ? 1 : 0);
      } else if (t.startsWith("uint")) {
        BigInteger x = new BigInteger(v.asText());
        byte[] raw = x.toByteArray();
        if (raw.length == 33) {
          raw = java.util.Arrays.copyOfRange(raw, 1, 33);
        }
        word = leftPad(raw);
      } else {
        throw new IllegalArgumentException("unsupported golden type " + t);
      }
      System.arraycopy(word, 0, out, 32 * i, 32);
    }
    return out;
  }

  static byte[] leftPad(byte[] raw) {
    byte[] w = new byte[32];
    System.arraycopy(raw, 0, w, 32 - raw.length, raw.length);
    return w;
  }
}
