// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IStabilityPool} from "../interfaces/IStabilityPool.sol";

/// @title OffsetCaller
/// @notice Test-only minimal liquidator contract for gas measurement: `offset` forwards to the
/// pool, as Liquity v2's TroveManager calls its pool's `offset`, and logs the gas the call took
/// (gasleft() before minus after, so the CALL's own cost is in it), the same caller the Liquity v2
/// anchors were measured with (`ape run gas`).
contract OffsetCaller {
    /// @notice The gas of the pool's `offset` call, measured around it.
    event InnerGas(uint256 gas);

    /// @notice The pool this caller liquidates into.
    IStabilityPool public immutable pool;

    /// @param pool_ The pool (this contract must be one of its liquidators).
    constructor(IStabilityPool pool_) {
        pool = pool_;
    }

    /// @notice Approves the pool to pull any amount of `token` (the collateral it is sent).
    function approvePool(IERC20 token) external {
        token.approve(address(pool), type(uint256).max);
    }

    /// @notice The pool's `offset`, with this contract as the liquidator.
    function offset(uint256 debtToOffset, address collateral, uint256 collAmount) external {
        uint256 before = gasleft();
        pool.offset(debtToOffset, collateral, collAmount);
        emit InnerGas(before - gasleft());
    }
}
