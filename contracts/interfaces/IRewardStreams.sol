// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title IRewardStreams
/// @notice The reward-stream surface that the StabilityPool and SumStaking share (RewardStream).
/// @dev Both IStabilityPool and ISumStaking inherit it, so the library reverts and emits with the
/// same selectors and topics in either contract. `notifyReward` is declared by each, with its own
/// stream threshold.
interface IRewardStreams {
    /// @notice Thrown when an amount that must be positive is zero.
    error ZeroAmount();

    /// @notice Thrown when an address argument is the zero address.
    error ZeroAddress();

    /// @notice Thrown when the caller of `notifyReward` is not an authorised reward distributor.
    /// @param caller The caller.
    error NotRewardDistributor(address caller);

    /// @notice Thrown when `token` is not a registered token.
    /// @param token The token asked for.
    error UnknownToken(address token);

    /// @notice Thrown when the caller has nothing deferred in `token` to claim.
    /// @param account The caller.
    /// @param token The token asked for.
    error NothingDeferred(address account, address token);

    /// @notice Thrown when a stream duration exceeds `MAX_STREAM_DURATION`.
    /// @param duration The duration asked for, in seconds.
    /// @param cap MAX_STREAM_DURATION, in seconds.
    error DurationTooLong(uint256 duration, uint256 cap);

    /// @notice Emitted when a reward is notified.
    /// @param token The token.
    /// @param amount The amount notified (pulled from the distributor), in wei.
    /// @param duration The duration asked for, in seconds (0: credited at once).
    /// @param rate The stream's rate after the notification, in wei per second times 1e18.
    /// @param finish The stream's end after the notification, a timestamp (0: no stream).
    event RewardNotified(address indexed token, uint256 amount, uint256 duration, uint256 rate, uint256 finish);

    /// @notice Emitted when a reward distributor is authorised or deauthorised.
    /// @param account The account.
    /// @param authorised Whether it may now call `notifyReward`.
    event RewardDistributorSet(address indexed account, bool authorised);

    /// @notice Pays `recipient` all of the caller's deferred gain or reward in `token`.
    /// @dev Strict: reverts, changing nothing, if the token still does not pay.
    /// @param token The token.
    /// @param recipient The address to pay.
    function claimDeferred(address token, address recipient) external;

    /// @notice Authorises or deauthorises a reward distributor; only the owner.
    /// @param account The account.
    /// @param authorised Whether it may call `notifyReward`.
    function setRewardDistributor(address account, bool authorised) external;

    /// @notice The longest stream duration.
    /// @return cap 315,360,000 seconds (10 * 365 days).
    function MAX_STREAM_DURATION() external view returns (uint256 cap);

    /// @notice Whether an account may call `notifyReward`.
    /// @param account The account.
    /// @return authorised Whether it is a reward distributor.
    function isRewardDistributor(address account) external view returns (bool authorised);

    /// @notice A token's reward stream, as of its last update.
    /// @param token A registered token.
    /// @return unreleased What the stream had not released at `lastUpdate`, in wei, rounded down.
    /// @return rate Its rate, in wei per second times 1e18.
    /// @return lastUpdate When it was last advanced, a timestamp.
    /// @return finish Its end, a timestamp (0: no stream; it moves later while the stream pauses).
    function getStream(address token)
        external
        view
        returns (uint256 unreleased, uint256 rate, uint256 lastUpdate, uint256 finish);
}
