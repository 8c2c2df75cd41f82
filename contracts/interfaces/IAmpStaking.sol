// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IStakingDestination} from "./IStakingDestination.sol";
import {IRewardTokens} from "./IRewardTokens.sol";

/// @title IAmpStaking
/// @notice Positions of one staking token whose weight (AMP) ramps up linearly over RAMP_DAYS
/// whole UTC days and then stays at the amount staked; reward lumps in up to eight tokens are
/// shared in proportion to the weights at the moment they arrive.
/// @dev Weight of a position of `amount` opened on day s, on day d (days = timestamp / 86400):
/// amount * min(RAMP_DAYS, d - s) / RAMP_DAYS. Not declared here, but exposed by the contract:
/// ownership from OpenZeppelin's Ownable2Step, `ReentrancyGuardReentrantCall`,
/// `SafeERC20FailedOperation`, the transfer errors of ExactTransfers.sol (`TransferShortfall`,
/// `PoolShortfall`, `PayoutGasTooLow`) and, from the shared token registry and payouts
/// (RewardStream), IRewardStreams' `ZeroAmount`, `ZeroAddress`, `NotRewardDistributor`,
/// `UnknownToken` and `NothingDeferred`.
interface IAmpStaking is IStakingDestination, IRewardTokens {
    // ---------------------------------------------------------------- errors

    /// @notice Thrown at deployment when the ramp is 0 days or longer than MAX_RAMP_DAYS.
    /// @param rampDays The ramp asked for, in days.
    /// @param cap MAX_RAMP_DAYS.
    error InvalidRampDays(uint256 rampDays, uint256 cap);

    /// @notice Thrown when `positionId` names no open position (never opened, or closed).
    /// @param positionId The position asked for.
    error UnknownPosition(uint256 positionId);

    /// @notice Thrown when the caller does not own the position it tries to close.
    /// @param positionId The position.
    /// @param caller The caller.
    /// @param owner The position's owner.
    error NotPositionOwner(uint256 positionId, address caller, address owner);

    /// @notice Thrown when the caller claims without holding any open position.
    /// @param staker The caller.
    error NoPositions(address staker);

    /// @notice Thrown when a stake would take total stakes above MAX_TOTAL_STAKED.
    /// @param amount The amount offered, in wei.
    /// @param available The most that can be staked now, in wei.
    error TotalStakedCapExceeded(uint256 amount, uint256 available);

    /// @notice Thrown when a lump is above MAX_REWARD_AMOUNT.
    /// @param amount The amount offered, in wei.
    /// @param cap MAX_REWARD_AMOUNT, in wei.
    error RewardAmountTooLarge(uint256 amount, uint256 cap);

    /// @notice Thrown when a lump arrives while the total weight is zero (no position is a day
    /// old yet): there is no one to share it with, and it would be lost.
    /// @param day The current day (timestamp / 86400).
    error NoWeight(uint256 day);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a position opens.
    /// @param positionId The new position.
    /// @param owner Its owner.
    /// @param amount The amount staked, in wei.
    /// @param startDay The day it opened (its weight is 0 that day).
    event PositionOpened(uint256 indexed positionId, address indexed owner, uint256 amount, uint256 startDay);

    /// @notice Emitted when a position closes and its amount is paid back.
    /// @param positionId The position.
    /// @param owner Its owner.
    /// @param amount The amount paid back, in wei.
    event PositionClosed(uint256 indexed positionId, address indexed owner, uint256 amount);

    /// @notice Emitted when a lump is shared among the positions.
    /// @param token The reward token.
    /// @param amount The amount pulled, in wei.
    /// @param day The day (the weights of that day share it).
    /// @param totalWeightTimesRamp The total weight times RAMP_DAYS, exact.
    event LumpDistributed(address indexed token, uint256 amount, uint256 day, uint256 totalWeightTimesRamp);

    /// @notice Emitted when a staker is paid a reward (summed over the positions settled).
    /// @param staker The staker paid.
    /// @param token The reward token.
    /// @param amount The amount paid, in wei.
    event RewardPaid(address indexed staker, address indexed token, uint256 amount);

    /// @notice Emitted when a reward token will not pay a staker, who is owed the amount instead.
    /// @param staker The staker owed the reward.
    /// @param token The reward token.
    /// @param amount The amount deferred, in wei (kept for `claimDeferred`).
    event RewardDeferred(address indexed staker, address indexed token, uint256 amount);

    /// @notice Emitted when a deferred reward is paid out.
    /// @param staker The staker the reward was deferred for.
    /// @param token The reward token.
    /// @param recipient The address paid.
    /// @param amount The amount paid, in wei.
    event DeferredRewardClaimed(address indexed staker, address indexed token, address recipient, uint256 amount);

