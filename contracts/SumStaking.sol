// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ExactTransfers} from "./libraries/ExactTransfers.sol";
import {IRewardStreams} from "./interfaces/IRewardStreams.sol";
import {IRewardTokens} from "./interfaces/IRewardTokens.sol";
import {RewardStream, StreamedToken, TokenStreams} from "./libraries/RewardStream.sol";

import {ISumStaking} from "./interfaces/ISumStaking.sol";

/// @title SumStaking
/// @notice Staking with streamed rewards in several tokens, shared pro rata to stakes over time in
/// O(1) gas by the Sum algorithm.
/// @dev
/// THE MATH (paper: "Scalable Reward Distribution on the Ethereum Blockchain", Batog et al.)
/// ---------------------------------------------------------------------------------------------
/// An amount R released while total stakes are T pays each stake s the share R * s / T. Keep one
/// running sum per reward token,
///     S = sum of R / T                         (over every release so far)
/// and let each staker snapshot it, S_t, when their stake last changed. Their stake has been s
/// ever since, so they have earned
///     reward = s * (S - S_t).
/// Every stake change (stake, unstake) and every claim first settles that reward (pays it out,
/// or defers it, see PAYOUTS) and restarts the snapshot at the current S, so the stake in the
/// formula is always constant over the span.
///
/// Worked example: A stakes 100 (T = 100); 4 is released: S = 0.04. B stakes 100 (A's snapshot
/// stays, B's is 0.04; T = 200); 4 more is released: S = 0.06. A has earned 100 * 0.06 = 6,
/// B 100 * (0.06 - 0.04) = 2.
///
/// SUM VERSUS PRODUCT-SUM. The Product-Sum algorithm (StabilityPool) also keeps a running product
/// P because a liquidation shrinks every deposit at once, and a deposit must then be read as
/// d_t * P / P_t, with rescales and epochs to keep P in range. Here stakes never shrink behind
/// their owners' backs: only the staker's own call changes their stake, and it settles first. So
/// one sum per token is enough: no product, no scales, no epochs, and no compounding error.
///
/// STREAMS (RewardStream). notifyReward with a duration restarts the token's stream: what it has
/// not released yet and the new amount are released at one `rate` per second until `finish`.
/// Every stake, unstake, claim and notifyReward first advances every stream to now, crediting
/// what it released since `lastUpdate` to its sum in 1e-18 wei precision
/// (S += rate * seconds * PRECISION / (1e18 * T)). While nothing is staked a stream is PAUSED:
/// nothing is released and its `finish` moves later by the time held, so a stake present for k
/// seconds earns at most its share of k seconds of any stream; no lump is ever released to
/// whoever stakes first (stake, claim and unstake in one transaction earn nothing). A
/// notification with duration 0 credits exactly its amount to the current stakes at once
/// (NothingStaked when there are none) and leaves the running stream as it was.
///
/// PAYOUTS. The staking token is paid strictly. A reward that cannot be paid (the token reverts,
/// returns false, blocklists the staker, lacks the balance or burns its gas allowance) does not
/// revert the call: it is kept for the staker in `deferredRewards` (event RewardDeferred) and can
/// be claimed later, to any address, with `claimDeferred`. No reward token can stop an unstake or
/// the payout of another reward token. (A call sent with too little gas for the token to be given
/// its allowance reverts with PayoutGasTooLow instead, so a low gas limit cannot defer a reward
/// that would have been paid.)
///
/// FIXED POINT. S is kept scaled by PRECISION = 1e27: S += floor(R * 1e27 / T).
///
/// ROUNDING. Every division rounds down, and each one favours the contract:
/// - A stream's rate is floor((unreleased + amount) * 1e18 / duration): it releases at most what
///   was notified for it, second by second. What the floor keeps back is below duration / 1e18
///   wei per notification (below 1e-9 wei) and stays in the contract, in no one's claim.
/// - A release credits S += floor(R * PRECISION / T), R kept in 1e-18 wei (never rounded to
///   whole wei): the stakers together are credited at most R. The floor drops less than one unit
///   of S, which is worth T / PRECISION <= MAX_TOTAL_STAKED / PRECISION = 1 wei of the token
///   across all stakes: less than 1 wei per release stays undistributed. A zero-duration credit
///   is a release of exactly its amount.
/// - reward = floor(s * (S - S_t) / PRECISION) is at most its exact value: less than 1 wei per
///   payout stays undistributed.
/// So the sum of every staker's reward never exceeds what was notified, the contract stays
/// solvent, and what never reaches a staker is below 1 wei per release plus 1 wei per payout
/// (plus below 1e-9 wei per notification). Every payout checks the contract's balance first, so
/// it never pays what it lacks: a reward is deferred (and claimDeferred reverts with PoolShortfall
/// until the balance is there), the staking token reverts with PoolShortfall.
///
/// CODE LAYOUT. The reward-token registry, the streams, the payout loop and deferred claims are
/// RewardStream's (TokenStreams), shared with the StabilityPool; the Sum itself is the few lines
/// below (_sumIncrementDown, _credit, _settle).
///
/// LIMITS (enforced with named errors): total stakes <= 1e27 wei (fits uint96, keeps the S floor
/// below 1 wei); one zero-duration reward, and a stream's unreleased amount, <= 1e36 wei; at most
/// 8 reward tokens; streams <= 10 years. R wei released into stakes T >= 1 add at most R * 1e27
/// to S, so a token's S stays below 2^256 (~1.16e77) for any amount of its rewards below 1e50
/// wei whatever the stakes. A rate is at most about 1e54 and rate * seconds < 2e54 * 2^40.
/// Rewards and credits use mulDiv (512-bit products), so nothing else can overflow.
contract SumStaking is ISumStaking, Ownable2Step, ReentrancyGuardTransient {
    using RewardStream for StreamedToken;
    using RewardStream for TokenStreams;

    // ---------------------------------------------------------------- constants

    /// @inheritdoc ISumStaking
    uint256 public constant override PRECISION = 1e27;
    /// @inheritdoc ISumStaking
    uint256 public constant override MAX_TOTAL_STAKED = 1e27;
    /// @inheritdoc ISumStaking
    uint256 public constant override MAX_REWARD_AMOUNT = 1e36;
    /// @inheritdoc IRewardTokens
    uint256 public constant override MAX_REWARD_TOKENS = RewardStream.MAX_TOKENS;
    /// @inheritdoc IRewardStreams
    uint256 public constant override MAX_STREAM_DURATION = RewardStream.MAX_DURATION;

    // ---------------------------------------------------------------- storage

    address public immutable override stakingToken;

    /// @dev Total stakes (<= 1e27 < 2^96) and the reward token count. A struct starts its own
    /// slot, so the two share one (loose, a uint96 would pack beside Ownable2Step's
    /// _pendingOwner instead and the count would take a slot of its own).
    struct Totals {
        uint96 staked;
        uint8 rewardTokenCount;
    }

    Totals internal _totals;

    /// @dev The reward tokens and their streams (RewardStream); their count is in _totals.
    TokenStreams internal _streams;

    /// @inheritdoc ISumStaking
    mapping(address token => uint256) public override S;

    /// @dev Each staker's stake; at most MAX_TOTAL_STAKED < 2^96.
    mapping(address staker => uint96) internal _stakes;
    /// @inheritdoc ISumStaking
    mapping(address staker => mapping(address token => uint256)) public override snapshotS;
    /// @inheritdoc ISumStaking
    mapping(address staker => mapping(address token => uint256)) public override deferredRewards;

    /// @inheritdoc IRewardStreams
    mapping(address account => bool) public override isRewardDistributor;

    constructor(address stakingToken_, address owner_) Ownable(owner_) {
        if (stakingToken_ == address(0)) revert ZeroAddress();
        stakingToken = stakingToken_;
    }

    // ---------------------------------------------------------------- stakers

    /// @inheritdoc ISumStaking
    function stake(uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 total = _totals.staked;
        uint256 room = MAX_TOTAL_STAKED - total;
        if (amount > room) revert TotalStakedCapExceeded(amount, room);
        uint256 newTotal = total + amount;
        uint256 count = _totals.rewardTokenCount;
        _accrue(total, count);

        uint256 oldStake = _stakes[msg.sender];
        // newStake <= newTotal <= 1e27 < 2^96: the casts below are safe.
        uint256 newStake = oldStake + amount;
        uint256[] memory rewards = _settle(msg.sender, oldStake, newStake, count);
        _stakes[msg.sender] = uint96(newStake);
        _totals.staked = uint96(newTotal);
        emit StakeUpdated(msg.sender, newStake, newTotal);

        ExactTransfers.pullExact(stakingToken, amount);
        _payRewards(msg.sender, rewards);
    }

    /// @inheritdoc ISumStaking
    function unstake(uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 oldStake = _stakes[msg.sender];
        if (oldStake == 0) revert NoStake(msg.sender);
        uint256 total = _totals.staked;
        uint256 count = _totals.rewardTokenCount;
        _accrue(total, count);

        uint256 paid = Math.min(amount, oldStake);
        uint256 newStake = oldStake - paid;
        uint256[] memory rewards = _settle(msg.sender, oldStake, newStake, count);
        if (newStake == 0) delete _stakes[msg.sender];
        else _stakes[msg.sender] = uint96(newStake);
        // paid <= oldStake <= total: the sum of stakes always equals totalStaked.
        uint256 newTotal = total - paid;
        _totals.staked = uint96(newTotal);
        emit StakeUpdated(msg.sender, newStake, newTotal);

        ExactTransfers.payChecked(stakingToken, msg.sender, paid);
        _payRewards(msg.sender, rewards);
    }

    /// @inheritdoc ISumStaking
    function claim() external override nonReentrant {
        uint256 current = _stakes[msg.sender];
        if (current == 0) revert NoStake(msg.sender);
        uint256 count = _totals.rewardTokenCount;
        _accrue(_totals.staked, count);
        uint256[] memory rewards = _settle(msg.sender, current, current, count);
        _payRewards(msg.sender, rewards);
    }

    /// @inheritdoc IRewardStreams
    function claimDeferred(address token, address recipient) external override nonReentrant {
        RewardStream.payDeferred(deferredRewards, token, recipient, DeferredRewardClaimed.selector);
    }

    // ---------------------------------------------------------------- privileged

    /// @inheritdoc ISumStaking
    function notifyReward(address token, uint256 amount, uint256 duration) external override nonReentrant {
        uint256 index = _streams.checkNotify(isRewardDistributor[msg.sender], token, amount, duration);
        uint256 total = _totals.staked;
        _accrue(total, _totals.rewardTokenCount);

        // duration > 0: what the stream has not released yet joins `amount`, over the new
        // duration; duration 0 leaves the stream as it is.
        (uint256 room, uint256 rate, uint256 finish) = _streams.notify(index, amount, duration, MAX_REWARD_AMOUNT);
        if (duration == 0) {
            // Credited exactly, now, to the current stakes.
            if (amount > MAX_REWARD_AMOUNT) revert RewardAmountTooLarge(amount, MAX_REWARD_AMOUNT);
            if (total == 0) revert NothingStaked();
            _credit(token, amount, 1, total);
        } else if (amount > room) {
            revert RewardAmountTooLarge(amount, room);
        }
        emit RewardNotified(token, amount, duration, rate, finish);

        ExactTransfers.pullExact(token, amount);
    }

    /// @inheritdoc IRewardStreams
    function setRewardDistributor(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isRewardDistributor[account] = authorised;
        emit RewardDistributorSet(account, authorised);
    }

    /// @inheritdoc IRewardTokens
    function registerRewardToken(address token) external override onlyOwner {
        _totals.rewardTokenCount = uint8(_streams.registerRewardToken(token, stakingToken, _totals.rewardTokenCount));
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ISumStaking
    function totalStaked() external view override returns (uint256) {
        return _totals.staked;
    }

    /// @inheritdoc ISumStaking
    function stakeOf(address staker) external view override returns (uint256) {
        return _stakes[staker];
    }

    /// @inheritdoc ISumStaking
    function earned(address staker, address token) external view override returns (uint256) {
        uint256 index = _streams.indexOf(token);
        uint256 current = _stakes[staker];
        if (current == 0) return 0;
        // current > 0, so total >= current > 0. The pending release is credited as _accrue does.
        uint256 released = _streams.pending(index);
        uint256 sum = S[token] + _sumIncrementDown(released, RewardStream.RATE_PRECISION, _totals.staked);
        return Math.mulDiv(current, sum - snapshotS[staker][token], PRECISION); // rounds down
    }

    /// @inheritdoc IRewardStreams
    function getStream(address token) external view override returns (uint256, uint256, uint256, uint256) {
        return _streams.info(_streams.indexOf(token));
    }

    /// @inheritdoc ISumStaking
    function rewardTokens() external view override returns (address[] memory) {
        return _streams.tokenList(_totals.rewardTokenCount);
    }

    // ---------------------------------------------------------------- internal: state

    /// @dev The sum increment for crediting amount / unit of a token to stakes `total` (> 0):
    /// amount * PRECISION / (unit * total), rounded down (credits at most amount / unit; drops
    /// below total / PRECISION <= 1 wei). unit is 1 for whole wei and RATE_PRECISION for stream
    /// releases; mulDiv keeps amount * PRECISION exact in 512 bits.
    function _sumIncrementDown(uint256 amount, uint256 unit, uint256 total) internal pure returns (uint256) {
        return Math.mulDiv(amount, PRECISION, unit * total);
    }

    /// @dev Credits amount / unit of `token` to the current stakes (see _sumIncrementDown).
    function _credit(address token, uint256 amount, uint256 unit, uint256 total) internal {
        uint256 newS = S[token] + _sumIncrementDown(amount, unit, total);
        S[token] = newS;
        emit S_Updated(token, newS);
    }

    /// @dev Advances every running stream to now: released into its sum while anything is
    /// staked, paused (its end moved later, nothing released) while nothing is.
    function _accrue(uint256 total, uint256 count) internal {
        bool canRelease = total > 0;
        for (uint256 i; i < count; ++i) {
            StreamedToken memory st = _streams.tokens[i];
            if (st.idle()) continue;
            uint256 released = _streams.accrue(i, st, canRelease);
            if (released > 0) _credit(st.token, released, RewardStream.RATE_PRECISION, total);
        }
    }

    /// @dev Computes what `staker` earned with `oldStake` since their snapshots (streams accrued
    /// first) and restarts the snapshots for `newStake` (clears them when 0, refunding gas).
    /// reward = oldStake * (S - S_t) / PRECISION, rounded down; mulDiv keeps the product exact.
    function _settle(address staker, uint256 oldStake, uint256 newStake, uint256 count)
        internal
        returns (uint256[] memory rewards)
    {
        rewards = new uint256[](count);
        mapping(address token => uint256) storage snapshots = snapshotS[staker];
        for (uint256 i; i < count; ++i) {
            address token = _streams.tokens[i].token;
            uint256 sum = S[token];
            uint256 snapshot = snapshots[token];
            // A staker without a stake has no snapshots (cleared when the stake closed).
            if (oldStake > 0) rewards[i] = Math.mulDiv(oldStake, sum - snapshot, PRECISION);
            uint256 next = newStake > 0 ? sum : 0;
            if (next != snapshot) snapshots[token] = next;
        }
    }

    // ---------------------------------------------------------------- internal: tokens

    /// @dev Pays settled rewards; called last, once the contract's state is written. A reward the
    /// token will not pay is kept for the staker instead (claimDeferred); the call goes on.
    function _payRewards(address staker, uint256[] memory rewards) internal {
        _streams.payAll(deferredRewards, staker, rewards, RewardPaid.selector, RewardDeferred.selector);
    }
}
