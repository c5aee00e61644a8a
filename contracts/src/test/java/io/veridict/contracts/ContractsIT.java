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
  /** The verifier service's key: on the gate it holds VERIFIER_ROLE and nothing else. */
  private static final int VERIFIER = 4;

  private static AnvilChain chain;
  private static final GasReport GAS = new GasReport();

  private ModelRegistry registry;
  private ProofAnchor anchor;
  private EligibilityGate gate;
  private LendingPool pool;

  private static final byte[] MODEL = b32("model-v1");
  private static final byte[] AIR = b32("air");
  private static final byte[] POLICY = b32("policy-700");
  private static final BigInteger HALF_BITS = BigInteger.valueOf(Double.doubleToLongBits(0.5));
  private static final BigInteger CIRCUIT_T = BigInteger.valueOf(7_411);
  private static final BigInteger MAX_VALIDITY = BigInteger.valueOf(30L * 86_400);
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
    // admin (role management, 1-day transfer delay) also holds POLICY_ADMIN and PAUSER here; the
    // verifier is a key of its own
    gate =
        EligibilityGate.deploy(
                chain.web3j, chain.tx(ADMIN), chain.gas(), admin, BigInteger.valueOf(86_400), admin,
                chain.account(VERIFIER).getAddress(), admin, registry.getContractAddress())
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

  /** A fresh nonce hash per statement, so no two statements of a test share a fact. */
  static byte[] freshFact() {
    return b32("nonce-" + (factCounter++));
  }

  private TransactionReceipt register(byte[] commitment) throws Exception {
    TransactionReceipt r =
        registry.register(commitment, AIR, b32("meta"), "ipfs://meta").send();
    assertOk(r);
    return GAS.add("ModelRegistry.register", r);
  }

  private void bindPolicy() throws Exception {
    register(MODEL);
    assertOk(GAS.add("EligibilityGate.setPolicy",
        gate.setPolicy(POLICY, MODEL, BigInteger.ZERO, HALF_BITS, CIRCUIT_T, MAX_VALIDITY).send()));
  }

  /** The gate as the verifier service's key. */
  private EligibilityGate asVerifier() {
    return EligibilityGate.load(gate.getContractAddress(), chain.web3j, chain.tx(VERIFIER), chain.gas());
  }

  /** A statement the policy accepts, for {@code borrower}, with a fresh nonce. */
  private EligibilityGate.DecisionStatement statement(int borrower) {
    return statement(chain.account(borrower).getAddress(), MODEL, HALF_BITS, CIRCUIT_T, AnvilChain.CHAIN_ID);
  }

  private EligibilityGate.DecisionStatement statement(
      String borrower, byte[] model, BigInteger thresholdBits, BigInteger circuitThreshold, long chainId) {
    byte[] nonce = freshFact();
    return new EligibilityGate.DecisionStatement(BigInteger.TWO, AIR, model, Hash.sha3(nonce), BigInteger.ZERO,
        thresholdBits, circuitThreshold, true, BigInteger.valueOf(chainId), borrower, POLICY, nonce,
        BigInteger.ZERO);
  }

  /** Grants a fresh statement for {@code borrower}; returns {validUntil, fact}. */
  private Object[] grantFresh(int borrower, long validFor) throws Exception {
    EligibilityGate.DecisionStatement s = statement(borrower);
    long until = chain.latestTimestamp() + validFor;
    TransactionReceipt r = asVerifier().grant(s, BigInteger.valueOf(until)).send();
    assertOk(r);
    GAS.add("EligibilityGate.grant", r);
    return new Object[] {until, gate.factOf(s).send()};
  }

  private long grant(int borrower, long validFor) throws Exception {
    return (long) grantFresh(borrower, validFor)[0];
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
        gate.grant(statement(STRANGER), BigInteger.valueOf(chain.latestTimestamp() + 100))
            .encodeFunctionCall(),
        err);
    // the admin is not a verifier: one key no longer holds every role
    chain.assertReverts(
        ADMIN, gate.getContractAddress(),
        gate.grant(statement(BORROWER), BigInteger.valueOf(chain.latestTimestamp() + 100))
            .encodeFunctionCall(),
        err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(),
        gate.reinstate(stranger, POLICY, "x").encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(),
        gate.revoke(stranger, POLICY, "x").encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(), gate.pause().encodeFunctionCall(), err);
    chain.assertReverts(
        STRANGER, gate.getContractAddress(),
        gate.setPolicyModel(POLICY, MODEL).encodeFunctionCall(), err);
    chain.assertReverts(
        VERIFIER, gate.getContractAddress(),
        gate.setPolicy(POLICY, MODEL, BigInteger.ZERO, HALF_BITS, CIRCUIT_T, MAX_VALIDITY).encodeFunctionCall(), err);
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

  private static final String GRANTED =
      "EligibilityGranted(address,bytes32,bytes32,(uint32,bytes32,bytes32,bytes32,uint8,uint64,int64,bool,uint64,address,bytes32,bytes32,uint64),uint64,uint32,address)";
  private static final String REVOKED = "EligibilityRevoked(address,bytes32,bytes32,uint32,address,string)";

  @Test
  void grant_isEligibleUntilExpiry_exactlyAtValidUntilIsExpired() throws Exception {
    bindPolicy();
    Object[] g = grantFresh(BORROWER, 1000);
    long until = (long) g[0];
    byte[] fact = (byte[]) g[1];
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

  /**
   * Issue 21, finding 1 on a real node: the bundle with an unregistered scorecard, threshold
   * -1000000 and chain id 1 for anvil's account #1 is refused for each defect, nothing is recorded,
   * and the pool refuses the loan.
   */
  @Test
  void issueBundle_unregisteredModel_minusMillionThreshold_chainOne_refused_andBorrowFails() throws Exception {
    bindPolicy();
    String account1 = chain.account(STRANGER).getAddress(); // anvil's account #1
    BigInteger until = BigInteger.valueOf(chain.latestTimestamp() + 1000);
    BigInteger minusMillion = new BigInteger(Long.toUnsignedString(Double.doubleToLongBits(-1_000_000.0)));
    String g = gate.getContractAddress();
    chain.assertReverts(VERIFIER, g, gate.grant(statement(account1, b32("unregistered scorecard"), HALF_BITS,
        CIRCUIT_T, AnvilChain.CHAIN_ID), until).encodeFunctionCall(), "ModelMismatch(bytes32,bytes32)");
    chain.assertReverts(VERIFIER, g, gate.grant(statement(account1, MODEL, minusMillion,
        BigInteger.valueOf(-65_536_000_000L), AnvilChain.CHAIN_ID), until).encodeFunctionCall(),
        "ThresholdRuleMismatch(bytes32)");
    chain.assertReverts(VERIFIER, g, gate.grant(statement(account1, MODEL, HALF_BITS, CIRCUIT_T, 1), until)
        .encodeFunctionCall(), "WrongChain(uint64,uint256)");
    assertEquals(BigInteger.ZERO, gate.recordCount(account1, POLICY).send());
    assertOk(pool.deposit(BigInteger.TEN.pow(18)).send());
    chain.assertReverts(STRANGER, pool.getContractAddress(), pool.borrow(BigInteger.TEN.pow(18)).encodeFunctionCall(),
        "NotEligible(address,bytes32)");
  }

  @Test
  void grant_factIsComputedByTheGate_andTheEventCarriesTheWholeStatement() throws Exception {
    bindPolicy();
    EligibilityGate.DecisionStatement s = statement(BORROWER);
    long until = chain.latestTimestamp() + 1000;
    TransactionReceipt r = asVerifier().grant(s, BigInteger.valueOf(until)).send();
    assertOk(r);
    GAS.add("EligibilityGate.grant", r);
    byte[] fact = gate.factOf(s).send();
    assertTrue(gate.isFactUsed(fact).send());
    List<EligibilityGate.EligibilityGrantedEventResponse> events = gate.getEligibilityGrantedEvents(r);
    assertEquals(1, events.size());
    EligibilityGate.EligibilityGrantedEventResponse e = events.get(0);
    assertArrayEquals(fact, e.fact);
    assertArrayEquals(MODEL, e.statement.modelCommitment);
    assertArrayEquals(AIR, e.statement.airId);
    assertEquals(CIRCUIT_T, e.statement.circuitThreshold);
    assertEquals(BigInteger.valueOf(until), e.validUntil);
    assertEquals(chain.account(VERIFIER).getAddress(), e.verifier.toLowerCase());
    JsonNode log = null;
    for (JsonNode l : chain.logs(gate.getContractAddress())) {
      if (topics(l).get(0).equals(topic(GRANTED))) {
        log = l;
      }
    }
    assertTrue(log != null, "no EligibilityGranted log");
    assertEquals(Numeric.toHexString(fact), topics(log).get(3));
    // data: 13 statement words, validUntil, version, verifier
    assertEquals(16 * 64, Numeric.cleanHexPrefix(log.get("data").asText()).length());
  }

  @Test
  void revoke_putsThePairOnHold_untilThePolicyAdminReinstates() throws Exception {
    bindPolicy();
    String borrower = chain.account(BORROWER).getAddress();
    EligibilityGate.DecisionStatement older = statement(BORROWER); // obtained before the revocation
    byte[] first = (byte[]) grantFresh(BORROWER, 10_000)[1];
    TransactionReceipt r = asVerifier().revoke(borrower, POLICY, "fraud review").send();
    assertOk(r);
    GAS.add("EligibilityGate.revoke", r);
    assertFalse(eligible(BORROWER));
    assertTrue(gate.heldSince(borrower, POLICY).send().signum() > 0);
    EligibilityGate.Record rec = gate.recordAt(borrower, POLICY, BigInteger.ZERO).send();
    assertArrayEquals(first, rec.fact);
    assertTrue(rec.revokedAt.signum() > 0);
    assertArrayEquals(MODEL, rec.modelCommitment);
    String g = gate.getContractAddress();
    chain.assertReverts(VERIFIER, g, gate.revoke(borrower, POLICY, "again").encodeFunctionCall(),
        "NothingToRevoke(address,bytes32)");
    BigInteger until = BigInteger.valueOf(chain.latestTimestamp() + 1000);
    chain.assertReverts(VERIFIER, g, gate.grant(older, until).encodeFunctionCall(),
        "GrantsOnHold(address,bytes32,uint64)");
    chain.assertReverts(VERIFIER, g, gate.reinstate(borrower, POLICY, "mine").encodeFunctionCall(),
        "AccessControlUnauthorizedAccount(address,bytes32)");
    assertOk(GAS.add("EligibilityGate.reinstate", gate.reinstate(borrower, POLICY, "review cleared").send()));
    assertOk(GAS.add("EligibilityGate.grant", asVerifier().grant(older, until).send()));
    assertTrue(eligible(BORROWER));
    assertEquals(BigInteger.TWO, gate.recordCount(borrower, POLICY).send());

    int grants = 0;
    int revocations = 0;
    for (JsonNode l : chain.logs(gate.getContractAddress())) {
      String t0 = topics(l).get(0);
      if (t0.equals(topic(GRANTED))) {
        grants++;
        assertEquals(addrTopic(borrower), topics(l).get(1));
      } else if (t0.equals(topic(REVOKED))) {
        revocations++;
        assertEquals(Numeric.toHexString(first), topics(l).get(3));
      }
    }
    assertEquals(2, grants);
    assertEquals(1, revocations);
  }

  @Test
  void grant_sameStatementTwice_isRejected_replay() throws Exception {
    bindPolicy();
    EligibilityGate.DecisionStatement s = statement(BORROWER);
    BigInteger until = BigInteger.valueOf(chain.latestTimestamp() + 1000);
    assertOk(asVerifier().grant(s, until).send());
    chain.assertReverts(VERIFIER, gate.getContractAddress(), gate.grant(s, until).encodeFunctionCall(),
        "FactAlreadyUsed(bytes32)");
  }

  @Test
  void grant_rejectsExpiredUnboundedUnknownPolicyAndRuleless() throws Exception {
    bindPolicy();
    String g = gate.getContractAddress();
    long now = chain.latestTimestamp();
    chain.assertReverts(VERIFIER, g, gate.grant(statement(BORROWER), BigInteger.valueOf(now)).encodeFunctionCall(),
        "AlreadyExpired(uint64,uint64)");
    chain.assertReverts(VERIFIER, g,
        gate.grant(statement(BORROWER), new BigInteger("18446744073709551615")).encodeFunctionCall(),
        "ValidityTooLong(uint64,uint64)");
    EligibilityGate.DecisionStatement other = statement(BORROWER);
    other = new EligibilityGate.DecisionStatement(other.version, other.airId, other.modelCommitment,
        other.inputCommitment, other.direction, other.thresholdBits, other.circuitThreshold, other.decision,
        other.chainId, other.borrower, b32("other-policy"), other.nonceHash, other.expiresAt);
    chain.assertReverts(VERIFIER, g, gate.grant(other, BigInteger.valueOf(now + 100)).encodeFunctionCall(),
        "UnknownPolicy(bytes32)");
    chain.assertReverts(ADMIN, g, gate.setPolicyModel(POLICY, b32("unregistered")).encodeFunctionCall(),
        "ModelNotActive(bytes32)");
    assertOk(GAS.add("EligibilityGate.setPolicyModel", gate.setPolicyModel(POLICY, MODEL).send()));
    chain.assertReverts(VERIFIER, g, gate.grant(statement(BORROWER), BigInteger.valueOf(now + 100)).encodeFunctionCall(),
        "PolicyRuleNotSet(bytes32)");
  }

  @Test
  void deprecatedModel_makesExistingGrantIneligible_andBlocksNewGrants() throws Exception {
    bindPolicy();
    grant(BORROWER, 10_000);
    assertTrue(eligible(BORROWER));
    assertOk(registry.deprecate(MODEL, "retrained").send());
    assertFalse(eligible(BORROWER));
    chain.assertReverts(VERIFIER, gate.getContractAddress(),
        gate.grant(statement(OTHER_BORROWER), BigInteger.valueOf(chain.latestTimestamp() + 100))
            .encodeFunctionCall(),
        "ModelNotActive(bytes32)");
    // rebinding the policy to a new model does not revive grants made with the old one, and a
    // statement of the old model is refused under the new binding
    byte[] v2 = b32("model-v2");
    register(v2);
    assertOk(gate.setPolicy(POLICY, v2, BigInteger.ZERO, HALF_BITS, CIRCUIT_T, MAX_VALIDITY).send());
    assertFalse(eligible(BORROWER));
    chain.assertReverts(VERIFIER, gate.getContractAddress(),
        gate.grant(statement(OTHER_BORROWER), BigInteger.valueOf(chain.latestTimestamp() + 100))
            .encodeFunctionCall(),
        "ModelMismatch(bytes32,bytes32)");
    EligibilityGate.DecisionStatement s2 = statement(chain.account(OTHER_BORROWER).getAddress(), v2, HALF_BITS,
        CIRCUIT_T, AnvilChain.CHAIN_ID);
    assertOk(asVerifier().grant(s2, BigInteger.valueOf(chain.latestTimestamp() + 10_000)).send());
    assertTrue(eligible(OTHER_BORROWER));
  }

  @Test
  void pause_failsClosed_blocksGrants_allowsRevocation() throws Exception {
    bindPolicy();
    String borrower = chain.account(BORROWER).getAddress();
    grant(BORROWER, 10_000);
    assertOk(GAS.add("EligibilityGate.pause", gate.pause().send()));
    assertTrue(gate.paused().send());
    assertFalse(eligible(BORROWER));
    chain.assertReverts(VERIFIER, gate.getContractAddress(),
        gate.grant(statement(OTHER_BORROWER), BigInteger.valueOf(chain.latestTimestamp() + 100))
            .encodeFunctionCall(),
        "EnforcedPause()");
    assertOk(GAS.add("EligibilityGate.unpause", gate.unpause().send()));
    assertTrue(eligible(BORROWER));
    assertOk(gate.pause().send());
    assertOk(asVerifier().revoke(borrower, POLICY, "incident").send());
    assertOk(gate.unpause().send());
    assertFalse(eligible(BORROWER));
  }

  @Test
  void inclusion_emptyProofOrNoLeaves_isFalseForABatchOfMoreThanOne() throws Exception {
    byte[] a = b32("leaf-a");
    byte[] b = b32("leaf-b");
    boolean aFirst = HexFormat.of().formatHex(a).compareTo(HexFormat.of().formatHex(b)) < 0;
    byte[] root = Hash.sha3(concat(aFirst ? a : b, aFirst ? b : a));
    assertOk(anchor.anchorBatch(root, BigInteger.TWO, b32("m")).send());
    assertFalse(anchor.verifyInclusion(root, List.of(), root).send());
    assertFalse(anchor.verifyMultiInclusion(root, List.of(root), List.of(), List.of()).send());
    assertFalse(anchor.verifyMultiInclusion(root, List.of(), List.of(), List.of(root)).send());
    assertTrue(anchor.verifyMultiInclusion(root, List.of(), List.of(true), List.of(a, b)).send());
  }

  // ---- lending pool

  @Test
  void lendingPool_lendsToEligible_refusesOthers_andAfterRevocation() throws Exception {
    bindPolicy();
    BigInteger oneEth = BigInteger.TEN.pow(18);
    assertOk(GAS.add("LendingPool.deposit", pool.deposit(oneEth.multiply(BigInteger.valueOf(5))).send()));
    grant(BORROWER, 10_000);
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
    assertOk(asVerifier().revoke(borrower, POLICY, "review").send());
    chain.assertReverts(BORROWER, pool.getContractAddress(),
        pool.borrow(oneEth).encodeFunctionCall(), "NotEligible(address,bytes32)");
  }
}
