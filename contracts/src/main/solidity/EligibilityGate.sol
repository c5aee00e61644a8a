// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {DecisionStatement, DecisionStatements} from "./DecisionStatement.sol";

/// @title EligibilityGate
/// @notice Eligibility registry written by a lender's verifier service after it has verified a
///         STARK proof off chain: "borrower B satisfies policy P until time T, by model version M".
///         The verifier submits the proof's public statement, not a digest of it: the gate checks
///         the statement against the policy (the model bound to the policy and active in the
///         registry, its circuit, the threshold rule, the chain) and computes the fact itself, as
///         the EIP-712 hash of the statement under this gate's domain (name, version, chain id,
///         address). A fact therefore names one statement on one gate of one chain, and each fact
///         is recorded at most once. No personal data reaches the chain.
/// @dev Trust: the verifier role still vouches that a STARK proof of the statement verified; it
///      can no longer record a statement for another model, threshold, borrower or chain than the
///      one it submits, nor one the policy does not accept. The statement encoding is the one an
///      on-chain verifier will take (DecisionStatement.sol), so the trustless gate computes the
///      same fact. History is kept twice: every change emits an event, and storage keeps one record
///      per version (`recordAt`).
///
///      Revocation puts the (borrower, policy) pair on hold: no grant is accepted for it, however
///      fresh or old its statement, until the policy admin (a different role than the verifier)
///      reinstates it explicitly. Roles: the default admin (two-step transfer with a delay,
///      OpenZeppelin AccessControlDefaultAdminRules) only manages roles; the policy admin binds
///      policies and reinstates; the verifier grants and revokes; the pauser pauses. The default
///      admin cannot renounce while a verifier or policy admin is left that nobody could remove.
contract EligibilityGate is AccessControlDefaultAdminRules, Pausable, EIP712 {
    /// @notice Role of the off-chain verifier service allowed to grant and revoke.
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    /// @notice Role allowed to pause and unpause the gate.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Role allowed to set policies and to lift a revocation hold.
    bytes32 public constant POLICY_ADMIN_ROLE = keccak256("POLICY_ADMIN_ROLE");
    /// @notice Longest validity a policy may allow for one grant.
    uint64 public constant MAX_VALIDITY = 366 days;
    /// @notice The statement format version the gate accepts.
    uint32 public constant STATEMENT_VERSION = DecisionStatements.VERSION;

    /// @notice What a policy accepts. `ruleSet == false` (a model bound without a rule) accepts nothing.
    struct Policy {
        bytes32 modelCommitment;
        bytes32 airId;
        uint64 thresholdBits;
        int64 circuitThreshold;
        uint64 maxValidity;
        uint8 direction;
        bool ruleSet;
    }

    /// @notice One version of a borrower's eligibility for a policy.
    struct Record {
        bytes32 fact;
        bytes32 modelCommitment;
        uint64 validUntil;
        uint64 grantedAt;
        uint64 revokedAt;
        address verifier;
    }

    /// @notice The registry whose `isActive` decides whether a record's model version still counts.
    ModelRegistry public immutable registry;

    mapping(address borrower => mapping(bytes32 policyId => Record[])) private _history;
    mapping(address borrower => mapping(bytes32 policyId => uint64 since)) private _heldSince;
    mapping(bytes32 fact => bool) private _usedFacts;
    mapping(bytes32 policyId => Policy) private _policies;
    /// @dev Holders of VERIFIER_ROLE or POLICY_ADMIN_ROLE (a holder of both counts twice).
    uint256 private _operatorGrants;

    /// @notice `policyId` now accepts statements made with `modelCommitment` (circuit `airId`)
    ///         under the threshold rule given, for at most `maxValidity` seconds per grant;
    ///         `ruleSet == false`: the model is bound but no grant is accepted until a rule is set.
    ///         Existing grants keep the model they were made with.
    event PolicySet(
        bytes32 indexed policyId,
        bytes32 indexed modelCommitment,
        address indexed admin,
        bytes32 airId,
        uint8 direction,
        uint64 thresholdBits,
        int64 circuitThreshold,
        uint64 maxValidity,
        bool ruleSet
    );

    /// @notice Eligibility granted for the whole `statement`; `fact` is the gate's EIP-712 hash of
    ///         it and `version` the index of the new record in the history.
    event EligibilityGranted(
        address indexed borrower,
        bytes32 indexed policyId,
        bytes32 indexed fact,
        DecisionStatement statement,
        uint64 validUntil,
        uint32 version,
        address verifier
    );

    /// @notice Eligibility revoked and the pair put on hold; the record at `version` (whose fact is
    ///         `fact`) stays in the history, marked revoked if it was not already.
    event EligibilityRevoked(
        address indexed borrower,
        bytes32 indexed policyId,
        bytes32 indexed fact,
        uint32 version,
        address verifier,
        string reason
    );

    /// @notice The hold put on the pair at `heldSince` was lifted: new grants are accepted again.
    event EligibilityReinstated(
        address indexed borrower, bytes32 indexed policyId, address indexed admin, uint64 heldSince, string reason
    );

    error ZeroAddress();
    error ZeroBorrower();
    error UnsupportedStatementVersion(uint32 version);
    error WrongChain(uint64 statementChainId, uint256 chainId);
    error NotApproved();
    error UnknownPolicy(bytes32 policyId);
    error PolicyRuleNotSet(bytes32 policyId);
    error ModelMismatch(bytes32 policyModel, bytes32 statementModel);
    error AirIdMismatch(bytes32 policyAirId, bytes32 statementAirId);
    error ThresholdRuleMismatch(bytes32 policyId);
    error ModelNotActive(bytes32 modelCommitment);
    error StatementExpired(uint64 expiresAt, uint64 nowTimestamp);
    error AlreadyExpired(uint64 validUntil, uint64 nowTimestamp);
    error ValidityTooLong(uint64 validUntil, uint64 maxValidUntil);
    error GrantsOnHold(address borrower, bytes32 policyId, uint64 heldSince);
    error FactAlreadyUsed(bytes32 fact);
    error InvalidPolicyRule(uint8 direction, uint64 maxValidity);
    error NothingToRevoke(address borrower, bytes32 policyId);
    error NotOnHold(address borrower, bytes32 policyId);
    error UnknownVersion(address borrower, bytes32 policyId, uint256 version);
    error AdminRenounceBlocked(uint256 operatorGrants);

    /// @param admin the default admin (role management only); transfers take `adminDelay` seconds
    /// @param adminDelay delay of a default-admin transfer or renouncement (AccessControlDefaultAdminRules)
    /// @param policyAdmin receives POLICY_ADMIN_ROLE
    /// @param verifier receives VERIFIER_ROLE (the lender's verifier service)
    /// @param pauser receives PAUSER_ROLE
    /// @param modelRegistry registry consulted on every policy change, grant and eligibility check
    constructor(
        address admin,
        uint48 adminDelay,
        address policyAdmin,
        address verifier,
        address pauser,
        ModelRegistry modelRegistry
    ) AccessControlDefaultAdminRules(adminDelay, admin) EIP712("Veridict EligibilityGate", "1") {
        if (policyAdmin == address(0) || verifier == address(0) || pauser == address(0)) revert ZeroAddress();
        if (address(modelRegistry) == address(0)) revert ZeroAddress();
        registry = modelRegistry;
        _grantRole(POLICY_ADMIN_ROLE, policyAdmin);
        _grantRole(VERIFIER_ROLE, verifier);
        _grantRole(PAUSER_ROLE, pauser);
    }

    // ------------------------------------------------------------------ policies

    /// @notice Sets what `policyId` accepts from now on: statements for `modelCommitment` (active in
    ///         the registry; its circuit id is copied from there) under exactly this threshold rule,
    ///         each grant valid for at most `maxValidity` seconds.
    /// @param policyId the lender's policy
    /// @param modelCommitment an active version in the registry
    /// @param direction 0 approve at or above the threshold, 1 at or below
    /// @param thresholdBits IEEE-754 binary64 bits of the policy threshold (the statement's)
    /// @param circuitThreshold the fixed-point threshold the circuit compares with for this model
    /// @param maxValidity longest grant, seconds, 1..MAX_VALIDITY
    function setPolicy(
        bytes32 policyId,
        bytes32 modelCommitment,
        uint8 direction,
        uint64 thresholdBits,
        int64 circuitThreshold,
        uint64 maxValidity
    ) external onlyRole(POLICY_ADMIN_ROLE) {
        if (direction > DecisionStatements.AT_MOST || maxValidity == 0 || maxValidity > MAX_VALIDITY) {
            revert InvalidPolicyRule(direction, maxValidity);
        }
        _bind(policyId, modelCommitment, direction, thresholdBits, circuitThreshold, maxValidity, true);
    }

    /// @notice Binds `policyId` to `modelCommitment` without a threshold rule: grants under the
    ///         policy are refused (PolicyRuleNotSet) until `setPolicy` gives one for this model.
    ///         A rule is never carried over to another model (its fixed-point scale may differ).
    /// @param policyId the lender's policy
    /// @param modelCommitment an active version in the registry
    function setPolicyModel(bytes32 policyId, bytes32 modelCommitment) external onlyRole(POLICY_ADMIN_ROLE) {
        _bind(policyId, modelCommitment, 0, 0, 0, 0, false);
    }

    function _bind(
        bytes32 policyId,
        bytes32 modelCommitment,
        uint8 direction,
        uint64 thresholdBits,
        int64 circuitThreshold,
        uint64 maxValidity,
        bool ruleSet
    ) private {
        if (!registry.isActive(modelCommitment)) revert ModelNotActive(modelCommitment);
        bytes32 airId = registry.getModel(modelCommitment).airId;
        _policies[policyId] = Policy({
            modelCommitment: modelCommitment,
            airId: airId,
            thresholdBits: thresholdBits,
            circuitThreshold: circuitThreshold,
            maxValidity: maxValidity,
            direction: direction,
            ruleSet: ruleSet
        });
        emit PolicySet(
            policyId, modelCommitment, msg.sender, airId, direction, thresholdBits, circuitThreshold, maxValidity, ruleSet
        );
    }

    /// @notice What `policyId` accepts (all zero for an unknown policy).
    /// @param policyId the policy
    function policy(bytes32 policyId) external view returns (Policy memory) {
        return _policies[policyId];
    }

    /// @notice The model version `policyId` currently requires; zero when the policy is unknown.
    /// @param policyId the policy
    function policyModel(bytes32 policyId) external view returns (bytes32) {
        return _policies[policyId].modelCommitment;
    }

    // ------------------------------------------------------------------ facts

    /// @notice The EIP-712 struct hash of `statement` (domain-free).
    /// @param statement a decision statement
    function hashStatement(DecisionStatement calldata statement) external pure returns (bytes32) {
        return DecisionStatements.hash(statement);
    }

    /// @notice The fact this gate records for `statement`: keccak256("\x19\x01" ‖ domainSeparator ‖
    ///         hashStatement(statement)), the domain being ("Veridict EligibilityGate", "1",
    ///         block.chainid, address(this)).
    /// @param statement a decision statement
    function factOf(DecisionStatement calldata statement) public view returns (bytes32) {
        return _hashTypedDataV4(DecisionStatements.hash(statement));
    }

    /// @notice The EIP-712 domain separator of this gate on this chain.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice True when `fact` has been recorded before (by any grant, revoked or not).
    /// @param fact a fact as computed by `factOf`
    function isFactUsed(bytes32 fact) external view returns (bool) {
        return _usedFacts[fact];
    }

    // ------------------------------------------------------------------ grant, revoke, reinstate

    /// @notice Records that `statement.borrower` is eligible under `statement.policyId` until
    ///         `validUntil`, after the caller verified a STARK proof of `statement`. A newer grant
    ///         supersedes the current one; the old record stays in the history.
    /// @dev Reverts unless: the statement version is supported; it is for this chain; it approves;
    ///      the policy has a rule; the statement's model and circuit are the policy's and the model
    ///      is active; its threshold rule is exactly the policy's; it has not expired; `validUntil`
    ///      is in the future, within the policy's validity and not after the statement's expiry; the
    ///      pair is not on hold; and this gate never recorded the same statement.
    /// @param statement the verified public statement
    /// @param validUntil unix time (seconds) from which the grant no longer counts
    /// @return fact the recorded fact (`factOf(statement)`)
    /// @return version index of the new record in the borrower's history for this policy
    function grant(DecisionStatement calldata statement, uint64 validUntil)
        external
        onlyRole(VERIFIER_ROLE)
        whenNotPaused
        returns (bytes32 fact, uint32 version)
    {
        _checkStatement(statement, validUntil);
        address borrower = statement.borrower;
        bytes32 policyId = statement.policyId;
        uint64 since = _heldSince[borrower][policyId];
        if (since != 0) revert GrantsOnHold(borrower, policyId, since);
        fact = factOf(statement);
        if (_usedFacts[fact]) revert FactAlreadyUsed(fact);
        _usedFacts[fact] = true;
        Record[] storage history = _history[borrower][policyId];
        version = uint32(history.length);
        history.push(
            Record({
                fact: fact,
                modelCommitment: statement.modelCommitment,
                validUntil: validUntil,
                grantedAt: uint64(block.timestamp),
                revokedAt: 0,
                verifier: msg.sender
            })
        );
        emit EligibilityGranted(borrower, policyId, fact, statement, validUntil, version, msg.sender);
    }

    function _checkStatement(DecisionStatement calldata s, uint64 validUntil) private view {
        if (s.version != STATEMENT_VERSION) revert UnsupportedStatementVersion(s.version);
        if (s.chainId != block.chainid) revert WrongChain(s.chainId, block.chainid);
        if (s.borrower == address(0)) revert ZeroBorrower();
        if (!s.decision) revert NotApproved();
        Policy storage p = _policies[s.policyId];
        if (p.modelCommitment == bytes32(0)) revert UnknownPolicy(s.policyId);
        if (!p.ruleSet) revert PolicyRuleNotSet(s.policyId);
        if (s.modelCommitment != p.modelCommitment) revert ModelMismatch(p.modelCommitment, s.modelCommitment);
        if (s.airId != p.airId) revert AirIdMismatch(p.airId, s.airId);
        if (s.direction != p.direction || s.thresholdBits != p.thresholdBits || s.circuitThreshold != p.circuitThreshold)
        {
            revert ThresholdRuleMismatch(s.policyId);
        }
        if (!registry.isActive(s.modelCommitment)) revert ModelNotActive(s.modelCommitment);
        uint64 nowTs = uint64(block.timestamp);
        if (s.expiresAt != 0 && s.expiresAt <= nowTs) revert StatementExpired(s.expiresAt, nowTs);
        if (validUntil <= nowTs) revert AlreadyExpired(validUntil, nowTs);
        uint64 maxUntil = nowTs + p.maxValidity;
        if (s.expiresAt != 0 && s.expiresAt < maxUntil) maxUntil = s.expiresAt;
        if (validUntil > maxUntil) revert ValidityTooLong(validUntil, maxUntil);
    }

    /// @notice Revokes the current eligibility record and puts the pair on hold: no grant for it is
    ///         accepted until the policy admin calls `reinstate`. Allowed while paused: revoking only
    ///         ever narrows what the gate accepts, and it is what one does during an incident.
    /// @dev Reverts with NothingToRevoke when the pair was never granted, or is already on hold with
    ///      its current record revoked (nothing would change).
    /// @param borrower the borrower whose current record is revoked
    /// @param policyId the policy of that record
    /// @param reason human-readable reason, kept in the event (may be empty)
    function revoke(address borrower, bytes32 policyId, string calldata reason) external onlyRole(VERIFIER_ROLE) {
        Record[] storage history = _history[borrower][policyId];
        uint256 n = history.length;
        if (n == 0) revert NothingToRevoke(borrower, policyId);
        Record storage current = history[n - 1];
        bool held = _heldSince[borrower][policyId] != 0;
        if (current.revokedAt != 0 && held) revert NothingToRevoke(borrower, policyId);
        if (current.revokedAt == 0) current.revokedAt = uint64(block.timestamp);
        if (!held) _heldSince[borrower][policyId] = uint64(block.timestamp);
        emit EligibilityRevoked(borrower, policyId, current.fact, uint32(n - 1), msg.sender, reason);
    }

    /// @notice Lifts the hold a revocation put on the pair: later grants (of statements never
    ///         recorded) are accepted again. The revoked record stays revoked.
    /// @param borrower the borrower on hold
    /// @param policyId the policy
    /// @param reason human-readable reason, kept in the event (may be empty)
    function reinstate(address borrower, bytes32 policyId, string calldata reason)
        external
        onlyRole(POLICY_ADMIN_ROLE)
    {
        uint64 since = _heldSince[borrower][policyId];
        if (since == 0) revert NotOnHold(borrower, policyId);
        delete _heldSince[borrower][policyId];
        emit EligibilityReinstated(borrower, policyId, msg.sender, since, reason);
    }

    /// @notice Since when the pair is on hold (a revocation not yet lifted); 0 when it is not.
    /// @param borrower the borrower
    /// @param policyId the policy
    function heldSince(address borrower, bytes32 policyId) external view returns (uint64) {
        return _heldSince[borrower][policyId];
    }

    // ------------------------------------------------------------------ reads

    /// @notice Whether `borrower` is currently eligible under `policyId`.
    /// @dev Fails closed: false while paused, while the pair is on hold, from `validUntil` on, after
    ///      revocation, and once the record's model version is deprecated. `validUntil` and `fact`
    ///      of the current record are returned even when `ok` is false, so a caller can tell why.
    /// @param borrower the account to check
    /// @param policyId the policy to check against
    /// @return ok true when the current record counts now
    /// @return validUntil expiry of the current record (0 when there is none)
    /// @return fact the fact of the current record (0 when there is none)
    function isEligible(address borrower, bytes32 policyId)
        external
        view
        returns (bool ok, uint64 validUntil, bytes32 fact)
    {
        Record[] storage history = _history[borrower][policyId];
        uint256 n = history.length;
        if (n == 0) return (false, 0, bytes32(0));
        Record storage current = history[n - 1];
        ok = !paused() && current.revokedAt == 0 && _heldSince[borrower][policyId] == 0
            && block.timestamp < current.validUntil && registry.isActive(current.modelCommitment);
        return (ok, current.validUntil, current.fact);
    }

    /// @notice Number of records (versions) in the history of `borrower` under `policyId`.
    /// @param borrower the borrower
    /// @param policyId the policy
    function recordCount(address borrower, bytes32 policyId) external view returns (uint256) {
        return _history[borrower][policyId].length;
    }

    /// @notice The record at `version` in the history of `borrower` under `policyId`.
    /// @param borrower the borrower
    /// @param policyId the policy
    /// @param version index below `recordCount(borrower, policyId)`
    function recordAt(address borrower, bytes32 policyId, uint256 version) external view returns (Record memory) {
        Record[] storage history = _history[borrower][policyId];
        if (version >= history.length) revert UnknownVersion(borrower, policyId, version);
        return history[version];
    }

    // ------------------------------------------------------------------ pause, roles

    /// @notice Stops new grants and makes `isEligible` answer false until unpaused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes grants and eligibility answers.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice As AccessControlDefaultAdminRules, except that the default admin cannot renounce
    ///         while any verifier or policy admin holds its role: nobody could remove them after.
    /// @param role the role to renounce
    /// @param account the caller's own address
    function renounceRole(bytes32 role, address account) public override {
        if (role == DEFAULT_ADMIN_ROLE && account == defaultAdmin() && _operatorGrants != 0) {
            revert AdminRenounceBlocked(_operatorGrants);
        }
        super.renounceRole(role, account);
    }

    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && (role == VERIFIER_ROLE || role == POLICY_ADMIN_ROLE)) _operatorGrants++;
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && (role == VERIFIER_ROLE || role == POLICY_ADMIN_ROLE)) _operatorGrants--;
    }
}
