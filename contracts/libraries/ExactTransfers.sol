// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice Thrown when `token` delivered fewer tokens than were sent (fee on transfer).
error TransferShortfall(address token, uint256 expected, uint256 received);
/// @notice Thrown when the contract holds less of `token` than it must pay (a negative rebase).
error PoolShortfall(address token, uint256 owed, uint256 balance);
/// @notice Thrown when fewer than `required` gas units are left for a token's payout call, so a
/// failure could not be told apart from the caller's own gas limit (send the call with more gas).
error PayoutGasTooLow(uint256 gasLeft, uint256 required);

/// @title ExactTransfers
/// @notice Token transfers that cannot short-change the contract's accounting:
/// - `pullExact` compares balances around the pull and refuses a token that delivers less than
///   sent (fee on transfer) with TransferShortfall;
/// - `payChecked` refuses to pay more than the contract holds (a negative rebase) with
///   PoolShortfall; it does not measure what the recipient receives;
/// - `tryPay` pays without ever reverting on the token's behalf, for payouts that must not block
///   anything else (one gain token cannot lock another's funds).
/// SafeERC20 handles tokens that return no bool.
library ExactTransfers {
    using SafeERC20 for IERC20;

    /// @notice Gas given to each of a token's calls in `tryPay` (balanceOf, then transfer): a
    /// token that burns all of it costs the payer at most this much, and cannot stop the call.
    uint256 internal constant PAYOUT_GAS = 200_000;
    /// @dev gasleft() needed before each call so that the token receives all of PAYOUT_GAS (a call
    /// forwards at most 63/64 of what is left) with margin for the call's own cost.
    uint256 internal constant PAYOUT_GAS_REQUIRED = PAYOUT_GAS * 64 / 63 + 10_000;

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

    /// @dev Tries to pay `amount` of `token` to `to`; returns false instead of reverting when the
    /// contract holds less (balanceOf below `amount`), or when the token reverts, returns false or
    /// malformed data, has no code, or uses up the PAYOUT_GAS given to each call. Copies at most
    /// 32 bytes of return data (no return-data bomb). Reverts only with PayoutGasTooLow, when the
    /// caller left too little gas for the token to be given PAYOUT_GAS.
    function tryPay(address token, address to, uint256 amount) internal returns (bool paid) {
        bytes memory balanceCall = abi.encodeCall(IERC20.balanceOf, (address(this)));
        bytes memory transferCall = abi.encodeCall(IERC20.transfer, (to, amount));
        uint256 stipend = PAYOUT_GAS;
        _requireGas();
        assembly ("memory-safe") {
            // balanceOf: must succeed with a full word that is at least `amount`.
            paid := staticcall(stipend, token, add(balanceCall, 0x20), mload(balanceCall), 0x00, 0x20)
            paid := and(paid, and(gt(returndatasize(), 0x1f), iszero(lt(mload(0x00), amount))))
        }
        if (!paid) return false;
        _requireGas();
        assembly ("memory-safe") {
            // transfer: must succeed, returning true, or nothing from a contract (as SafeERC20).
            paid := call(stipend, token, 0, add(transferCall, 0x20), mload(transferCall), 0x00, 0x20)
            let returnedTrue := and(gt(returndatasize(), 0x1f), eq(mload(0x00), 1))
            let returnedNothing := and(iszero(returndatasize()), gt(extcodesize(token), 0))
            paid := and(paid, or(returnedTrue, returnedNothing))
        }
    }

    function _requireGas() private view {
        uint256 left = gasleft();
        if (left < PAYOUT_GAS_REQUIRED) revert PayoutGasTooLow(left, PAYOUT_GAS_REQUIRED);
    }
}
