// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title NaiveStabilityPool
/// @notice Test-only O(n) stability pool, a gas baseline: `offset` loops over every depositor
///         ever seen. No access control.
/// @dev Each depositor's loss rounds up and gain rounds down, so `totalDeposits` never falls below
///      the sum of deposits and the pool always holds what it owes.
contract NaiveStabilityPool {
    using SafeERC20 for IERC20;

    IERC20 public immutable debtToken;
    IERC20 public immutable collateral;

    address[] public depositors;
    mapping(address => bool) public isDepositor;
    mapping(address => uint256) public deposits;
    mapping(address => uint256) public gains;
    uint256 public totalDeposits;

    constructor(address debtToken_, address collateral_) {
        debtToken = IERC20(debtToken_);
        collateral = IERC20(collateral_);
    }

    function depositorCount() external view returns (uint256) {
        return depositors.length;
    }

    /// @notice Pulls `amount` debt tokens from the caller into their deposit.
    function deposit(uint256 amount) external {
        require(amount != 0, "zero amount");
        if (!isDepositor[msg.sender]) {
            isDepositor[msg.sender] = true;
            depositors.push(msg.sender);
        }
        deposits[msg.sender] += amount;
        totalDeposits += amount;
        debtToken.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Pays back min(`amount`, deposit) debt tokens and all collateral gains.
    function withdraw(uint256 amount) external {
        uint256 dep = deposits[msg.sender];
        if (amount > dep) amount = dep;
        deposits[msg.sender] = dep - amount;
        totalDeposits -= amount;
        if (amount != 0) debtToken.safeTransfer(msg.sender, amount);
        _payGains(msg.sender);
    }

    /// @notice Pays the caller's collateral gains.
    function claim() external {
        _payGains(msg.sender);
    }

    /// @notice Cancels `debt` against all deposits pro rata, hands the caller `debt` debt tokens and
    ///         takes `collAmount` collateral from the caller, shared out pro rata as gains.
    function offset(uint256 debt, uint256 collAmount) external {
        uint256 total = totalDeposits;
        require(total != 0 && debt <= total, "debt exceeds deposits");
        uint256 n = depositors.length;
        for (uint256 i = 0; i < n; ++i) {
            address d = depositors[i];
            uint256 dep = deposits[d];
            gains[d] += (collAmount * dep) / total;
            deposits[d] = dep - (debt * dep + total - 1) / total;
        }
        totalDeposits = total - debt;
        debtToken.safeTransfer(msg.sender, debt);
        collateral.safeTransferFrom(msg.sender, address(this), collAmount);
    }

    function _payGains(address account) private {
        uint256 gain = gains[account];
        if (gain == 0) return;
        gains[account] = 0;
        collateral.safeTransfer(account, gain);
    }
}
