// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {TestBase} from "./TestBase.sol";
import {ProofAnchor} from "../../main/solidity/ProofAnchor.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice Inclusion checks of issue 21, finding 4: an empty proof, the root as its own leaf, no
///         leaves, and proofs whose length no leaf of the batch can have are all false; real
///         proofs in StandardMerkleTree layout (2n - 1 nodes, leaf i at tree[2n - 2 - i]) are true.
contract ProofAnchorTest is TestBase {
    ProofAnchor internal anchor;

    function setUp() public {
        anchor = new ProofAnchor(address(this));
    }

    /// The flat StandardMerkleTree array of `leaves` (unsorted: the layout is what matters here).
    function tree(bytes32[] memory leaves) internal pure returns (bytes32[] memory t) {
        uint256 n = leaves.length;
        t = new bytes32[](2 * n - 1);
        for (uint256 i = 0; i < n; i++) t[2 * n - 2 - i] = leaves[i];
        for (uint256 i = n - 1; i > 0; i--) t[i - 1] = Hashes.commutativeKeccak256(t[2 * i - 1], t[2 * i]);
    }

    function proofOf(bytes32[] memory t, uint256 j) internal pure returns (bytes32[] memory p) {
        uint256 depth;
        for (uint256 k = j; k > 0; k = (k - 1) / 2) depth++;
        p = new bytes32[](depth);
        for (uint256 d = 0; j > 0; d++) {
            p[d] = t[j % 2 == 1 ? j + 1 : j - 1];
            j = (j - 1) / 2;
        }
    }

    function leavesOf(uint256 n, uint256 salt) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            l[i] = keccak256(bytes.concat(keccak256(abi.encode(salt, i))));
        }
    }

    function anchored(uint256 n, uint256 salt) internal returns (bytes32[] memory t) {
        t = tree(leavesOf(n, salt));
        anchor.anchorBatch(t[0], uint32(n), keccak256("manifest"));
    }

    function test_rootAsItsOwnLeaf_emptyProof_isFalse_forMoreThanOneLeaf() public {
        bytes32[] memory t = anchored(4, 1);
        bytes32 root = t[0];
        vm.assertFalse(anchor.verifyInclusion(root, new bytes32[](0), root), "root with empty proof");
        // an inner node with a short proof is no leaf either
        bytes32[] memory p = new bytes32[](1);
        p[0] = t[2];
        vm.assertFalse(anchor.verifyInclusion(root, p, t[1]), "inner node as leaf");
        // every real leaf verifies
        for (uint256 j = 3; j < 7; j++) vm.assertTrue(anchor.verifyInclusion(root, proofOf(t, j), t[j]), "leaf");
    }

    function test_singleLeafBatch_rootIsTheLeaf() public {
        bytes32[] memory t = anchored(1, 2);
        vm.assertTrue(anchor.verifyInclusion(t[0], new bytes32[](0), t[0]), "one leaf: the root is the leaf");
        bytes32[] memory p = new bytes32[](1);
        p[0] = t[0];
        vm.assertFalse(anchor.verifyInclusion(t[0], p, t[0]), "one leaf: no proof step");
    }

    function test_unbalancedTrees_everyLeafVerifies_andDepthsAreBounded() public {
        for (uint256 n = 2; n <= 9; n++) {
            bytes32[] memory t = anchored(n, 100 + n);
            for (uint256 j = n - 1; j < 2 * n - 1; j++) {
                vm.assertTrue(anchor.verifyInclusion(t[0], proofOf(t, j), t[j]), "leaf of an unbalanced tree");
            }
        }
    }

    function test_multiproof_noLeaves_orRootAlone_isFalse() public {
        bytes32[] memory t = anchored(4, 3);
        bytes32 root = t[0];
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = root;
        vm.assertFalse(anchor.verifyMultiInclusion(root, proof, new bool[](0), new bytes32[](0)), "no leaves");
        bytes32[] memory leaves = new bytes32[](1);
        leaves[0] = root;
        vm.assertFalse(anchor.verifyMultiInclusion(root, new bytes32[](0), new bool[](0), leaves), "root as the only leaf");
        // more leaves than the batch holds
        bytes32[] memory many = new bytes32[](5);
        vm.assertFalse(anchor.verifyMultiInclusion(root, new bytes32[](0), new bool[](4), many), "too many leaves");
        // a real multiproof of two sibling leaves (tree[5], tree[6]) plus the sibling subtree tree[1]
        bytes32[] memory two = new bytes32[](2);
        two[0] = t[6];
        two[1] = t[5];
        bytes32[] memory sib = new bytes32[](1);
        sib[0] = t[1];
        bool[] memory flags = new bool[](2);
        flags[0] = true;
        flags[1] = false;
        vm.assertTrue(anchor.verifyMultiInclusion(root, sib, flags, two), "real multiproof");
    }

    function test_unanchoredRoot_isFalse() public view {
        bytes32[] memory t = tree(leavesOf(2, 4));
        vm.assertFalse(anchor.verifyInclusion(t[0], proofOf(t, 1), t[1]), "never anchored");
    }

    /// Any proof length outside [floor(log2 n), ceil(log2 n)] is refused without hashing.
    function testFuzz_inclusion_proofLength(uint8 n, uint8 len, bytes32 leaf) public {
        uint256 leaves = bound(n, 1, 64);
        bytes32[] memory t = anchored(leaves, uint256(keccak256(abi.encode(n, len))));
        uint256 lo = log2Floor(leaves);
        uint256 hi = leaves == 1 ? 0 : log2Floor(leaves - 1) + 1;
        uint256 l = uint256(len) % 12;
        vm.assume(l < lo || l > hi);
        vm.assertFalse(anchor.verifyInclusion(t[0], new bytes32[](l), leaf), "impossible proof length");
    }

    function log2Floor(uint256 x) internal pure returns (uint256 r) {
        while (x > 1) {
            x >>= 1;
            r++;
        }
    }

    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }
}
