// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title Batcher
/// @notice Test-only account contract that makes several calls in one transaction, as a flash-loan
/// attacker does (deposit, claim, withdraw at one timestamp). Any failing call reverts the batch
/// with the callee's own error.
contract Batcher {
    /// @notice Calls `targets[i]` with `calls[i]`, in order; returns each call's return data.
    function run(address[] calldata targets, bytes[] calldata calls) external returns (bytes[] memory results) {
        results = new bytes[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            (bool ok, bytes memory data) = targets[i].call(calls[i]);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(data, 0x20), mload(data))
                }
            }
            results[i] = data;
        }
    }
}
