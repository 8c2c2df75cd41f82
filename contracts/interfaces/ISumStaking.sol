// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title ISumStaking
/// @notice Stakers of one staking token share streamed rewards in up to eight reward tokens pro
/// rata to their stakes over time, in O(1) gas per reward stream (the Sum algorithm).
/// @dev Names follow the paper "Scalable Reward Distribution on the Ethereum Blockchain" (Batog,
/// Boca, Johnson): `S` is the running sum of reward per unit of stake, one per reward token, and
/// `snapshotS` a staker's copy of it taken when their stake last changed.
interface ISumStaking {
    // ---------------------------------------------------------------- errors

    /// @notice Thrown when an amount that must be positive is zero.
    error ZeroAmount();
    /// @notice Thrown when an address argument is the zero address.
    error ZeroAddress();
    /// @notice Thrown when `caller` is not an authorised reward distributor.
    error NotRewardDistributor(address caller);
    /// @notice Thrown when `staker` has no stake to unstake or claim for.
    error NoStake(address staker);
    /// @notice Thrown when `token` is not a registered reward token.
    error UnknownToken(address token);
    /// @notice Thrown when `token` cannot be a reward token (already registered, or the staking token).
    error InvalidRewardToken(address token);
    /// @notice Thrown when registering more than `MAX_REWARD_TOKENS` reward tokens.
    error TooManyRewardTokens(uint256 cap);
    /// @notice Thrown when a stake would take total stakes above `MAX_TOTAL_STAKED`.
    error TotalStakedCapExceeded(uint256 totalStaked, uint256 cap);
    /// @notice Thrown when a stream's remaining amount would exceed `MAX_GAIN_AMOUNT`.
    error GainAmountTooLarge(uint256 amount, uint256 cap);
    /// @notice Thrown when a stream duration exceeds `MAX_STREAM_DURATION`.
    error DurationTooLong(uint256 duration, uint256 cap);

    // ---------------------------------------------------------------- events

    /// @notice `staker`'s stake changed to `stake` (0 when closed). Its `S` snapshot for each reward
    /// token is that token's `S` at this moment, readable from the latest `S_Updated` log.
    /// @param staker The staker.
    /// @param stake The staker's new stake.
    /// @param totalStaked Total stakes after the change.
    event StakeUpdated(address indexed staker, uint256 stake, uint256 totalStaked);
    /// @notice The running sum of `token` changed to `S`.
    event S_Updated(address indexed token, uint256 S);
    /// @notice `staker` was paid `amount` of reward `token`.
    event RewardPaid(address indexed staker, address indexed token, uint256 amount);
    /// @notice `amount` of `token` was added to its stream, which now releases `remaining`
    /// linearly until `finish` (at once when `finish` is the notification's own timestamp).
    event RewardNotified(address indexed token, uint256 amount, uint256 remaining, uint256 finish);
    /// @notice `token` was registered as reward token number `index`.
    event RewardTokenRegistered(address indexed token, uint256 index);
    /// @notice `account` was (de)authorised as a reward distributor.
    event RewardDistributorSet(address indexed account, bool authorised);

    // ---------------------------------------------------------------- stakers

    /// @notice Stakes `amount` staking tokens. Pays out every reward earned so far first, then
    /// restarts the stake's snapshots at its old value plus `amount`.
    function stake(uint256 amount) external;

    /// @notice Unstakes `min(amount, stake)` staking tokens (`type(uint256).max` for all) and pays
    /// out every reward earned so far.
    function unstake(uint256 amount) external;

    /// @notice Pays the caller every reward accrued so far, in every reward token.
    function claim() external;

    // ---------------------------------------------------------------- privileged

    /// @notice Pulls `amount` of reward `token` and streams it linearly over `duration` seconds
    /// (at once if 0) to stakers, pro rata to their stakes over time. The unreleased remainder of
    /// a running stream joins the new one. Released while nothing is staked, a stream is held and
    /// goes to the next stakers. Only reward distributors.
    function notifyReward(address token, uint256 amount, uint256 duration) external;

    /// @notice Registers a reward token. Only the owner.
    function registerRewardToken(address token) external;

    /// @notice Authorises or deauthorises a reward distributor. Only the owner.
    function setRewardDistributor(address account, bool authorised) external;

    // ---------------------------------------------------------------- views

    /// @notice The token stakers stake.
    function stakingToken() external view returns (address);

    /// @notice Whether `account` may notify rewards.
    function isRewardDistributor(address account) external view returns (bool);

    /// @notice Sum of all stakes.
    function totalStaked() external view returns (uint256);

    /// @notice `staker`'s stake.
    function stakeOf(address staker) external view returns (uint256);

    /// @notice Everything `claim()` would pay `staker` in `token` now, rounded down (counts what the
    /// stream would release now, exactly as the next state-changing call would).
    function getReward(address staker, address token) external view returns (uint256);

    /// @notice `token`'s stream: amount not yet released, last release time, end (0: none).
    function getStream(address token) external view returns (uint256 remaining, uint256 lastUpdate, uint256 finish);

    /// @notice Registered reward tokens, in registration order.
    function rewardTokens() external view returns (address[] memory);

    /// @notice The running sum of `token` per unit of stake, scaled by `PRECISION`, as last written.
    function S(address token) external view returns (uint256);

    /// @notice `staker`'s snapshot of `token`'s running sum, taken when their stake last changed.
    function snapshotS(address staker, address token) external view returns (uint256);
}
