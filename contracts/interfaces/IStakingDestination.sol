// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title IStakingDestination
/// @notice What a RewardSplitter needs from an AMP staking contract: how much of a distribution its
/// stakers' AMP covers, and a way to hand it the covered part.
/// @dev AMP of a deposit = tokens staked * min(42 days, now - date staked) / 42 days, so a staking
/// contract's AMP never exceeds what is staked. `coverage` is ΣAMP / Σstaked (1e18 = 100%); the
/// splitter sends the staking contract `coverage` of what reaches it and gives the rest (the
/// uncovered part) back to the source whose table names the staking contract.
interface IStakingDestination {
    /// @notice ΣAMP / Σstaked in 1e18 fixed point (1e18 = 100%), at most 1e18.
    /// @dev Rounded down, so the splitter never sends more than the stakers' AMP covers (the
    /// uncovered part returned to the source is the larger for it).
    function coverage() external view returns (uint256);

    /// @notice Takes `amount` of `token` for the stakers: pulls exactly `amount` from the caller
    /// (the splitter has approved at least that much, and checks that exactly `amount` left it).
    function distribute(address token, uint256 amount) external;
}
