// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title HopByHop
/// @notice Test-only naive distribution for gas comparisons: the hops of a flow as plain
/// `transferFrom`s in one transaction, each from an account that has approved this contract.
/// Anyone can move the tokens of anyone who approved it: never approve it outside tests.
contract HopByHop {
    /// @notice One hop: `amount` from `from` to `to`.
    struct Hop {
        address from;
        address to;
        uint256 amount;
    }

    /// @notice Makes every hop in order.
    function run(IERC20 token, Hop[] calldata hops) external {
        for (uint256 i; i < hops.length; ++i) {
            token.transferFrom(hops[i].from, hops[i].to, hops[i].amount);
        }
    }
}
