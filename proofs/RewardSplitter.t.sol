// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {SymTest} from "./SymTest.sol";
import {RewardSplitter} from "../contracts/RewardSplitter.sol";

/// @dev The splitter's pre-computed amounts, over RewardSplitter._amounts.
contract RewardSplitterProofs is SymTest, RewardSplitter {
    constructor() RewardSplitter(address(this)) {}

    /// The amounts of seed 001's flow (weights of two final destinations and the source) sum
    /// exactly to the input, whatever the amount.
    /// @custom:halmos --solver-timeout-assertion 20000
    function check_amountsSumToInput(uint128 amount, uint256 w1, uint256 w2) public pure {
        vm.assume(w1 <= WEIGHT_SCALE && w2 <= WEIGHT_SCALE - w1);
        uint256[] memory weights = new uint256[](3);
        (weights[0], weights[1], weights[2]) = (WEIGHT_SCALE - w1 - w2, w1, w2);
        uint256[] memory amounts = _amounts(amount, weights);
        assert(amounts[0] + amounts[1] + amounts[2] == amount);
    }
}
