// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ProofAnchor
/// @notice Anchors Merkle roots of batches of proof records. A batch tree follows the OpenZeppelin
///         StandardMerkleTree convention (leaf = keccak256(bytes.concat(keccak256(abi.encode(..)))),
///         sorted pairs), so one inclusion proof per record checks against the anchored root here
///         or off chain. Only roots and counts are stored: no personal data reaches the chain.
/// @dev The BatchAnchored event indexes root, batch index and submitter, so the audit trail can be
///      rebuilt from eth_getLogs alone.
contract ProofAnchor is AccessControl {
    /// @notice Role allowed to anchor batches.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    /// @notice An anchored batch. `anchoredAt == 0` means "not anchored".
    struct Batch {
        bytes32 metaHash;
        address submitter;
        uint64 index;
        uint64 anchoredAt;
        uint64 blockNumber;
        uint32 leafCount;
    }

    mapping(bytes32 root => Batch) private _batches;
    bytes32[] private _roots;

    /// @notice A batch root was anchored.
    /// @param root Merkle root of the batch
    /// @param index position of the batch in anchoring order
    /// @param submitter account that anchored it
    /// @param leafCount number of proof records in the batch
    /// @param metaHash hash of the batch's off-chain manifest (record format, bundle locations)
    event BatchAnchored(
        bytes32 indexed root, uint64 indexed index, address indexed submitter, uint32 leafCount, bytes32 metaHash
    );

    error ZeroRoot();
    error EmptyBatch();
    error RootAlreadyAnchored(bytes32 root, uint64 index);
    error UnknownRoot(bytes32 root);

    /// @param admin receives DEFAULT_ADMIN_ROLE and ANCHORER_ROLE
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, admin);
    }

    /// @notice Anchors a batch root. A root can be anchored once: a second anchoring would make the
    ///         trail ambiguous about when a record was first committed.
    /// @param root Merkle root of the batch; non-zero and not anchored before
    /// @param leafCount number of records in the batch; at least one
    /// @param metaHash hash of the batch manifest
    /// @return index position of the batch in anchoring order
    function anchorBatch(bytes32 root, uint32 leafCount, bytes32 metaHash)
        external
        onlyRole(ANCHORER_ROLE)
        returns (uint64 index)
    {
        if (root == bytes32(0)) revert ZeroRoot();
        if (leafCount == 0) revert EmptyBatch();
        Batch storage existing = _batches[root];
        if (existing.anchoredAt != 0) revert RootAlreadyAnchored(root, existing.index);
        index = uint64(_roots.length);
        _roots.push(root);
        _batches[root] = Batch({
            metaHash: metaHash,
            submitter: msg.sender,
            index: index,
            anchoredAt: uint64(block.timestamp),
            blockNumber: uint64(block.number),
            leafCount: leafCount
        });
        emit BatchAnchored(root, index, msg.sender, leafCount, metaHash);
    }

    /// @notice True when `root` has been anchored.
    /// @param root a batch root
    function isAnchored(bytes32 root) external view returns (bool) {
        return _batches[root].anchoredAt != 0;
    }

    /// @notice The anchored batch with this root; reverts with UnknownRoot otherwise.
    /// @param root an anchored batch root
    function getBatch(bytes32 root) external view returns (Batch memory) {
        Batch storage b = _batches[root];
        if (b.anchoredAt == 0) revert UnknownRoot(root);
        return b;
    }

    /// @notice Number of batches anchored so far.
    function batchCount() external view returns (uint256) {
        return _roots.length;
    }

    /// @notice The root anchored at position `index`.
    /// @param index position in anchoring order, below `batchCount()`
    function rootAt(uint256 index) external view returns (bytes32) {
        return _roots[index];
    }

    /// @notice True when `leaf` is in the anchored batch `root`. False for a root that was never
    ///         anchored, so a proof against an arbitrary self-made root proves nothing, and for a
    ///         proof whose length cannot be a leaf's in a tree of the batch's `leafCount` leaves: in
    ///         the StandardMerkleTree layout (a complete binary tree of 2n - 1 nodes) every leaf sits
    ///         at depth floor(log2 n) or ceil(log2 n), so an inner node (or the root itself, with an
    ///         empty proof) is never accepted as a leaf of a batch of more than one record.
    /// @param root an anchored batch root
    /// @param proof sibling hashes from the leaf up (OpenZeppelin sorted-pair convention)
    /// @param leaf the leaf hash, already double-hashed as StandardMerkleTree does
    function verifyInclusion(bytes32 root, bytes32[] calldata proof, bytes32 leaf) external view returns (bool) {
        uint256 n = _batches[root].leafCount;
        if (_batches[root].anchoredAt == 0 || n == 0) return false;
        if (proof.length < Math.log2(n) || proof.length > Math.log2(n, Math.Rounding.Ceil)) return false;
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @notice True when all `leaves` are in the anchored batch `root` (OpenZeppelin multiproof).
    ///         False for a root never anchored, for no leaves, and for a multiproof that cannot be
    ///         one of leaves of this batch: at most `leafCount` leaves, and leaves plus proof
    ///         hashes at most `leafCount` (each of the leaves.length + proof.length - 1 hashes is a
    ///         distinct inner node, of which the tree has leafCount - 1); with more than one leaf in
    ///         the batch at least one hash must be taken, so the root alone is not a "leaf".
    /// @param root an anchored batch root
    /// @param proof the multiproof's sibling hashes
    /// @param proofFlags the multiproof's flags
    /// @param leaves the leaf hashes, in the order the multiproof lists them
    function verifyMultiInclusion(
        bytes32 root,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        bytes32[] calldata leaves
    ) external view returns (bool) {
        uint256 n = _batches[root].leafCount;
        if (_batches[root].anchoredAt == 0 || n == 0) return false;
        if (leaves.length == 0 || leaves.length + proof.length > n) return false;
        if (n > 1 && leaves.length + proof.length < 2) return false;
        return MerkleProof.multiProofVerifyCalldata(proof, proofFlags, root, leaves);
    }

    /// @notice The leaf of a Veridict proof record, exactly as StandardMerkleTree hashes the value
    ///         (bytes32 bundleDigest, bytes32 modelCommitment, bytes32 inputCommitment, bytes32 airId,
    ///         bytes32 policyId, address subject): keccak256(bytes.concat(keccak256(abi.encode(...)))).
    /// @param bundleDigest digest of the proof bundle
    /// @param modelCommitment the model version
    /// @param inputCommitment the salted commitment to the applicant's features
    /// @param airId the decision circuit
    /// @param policyId the lender's policy
    /// @param subject the borrower's address
    function recordLeaf(
        bytes32 bundleDigest,
        bytes32 modelCommitment,
        bytes32 inputCommitment,
        bytes32 airId,
        bytes32 policyId,
        address subject
    ) public pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(abi.encode(bundleDigest, modelCommitment, inputCommitment, airId, policyId, subject))
            )
        );
    }
}
