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
    /// @param caller The caller.
    error NotRewardDistributor(address caller);
    /// @notice Thrown when `staker` has no stake to unstake or claim for.
    /// @param staker The caller, who has no stake.
    error NoStake(address staker);
    /// @notice Thrown when `token` is not a registered reward token.
    /// @param token The token asked for.
    error UnknownToken(address token);
    /// @notice Thrown when `token` cannot be a reward token (already registered, or the staking token).
    /// @param token The token offered.
    error InvalidRewardToken(address token);
    /// @notice Thrown when registering more than `MAX_REWARD_TOKENS` reward tokens.
    /// @param cap MAX_REWARD_TOKENS.
    error TooManyRewardTokens(uint256 cap);
    /// @notice Thrown when a stake of `amount` would take total stakes above `MAX_TOTAL_STAKED`.
    /// @param amount The amount offered.
    /// @param available The most that can be staked now (MAX_TOTAL_STAKED - totalStaked).
    error TotalStakedCapExceeded(uint256 amount, uint256 available);
    /// @notice Thrown when a reward of `amount` is above `cap`: MAX_REWARD_AMOUNT for one credited
    /// at once, or for a stream what keeps its unreleased amount within MAX_REWARD_AMOUNT.
    /// @param amount The amount notified.
    /// @param cap The most that can be notified now.
    error RewardAmountTooLarge(uint256 amount, uint256 cap);
    /// @notice Thrown when a zero-duration reward is notified while nothing is staked (there is no
    /// one to credit it to; stream it instead).
    error NothingStaked();
    /// @notice Thrown when `staker` has no deferred reward in `token` to claim.
    /// @param staker The caller.
    /// @param token The reward token asked for.
    error NothingDeferred(address staker, address token);
    /// @notice Thrown when a stream duration exceeds `MAX_STREAM_DURATION`.
    /// @param duration The duration asked for.
    /// @param cap MAX_STREAM_DURATION.
    error DurationTooLong(uint256 duration, uint256 cap);

    // ---------------------------------------------------------------- events

    /// @notice `staker`'s stake changed to `stake` (0 when closed). Its `S` snapshot for each reward
    /// token is that token's `S` at this moment, readable from the latest `S_Updated` log.
    /// @param staker The staker.
    /// @param stake The staker's new stake.
    /// @param totalStaked Total stakes after the change.
    event StakeUpdated(address indexed staker, uint256 stake, uint256 totalStaked);
    /// @notice The running sum of `token` changed to `S`.
    /// @param token The reward token.
    /// @param S The new running sum, scaled by PRECISION.
    event S_Updated(address indexed token, uint256 S);
    /// @notice `staker` was paid `amount` of reward `token`.
    /// @param staker The staker paid.
    /// @param token The reward token.
    /// @param amount The amount paid.
    event RewardPaid(address indexed staker, address indexed token, uint256 amount);
    /// @notice `token` would not pay `staker` `amount` (it reverted, refused, lacked the balance or
    /// ran out of gas): the amount is kept for them in `deferredRewards`.
    /// @param staker The staker owed the reward.
    /// @param token The reward token.
    /// @param amount The amount deferred.
    event RewardDeferred(address indexed staker, address indexed token, uint256 amount);
    /// @notice `staker`'s deferred reward of `amount` in `token` was paid to `recipient`.
    /// @param staker The staker the reward was deferred for.
    /// @param token The reward token.
    /// @param recipient The address paid.
    /// @param amount The amount paid.
    event DeferredRewardClaimed(address indexed staker, address indexed token, address recipient, uint256 amount);
    /// @notice `amount` of `token` was notified over `duration` seconds (0: credited at once); the
    /// token's stream now releases `rate` (wei per second times 1e18) until `finish` (0: none).
    /// @param token The reward token.
    /// @param amount The amount notified (and pulled from the distributor).
    /// @param duration The duration asked for, in seconds.
    /// @param rate The stream's rate after the notification.
    /// @param finish The stream's end after the notification (0: no stream).
    event RewardNotified(address indexed token, uint256 amount, uint256 duration, uint256 rate, uint256 finish);
    /// @notice `token` was registered as reward token number `index`.
    /// @param token The reward token.
    /// @param index Its index, in registration order from 0.
    event RewardTokenRegistered(address indexed token, uint256 index);
    /// @notice `account` was (de)authorised as a reward distributor.
    /// @param account The account.
    /// @param authorised Whether it may now notify rewards.
    event RewardDistributorSet(address indexed account, bool authorised);

    // ---------------------------------------------------------------- stakers

    /// @notice Stakes `amount` staking tokens. Pays out every reward earned so far first, then
    /// restarts the stake's snapshots at its old value plus `amount`.
    /// @param amount The amount to stake (pulled from the caller).
    function stake(uint256 amount) external;

    /// @notice Unstakes `min(amount, stake)` staking tokens (`type(uint256).max` for all) and pays
    /// out every reward earned so far. A reward token that will not pay cannot stop it: that
    /// reward is deferred (`claimDeferred`).
    /// @param amount The amount to unstake.
    function unstake(uint256 amount) external;

    /// @notice Pays the caller every reward accrued so far, in every reward token (deferring any a
    /// token will not pay).
    function claim() external;

    /// @notice Pays `recipient` the caller's deferred reward in `token` (rewards a token would not
    /// pay when they were due), all of it; reverts if the token still does not pay, changing nothing.
    /// @param token The reward token.
    /// @param recipient The address to pay.
    function claimDeferred(address token, address recipient) external;

    // ---------------------------------------------------------------- privileged

    /// @notice Pulls `amount` of reward `token` and streams it over `duration` seconds to stakers,
    /// pro rata to their stakes over time; the unreleased remainder of a running stream joins it.
    /// Streams pause while nothing is staked. Duration 0 credits exactly `amount` at once and
    /// leaves the running stream untouched (it reverts with NothingStaked while nothing is
    /// staked). Only reward distributors.
    /// @param token A registered reward token.
    /// @param amount The amount to pull and distribute.
    /// @param duration The stream's duration in seconds (0: at once), at most MAX_STREAM_DURATION.
    function notifyReward(address token, uint256 amount, uint256 duration) external;

    /// @notice Registers a reward token. Only the owner.
    /// @param token The token (not the staking token, not already registered).
    function registerRewardToken(address token) external;

    /// @notice Authorises or deauthorises a reward distributor. Only the owner.
    /// @param account The account.
    /// @param authorised Whether it may notify rewards.
    function setRewardDistributor(address account, bool authorised) external;

    // ---------------------------------------------------------------- views

    /// @notice The token stakers stake.
    function stakingToken() external view returns (address);

    /// @notice Whether `account` may notify rewards.
    /// @param account The account.
    function isRewardDistributor(address account) external view returns (bool);

    /// @notice Sum of all stakes.
    function totalStaked() external view returns (uint256);

    /// @notice `staker`'s stake.
    /// @param staker The staker.
    function stakeOf(address staker) external view returns (uint256);

    /// @notice Everything `claim()` would pay (or defer) `staker` in `token` now, rounded down: it
    /// counts what the stream would release now, exactly as the next state-changing call would,
    /// but not what is already in `deferredRewards`.
    /// @param staker The staker.
    /// @param token A registered reward token.
    function earned(address staker, address token) external view returns (uint256);

    /// @notice `token`'s stream: `unreleased` amount and `rate` (wei per second times 1e18) as of
    /// `lastUpdate`, and its end `finish` (0: no stream; it moves later while the stream pauses).
    /// @param token A registered reward token.
    function getStream(address token)
        external
        view
        returns (uint256 unreleased, uint256 rate, uint256 lastUpdate, uint256 finish);

    /// @notice Registered reward tokens, in registration order.
    function rewardTokens() external view returns (address[] memory);

    /// @notice The running sum of `token` per unit of stake, scaled by `PRECISION`, as last written.
    /// @param token A reward token.
    function S(address token) external view returns (uint256);

    /// @notice `staker`'s snapshot of `token`'s running sum, taken when their stake last changed.
    /// @param staker The staker.
    /// @param token A reward token.
    function snapshotS(address staker, address token) external view returns (uint256);

    /// @notice What `token` would not pay `staker` when it was due, kept for `claimDeferred`.
    /// @param staker The staker.
    /// @param token A reward token.
    function deferredRewards(address staker, address token) external view returns (uint256);
}
