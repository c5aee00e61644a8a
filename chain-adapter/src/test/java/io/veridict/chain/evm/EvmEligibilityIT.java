package io.veridict.chain.evm;

import static io.veridict.chain.evm.EvmTestChain.MODEL;
import static io.veridict.chain.evm.EvmTestChain.POLICY;
import static io.veridict.chain.evm.EvmTestChain.b32;
import static io.veridict.chain.evm.EvmTestChain.registration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.GateStatement;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TestGrants;
import io.veridict.chain.TxStatus;
import io.veridict.contracts.DevNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 through the adapter on a real anvil: the gate refuses what it must before anything is
 * signed, a revocation counts from the block it lands in, the hold and the reinstatement, and
 * the read-only {@link EvmGate} view.
 */
final class EvmEligibilityIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static EvmTestChain chain;

  @BeforeAll
  static void start() throws Exception {
    chain = EvmTestChain.start(DevNode.Options.defaults());
    try (EvmLedgerAnchor a = chain.writer()) {
      assertInstanceOf(TxStatus.Final.class, a.awaitFinal(submit(a, registration(MODEL)), WAIT));
    }
    chain.bindPolicy(POLICY, MODEL);
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  private static PreparedTx submit(EvmLedgerAnchor a, LedgerEntry e) throws LedgerException {
    PreparedTx tx = a.prepare(e);
    a.submit(tx);
    return tx;
  }

  private static void assertFinal(EvmLedgerAnchor a, LedgerEntry e) throws LedgerException {
    assertInstanceOf(TxStatus.Final.class, a.awaitFinal(submit(a, e), WAIT), e.kind());
  }

  private static long now() throws Exception {
    return Long.decode(chain.rpc("eth_getBlockByNumber", "latest", false).get("timestamp").asText());
  }

  @Test
  void prepare_refusesWhatTheGateWouldRevert_beforeANonceIsTaken() throws Exception {
    String who = "0x" + "a1".repeat(20);
    long until = now() + 3_600;
    GateStatement ok = TestGrants.statement(who, POLICY, MODEL, b32("air"), EvmTestChain.CHAIN_ID, 10);
    GateStatement[] bad = {
        TestGrants.statement(who, POLICY, MODEL, b32("air"), 1, 11), // chain id 1
        TestGrants.statement(who, POLICY, b32("unregistered"), b32("air"), EvmTestChain.CHAIN_ID, 12),
        TestGrants.statement(who, POLICY, MODEL, b32("other-air"), EvmTestChain.CHAIN_ID, 13),
        new GateStatement(GateStatement.VERSION, ok.airId(), MODEL, ok.inputCommitment(), 0, Double.doubleToLongBits(-1_000_000.0),
            -65_536_000_000L, true, EvmTestChain.CHAIN_ID, who, POLICY, ok.nonceHash(), 0)};
    String[] errors = {"WrongChain", "ModelMismatch", "AirIdMismatch", "ThresholdRuleMismatch"};
    try (EvmLedgerAnchor a = chain.writer()) {
      long nonce = Long.decode(chain.rpc("eth_getTransactionCount", a.account(), "pending").asText());
      for (int i = 0; i < bad.length; i++) {
        LedgerEntry.EligibilityGrant g = new LedgerEntry.EligibilityGrant(bad[i], until);
        LedgerException e = assertThrows(LedgerException.class, () -> a.prepare(g));
        assertEquals(LedgerException.Reason.REJECTED, e.reason());
        assertTrue(e.getMessage().contains(errors[i]), e.getMessage());
      }
      LedgerException tooLong = assertThrows(LedgerException.class,
          () -> a.prepare(new LedgerEntry.EligibilityGrant(ok, Long.MAX_VALUE)));
      assertTrue(tooLong.getMessage().contains("ValidityTooLong"), tooLong.getMessage());
      assertEquals(nonce, Long.decode(chain.rpc("eth_getTransactionCount", a.account(), "pending").asText()),
          "no nonce was taken, nothing was sent");
    }
  }

  @Test
  void revocation_countsAtTheLatestBlock_holdThenReinstate_andTheGateView() throws Exception {
    String who = "0x" + "b2".repeat(20);
    long until = now() + 3_600;
    LedgerEntry.EligibilityGrant first = EvmTestChain.grant(who, POLICY, MODEL, 20, until);
    LedgerEntry.EligibilityGrant older = EvmTestChain.grant(who, POLICY, MODEL, 21, until);
    try (EvmLedgerAnchor a = chain.writer(); EvmGate gate = EvmGate.connect(chain.config())) {
      assertFinal(a, first);
      Bytes32 fact = first.statement().fact(gate.domain());
      assertTrue(gate.isFactUsed(fact));
      EvmGate.Policy p = gate.policy(POLICY);
      assertEquals(MODEL, p.modelCommitment());
      assertEquals(b32("air"), p.airId());
      assertEquals(7_411, p.circuitThreshold());
      assertTrue(p.ruleSet());
      assertTrue(gate.policy(b32("nope")).isUnknown());
      assertTrue(gate.isModelActive(MODEL));
      // mine a few blocks so a deep confirmation depth still sees the grant as final
      for (int i = 0; i < 6; i++) {
        chain.rpc("evm_mine");
      }
      try (EvmLedgerAnchor deep = EvmLedgerAnchor.connect(chain.config().withConfirmations(5),
          EvmTestChain.key(3))) {
        Instant t = Instant.ofEpochSecond(now());
        assertTrue(deep.eligibility(who, POLICY, t).eligible());
        assertFinal(a, new LedgerEntry.EligibilityRevocation(who, POLICY, "fraud review"));
        // the confirmed block (head - 4) still has the grant; the latest block has the revocation
        assertFalse(deep.eligibility(who, POLICY, t).eligible(), "a fresh revoke is not ignored for 4 blocks");
      }
      assertTrue(gate.heldSince(who, POLICY) > 0);
      LedgerException held = assertThrows(LedgerException.class, () -> a.prepare(older));
      assertTrue(held.getMessage().contains("GrantsOnHold"), held.getMessage());
      LedgerException twice = assertThrows(LedgerException.class,
          () -> a.prepare(new LedgerEntry.EligibilityRevocation(who, POLICY, "again")));
      assertTrue(twice.getMessage().contains("NothingToRevoke"), twice.getMessage());
      assertFinal(a, new LedgerEntry.EligibilityReinstatement(who, POLICY, "review cleared"));
      assertEquals(0, gate.heldSince(who, POLICY));
      assertFinal(a, older);
      assertTrue(a.eligibility(who, POLICY, Instant.ofEpochSecond(now())).eligible());
      String writer = a.account();
      boolean sawReinstatement = false;
      for (Anchored x : a.history(Cursor.START, 1000).entries()) {
        if (x.entry() instanceof LedgerEntry.EligibilityReinstatement r && r.subject().equals(who)) {
          assertEquals(writer, x.writer());
          assertEquals("review cleared", r.reason());
          sawReinstatement = true;
        }
      }
      assertTrue(sawReinstatement);
    }
  }

  @Test
  void gateView_refusesAnotherChainsConfiguration() {
    EvmConfig wrong = EvmConfig.of(chain.config().rpc(), 1, chain.contracts);
    LedgerException e = assertThrows(LedgerException.class, () -> EvmGate.connect(wrong));
    assertEquals(LedgerException.Reason.WRONG_CHAIN, e.reason());
  }
}
