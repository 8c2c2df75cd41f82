// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IStabilityPool} from "../interfaces/IStabilityPool.sol";

interface IMintableERC20 {
    function mint(address to, uint256 amount) external;
    function approve(address spender, uint256 amount) external returns (bool);
}

/// @notice Test helper: a depositor that mints itself debt tokens and deposits them on creation.
contract SwarmDepositor {
    constructor(IStabilityPool pool, IMintableERC20 debt, uint256 amount) {
        debt.mint(address(this), amount);
        debt.approve(address(pool), amount);
        pool.deposit(amount);
    }
}

/// @notice Test helper: fills a pool with `count` distinct depositors in one transaction, so an
/// O(1) test can reach hundreds of depositors in seconds.
contract DepositorSwarm {
    function spawn(IStabilityPool pool, IMintableERC20 debt, uint256 count, uint256 amount) external {
        for (uint256 i; i < count; ++i) {
            new SwarmDepositor(pool, debt, amount);
        }
    }
}
