package io.veridict.contracts;

import static io.veridict.contracts.AnvilChain.assertOk;
import static io.veridict.contracts.AnvilChain.topic;
import static io.veridict.contracts.AnvilChain.topics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.contracts.generated.EligibilityGate;
import io.veridict.contracts.generated.LendingPool;
import io.veridict.contracts.generated.ModelRegistry;
import io.veridict.contracts.generated.ProofAnchor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.utils.Numeric;

/**
 * The four contracts on a real anvil through the generated wrappers: roles, registry lifecycle,
 * anchoring with raw {@code eth_getLogs} checks, eligibility (grant, expiry, revocation with
 * history, replay, deprecated model, pause) and the example lending pool. Records gas per function.
 */
final class ContractsIT {
  private static final int ADMIN = 0;
  private static final int STRANGER = 1;
  private static final int BORROWER = 2;
  private static final int OTHER_BORROWER = 3;

  private static AnvilChain chain;
  private static final GasReport GAS = new GasReport();

  private ModelRegistry registry;
  private ProofAnchor anchor;
  private EligibilityGate gate;
  private LendingPool pool;

  private static final byte[] MODEL = b32("model-v1");
  private static final byte[] AIR = b32("air");
  private static final byte[] POLICY = b32("policy-700");
  private static int factCounter;

  @BeforeAll
  static void startAnvil() throws Exception {
    chain = AnvilChain.start();
  }

  @AfterAll
  static void stopAnvil() throws Exception {
    try {
      GAS.write();
    } finally {
      if (chain != null) {
        chain.close();
      }
    }
  }

  @BeforeEach
  void deploy() throws Exception {
    String admin = chain.account(ADMIN).getAddress();
    registry = ModelRegistry.deploy(chain.web3j, chain.tx(ADMIN), chain.gas(), admin).send();
    anchor = ProofAnchor.deploy(chain.web3j, chain.tx(ADMIN), chain.gas(), admin).send();
    gate =
        EligibilityGate.deploy(
                chain.web3j, chain.tx(ADMIN), chain.gas(), admin, registry.getContractAddress())
            .send();
    pool =
        LendingPool.deploy(
                chain.web3j,
                chain.tx(ADMIN),
                chain.gas(),
                gate.getContractAddress(),
                POLICY,
                BigInteger.TEN.pow(18))
            .send();
    GAS.add("ModelRegistry.<deploy>", registry.getTransactionReceipt().orElseThrow());
    GAS.add("ProofAnchor.<deploy>", anchor.getTransactionReceipt().orElseThrow());
    GAS.add("EligibilityGate.<deploy>", gate.getTransactionReceipt().orElseThrow());
    GAS.add("LendingPool.<deploy>", pool.getTransactionReceipt().orElseThrow());
  }

  // ---- helpers

  static byte[] b32(String label) {
    return Hash.sha3(label.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] freshFact() {
    return b32("fact-" + (factCounter++));
  }

  private TransactionReceipt register(byte[] commitment) throws Exception {
    TransactionReceipt r =
        registry.register(commitment, AIR, b32("meta"), "ipfs://meta").send();
    assertOk(r);
    return GAS.add("ModelRegistry.register", r);
  }

  private void bindPolicy() throws Exception {
    register(MODEL);
    assertOk(GAS.add("EligibilityGate.setPolicyModel", gate.setPolicyModel(POLICY, MODEL).send()));
  }

  private long grant(int borrower, byte[] fact, long validFor) throws Exception {
    long until = chain.latestTimestamp() + validFor;
    TransactionReceipt r =
        gate.grant(chain.account(borrower).getAddress(), POLICY, fact, BigInteger.valueOf(until))
            .send();
    assertOk(r);
    GAS.add("EligibilityGate.grant", r);
    return until;
  }

  private boolean eligible(int borrower) throws Exception {
    return gate.isEligible(chain.account(borrower).getAddress(), POLICY).send().component1();
  }

  private static String word(long v) {
    return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(v), 64);
  }

