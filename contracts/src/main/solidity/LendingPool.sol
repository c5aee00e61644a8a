// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {EligibilityGate} from "./EligibilityGate.sol";

/// @title LendingPool
/// @notice Example consumer of the EligibilityGate: a pool of ether that lends up to `maxLoan` to a
///         borrower only while the gate says the borrower is eligible under the pool's policy.
///         It exists to show how a DeFi contract reads the gate; it is NOT a lending protocol.
/// @dev What it deliberately omits, so nobody mistakes it for one:
///      - no withdrawal: `deposit` is a one-way transfer; depositors have no claim, no shares and no
///        way to take liquidity back;
///      - no interest, fees or price of any kind; a loan is repaid at exactly its principal;
///      - no term or due date, no collateral and no liquidation: a loan is outstanding until the
///        borrower chooses to repay;
///      - eligibility is checked only when a loan is taken: revoking, expiring or pausing the
///        borrower's eligibility (or deprecating the model) afterwards does nothing to an
///        outstanding loan, it only refuses the next one;
///      - one open loan per borrower, no owner, no upgrade, no pause of its own.
///      The gate check itself (`isEligible` fails closed) is the part meant to be copied.
contract LendingPool {
    /// @notice The gate consulted on every loan.
    EligibilityGate public immutable gate;
    /// @notice The policy a borrower must be eligible under.
    bytes32 public immutable policyId;
    /// @notice Largest single loan, in wei.
    uint256 public immutable maxLoan;

    /// @notice Outstanding debt per borrower, in wei.
    mapping(address borrower => uint256) public debtOf;

    /// @notice A loan was paid out; `fact` is the eligibility fact it relied on.
    event Borrowed(address indexed borrower, bytes32 indexed fact, uint256 amount);
    /// @notice A loan was repaid in full.
    event Repaid(address indexed borrower, uint256 amount);
    /// @notice Liquidity was added.
    event Deposited(address indexed from, uint256 amount);

    error NotEligible(address borrower, bytes32 policyId);
    error LoanOutstanding(address borrower, uint256 debt);
    error InvalidAmount(uint256 amount, uint256 maxLoan);
    error InsufficientLiquidity(uint256 amount, uint256 available);
    error WrongRepayment(uint256 sent, uint256 debt);
    error TransferFailed();

    /// @param eligibilityGate the gate to consult
    /// @param requiredPolicy the policy borrowers must satisfy
    /// @param maxLoanWei largest single loan
    constructor(EligibilityGate eligibilityGate, bytes32 requiredPolicy, uint256 maxLoanWei) {
        gate = eligibilityGate;
        policyId = requiredPolicy;
        maxLoan = maxLoanWei;
    }

    /// @notice Adds liquidity to the pool.
    function deposit() external payable {
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Borrows `amount` wei. Reverts with NotEligible unless the gate currently says the
    ///         caller is eligible under `policyId`.
    /// @param amount wei to borrow, at most `maxLoan`
    function borrow(uint256 amount) external {
        (bool ok,, bytes32 fact) = gate.isEligible(msg.sender, policyId);
        if (!ok) revert NotEligible(msg.sender, policyId);
        if (amount == 0 || amount > maxLoan) revert InvalidAmount(amount, maxLoan);
        uint256 debt = debtOf[msg.sender];
        if (debt != 0) revert LoanOutstanding(msg.sender, debt);
        if (amount > address(this).balance) revert InsufficientLiquidity(amount, address(this).balance);
        // Effects before the transfer, so a re-entering borrower finds the loan already booked.
        debtOf[msg.sender] = amount;
        emit Borrowed(msg.sender, fact, amount);
        (bool sent,) = payable(msg.sender).call{value: amount}("");
        if (!sent) revert TransferFailed();
    }

    /// @notice Repays the caller's outstanding loan in full (send exactly the debt).
    function repay() external payable {
        uint256 debt = debtOf[msg.sender];
        if (debt == 0 || msg.value != debt) revert WrongRepayment(msg.value, debt);
        debtOf[msg.sender] = 0;
        emit Repaid(msg.sender, msg.value);
    }
}
