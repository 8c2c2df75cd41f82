// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title IRewardTokens
/// @notice The reward-token registry of the staking contracts (SumStaking, AmpStaking), through
/// RewardStream.registerRewardToken.
interface IRewardTokens {
    /// @notice Thrown when `token` cannot be a reward token (already registered, or the staking token).
    /// @param token The token offered.
    error InvalidRewardToken(address token);

    /// @notice Thrown when registering more than `MAX_REWARD_TOKENS` reward tokens.
    /// @param cap MAX_REWARD_TOKENS.
    error TooManyRewardTokens(uint256 cap);

    /// @notice Emitted when a reward token is registered.
    /// @param token The reward token.
    /// @param index Its index, in registration order from 0.
    event RewardTokenRegistered(address indexed token, uint256 index);

    /// @notice Registers a reward token; only the owner.
    /// @param token The token (not the zero address, not the staking token, not already registered).
    function registerRewardToken(address token) external;

    /// @notice The most reward tokens that can be registered.
    /// @return cap 8.
    function MAX_REWARD_TOKENS() external view returns (uint256 cap);
}
