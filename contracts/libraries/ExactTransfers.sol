// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice Thrown when `token` delivered fewer tokens than were sent (fee on transfer).
error TransferShortfall(address token, uint256 expected, uint256 received);
/// @notice Thrown when the contract holds less of `token` than it must pay (a negative rebase).
error PoolShortfall(address token, uint256 owed, uint256 balance);

/// @title ExactTransfers
/// @notice Token transfers that refuse to be short-changed, by comparing balances: tokens that
/// take a fee on transfer or rebase down are rejected with a named error where they would make
/// the contract's accounting exceed what it holds. SafeERC20 handles tokens that return no bool.
library ExactTransfers {
    using SafeERC20 for IERC20;

    /// @dev Pays `amount` of `token`, refusing with PoolShortfall if the contract holds less.
    function payChecked(address token, address to, uint256 amount) internal {
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance < amount) revert PoolShortfall(token, amount, balance);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @dev Pulls exactly `amount` of `token` from the caller (msg.sender: only ever the caller's
    /// own tokens), refusing with TransferShortfall if less arrives.
    function pullExact(address token, uint256 amount) internal {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received < amount) revert TransferShortfall(token, amount, received);
    }
}
