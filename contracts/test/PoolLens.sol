// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStabilityPool} from "../interfaces/IStabilityPool.sol";

/// @notice Test helper: every view the model checks need, in one call (one RPC instead of dozens).
contract PoolLens {
    /// @notice One snapshot of the pool's views for `depositors` and gain `tokens`.
    /// @return globals totalDeposits, P, currentScale, currentEpoch
    /// @return compounded each depositor's compounded deposit
    /// @return gains gains[d * tokens.length + t]: depositor d's gain in token t
    /// @return deferred deferred[d * tokens.length + t]: depositor d's deferred gain in token t
    /// @return balances the pool's balance of the debt token, then of each gain token
    /// @return unreleased each token's stream: unreleased amount as of its last update
    function read(IStabilityPool pool, address[] calldata depositors, address[] calldata tokens)
        external
        view
        returns (
            uint256[4] memory globals,
            uint256[] memory compounded,
            uint256[] memory gains,
            uint256[] memory deferred,
            uint256[] memory balances,
            uint256[] memory unreleased
        )
    {
        globals = [pool.totalDeposits(), pool.P(), pool.currentScale(), pool.currentEpoch()];
        compounded = new uint256[](depositors.length);
        gains = new uint256[](depositors.length * tokens.length);
        deferred = new uint256[](depositors.length * tokens.length);
        for (uint256 d; d < depositors.length; ++d) {
            compounded[d] = pool.getCompoundedDeposit(depositors[d]);
            for (uint256 t; t < tokens.length; ++t) {
                gains[d * tokens.length + t] = pool.getDepositorGain(depositors[d], tokens[t]);
                deferred[d * tokens.length + t] = pool.deferredGains(depositors[d], tokens[t]);
            }
        }
        balances = new uint256[](tokens.length + 1);
        balances[0] = IERC20(pool.debtToken()).balanceOf(address(pool));
        unreleased = new uint256[](tokens.length);
        for (uint256 t; t < tokens.length; ++t) {
            balances[t + 1] = IERC20(tokens[t]).balanceOf(address(pool));
            (unreleased[t],,,) = pool.getStream(tokens[t]);
        }
    }
}
