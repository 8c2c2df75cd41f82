// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IRewardStreams} from "./IRewardStreams.sol";
import {IRewardTokens} from "./IRewardTokens.sol";

/// @title ISumStaking
/// @notice Stakes of one token that share streamed rewards in up to eight reward tokens pro rata
/// to stake and time.
/// @dev The Sum algorithm ("Scalable Reward Distribution on the Ethereum Blockchain", Batog,
/// Boca, Johnson), O(1) gas per reward stream: `S` is the running sum of reward per unit of stake,
/// one per reward token, and `snapshotS` a staker's copy of it taken when their stake last
/// changed. Amounts are in wei of their token; rates in wei per second times 1e18.
/// Not declared here, but exposed by the contract: ownership from OpenZeppelin's Ownable2Step
/// (`owner`, `pendingOwner`, `transferOwnership`, `acceptOwnership`, `renounceOwnership`, their
/// events and `OwnableUnauthorizedAccount`, `OwnableInvalidOwner`), `ReentrancyGuardReentrantCall`,
/// `SafeERC20FailedOperation`, and the transfer errors of ExactTransfers.sol (`TransferShortfall`,
/// `PoolShortfall`, `PayoutGasTooLow`).
interface ISumStaking is IRewardStreams, IRewardTokens {
    // ---------------------------------------------------------------- errors

    /// @notice Thrown when the caller has no stake to unstake or claim for.
    /// @param staker The caller.
    error NoStake(address staker);

    /// @notice Thrown when a stake would take total stakes above `MAX_TOTAL_STAKED`.
    /// @param amount The amount offered, in wei.
    /// @param available The most that can be staked now (MAX_TOTAL_STAKED - totalStaked), in wei.
    error TotalStakedCapExceeded(uint256 amount, uint256 available);

    /// @notice Thrown when a reward is above what the contract may take.
    /// @dev `cap` is MAX_REWARD_AMOUNT for a zero-duration reward, and for a stream what keeps its
    /// unreleased amount within MAX_REWARD_AMOUNT.
    /// @param amount The amount notified, in wei.
    /// @param cap The most that can be notified now, in wei.
    error RewardAmountTooLarge(uint256 amount, uint256 cap);

    /// @notice Thrown when a zero-duration reward is notified while nothing is staked.
    /// @dev There is no one to credit it to; stream it instead.
    error NothingStaked();

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a stake changes.
    /// @dev Its `S` snapshot for each reward token is that token's `S` at this moment, readable
    /// from the latest `S_Updated` log.
    /// @param staker The staker.
    /// @param stake The staker's new stake, in wei (0: closed).
    /// @param totalStaked Total stakes after the change, in wei.
    event StakeUpdated(address indexed staker, uint256 stake, uint256 totalStaked);

    /// @notice Emitted when a release or credit changes the running sum of a reward token.
    /// @param token The reward token.
    /// @param S The new sum, scaled by PRECISION.
    event S_Updated(address indexed token, uint256 S);

    /// @notice Emitted when a staker is paid a reward.
    /// @param staker The staker paid.
    /// @param token The reward token.
    /// @param amount The amount paid, in wei.
    event RewardPaid(address indexed staker, address indexed token, uint256 amount);

    /// @notice Emitted when a reward token will not pay a staker, who is owed the amount instead.
    /// @dev The token reverted, refused, lacked the balance or ran out of gas; the amount is kept
    /// in `deferredRewards` for `claimDeferred`.
    /// @param staker The staker owed the reward.
    /// @param token The reward token.
    /// @param amount The amount deferred, in wei.
    event RewardDeferred(address indexed staker, address indexed token, uint256 amount);

    /// @notice Emitted when a deferred reward is paid out.
    /// @param staker The staker the reward was deferred for.
    /// @param token The reward token.
    /// @param recipient The address paid.
    /// @param amount The amount paid, in wei.
    event DeferredRewardClaimed(address indexed staker, address indexed token, address recipient, uint256 amount);

