package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The statement encoding and fact formula against a golden vector shared with the Solidity tests
 * ({@code EligibilityGate.t.sol}, {@code test_hashStatement_goldenVector}) and computed a third
 * time, independently, with the npm {@code js-sha3} Keccak over a hand-written ABI encoding.
 */
class GateStatementKatTest {
  static final GateStatement GOLDEN = new GateStatement(1, Bytes32.fromHex("11".repeat(32)),
      Bytes32.fromHex("22".repeat(32)), Bytes32.fromHex("33".repeat(32)), GateStatement.AT_MOST,
      Double.doubleToLongBits(-1_000_000.0), -42, true, 31337, "0x00000000000000000000000000000000000A11cE",
      Bytes32.of(ProofRecord.keccak("credit-policy-v1".getBytes())), GateStatement.nonceHashOf("nonce-1"),
      1_900_000_000L);

  @Test
  void typehash_structHash_domain_fact_goldenVector() {
    assertEquals("9e4f509ca38fc0350315d0f63791db444c5ca612c4baeda421ce000dd8d2db23", GateStatement.TYPEHASH.toHex());
    assertEquals("2c7f4c38945ce066e58e0b6305ec76b726b7a7e8783fba74af5791ecd0f49d3a", GOLDEN.structHash().toHex());
    EligibilityDomain d = EligibilityDomain.evm(31337, "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
    assertEquals("08965c036af748b1c7c4eed8c07845fc6670f78aa8c19c4871f85f0c07fd350e", d.separator().toHex());
    assertEquals("9045089b05101c08ab6c53718105fb69665f50b093b80dddda883a1ac40577be", GOLDEN.fact(d).toHex());
  }

  @Test
  void abiWords_roundTrip_andSignExtendTheThreshold() {
    byte[] w = GOLDEN.abiWords();
    assertEquals(13 * 32, w.length);
    assertEquals(GOLDEN, GateStatement.fromAbiWords(w, 0));
    for (int i = 0; i < 24; i++) {
      assertEquals((byte) 0xff, w[6 * 32 + i], "int64 -42 is sign-extended");
    }
    assertEquals((byte) 0xd6, w[6 * 32 + 31]);
    Random rnd = new Random(0x5eedL);
    for (int i = 0; i < 2_000; i++) {
      GateStatement s = new GateStatement(rnd.nextInt(Integer.MAX_VALUE), rnd32(rnd), rnd32(rnd), rnd32(rnd),
          rnd.nextInt(2), rnd.nextLong(), rnd.nextLong(), rnd.nextBoolean(), rnd.nextLong() >>> 1,
          "0x" + java.util.HexFormat.of().formatHex(rnd32(rnd).toByteArray(), 0, 20), rnd32(rnd), rnd32(rnd),
          rnd.nextLong() >>> 1);
      assertEquals(s, GateStatement.fromAbiWords(s.abiWords(), 0), "seed 0x5eed, i " + i);
    }
  }

  @Test
  void fromAbiWords_refusesNonCanonicalWords() {
    byte[] w = GOLDEN.abiWords();
    int[][] mutations = {{0, 0}, {4, 30}, {5, 0}, {6, 0}, {7, 30}, {8, 0}, {9, 0}, {12, 0}};
    for (int[] m : mutations) {
      byte[] bad = w.clone();
      bad[m[0] * 32 + m[1]] ^= 0x01;
      assertThrows(IllegalArgumentException.class, () -> GateStatement.fromAbiWords(bad, 0), "word " + m[0]);
    }
  }

  @Test
  void fact_bindsDomain_everyField() {
    EligibilityDomain a = EligibilityDomain.evm(31337, "0x" + "01".repeat(20));
    assertNotEquals(GOLDEN.fact(a), GOLDEN.fact(EligibilityDomain.evm(1, "0x" + "01".repeat(20))), "chain");
    assertNotEquals(GOLDEN.fact(a), GOLDEN.fact(EligibilityDomain.evm(31337, "0x" + "02".repeat(20))), "gate");
    assertNotEquals(GOLDEN.fact(EligibilityDomain.ledger("local:aa")), GOLDEN.fact(EligibilityDomain.ledger("local:ab")),
        "ledger");
    GateStatement other = new GateStatement(1, GOLDEN.airId(), GOLDEN.modelCommitment(), GOLDEN.inputCommitment(),
        GOLDEN.direction(), GOLDEN.thresholdBits(), GOLDEN.circuitThreshold(), true, GOLDEN.chainId(),
        "0x" + "b0".repeat(20), GOLDEN.policyId(), GOLDEN.nonceHash(), GOLDEN.expiresAt());
    assertNotEquals(GOLDEN.fact(a), other.fact(a), "borrower");
    assertArrayEquals(GOLDEN.abiWords(), GateStatement.fromAbiWords(GOLDEN.abiWords(), 0).abiWords());
  }

  private static Bytes32 rnd32(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Bytes32.of(b);
  }
}
