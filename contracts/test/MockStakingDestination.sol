// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IStakingDestination} from "../interfaces/IStakingDestination.sol";

/// @title MockStakingDestination
/// @notice Test-only staking destination: a settable coverage, and a `distribute` that pulls and
/// keeps what it is given (less `pullShortfall`, to test a destination that does not pull it all).
contract MockStakingDestination is IStakingDestination {
    /// @inheritdoc IStakingDestination
    uint256 public override coverage;
    /// @notice Wei that `distribute` leaves unpulled (0: pulls everything).
    uint256 public pullShortfall;

    /// @notice Emitted by `distribute`.
    event Received(address indexed from, address indexed token, uint256 amount);

    constructor(uint256 coverage_) {
        coverage = coverage_;
    }

    /// @notice Sets the coverage reported (1e18 = 100%; not checked, to test the splitter's check).
    function setCoverage(uint256 coverage_) external {
        coverage = coverage_;
    }

    /// @notice Sets the wei that `distribute` leaves unpulled.
    function setPullShortfall(uint256 shortfall) external {
        pullShortfall = shortfall;
    }

    /// @inheritdoc IStakingDestination
    function distribute(address token, uint256 amount) external override {
        IERC20(token).transferFrom(msg.sender, address(this), amount - pullShortfall);
        emit Received(msg.sender, token, amount - pullShortfall);
    }
}
