// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ModelRegistry} from "./ModelRegistry.sol";

/// @title EligibilityGate
/// @notice Fact registry written by a lender's verifier service after it has verified a STARK
///         proof off chain: "borrower B satisfies policy P until time T, by model version M".
///         The fact is a digest of the verified statement (which binds borrower, policy, chain and
///         a nonce), so no personal data reaches the chain and one proof cannot be recorded twice.
///         Each policy is bound by an admin to the model version its proofs must use; a grant
///         copies that binding, and the grant stops counting once that version is deprecated.
/// @dev History is kept twice: every grant and revocation emits an event, and storage keeps one
///      record per version instead of overwriting, so `recordAt` answers "what did the gate say
///      at version n" without an archive node.
contract EligibilityGate is AccessControl, Pausable {
    /// @notice Role of the off-chain verifier service allowed to grant and revoke.
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    /// @notice Role allowed to pause and unpause the gate.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Role allowed to bind a policy to the model version its proofs must use.
    bytes32 public constant POLICY_ADMIN_ROLE = keccak256("POLICY_ADMIN_ROLE");

    /// @notice One version of a borrower's eligibility for a policy.
    struct Record {
        bytes32 fact;
        bytes32 modelCommitment;
        uint64 validUntil;
        uint64 grantedAt;
        uint64 revokedAt;
        address verifier;
    }

    /// @notice The registry whose `isActive` decides whether a fact's model version still counts.
    ModelRegistry public immutable registry;

    mapping(address borrower => mapping(bytes32 policyId => Record[])) private _history;
    mapping(bytes32 fact => bool) private _usedFacts;
    mapping(bytes32 policyId => bytes32 modelCommitment) private _policyModel;

    /// @notice `policyId` now requires proofs made with `modelCommitment` (previous binding in
    ///         `previous`, zero for a new policy). Existing grants keep the model they were made with.
    event PolicyModelSet(
        bytes32 indexed policyId, bytes32 indexed modelCommitment, address indexed admin, bytes32 previous
    );

    /// @notice Eligibility granted; `version` is the index of the new record in the history.
    event EligibilityGranted(
        address indexed borrower,
        bytes32 indexed policyId,
        bytes32 indexed fact,
        bytes32 modelCommitment,
        uint64 validUntil,
        uint32 version,
        address verifier
    );

    /// @notice Eligibility revoked; the record at `version` stays in the history, marked revoked.
    event EligibilityRevoked(
        address indexed borrower,
        bytes32 indexed policyId,
        bytes32 indexed fact,
        uint32 version,
        address verifier,
        string reason
    );

    error ZeroBorrower();
    error ZeroFact();
    error AlreadyExpired(uint64 validUntil, uint64 nowTimestamp);
    error FactAlreadyUsed(bytes32 fact);
    error ModelNotActive(bytes32 modelCommitment);
    error UnknownPolicy(bytes32 policyId);
    error NothingToRevoke(address borrower, bytes32 policyId);
    error UnknownVersion(address borrower, bytes32 policyId, uint256 version);

    /// @param admin receives DEFAULT_ADMIN_ROLE, VERIFIER_ROLE, PAUSER_ROLE and POLICY_ADMIN_ROLE
    /// @param modelRegistry registry consulted on every grant and every eligibility check
    constructor(address admin, ModelRegistry modelRegistry) {
        registry = modelRegistry;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(VERIFIER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(POLICY_ADMIN_ROLE, admin);
    }

    /// @notice Binds `policyId` to the model version whose proofs it accepts from now on.
    /// @param policyId the lender's policy (threshold, comparison, model)
    /// @param modelCommitment an active version in the registry
    function setPolicyModel(bytes32 policyId, bytes32 modelCommitment) external onlyRole(POLICY_ADMIN_ROLE) {
        if (!registry.isActive(modelCommitment)) revert ModelNotActive(modelCommitment);
        bytes32 previous = _policyModel[policyId];
        _policyModel[policyId] = modelCommitment;
        emit PolicyModelSet(policyId, modelCommitment, msg.sender, previous);
    }

    /// @notice The model version `policyId` currently requires; zero when the policy is unknown.
    /// @param policyId the policy
    function policyModel(bytes32 policyId) external view returns (bytes32) {
        return _policyModel[policyId];
    }

    /// @notice Records that `borrower` is eligible under `policyId` until `validUntil`. A newer
    ///         grant supersedes the current one; the old record stays in the history.
    /// @param borrower the account the verified statement was bound to
    /// @param policyId the lender's policy (threshold, comparison) the proof was checked against
    /// @param fact digest of the verified statement; each fact can be recorded once (replay guard)
    /// @param validUntil unix time (seconds) from which the fact no longer counts; in the future
    /// @return version index of the new record in the borrower's history for this policy
    function grant(address borrower, bytes32 policyId, bytes32 fact, uint64 validUntil)
        external
        onlyRole(VERIFIER_ROLE)
        whenNotPaused
        returns (uint32 version)
    {
        if (borrower == address(0)) revert ZeroBorrower();
        if (fact == bytes32(0)) revert ZeroFact();
        if (validUntil <= block.timestamp) revert AlreadyExpired(validUntil, uint64(block.timestamp));
        if (_usedFacts[fact]) revert FactAlreadyUsed(fact);
        bytes32 modelCommitment = _policyModel[policyId];
        if (modelCommitment == bytes32(0)) revert UnknownPolicy(policyId);
        if (!registry.isActive(modelCommitment)) revert ModelNotActive(modelCommitment);
        _usedFacts[fact] = true;
        Record[] storage history = _history[borrower][policyId];
        version = uint32(history.length);
        history.push(
            Record({
                fact: fact,
                modelCommitment: modelCommitment,
                validUntil: validUntil,
                grantedAt: uint64(block.timestamp),
                revokedAt: 0,
                verifier: msg.sender
            })
        );
        emit EligibilityGranted(borrower, policyId, fact, modelCommitment, validUntil, version, msg.sender);
    }

    /// @notice Revokes the current eligibility record. Allowed while paused: revoking only ever
    ///         narrows what the gate accepts, and it is what one does during an incident.
    /// @param borrower the borrower whose current record is revoked
    /// @param policyId the policy of that record
    /// @param reason human-readable reason, kept in the event (may be empty)
    function revoke(address borrower, bytes32 policyId, string calldata reason) external onlyRole(VERIFIER_ROLE) {
        Record[] storage history = _history[borrower][policyId];
        uint256 n = history.length;
        if (n == 0 || history[n - 1].revokedAt != 0) revert NothingToRevoke(borrower, policyId);
        Record storage current = history[n - 1];
        current.revokedAt = uint64(block.timestamp);
        emit EligibilityRevoked(borrower, policyId, current.fact, uint32(n - 1), msg.sender, reason);
    }

    /// @notice Whether `borrower` is currently eligible under `policyId`.
    /// @dev Fails closed: false while paused, from `validUntil` on, after revocation, and once the
    ///      model version is deprecated. `validUntil` and `fact` of the current record are returned
    ///      even when `ok` is false, so a caller can tell why.
    /// @param borrower the account to check
    /// @param policyId the policy to check against
    /// @return ok true when the current record counts now
    /// @return validUntil expiry of the current record (0 when there is none)
    /// @return fact the statement digest of the current record (0 when there is none)
    function isEligible(address borrower, bytes32 policyId)
        external
        view
        returns (bool ok, uint64 validUntil, bytes32 fact)
    {
        Record[] storage history = _history[borrower][policyId];
        uint256 n = history.length;
        if (n == 0) return (false, 0, bytes32(0));
        Record storage current = history[n - 1];
        ok = !paused() && current.revokedAt == 0 && block.timestamp < current.validUntil
            && registry.isActive(current.modelCommitment);
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

    /// @notice True when `fact` has been recorded before (by any grant, revoked or not).
    /// @param fact a statement digest
    function isFactUsed(bytes32 fact) external view returns (bool) {
        return _usedFacts[fact];
    }

    /// @notice Stops new grants and makes `isEligible` answer false until unpaused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes grants and eligibility answers.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }
}