    // ---------------------------------------------------------------- stakers

    /// @notice Stakes `amount` staking tokens, paying out every reward earned so far.
    /// @dev Restarts the stake's snapshots at its old value plus `amount`.
    /// @param amount The amount to stake (pulled from the caller), in wei.
    function stake(uint256 amount) external;

    /// @notice Unstakes up to `amount` staking tokens, paying out every reward earned so far.
    /// @dev Pays min(amount, stake); `type(uint256).max` unstakes all. A reward token that will
    /// not pay cannot stop it: that reward is deferred (`claimDeferred`).
    /// @param amount The most to unstake, in wei.
    function unstake(uint256 amount) external;

    /// @notice Pays the caller every reward earned so far, in every reward token.
    /// @dev A reward a token will not pay is deferred (`claimDeferred`).
    function claim() external;

    // ---------------------------------------------------------------- privileged

    /// @notice Pulls `amount` of `token` and streams it to stakers over `duration` seconds; only
    /// reward distributors.
    /// @dev Pro rata to stakes over time; the unreleased remainder of a running stream joins it.
    /// Streams pause while nothing is staked. Duration 0 credits exactly `amount` at once and
    /// leaves the running stream untouched (it reverts with NothingStaked while nothing is staked).
    /// @param token A registered reward token.
    /// @param amount The amount to pull and distribute, in wei.
    /// @param duration The stream's duration in seconds (0: at once), at most MAX_STREAM_DURATION.
    function notifyReward(address token, uint256 amount, uint256 duration) external;

    // ---------------------------------------------------------------- constants

    /// @notice The scale of `S`, at least MAX_TOTAL_STAKED so each release loses below 1 wei.
    /// @return precision 1e27.
    function PRECISION() external view returns (uint256 precision);

    /// @notice The cap on total stakes.
    /// @return cap 1e27 wei.
    function MAX_TOTAL_STAKED() external view returns (uint256 cap);

    /// @notice The cap on one zero-duration reward, and on a stream's unreleased amount.
    /// @return cap 1e36 wei.
    function MAX_REWARD_AMOUNT() external view returns (uint256 cap);

    // ---------------------------------------------------------------- views

    /// @notice The token stakers stake.
    /// @return token The staking token.
    function stakingToken() external view returns (address token);

    /// @notice The sum of all stakes.
    /// @return total Total stakes, in wei.
    function totalStaked() external view returns (uint256 total);

    /// @notice A staker's stake.
    /// @param staker The staker.
    /// @return amount The stake, in wei.
    function stakeOf(address staker) external view returns (uint256 amount);

    /// @notice What `claim()` would pay (or defer) a staker in `token` now, rounded down.
    /// @dev Counts what the stream would release now, as the next state-changing call would, but
    /// not what is already in `deferredRewards`.
    /// @param staker The staker.
    /// @param token A registered reward token.
    /// @return reward The reward, in wei.
    function earned(address staker, address token) external view returns (uint256 reward);

    /// @notice The registered reward tokens, in registration order.
    /// @return tokens The reward tokens.
    function rewardTokens() external view returns (address[] memory tokens);

    /// @notice The running sum of reward per unit of stake of a reward token.
    /// @param token A reward token.
    /// @return sum The sum, scaled by PRECISION, as last written.
    function S(address token) external view returns (uint256 sum);

    /// @notice A staker's snapshot of a reward token's sum, taken when their stake last changed.
    /// @param staker The staker.
    /// @param token A reward token.
    /// @return snapshot The snapshot, scaled by PRECISION (cleared to 0 when the stake closes).
    function snapshotS(address staker, address token) external view returns (uint256 snapshot);

    /// @notice What a reward token would not pay a staker when it was due, kept for `claimDeferred`.
    /// @param staker The staker.
    /// @param token A reward token.
    /// @return amount The deferred reward, in wei.
    function deferredRewards(address staker, address token) external view returns (uint256 amount);
}