  private static String addrTopic(String address) {
    return "0x" + "0".repeat(24) + Numeric.cleanHexPrefix(address).toLowerCase();
  }

  // ---- access control

  @Test
  void everyStateChange_byAccountWithoutRole_revertsWithAccessControlError() throws Exception {
    bindPolicy();
    String err = "AccessControlUnauthorizedAccount(address,bytes32)";
    String stranger = chain.account(STRANGER).getAddress();
    String data =
        chain.assertReverts(
            STRANGER,
            registry.getContractAddress(),
            registry.register(b32("m2"), AIR, b32("x"), "").encodeFunctionCall(),
            err);
    // the error names the caller and the missing role
    assertTrue(data.contains(Numeric.cleanHexPrefix(stranger).toLowerCase()));
    assertTrue(data.endsWith(Numeric.toHexStringNoPrefix(registry.REGISTRAR_ROLE().send())));
    chain.assertReverts(
        STRANGER, registry.getContractAddress(),
        registry.deprecate(MODEL, "x").encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, anchor.getContractAddress(),
        anchor.anchorBatch(b32("r"), BigInteger.ONE, b32("m")).encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(),
        gate.grant(stranger, POLICY, freshFact(), BigInteger.valueOf(Long.MAX_VALUE >>> 1))
            .encodeFunctionCall(),
        err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(),
        gate.revoke(stranger, POLICY, "x").encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(), gate.pause().encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(),
        gate.setPolicyModel(POLICY, MODEL).encodeFunctionCall(), err);
  }

  @Test
  void revertedTransaction_isMinedWithStatusZero_andChangesNothing() throws Exception {
    ProofAnchor asStranger =
        ProofAnchor.load(anchor.getContractAddress(), chain.web3j, chain.tx(STRANGER), chain.gas());
    assertThrows(
        TransactionException.class,
        () -> asStranger.anchorBatch(b32("r"), BigInteger.ONE, b32("m")).send());
    assertEquals(BigInteger.ZERO, anchor.batchCount().send());
  }

  @Test
  void grantedRole_canAct_andRevokedRole_cannot() throws Exception {
    String stranger = chain.account(STRANGER).getAddress();
    assertOk(anchor.grantRole(anchor.ANCHORER_ROLE().send(), stranger).send());
    ProofAnchor asStranger =
        ProofAnchor.load(anchor.getContractAddress(), chain.web3j, chain.tx(STRANGER), chain.gas());
    assertOk(asStranger.anchorBatch(b32("r1"), BigInteger.ONE, b32("m")).send());
    assertOk(anchor.revokeRole(anchor.ANCHORER_ROLE().send(), stranger).send());
    chain.assertReverts(
        STRANGER, anchor.getContractAddress(),
        anchor.anchorBatch(b32("r2"), BigInteger.ONE, b32("m")).encodeFunctionCall(),
        "AccessControlUnauthorizedAccount(address,bytes32)");
  }

  // ---- model registry

