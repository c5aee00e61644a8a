// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @notice The public statement of a Veridict decision proof, in the form a contract reads it: "the
///         model committed to by `modelCommitment` (circuit `airId`), applied to the input committed
///         to by `inputCommitment`, gives `decision` under the threshold rule (`direction`,
///         `thresholdBits`, `circuitThreshold`), for `borrower` under `policyId` on chain `chainId`,
///         with `nonceHash`, until `expiresAt`".
/// @dev Every field is a fixed-size ABI value, so the EIP-712 struct hash is
///      keccak256(abi.encode(DECISION_STATEMENT_TYPEHASH, statement)) and the calldata of a function
///      taking a statement is 13 words. The off-chain statement (`io.veridict.model.DecisionStatement`)
///      maps to it field by field (docs/ledger.md, "Decision statement"):
///      - `airId`, `modelCommitment`, `inputCommitment`: the 32-byte digests of the statement;
///      - `direction`: 0 = approve when the prediction is at least the threshold, 1 = at most;
///      - `thresholdBits`: the IEEE-754 binary64 bits of the policy threshold, as proved;
///      - `circuitThreshold`: the fixed-point threshold the circuit compares the margin with;
///      - `borrower`: the context subject (a 20-byte address);
///      - `policyId`: keccak256 of the UTF-8 policy id, or the id itself when it is 0x + 64 hex digits;
///      - `nonceHash`: keccak256 of the UTF-8 nonce;
///      - `expiresAt`: the context expiry, unix seconds (0 = none).
///      The same struct is what an on-chain STARK verifier will take as its public statement, so a
///      gate that verifies proofs itself computes the same fact from the same calldata.
struct DecisionStatement {
    uint32 version;
    bytes32 airId;
    bytes32 modelCommitment;
    bytes32 inputCommitment;
    uint8 direction;
    uint64 thresholdBits;
    int64 circuitThreshold;
    bool decision;
    uint64 chainId;
    address borrower;
    bytes32 policyId;
    bytes32 nonceHash;
    uint64 expiresAt;
}

/// @title DecisionStatements
/// @notice EIP-712 hashing of a `DecisionStatement` (https://eips.ethereum.org/EIPS/eip-712,
///         "Definition of hashStruct"); the domain (name, version, chain id, verifying contract) is
///         added by the contract that records it, so a fact is bound to one chain and one contract.
library DecisionStatements {
    /// @notice Statement format version this library hashes: 2, the off-chain statement with a
    ///         guard band (docs/decision-circuit.md); the guard band itself is not a member yet, so a
    ///         fact does not say whether the decision was certified clear of the quantization error.
    uint32 internal constant VERSION = 2;
    /// @notice Approve when the prediction is at least the threshold.
    uint8 internal constant AT_LEAST = 0;
    /// @notice Approve when the prediction is at most the threshold.
    uint8 internal constant AT_MOST = 1;

    /// @notice keccak256 of the EIP-712 type string of `DecisionStatement`.
    bytes32 internal constant TYPEHASH = keccak256(
        "DecisionStatement(uint32 version,bytes32 airId,bytes32 modelCommitment,bytes32 inputCommitment,"
        "uint8 direction,uint64 thresholdBits,int64 circuitThreshold,bool decision,uint64 chainId,"
        "address borrower,bytes32 policyId,bytes32 nonceHash,uint64 expiresAt)"
    );

    /// @notice hashStruct(statement): keccak256(typeHash ‖ encodeData(statement)). All members are
    ///         atomic, so encodeData is the ABI encoding of the members in order (int64 sign-extended).
    function hash(DecisionStatement calldata s) internal pure returns (bytes32) {
        return keccak256(abi.encode(TYPEHASH, s));
    }
}
