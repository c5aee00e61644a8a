// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {TestBase, Vm} from "./TestBase.sol";
import {ModelRegistry} from "../../main/solidity/ModelRegistry.sol";
import {EligibilityGate} from "../../main/solidity/EligibilityGate.sol";
import {LendingPool} from "../../main/solidity/LendingPool.sol";
import {DecisionStatement} from "../../main/solidity/DecisionStatement.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @notice The findings of issue 21 as attacks on the gate (each must now fail), the rules the gate
///         enforces, and fuzzing of grant inputs.
contract EligibilityGateTest is TestBase {
    ModelRegistry internal registry;
    EligibilityGate internal gate;
    LendingPool internal pool;

    bytes32 internal constant MODEL = keccak256("model-v1");
    bytes32 internal constant MODEL2 = keccak256("model-v2");
    bytes32 internal constant AIR = keccak256("air-1");
    bytes32 internal constant AIR2 = keccak256("air-2");
    bytes32 internal constant POLICY = keccak256("credit-policy-v1");
    uint64 internal constant HALF = 0x3fe0000000000000; // 0.5 as IEEE-754 binary64
    int64 internal constant T = 7_411;
    uint64 internal constant MAX_VALIDITY = 30 days;
    uint256 internal constant START = 1_800_000_000;

    uint256 private nonceCounter;

    function setUp() public {
        vm.warp(START);
        registry = new ModelRegistry(REGISTRAR);
        vm.startPrank(REGISTRAR);
        registry.register(MODEL, AIR, keccak256("meta"), "ipfs://m1");
        registry.register(MODEL2, AIR2, keccak256("meta2"), "ipfs://m2");
        vm.stopPrank();
        gate = new EligibilityGate(ADMIN, 1 days, POLICY_ADMIN, VERIFIER, PAUSER, registry);
        vm.prank(POLICY_ADMIN);
        gate.setPolicy(POLICY, MODEL, 0, HALF, T, MAX_VALIDITY);
        pool = new LendingPool(gate, POLICY, 1 ether);
        vm.deal(address(pool), 10 ether);
    }

    // ---------------------------------------------------------------- helpers

    /// A statement the policy accepts, for `borrower`, with a fresh nonce.
    function statementFor(address borrower) internal returns (DecisionStatement memory s) {
        s = DecisionStatement({
            version: 2,
            airId: AIR,
            modelCommitment: MODEL,
            inputCommitment: keccak256(abi.encode("input", nonceCounter)),
            direction: 0,
            thresholdBits: HALF,
            circuitThreshold: T,
            decision: true,
            chainId: uint64(block.chainid),
            borrower: borrower,
            policyId: POLICY,
            nonceHash: keccak256(abi.encode("nonce", nonceCounter)),
            expiresAt: 0
        });
        nonceCounter++;
    }

    function grant(DecisionStatement memory s, uint64 validUntil) internal returns (bytes32 fact) {
        vm.prank(VERIFIER);
        (fact,) = gate.grant(s, validUntil);
    }

    function expectGrantRevert(DecisionStatement memory s, uint64 validUntil, bytes memory err) internal {
        vm.prank(VERIFIER);
        vm.expectRevert(err);
        gate.grant(s, validUntil);
    }

    function soon() internal view returns (uint64) {
        return uint64(block.timestamp + 1 days);
    }

    function eligible(address who) internal view returns (bool ok) {
        (ok,,) = gate.isEligible(who, POLICY);
    }

    // ---------------------------------------------------------------- finding 1 (critical)

    /// The issue's bundle: an unregistered scorecard, threshold -1000000, chain id 1, for anvil's
    /// account #1. Every one of its three defects is refused on its own, and together.
    function test_issueBundle_unregisteredModel_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.modelCommitment = keccak256("unregistered scorecard");
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.ModelMismatch.selector, MODEL, s.modelCommitment));
    }

    function test_issueBundle_thresholdMinusMillion_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.thresholdBits = 0xc12e848000000000; // -1000000.0
        s.circuitThreshold = -65_536_000_000;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.ThresholdRuleMismatch.selector, POLICY));
        // the circuit threshold alone, or the direction alone, is also refused
        s = statementFor(ALICE);
        s.circuitThreshold = T - 1;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.ThresholdRuleMismatch.selector, POLICY));
        s = statementFor(ALICE);
        s.direction = 1;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.ThresholdRuleMismatch.selector, POLICY));
    }

    function test_issueBundle_chainIdOne_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.chainId = 1;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.WrongChain.selector, uint64(1), block.chainid));
    }

    function test_issueBundle_allDefectsTogether_noGrant_andBorrowRefused() public {
        address account1 = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8; // anvil's account #1
        DecisionStatement memory s = statementFor(account1);
        s.modelCommitment = keccak256("unregistered scorecard");
        s.thresholdBits = 0xc12e848000000000;
        s.circuitThreshold = -65_536_000_000;
        s.chainId = 1;
        vm.prank(VERIFIER);
        vm.expectRevert();
        gate.grant(s, soon());
        vm.prank(account1);
        vm.expectRevert(abi.encodeWithSelector(LendingPool.NotEligible.selector, account1, POLICY));
        pool.borrow(1 ether);
    }

    /// Same root cause: a proof made with M1, the policy rebound to M2, M1 deprecated. The grant
    /// of the M1 statement is refused under M2, and a grant made while M1 was bound records M1
    /// (not the policy's current model), so deprecating M1 ends it.
    function test_proofForM1_afterRebindToM2_refused_andRecordKeepsItsModel() public {
        DecisionStatement memory early = statementFor(BOB);
        grant(early, soon());
        DecisionStatement memory s = statementFor(ALICE);
        vm.prank(POLICY_ADMIN);
        gate.setPolicy(POLICY, MODEL2, 0, HALF, T, MAX_VALIDITY);
        vm.prank(REGISTRAR);
        registry.deprecate(MODEL, "drift");
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.ModelMismatch.selector, MODEL2, MODEL));
        vm.assertEq(gate.recordAt(BOB, POLICY, 0).modelCommitment, MODEL, "the record names the statement's model");
        vm.assertFalse(eligible(BOB), "a grant on a deprecated model does not count");
    }

    function test_grant_airIdOfAnotherCircuit_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.airId = AIR2;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.AirIdMismatch.selector, AIR, AIR2));
    }

    function test_grant_declineOrOldVersionOrZeroBorrower_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.decision = false;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.NotApproved.selector));
        s = statementFor(ALICE);
        s.version = 1;
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.UnsupportedStatementVersion.selector, uint32(1)));
        s = statementFor(address(0));
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.ZeroBorrower.selector));
    }

    function test_grant_unknownPolicy_orModelBoundWithoutRule_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.policyId = keccak256("other-policy");
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.UnknownPolicy.selector, s.policyId));
        // binding a model without a rule (what `model register --policy` does) accepts nothing
        vm.prank(POLICY_ADMIN);
        gate.setPolicyModel(POLICY, MODEL);
        s = statementFor(ALICE);
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.PolicyRuleNotSet.selector, POLICY));
        vm.assertFalse(gate.policy(POLICY).ruleSet, "rule cleared");
    }

    function test_grant_deprecatedModel_refused() public {
        vm.prank(REGISTRAR);
        registry.deprecate(MODEL, "retrained");
        expectGrantRevert(statementFor(ALICE), soon(), abi.encodeWithSelector(EligibilityGate.ModelNotActive.selector, MODEL));
    }

    function test_grant_expiredStatement_refused() public {
        DecisionStatement memory s = statementFor(ALICE);
        s.expiresAt = uint64(block.timestamp);
        expectGrantRevert(
            s, soon(), abi.encodeWithSelector(EligibilityGate.StatementExpired.selector, s.expiresAt, uint64(block.timestamp))
        );
    }

    function test_grant_recordsTheStatement_factComputedByTheGate_eventCarriesEverything() public {
        DecisionStatement memory s = statementFor(ALICE);
        uint64 until = soon();
        vm.recordLogs();
        bytes32 fact = grant(s, until);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        // the fact is the EIP-712 hash under this gate's domain, computed independently here
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Veridict EligibilityGate"),
                keccak256("1"),
                block.chainid,
                address(gate)
            )
        );
        vm.assertEq(gate.domainSeparator(), domain, "domain separator");
        bytes32 expected = keccak256(abi.encodePacked(hex"1901", domain, gate.hashStatement(s)));
        vm.assertEq(fact, expected, "fact");
        vm.assertTrue(gate.isFactUsed(fact), "fact used");
        (bool ok, uint64 validUntil, bytes32 current) = gate.isEligible(ALICE, POLICY);
        vm.assertTrue(ok, "eligible");
        vm.assertEq(validUntil, until, "validUntil");
        vm.assertEq(current, fact, "current fact");
        EligibilityGate.Record memory r = gate.recordAt(ALICE, POLICY, 0);
        vm.assertEq(r.modelCommitment, MODEL, "record model");
        vm.assertEq(r.verifier, VERIFIER, "record verifier");
        vm.assertEq(logs.length, 1, "one event");
        vm.assertEq(logs[0].topics[0], EligibilityGate.EligibilityGranted.selector, "event");
        vm.assertEq(logs[0].topics[1], bytes32(uint256(uint160(ALICE))), "borrower topic");
        vm.assertEq(logs[0].topics[2], POLICY, "policy topic");
        vm.assertEq(logs[0].topics[3], fact, "fact topic");
        vm.assertEq(logs[0].data, abi.encode(s, until, uint32(0), VERIFIER), "data: statement, validUntil, version, verifier");
    }

    /// The golden vector shared with the Java side (GateStatementKatTest and
    /// chain-adapter/src/test/resources/gate-statement-golden.json).
    function test_hashStatement_goldenVector() public view {
        DecisionStatement memory s = DecisionStatement({
            version: 1,
            airId: 0x1111111111111111111111111111111111111111111111111111111111111111,
            modelCommitment: 0x2222222222222222222222222222222222222222222222222222222222222222,
            inputCommitment: 0x3333333333333333333333333333333333333333333333333333333333333333,
            direction: 1,
            thresholdBits: 0xc12e848000000000,
            circuitThreshold: -42,
            decision: true,
            chainId: 31337,
            borrower: 0x00000000000000000000000000000000000A11cE,
            policyId: keccak256("credit-policy-v1"),
            nonceHash: keccak256("nonce-1"),
            expiresAt: 1_900_000_000
        });
        vm.assertEq(gate.hashStatement(s), GOLDEN_STRUCT_HASH, "struct hash");
    }

    bytes32 internal constant GOLDEN_STRUCT_HASH = 0x2c7f4c38945ce066e58e0b6305ec76b726b7a7e8783fba74af5791ecd0f49d3a;

    // ---------------------------------------------------------------- finding 2

    function test_sameStatement_twoGates_twoFacts_andChainIdChangesTheFact() public {
        EligibilityGate other = new EligibilityGate(ADMIN, 1 days, POLICY_ADMIN, VERIFIER, PAUSER, registry);
        vm.prank(POLICY_ADMIN);
        other.setPolicy(POLICY, MODEL, 0, HALF, T, MAX_VALIDITY);
        DecisionStatement memory s = statementFor(ALICE);
        bytes32 here = grant(s, soon());
        vm.prank(VERIFIER);
        (bytes32 there,) = other.grant(s, soon());
        vm.assertNotEq(here, there, "a fact names one gate");
        vm.assertFalse(gate.isFactUsed(there), "the other gate's fact means nothing here");
        bytes32 before = gate.factOf(s);
        vm.chainId(1);
        vm.assertNotEq(gate.factOf(s), before, "a fact names one chain");
    }

    function test_alicesStatement_cannotBeRecordedForBob_norBlockAlice() public {
        DecisionStatement memory alice = statementFor(ALICE);
        // a verifier relabelling Alice's statement for Bob makes another statement, another fact
        DecisionStatement memory relabelled = abi.decode(abi.encode(alice), (DecisionStatement));
        relabelled.borrower = BOB;
        vm.assertNotEq(gate.factOf(relabelled), gate.factOf(alice), "borrower is in the fact");
        grant(relabelled, soon());
        // Alice's own grant still goes through
        grant(alice, soon());
        vm.assertTrue(eligible(ALICE), "alice eligible");
        vm.assertEq(gate.recordCount(ALICE, POLICY), 1, "alice has her record");
        // and the same statement twice is refused
        expectGrantRevert(alice, soon(), abi.encodeWithSelector(EligibilityGate.FactAlreadyUsed.selector, gate.factOf(alice)));
    }

    // ---------------------------------------------------------------- finding 3

    function test_revoke_otherUnexpiredStatementCannotRegrant_untilReinstated() public {
        DecisionStatement memory first = statementFor(ALICE);
        DecisionStatement memory older = statementFor(ALICE); // obtained before the revocation
        grant(first, soon());
        vm.prank(VERIFIER);
        gate.revoke(ALICE, POLICY, "fraud review");
        vm.assertFalse(eligible(ALICE), "revoked");
        uint64 since = gate.heldSince(ALICE, POLICY);
        vm.assertEq(since, block.timestamp, "on hold");
        expectGrantRevert(older, soon(), abi.encodeWithSelector(EligibilityGate.GrantsOnHold.selector, ALICE, POLICY, since));
        vm.warp(block.timestamp + 10 days);
        expectGrantRevert(statementFor(ALICE), soon(), abi.encodeWithSelector(EligibilityGate.GrantsOnHold.selector, ALICE, POLICY, since));
        // the verifier cannot lift the hold itself
        bytes32 policyAdminRole = gate.POLICY_ADMIN_ROLE();
        vm.prank(VERIFIER);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, VERIFIER, policyAdminRole)
        );
        gate.reinstate(ALICE, POLICY, "");
        vm.prank(POLICY_ADMIN);
        gate.reinstate(ALICE, POLICY, "review cleared");
        vm.assertFalse(eligible(ALICE), "reinstating grants nothing by itself");
        grant(older, soon());
        vm.assertTrue(eligible(ALICE), "a grant after reinstatement counts");
        vm.assertTrue(gate.recordAt(ALICE, POLICY, 0).revokedAt != 0, "the revoked record stays revoked");
    }

    function test_revokeTwice_reverts_reinstateWithoutHold_reverts_revokeWhilePaused_ok() public {
        grant(statementFor(ALICE), soon());
        vm.prank(PAUSER);
        gate.pause();
        vm.prank(VERIFIER);
        gate.revoke(ALICE, POLICY, "incident");
        vm.prank(VERIFIER);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.NothingToRevoke.selector, ALICE, POLICY));
        gate.revoke(ALICE, POLICY, "again");
        vm.prank(VERIFIER);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.NothingToRevoke.selector, BOB, POLICY));
        gate.revoke(BOB, POLICY, "never granted");
        vm.prank(POLICY_ADMIN);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.NotOnHold.selector, BOB, POLICY));
        gate.reinstate(BOB, POLICY, "");
    }

    // ---------------------------------------------------------------- finding 4

    function test_validUntil_uint64Max_refused_boundedByPolicyAndStatementExpiry() public {
        DecisionStatement memory s = statementFor(ALICE);
        uint64 max = uint64(block.timestamp) + MAX_VALIDITY;
        expectGrantRevert(s, type(uint64).max, abi.encodeWithSelector(EligibilityGate.ValidityTooLong.selector, type(uint64).max, max));
        expectGrantRevert(s, max + 1, abi.encodeWithSelector(EligibilityGate.ValidityTooLong.selector, max + 1, max));
        expectGrantRevert(
            s, uint64(block.timestamp), abi.encodeWithSelector(EligibilityGate.AlreadyExpired.selector, uint64(block.timestamp), uint64(block.timestamp))
        );
        s.expiresAt = uint64(block.timestamp) + 1 hours;
        expectGrantRevert(s, s.expiresAt + 1, abi.encodeWithSelector(EligibilityGate.ValidityTooLong.selector, s.expiresAt + 1, s.expiresAt));
        grant(s, s.expiresAt);
        vm.warp(s.expiresAt);
        vm.assertFalse(eligible(ALICE), "expired at validUntil");
    }

    function test_setPolicy_validityBounds_andDirection() public {
        uint64 cap = gate.MAX_VALIDITY();
        vm.startPrank(POLICY_ADMIN);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.InvalidPolicyRule.selector, uint8(0), uint64(0)));
        gate.setPolicy(POLICY, MODEL, 0, HALF, T, 0);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.InvalidPolicyRule.selector, uint8(0), cap + 1));
        gate.setPolicy(POLICY, MODEL, 0, HALF, T, cap + 1);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.InvalidPolicyRule.selector, uint8(2), uint64(1)));
        gate.setPolicy(POLICY, MODEL, 2, HALF, T, 1);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.ModelNotActive.selector, keccak256("nope")));
        gate.setPolicy(POLICY, keccak256("nope"), 0, HALF, T, 1);
        gate.setPolicy(POLICY, MODEL, 0, HALF, T, cap);
        vm.stopPrank();
        EligibilityGate.Policy memory p = gate.policy(POLICY);
        vm.assertEq(p.airId, AIR, "airId copied from the registry");
        vm.assertEq(p.maxValidity, cap, "max validity");
    }

    // ---------------------------------------------------------------- finding 5

    function test_roles_areSeparate() public {
        DecisionStatement memory s = statementFor(ALICE);
        bytes32 verifierRole = gate.VERIFIER_ROLE();
        bytes32 policyAdminRole = gate.POLICY_ADMIN_ROLE();
        bytes32 pauserRole = gate.PAUSER_ROLE();
        address[3] memory notVerifiers = [ADMIN, POLICY_ADMIN, PAUSER];
        for (uint256 i = 0; i < 3; i++) {
            vm.prank(notVerifiers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, notVerifiers[i], verifierRole)
            );
            gate.grant(s, soon());
        }
        address[3] memory notPolicyAdmins = [ADMIN, VERIFIER, PAUSER];
        for (uint256 i = 0; i < 3; i++) {
            vm.prank(notPolicyAdmins[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessControl.AccessControlUnauthorizedAccount.selector, notPolicyAdmins[i], policyAdminRole
                )
            );
            gate.setPolicy(POLICY, MODEL, 0, HALF, T, 1);
        }
        vm.prank(VERIFIER);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, VERIFIER, pauserRole));
        gate.pause();
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, verifierRole));
        gate.revoke(ALICE, POLICY, "");
        vm.assertEq(gate.defaultAdmin(), ADMIN, "admin");
        vm.assertFalse(gate.hasRole(verifierRole, ADMIN), "the admin is not a verifier");
    }

    function test_admin_cannotRenounceWhileOperatorsRemain_andCanAlwaysRemoveAVerifier() public {
        vm.prank(ADMIN);
        gate.beginDefaultAdminTransfer(address(0));
        vm.warp(block.timestamp + 1 days + 1);
        bytes32 adminRole = gate.DEFAULT_ADMIN_ROLE();
        vm.prank(ADMIN);
        vm.expectRevert(abi.encodeWithSelector(EligibilityGate.AdminRenounceBlocked.selector, uint256(2)));
        gate.renounceRole(adminRole, ADMIN);
        // the verifier can still be removed
        bytes32 verifierRole = gate.VERIFIER_ROLE();
        vm.prank(ADMIN);
        gate.revokeRole(verifierRole, VERIFIER);
        vm.assertFalse(gate.hasRole(verifierRole, VERIFIER), "verifier removed");
        bytes32 policyAdminRole = gate.POLICY_ADMIN_ROLE();
        vm.prank(ADMIN);
        gate.revokeRole(policyAdminRole, POLICY_ADMIN);
        // with no operator left, renouncing (after the delay) is allowed
        vm.prank(ADMIN);
        gate.renounceRole(adminRole, ADMIN);
        vm.assertEq(gate.defaultAdmin(), address(0), "renounced");
    }

    function test_adminTransfer_takesTheDelay_andAdminRoleCannotBeGrantedDirectly() public {
        bytes32 adminRole = gate.DEFAULT_ADMIN_ROLE();
        vm.prank(ADMIN);
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        gate.grantRole(adminRole, STRANGER);
        vm.prank(ADMIN);
        gate.beginDefaultAdminTransfer(STRANGER);
        (, uint48 schedule) = gate.pendingDefaultAdmin();
        vm.assertEq(schedule, block.timestamp + 1 days, "one day delay");
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule));
        gate.acceptDefaultAdminTransfer();
        vm.warp(schedule + 1);
        vm.prank(STRANGER);
        gate.acceptDefaultAdminTransfer();
        vm.assertEq(gate.defaultAdmin(), STRANGER, "transferred after the delay");
    }

    function test_pause_failsClosed_blocksGrants() public {
        grant(statementFor(ALICE), soon());
        vm.prank(PAUSER);
        gate.pause();
        vm.assertFalse(eligible(ALICE), "paused: not eligible");
        expectGrantRevert(statementFor(BOB), soon(), abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(PAUSER);
        gate.unpause();
        vm.assertTrue(eligible(ALICE), "unpaused");
    }

    // ---------------------------------------------------------------- finding 7 (documented omission)

    function test_lendingPool_revocationDoesNotTouchAnOutstandingLoan() public {
        grant(statementFor(ALICE), soon());
        vm.prank(ALICE);
        pool.borrow(1 ether);
        vm.prank(VERIFIER);
        gate.revoke(ALICE, POLICY, "review");
        vm.assertEq(pool.debtOf(ALICE), 1 ether, "the loan stays outstanding (the pool has no liquidation)");
        vm.deal(ALICE, 1 ether);
        vm.prank(ALICE);
        pool.repay{value: 1 ether}();
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(LendingPool.NotEligible.selector, ALICE, POLICY));
        pool.borrow(1 ether);
    }

    // ---------------------------------------------------------------- fuzzing of grant inputs

    /// Any value of a policy-checked field other than the policy's is refused; the valid one is accepted.
    function testFuzz_grant_policyFields(uint8 field, bytes32 value) public {
        field = uint8(field % 8);
        DecisionStatement memory s = statementFor(ALICE);
        bool same;
        if (field == 0) { same = value == MODEL; s.modelCommitment = value; }
        else if (field == 1) { same = value == AIR; s.airId = value; }
        else if (field == 2) { same = uint8(uint256(value)) == 0; s.direction = uint8(uint256(value)); }
        else if (field == 3) { same = uint64(uint256(value)) == HALF; s.thresholdBits = uint64(uint256(value)); }
        else if (field == 4) { same = int64(uint64(uint256(value))) == T; s.circuitThreshold = int64(uint64(uint256(value))); }
        else if (field == 5) { same = uint64(uint256(value)) == block.chainid; s.chainId = uint64(uint256(value)); }
        else if (field == 6) { same = uint32(uint256(value)) == 1; s.version = uint32(uint256(value)); }
        else { same = uint256(value) % 2 == 1; s.decision = uint256(value) % 2 == 1; }
        vm.prank(VERIFIER);
        if (!same) vm.expectRevert();
        gate.grant(s, soon());
    }

    /// validUntil is accepted exactly in (now, min(now + maxValidity, expiresAt)].
    function testFuzz_grant_validUntil(uint64 validUntil, uint64 expiresIn) public {
        DecisionStatement memory s = statementFor(ALICE);
        uint64 nowTs = uint64(block.timestamp);
        expiresIn = uint64(expiresIn % (2 * MAX_VALIDITY));
        s.expiresAt = expiresIn == 0 ? 0 : nowTs + expiresIn;
        uint64 max = nowTs + MAX_VALIDITY;
        if (s.expiresAt != 0 && s.expiresAt < max) max = s.expiresAt;
        bool ok = validUntil > nowTs && validUntil <= max;
        vm.prank(VERIFIER);
        if (!ok) vm.expectRevert();
        gate.grant(s, validUntil);
        vm.assertEq(eligible(ALICE), ok, "eligible iff accepted");
    }

    /// Changing any one field of a statement changes its fact.
    function testFuzz_fact_bindsEveryField(uint8 field, bytes32 value) public {
        field = uint8(field % 13);
        DecisionStatement memory s = statementFor(ALICE);
        DecisionStatement memory t = statementFor(ALICE);
        t.inputCommitment = s.inputCommitment;
        t.nonceHash = s.nonceHash;
        if (field == 0) t.version = uint32(uint256(value));
        else if (field == 1) t.airId = value;
        else if (field == 2) t.modelCommitment = value;
        else if (field == 3) t.inputCommitment = value;
        else if (field == 4) t.direction = uint8(uint256(value));
        else if (field == 5) t.thresholdBits = uint64(uint256(value));
        else if (field == 6) t.circuitThreshold = int64(uint64(uint256(value)));
        else if (field == 7) t.decision = uint256(value) % 2 == 0;
        else if (field == 8) t.chainId = uint64(uint256(value));
        else if (field == 9) t.borrower = address(uint160(uint256(value)));
        else if (field == 10) t.policyId = value;
        else if (field == 11) t.nonceHash = value;
        else t.expiresAt = uint64(uint256(value));
        bool same = keccak256(abi.encode(s)) == keccak256(abi.encode(t));
        vm.assertEq(gate.factOf(s) == gate.factOf(t), same, "fact equal iff statement equal");
    }

    /// A grant for any borrower lands under that borrower only, and each statement once.
    function testFuzz_grant_borrower(address borrower) public {
        vm.assume(borrower != address(0) && borrower != ALICE);
        DecisionStatement memory s = statementFor(borrower);
        grant(s, soon());
        (bool ok,,) = gate.isEligible(borrower, POLICY);
        vm.assertTrue(ok, "borrower eligible");
        vm.assertFalse(eligible(ALICE), "nobody else");
        expectGrantRevert(s, soon(), abi.encodeWithSelector(EligibilityGate.FactAlreadyUsed.selector, gate.factOf(s)));
    }
}