  @Test
  void register_thenActive_andEventCarriesAllFields() throws Exception {
    TransactionReceipt r = register(MODEL);
    assertTrue(registry.isActive(MODEL).send());
    assertTrue(registry.isRegistered(MODEL).send());
    assertEquals(BigInteger.ONE, registry.modelCount().send());
    assertArrayEquals(MODEL, registry.commitmentAt(BigInteger.ZERO).send());
    ModelRegistry.ModelVersion v = registry.getModel(MODEL).send();
    assertArrayEquals(AIR, v.airId);
    assertEquals("ipfs://meta", v.metadataUri);
    assertEquals(chain.account(ADMIN).getAddress(), v.registrar.toLowerCase());

    JsonNode logs = chain.logs(registry.getContractAddress());
    JsonNode log = null;
    for (JsonNode l : logs) {
      if (topics(l).get(0).equals(topic("ModelRegistered(bytes32,bytes32,address,uint32,bytes32,string)"))) {
        log = l;
      }
    }
    assertTrue(log != null, "no ModelRegistered log");
    List<String> t = topics(log);
    assertEquals(Numeric.toHexString(MODEL), t.get(1));
    assertEquals(Numeric.toHexString(AIR), t.get(2));
    assertEquals(addrTopic(chain.account(ADMIN).getAddress()), t.get(3));
    assertEquals(r.getTransactionHash(), log.get("transactionHash").asText());
    String data = Numeric.cleanHexPrefix(log.get("data").asText());
    assertEquals(Numeric.cleanHexPrefix(word(0)), data.substring(0, 64)); // index
    assertEquals(Numeric.toHexStringNoPrefix(b32("meta")), data.substring(64, 128));
  }

  @Test
  void deprecate_keepsTheRecord_butNotActive_andNeverTwice() throws Exception {
    register(MODEL);
    assertOk(GAS.add("ModelRegistry.deprecate", registry.deprecate(MODEL, "drift").send()));
    assertFalse(registry.isActive(MODEL).send());
    assertTrue(registry.isRegistered(MODEL).send());
    ModelRegistry.ModelVersion v = registry.getModel(MODEL).send();
    assertEquals("drift", v.deprecationReason);
    assertTrue(v.deprecatedAt.signum() > 0);
    String admin = registry.getContractAddress();
    chain.assertReverts(ADMIN, admin, registry.deprecate(MODEL, "again").encodeFunctionCall(),
        "ModelAlreadyDeprecated(bytes32,uint64)");
    chain.assertReverts(ADMIN, admin, registry.deprecate(b32("nope"), "x").encodeFunctionCall(),
        "UnknownModel(bytes32)");
    chain.assertReverts(ADMIN, admin,
        registry.register(MODEL, AIR, b32("m"), "").encodeFunctionCall(),
        "ModelAlreadyRegistered(bytes32)");
    chain.assertReverts(ADMIN, admin,
        registry.register(new byte[32], AIR, b32("m"), "").encodeFunctionCall(), "ZeroCommitment()");
  }

  // ---- proof anchor

  @Test
  void anchorBatch_lookups_andRawLogFields() throws Exception {
    byte[] root = b32("root-1");
    TransactionReceipt r =
        GAS.add("ProofAnchor.anchorBatch", anchor.anchorBatch(root, BigInteger.valueOf(100), b32("manifest")).send());
    assertOk(r);
    assertTrue(anchor.isAnchored(root).send());
    assertFalse(anchor.isAnchored(b32("root-2")).send());
    ProofAnchor.Batch b = anchor.getBatch(root).send();
    assertEquals(BigInteger.valueOf(100), b.leafCount);
    assertArrayEquals(b32("manifest"), b.metaHash);
    assertEquals(r.getBlockNumber(), b.blockNumber);
    assertEquals(BigInteger.ONE, anchor.batchCount().send());
    assertArrayEquals(root, anchor.rootAt(BigInteger.ZERO).send());

    JsonNode logs = chain.logs(anchor.getContractAddress());
    JsonNode log = null;
    for (JsonNode l : logs) {
      if (topics(l).get(0).equals(topic("BatchAnchored(bytes32,uint64,address,uint32,bytes32)"))) {
        log = l;
      }
    }
    assertTrue(log != null, "no BatchAnchored log");
    List<String> t = topics(log);
    assertEquals(Numeric.toHexString(root), t.get(1));
    assertEquals(word(0), t.get(2));
    assertEquals(addrTopic(chain.account(ADMIN).getAddress()), t.get(3));
    assertEquals(
        Numeric.cleanHexPrefix(word(100)) + Numeric.toHexStringNoPrefix(b32("manifest")),
        Numeric.cleanHexPrefix(log.get("data").asText()));
    assertFalse(log.get("removed").asBoolean());
  }

