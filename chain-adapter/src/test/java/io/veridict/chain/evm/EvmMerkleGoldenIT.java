package io.veridict.chain.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veridict.chain.Bytes32;
import io.veridict.contracts.DevNode;
import io.veridict.contracts.generated.ProofAnchor;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The Merkle golden vectors made by the real {@code @openzeppelin/merkle-tree}
 * ({@code merkle-golden.json}, shared with the Java MerkleBatch tests) verified on chain by
 * {@code ProofAnchor}, i.e. by OpenZeppelin's {@code MerkleProof}: every single-leaf proof, every
 * multiproof, the proof-record leaf hash computed in Solidity, and rejection of tampered proofs and
 * of roots that were never anchored.
 */
final class EvmMerkleGoldenIT {
  private static EvmTestChain chain;
  private static Web3j web3j;
  private static ProofAnchor anchor;

  @BeforeAll
  static void start() throws Exception {
    chain = EvmTestChain.start(DevNode.Options.defaults());
    web3j = Web3j.build(new HttpService(chain.node.rpcUrl()));
    anchor = ProofAnchor.load(chain.contracts.proofAnchor(), web3j,
        new RawTransactionManager(web3j, Credentials.create(DevNode.DEV_KEYS.get(0)), 31337,
            new PollingTransactionReceiptProcessor(web3j, 20, 500)),
        new StaticEIP1559GasProvider(31337, EvmConfig.gwei(10), EvmConfig.gwei(1), BigInteger.valueOf(300_000)));
  }

  @AfterAll
  static void stop() {
    if (web3j != null) {
      web3j.shutdown();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private static JsonNode golden() throws Exception {
    try (InputStream in = EvmMerkleGoldenIT.class.getResourceAsStream("/merkle-golden.json")) {
      assertNotNull(in, "merkle-golden.json is missing from the test resources");
      return new ObjectMapper().readTree(in);
    }
  }

  private static byte[] b(JsonNode hex) {
    return Numeric.hexStringToByteArray(hex.asText());
  }

  private static List<byte[]> list(JsonNode arr) {
    List<byte[]> out = new ArrayList<>();
    arr.forEach(n -> out.add(b(n)));
    return out;
  }

  @Test
  void everyGoldenProof_verifiesOnChain_andTamperedOnesDoNot() throws Exception {
    int proofs = 0;
    int multiproofs = 0;
    int recordLeaves = 0;
    JsonNode cases = golden().get("cases");
    assertTrue(cases.size() >= 10);
    for (JsonNode c : cases) {
      byte[] root = b(c.get("root"));
      JsonNode leaves = c.get("leaves");
      byte[] firstLeaf = b(leaves.get(0).get("leafHash"));
      List<byte[]> firstProof = list(leaves.get(0).get("proof"));
      // before anchoring, a valid proof proves nothing
      assertFalse(anchor.verifyInclusion(root, firstProof, firstLeaf).send(), c.get("name").asText());
      assertTrue(anchor.anchorBatch(root, BigInteger.valueOf(leaves.size()), Bytes32.ZERO.toByteArray())
          .send().isStatusOK());
      for (JsonNode leaf : leaves) {
        byte[] leafHash = b(leaf.get("leafHash"));
        List<byte[]> proof = list(leaf.get("proof"));
        assertTrue(anchor.verifyInclusion(root, proof, leafHash).send(),
            c.get("name").asText() + " leaf " + leaf.get("treeIndex"));
        proofs++;
        if (!proof.isEmpty()) {
          byte[] bad = proof.get(0).clone();
          bad[31] ^= 1;
          List<byte[]> tampered = new ArrayList<>(proof);
          tampered.set(0, bad);
          assertFalse(anchor.verifyInclusion(root, tampered, leafHash).send());
        }
        byte[] otherLeaf = leafHash.clone();
        otherLeaf[0] ^= (byte) 0x80;
        assertFalse(anchor.verifyInclusion(root, proof, otherLeaf).send());
        if (c.get("leafEncoding").size() == 6) {
          // the Veridict proof record: Solidity computes the same double-hashed leaf as OZ's JS
          JsonNode v = leaf.get("value");
          byte[] computed = anchor.recordLeaf(b(v.get(0)), b(v.get(1)), b(v.get(2)), b(v.get(3)),
              b(v.get(4)), v.get(5).asText()).send();
          assertEquals(Numeric.toHexString(leafHash), Numeric.toHexString(computed));
          recordLeaves++;
        }
      }
      JsonNode mp = c.get("multiProof");
      if (mp != null) {
        List<Boolean> flags = new ArrayList<>();
        mp.get("proofFlags").forEach(f -> flags.add(f.asBoolean()));
        assertTrue(anchor.verifyMultiInclusion(root, list(mp.get("proof")), flags,
            list(mp.get("leafHashes"))).send(), c.get("name") + " multiproof");
        multiproofs++;
      }
    }
    assertTrue(proofs > 90, "proofs checked: " + proofs);
    assertTrue(multiproofs >= 5 && recordLeaves > 80);
  }
}
