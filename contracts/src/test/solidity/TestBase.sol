// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @notice The forge cheatcodes these tests use (the subset of forge's `Vm` interface, declared
///         here so the tests need no library beyond OpenZeppelin; signatures as documented in the
///         Foundry book, "Cheatcodes Reference").
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function warp(uint256 newTimestamp) external;
    function deal(address account, uint256 newBalance) external;
    function chainId(uint256 newChainId) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert() external;
    function assume(bool condition) external pure;
    function addr(uint256 privateKey) external pure returns (address);
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(int256 left, int256 right, string calldata message) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata message) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertEq(bytes calldata left, bytes calldata right, string calldata message) external pure;
    function assertEq(bool left, bool right, string calldata message) external pure;
    function assertNotEq(bytes32 left, bytes32 right, string calldata message) external pure;
}

/// @notice Shared by the Solidity tests: the cheatcode handle (its address is keccak256("hevm cheat
///         code")) and a few named accounts.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address internal constant ADMIN = address(0xA0);
    address internal constant POLICY_ADMIN = address(0xA1);
    address internal constant VERIFIER = address(0xA2);
    address internal constant PAUSER = address(0xA3);
    address internal constant REGISTRAR = address(0xA4);
    address internal constant STRANGER = address(0xBAD);
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
}