  @Test
  void anchorBatch_rejectsDuplicateZeroAndEmpty() throws Exception {
    byte[] root = b32("root-1");
    assertOk(anchor.anchorBatch(root, BigInteger.ONE, b32("m")).send());
    String a = anchor.getContractAddress();
    String data = chain.assertReverts(ADMIN, a,
        anchor.anchorBatch(root, BigInteger.TWO, b32("m2")).encodeFunctionCall(),
        "RootAlreadyAnchored(bytes32,uint64)");
    assertTrue(data.endsWith(Numeric.cleanHexPrefix(word(0))));
    chain.assertReverts(ADMIN, a,
        anchor.anchorBatch(new byte[32], BigInteger.ONE, b32("m")).encodeFunctionCall(), "ZeroRoot()");
    chain.assertReverts(ADMIN, a,
        anchor.anchorBatch(b32("r9"), BigInteger.ZERO, b32("m")).encodeFunctionCall(), "EmptyBatch()");
    chain.assertReverts(ADMIN, a, anchor.getBatch(b32("r9")).encodeFunctionCall(), "UnknownRoot(bytes32)");
  }

  @Test
  void verifyInclusion_sortedPairTree_andUnanchoredRootIsFalse() throws Exception {
    // Two leaves: the OpenZeppelin root is keccak(sorted(a, b)); the proof of a is [b].
    byte[] a = b32("leaf-a");
    byte[] b = b32("leaf-b");
    boolean aFirst = HexFormat.of().formatHex(a).compareTo(HexFormat.of().formatHex(b)) < 0;
    byte[] root = Hash.sha3(concat(aFirst ? a : b, aFirst ? b : a));
    assertFalse(anchor.verifyInclusion(root, List.of(b), a).send());
    assertOk(anchor.anchorBatch(root, BigInteger.TWO, b32("m")).send());
    assertTrue(anchor.verifyInclusion(root, List.of(b), a).send());
    assertTrue(anchor.verifyInclusion(root, List.of(a), b).send());
    assertFalse(anchor.verifyInclusion(root, List.of(a), a).send());
  }

  static byte[] concat(byte[] x, byte[] y) {
    byte[] r = new byte[x.length + y.length];
    System.arraycopy(x, 0, r, 0, x.length);
    System.arraycopy(y, 0, r, x.length, y.length);
    return r;
  }

  // ---- eligibility gate

  @Test
  void grant_isEligibleUntilExpiry_exactlyAtValidUntilIsExpired() throws Exception {
    bindPolicy();
    byte[] fact = freshFact();
    long until = grant(BORROWER, fact, 1000);
    var status = gate.isEligible(chain.account(BORROWER).getAddress(), POLICY).send();
    assertTrue(status.component1());
    assertEquals(BigInteger.valueOf(until), status.component2());
    assertArrayEquals(fact, status.component3());
    assertFalse(eligible(OTHER_BORROWER));

    chain.advanceTime(until - chain.latestTimestamp() - 1); // one second before
    assertTrue(eligible(BORROWER));
    chain.advanceTime(1); // at validUntil
    assertFalse(eligible(BORROWER));
    // the record and its fact are still returned, so a caller can tell why
    assertArrayEquals(fact, gate.isEligible(chain.account(BORROWER).getAddress(), POLICY).send().component3());
  }