    /// @notice Emitted when a distributor is authorised or deauthorised.
    /// @param account The account.
    /// @param authorised Whether it may now call `distribute`.
    event RewardDistributorSet(address indexed account, bool authorised);

    // ---------------------------------------------------------------- stakers

    /// @notice Opens a position of `amount` staking tokens (pulled from the caller), starting today.
    /// @param amount The amount, in wei.
    /// @return positionId The new position's id (ids count from 1).
    function stake(uint256 amount) external returns (uint256 positionId);

    /// @notice Closes one of the caller's positions: pays back its amount and its rewards in
    /// every reward token.
    /// @param positionId The position.
    function unstake(uint256 positionId) external;

    /// @notice Pays the rewards of every one of the caller's positions in every reward token.
    /// @dev O(positions of the caller * reward tokens).
    function claim() external;

    /// @notice Pays `recipient` all of the caller's deferred reward in `token` (strictly).
    /// @param token The token.
    /// @param recipient The address to pay.
    function claimDeferred(address token, address recipient) external;

    // ---------------------------------------------------------------- privileged

    /// @notice Authorises or deauthorises a distributor; only the owner.
    /// @param account The account.
    /// @param authorised Whether it may call `distribute`.
    function setRewardDistributor(address account, bool authorised) external;

    /// @notice Whether an account may call `distribute`.
    /// @param account The account.
    /// @return authorised Whether it is a distributor.
    function isRewardDistributor(address account) external view returns (bool authorised);

    // ---------------------------------------------------------------- constants

    /// @notice Days over which a position's weight ramps up to its amount (set at deployment).
    /// @return rampDays The ramp, in days.
    function RAMP_DAYS() external view returns (uint256 rampDays);

    /// @notice The longest ramp a deployment may ask for.
    /// @return cap 3650 days.
    function MAX_RAMP_DAYS() external view returns (uint256 cap);

    /// @notice The scale of the reward accumulators.
    /// @return precision 1e27.
    function PRECISION() external view returns (uint256 precision);

    /// @notice The cap on total stakes.
    /// @return cap 1e27 wei.
    function MAX_TOTAL_STAKED() external view returns (uint256 cap);

    /// @notice The cap on one lump.
    /// @return cap 1e36 wei.
    function MAX_REWARD_AMOUNT() external view returns (uint256 cap);

    // ---------------------------------------------------------------- views

    /// @notice The token stakers stake.
    /// @return token The staking token.
    function stakingToken() external view returns (address token);

    /// @notice The current day: block.timestamp / 86400.
    /// @return day The day.
    function today() external view returns (uint256 day);

    /// @notice A position as stored.
    /// @param positionId The position.
    /// @return owner Its owner (zero: no open position).
    /// @return amount Its amount, in wei.
    /// @return startDay The day it opened.
    function positionInfo(uint256 positionId) external view returns (address owner, uint256 amount, uint256 startDay);

    /// @notice The ids of a staker's open positions (in no particular order).
    /// @param staker The staker.
    /// @return ids The position ids.
    function positionsOf(address staker) external view returns (uint256[] memory ids);

    /// @notice A position's weight today, amount * min(RAMP_DAYS, today - startDay) / RAMP_DAYS.
    /// @param positionId An open position.
    /// @return weight The weight, in wei, rounded down.
    function weightOf(uint256 positionId) external view returns (uint256 weight);

    /// @notice The total weight today, rounded down.
    /// @return weight The sum of every open position's exact weight, in wei, rounded down.
    function totalWeight() external view returns (uint256 weight);

    /// @notice The total weight today times RAMP_DAYS: exact, the divisor every lump uses.
    /// @return weightTimesRamp The total weight times RAMP_DAYS.
    function totalWeightTimesRamp() external view returns (uint256 weightTimesRamp);

    /// @notice The sum of every open position's amount.
    /// @return total Total stakes, in wei.
    function totalStaked() external view returns (uint256 total);

    /// @notice What settling a position would pay now in `token`, rounded down.
    /// @param positionId An open position.
    /// @param token A registered reward token.
    /// @return reward The reward, in wei.
    function pendingReward(uint256 positionId, address token) external view returns (uint256 reward);

    /// @notice The registered reward tokens, in registration order.
    /// @return tokens The reward tokens.
    function rewardTokens() external view returns (address[] memory tokens);

    /// @notice What a reward token would not pay a staker when it was due, kept for `claimDeferred`.
    /// @param staker The staker.
    /// @param token A reward token.
    /// @return amount The deferred reward, in wei.
    function deferredRewards(address staker, address token) external view returns (uint256 amount);
}
