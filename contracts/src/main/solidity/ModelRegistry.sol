// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title ModelRegistry
/// @notice Append-only registry of approved model versions. A model version is identified by its
///         commitment (RPO-256 of the quantized parameters and a salt, as a bytes32), so the weights
///         never appear on chain. Versions can be deprecated with a reason but are never deleted:
///         an auditor replaying the event log must be able to resolve every commitment ever used.
/// @dev Every state change emits an event whose indexed topics are enough to rebuild the registry
///      from eth_getLogs alone.
contract ModelRegistry is AccessControl {
    /// @notice Role allowed to register and deprecate model versions.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @notice One registered model version. `deprecatedAt == 0` means active.
    struct ModelVersion {
        bytes32 modelCommitment;
        bytes32 airId;
        bytes32 metadataHash;
        address registrar;
        uint64 registeredAt;
        uint64 deprecatedAt;
        uint32 index;
        string metadataUri;
        string deprecationReason;
    }

    mapping(bytes32 modelCommitment => ModelVersion) private _versions;
    bytes32[] private _commitments;

    /// @notice A model version was registered; `index` is its position in registration order.
    event ModelRegistered(
        bytes32 indexed modelCommitment,
        bytes32 indexed airId,
        address indexed registrar,
        uint32 index,
        bytes32 metadataHash,
        string metadataUri
    );

    /// @notice A model version was deprecated; it stays resolvable but is no longer active.
    event ModelDeprecated(bytes32 indexed modelCommitment, address indexed by, string reason);

    error ZeroCommitment();
    error ZeroAirId();
    error ModelAlreadyRegistered(bytes32 modelCommitment);
    error UnknownModel(bytes32 modelCommitment);
    error ModelAlreadyDeprecated(bytes32 modelCommitment, uint64 deprecatedAt);

    /// @param admin receives DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /// @notice Registers a model version.
    /// @param modelCommitment the salted commitment to the quantized parameters; must be new
    /// @param airId hash of the compiled constraint system the proofs for this model use
    /// @param metadataHash hash of the off-chain metadata document (architecture, quantization)
    /// @param metadataUri where that document can be fetched; informational, the hash binds it
    /// @return index position of the version in registration order
    function register(bytes32 modelCommitment, bytes32 airId, bytes32 metadataHash, string calldata metadataUri)
        external
        onlyRole(REGISTRAR_ROLE)
        returns (uint32 index)
    {
        if (modelCommitment == bytes32(0)) revert ZeroCommitment();
        if (airId == bytes32(0)) revert ZeroAirId();
        if (_versions[modelCommitment].registeredAt != 0) revert ModelAlreadyRegistered(modelCommitment);
        index = uint32(_commitments.length);
        _commitments.push(modelCommitment);
        ModelVersion storage v = _versions[modelCommitment];
        v.modelCommitment = modelCommitment;
        v.airId = airId;
        v.metadataHash = metadataHash;
        v.registrar = msg.sender;
        v.registeredAt = uint64(block.timestamp);
        v.index = index;
        v.metadataUri = metadataUri;
        emit ModelRegistered(modelCommitment, airId, msg.sender, index, metadataHash, metadataUri);
    }

    /// @notice Deprecates a model version. The record stays; only `isActive` changes.
    /// @param modelCommitment a registered, still active version
    /// @param reason human-readable reason, kept in storage and in the event (may be empty)
    function deprecate(bytes32 modelCommitment, string calldata reason) external onlyRole(REGISTRAR_ROLE) {
        ModelVersion storage v = _versions[modelCommitment];
        if (v.registeredAt == 0) revert UnknownModel(modelCommitment);
        if (v.deprecatedAt != 0) revert ModelAlreadyDeprecated(modelCommitment, v.deprecatedAt);
        v.deprecatedAt = uint64(block.timestamp);
        v.deprecationReason = reason;
        emit ModelDeprecated(modelCommitment, msg.sender, reason);
    }

    /// @notice True when the version is registered and not deprecated.
    /// @param modelCommitment the version to check
    function isActive(bytes32 modelCommitment) external view returns (bool) {
        ModelVersion storage v = _versions[modelCommitment];
        return v.registeredAt != 0 && v.deprecatedAt == 0;
    }

    /// @notice True when the version was ever registered (deprecated or not).
    /// @param modelCommitment the version to check
    function isRegistered(bytes32 modelCommitment) external view returns (bool) {
        return _versions[modelCommitment].registeredAt != 0;
    }

    /// @notice The full record of a version; reverts for an unknown commitment.
    /// @param modelCommitment a registered version
    function getModel(bytes32 modelCommitment) external view returns (ModelVersion memory) {
        ModelVersion storage v = _versions[modelCommitment];
        if (v.registeredAt == 0) revert UnknownModel(modelCommitment);
        return v;
    }

    /// @notice Number of versions ever registered.
    function modelCount() external view returns (uint256) {
        return _commitments.length;
    }

    /// @notice The commitment registered at position `index`.
    /// @param index position in registration order, below `modelCount()`
    function commitmentAt(uint256 index) external view returns (bytes32) {
        return _commitments[index];
    }
}