  @Test
  void revoke_keepsHistory_andNewGrantAfterwardsCounts() throws Exception {
    bindPolicy();
    String borrower = chain.account(BORROWER).getAddress();
    byte[] first = freshFact();
    grant(BORROWER, first, 10_000);
    TransactionReceipt r = gate.revoke(borrower, POLICY, "fraud review").send();
    assertOk(r);
    GAS.add("EligibilityGate.revoke", r);
    assertFalse(eligible(BORROWER));
    assertEquals(BigInteger.ONE, gate.recordCount(borrower, POLICY).send());
    EligibilityGate.Record rec = gate.recordAt(borrower, POLICY, BigInteger.ZERO).send();
    assertArrayEquals(first, rec.fact);
    assertTrue(rec.revokedAt.signum() > 0);
    assertArrayEquals(MODEL, rec.modelCommitment);
    chain.assertReverts(ADMIN, gate.getContractAddress(),
        gate.revoke(borrower, POLICY, "again").encodeFunctionCall(), "NothingToRevoke(address,bytes32)");

    byte[] second = freshFact();
    grant(BORROWER, second, 10_000);
    assertTrue(eligible(BORROWER));
    assertEquals(BigInteger.TWO, gate.recordCount(borrower, POLICY).send());
    assertTrue(gate.recordAt(borrower, POLICY, BigInteger.ZERO).send().revokedAt.signum() > 0);

    // the whole history is in the logs: 2 grants and 1 revocation, with the revoked fact indexed
    int grants = 0;
    int revocations = 0;
    for (JsonNode l : chain.logs(gate.getContractAddress())) {
      String t0 = topics(l).get(0);
      if (t0.equals(topic("EligibilityGranted(address,bytes32,bytes32,bytes32,uint64,uint32,address)"))) {
        grants++;
        assertEquals(addrTopic(borrower), topics(l).get(1));
      } else if (t0.equals(topic("EligibilityRevoked(address,bytes32,bytes32,uint32,address,string)"))) {
        revocations++;
        assertEquals(Numeric.toHexString(first), topics(l).get(3));
      }
    }
    assertEquals(2, grants);
    assertEquals(1, revocations);
  }

  @Test
  void grant_sameFactTwice_isRejectedEvenForAnotherBorrower_replay() throws Exception {
    bindPolicy();
    byte[] fact = freshFact();
    grant(BORROWER, fact, 1000);
    assertTrue(gate.isFactUsed(fact).send());
    long until = chain.latestTimestamp() + 1000;
    for (int who : new int[] {BORROWER, OTHER_BORROWER}) {
      chain.assertReverts(ADMIN, gate.getContractAddress(),
          gate.grant(chain.account(who).getAddress(), POLICY, fact, BigInteger.valueOf(until))
              .encodeFunctionCall(),
          "FactAlreadyUsed(bytes32)");
    }
  }

  @Test
  void grant_rejectsExpiredZeroFactZeroBorrowerAndUnknownPolicy() throws Exception {
    bindPolicy();
    String g = gate.getContractAddress();
    String borrower = chain.account(BORROWER).getAddress();
    long now = chain.latestTimestamp();
    chain.assertReverts(ADMIN, g,
        gate.grant(borrower, POLICY, freshFact(), BigInteger.valueOf(now)).encodeFunctionCall(),
        "AlreadyExpired(uint64,uint64)");
    chain.assertReverts(ADMIN, g,
        gate.grant(borrower, POLICY, new byte[32], BigInteger.valueOf(now + 100)).encodeFunctionCall(),
        "ZeroFact()");
    chain.assertReverts(ADMIN, g,
        gate.grant("0x0000000000000000000000000000000000000000", POLICY, freshFact(),
            BigInteger.valueOf(now + 100)).encodeFunctionCall(),
        "ZeroBorrower()");
    chain.assertReverts(ADMIN, g,
        gate.grant(borrower, b32("other-policy"), freshFact(), BigInteger.valueOf(now + 100))
            .encodeFunctionCall(),
        "UnknownPolicy(bytes32)");
    chain.assertReverts(ADMIN, g,
        gate.setPolicyModel(POLICY, b32("unregistered")).encodeFunctionCall(),
        "ModelNotActive(bytes32)");
  }

  @Test
  void deprecatedModel_makesExistingGrantIneligible_andBlocksNewGrants() throws Exception {
    bindPolicy();
    grant(BORROWER, freshFact(), 10_000);
    assertTrue(eligible(BORROWER));
    assertOk(registry.deprecate(MODEL, "retrained").send());
    assertFalse(eligible(BORROWER));
    chain.assertReverts(ADMIN, gate.getContractAddress(),
        gate.grant(chain.account(OTHER_BORROWER).getAddress(), POLICY, freshFact(),
            BigInteger.valueOf(chain.latestTimestamp() + 100)).encodeFunctionCall(),
        "ModelNotActive(bytes32)");
    // rebinding the policy to a new model does not revive grants made with the old one
    byte[] v2 = b32("model-v2");
    register(v2);
    assertOk(gate.setPolicyModel(POLICY, v2).send());
    assertFalse(eligible(BORROWER));
    grant(OTHER_BORROWER, freshFact(), 10_000);
    assertTrue(eligible(OTHER_BORROWER));
  }

  @Test
  void pause_failsClosed_blocksGrants_allowsRevocation() throws Exception {
    bindPolicy();
    String borrower = chain.account(BORROWER).getAddress();
    grant(BORROWER, freshFact(), 10_000);
    assertOk(GAS.add("EligibilityGate.pause", gate.pause().send()));
    assertTrue(gate.paused().send());
    assertFalse(eligible(BORROWER));
    chain.assertReverts(ADMIN, gate.getContractAddress(),
        gate.grant(chain.account(OTHER_BORROWER).getAddress(), POLICY, freshFact(),
            BigInteger.valueOf(chain.latestTimestamp() + 100)).encodeFunctionCall(),
        "EnforcedPause()");
    assertOk(GAS.add("EligibilityGate.unpause", gate.unpause().send()));
    assertTrue(eligible(BORROWER));
    assertOk(gate.pause().send());
    assertOk(gate.revoke(borrower, POLICY, "incident").send());
    assertOk(gate.unpause().send());
    assertFalse(eligible(BORROWER));
  }

  // ---- lending pool

  @Test
  void lendingPool_lendsToEligible_refusesOthers_andAfterRevocation() throws Exception {
    bindPolicy();
    BigInteger oneEth = BigInteger.TEN.pow(18);
    assertOk(GAS.add("LendingPool.deposit", pool.deposit(oneEth.multiply(BigInteger.valueOf(5))).send()));
    grant(BORROWER, freshFact(), 10_000);
    LendingPool asBorrower =
        LendingPool.load(pool.getContractAddress(), chain.web3j, chain.tx(BORROWER), chain.gas());
    String borrower = chain.account(BORROWER).getAddress();
    BigInteger before = chain.web3j.ethGetBalance(borrower, DefaultBlockParameterName.LATEST).send().getBalance();
    TransactionReceipt r = asBorrower.borrow(oneEth).send();
    assertOk(r);
    GAS.add("LendingPool.borrow", r);
    assertEquals(oneEth, pool.debtOf(borrower).send());
    BigInteger after = chain.web3j.ethGetBalance(borrower, DefaultBlockParameterName.LATEST).send().getBalance();
    assertTrue(after.subtract(before).compareTo(oneEth.divide(BigInteger.TWO)) > 0, "loan paid out");
    assertEquals(1, asBorrower.getBorrowedEvents(r).size());

    // another borrower without a grant is refused
    chain.assertReverts(OTHER_BORROWER, pool.getContractAddress(),
        pool.borrow(oneEth).encodeFunctionCall(), "NotEligible(address,bytes32)");
    // repay, then revoke: refused even though it was eligible before
    assertOk(GAS.add("LendingPool.repay", asBorrower.repay(oneEth).send()));
    assertOk(gate.revoke(borrower, POLICY, "review").send());
    chain.assertReverts(BORROWER, pool.getContractAddress(),
        pool.borrow(oneEth).encodeFunctionCall(), "NotEligible(address,bytes32)");
  }
}
