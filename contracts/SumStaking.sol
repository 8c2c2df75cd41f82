// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ExactTransfers} from "./libraries/ExactTransfers.sol";
import {RewardStream, StreamedToken} from "./libraries/RewardStream.sol";

import {ISumStaking} from "./interfaces/ISumStaking.sol";

/// @title SumStaking
/// @notice Staking with streamed rewards in several tokens, by the Sum algorithm: a reward stream
/// is shared by every stake pro rata in O(1) gas, without touching any staker's storage.
///
/// THE MATH (paper: "Scalable Reward Distribution on the Ethereum Blockchain", Batog et al.)
/// ---------------------------------------------------------------------------------------------
/// An amount R released while total stakes are T pays each stake s the share R * s / T. Keep one
/// running sum per reward token,
///     S = sum of R / T                         (over every release so far)
/// and let each staker snapshot it, S_t, when their stake last changed. Their stake has been s
/// ever since, so they have earned
///     reward = s * (S - S_t).
/// Every stake change (stake, unstake) and every claim first pays that reward out and restarts
/// the snapshot at the current S, so the stake in the formula is always constant over the span.
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
/// STREAMS. notifyReward adds to a token's stream, which releases linearly until `finish`. Every
/// state-changing call (stake, unstake, claim, notifyReward) first releases what each stream
/// owes since `lastUpdate` into its sum. While nothing is staked nothing is released and
/// `lastUpdate` stays put, so that share is held and goes to the next stakers. A new notification
/// adds to what the stream has not released yet, and the total restarts over the new duration.
///
/// FIXED POINT. S is kept scaled by PRECISION = 1e27: S += floor(R * 1e27 / T).
///
/// ROUNDING. Every division rounds down, and each one favours the contract:
/// - A stream releases floor(remaining * elapsed / (finish - lastUpdate)); the rest stays in the
///   stream and all of it is released by `finish`, so nothing strands in a stream while stakes exist.
/// - S += floor(R * PRECISION / T): the stakers together are credited at most R. The floor drops
///   less than one unit of S, which is worth T / PRECISION <= MAX_TOTAL_STAKED / PRECISION = 1 wei
///   of the token across all stakes: less than 1 wei per release stays undistributed.
/// - reward = floor(s * (S - S_t) / PRECISION) is at most its exact value: less than 1 wei per
///   payout stays undistributed.
/// So the sum of every staker's reward never exceeds what was released, the contract stays
/// solvent, and what never reaches a staker is below 1 wei per release plus 1 wei per payout.
/// Payouts check the contract's balance first (PoolShortfall), so it never pays what it lacks.
///
/// LIMITS (enforced with named errors): total stakes <= 1e27 wei (fits uint96, keeps the S floor
/// below 1 wei); a stream's remaining amount <= 1e36 wei; at most 8 reward tokens; streams <= 10
/// years. A release adds at most 1e36 * 1e27 / 1 = 1e63 to S, so S stays below 2^256 (~1.16e77)
/// for over 1e14 maximal releases into a 1-wei stake, and for any amount of rewards below 1e50
/// wei whatever the stakes. Rewards use mulDiv (512-bit product), so s * (S - S_t) cannot overflow.
contract SumStaking is ISumStaking, Ownable2Step, ReentrancyGuardTransient {
    using RewardStream for StreamedToken;

    // ---------------------------------------------------------------- constants

    /// @notice The scale of S: at least MAX_TOTAL_STAKED, so each release loses below 1 wei.
    uint256 public constant PRECISION = 1e27;
    /// @notice Cap on total stakes (fits uint96; see ROUNDING).
    uint256 public constant MAX_TOTAL_STAKED = 1e27;
    /// @notice Cap on a stream's remaining amount.
    uint256 public constant MAX_GAIN_AMOUNT = 1e36;
    uint256 public constant MAX_REWARD_TOKENS = 8;
    uint256 public constant MAX_STREAM_DURATION = 10 * 365 days;

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

    StreamedToken[MAX_REWARD_TOKENS] internal _rewardTokens;
    /// @dev Not yet released amount of each reward token's stream, by token index.
    uint256[MAX_REWARD_TOKENS] internal _streamRemaining;
    /// @dev token => index + 1 (0: not registered).
    mapping(address token => uint256) internal _indexPlusOne;

    /// @inheritdoc ISumStaking
    mapping(address token => uint256) public override S;

    /// @dev Each staker's stake; at most MAX_TOTAL_STAKED < 2^96.
    mapping(address staker => uint96) internal _stakes;
    /// @inheritdoc ISumStaking
    mapping(address staker => mapping(address token => uint256)) public override snapshotS;

    /// @inheritdoc ISumStaking
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
        uint256 newTotal = total + amount;
        if (newTotal > MAX_TOTAL_STAKED) revert TotalStakedCapExceeded(newTotal, MAX_TOTAL_STAKED);
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
        _payRewards(msg.sender, rewards, count);
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
        _payRewards(msg.sender, rewards, count);
    }

    /// @inheritdoc ISumStaking
    function claim() external override nonReentrant {
        uint256 current = _stakes[msg.sender];
        if (current == 0) revert NoStake(msg.sender);
        uint256 count = _totals.rewardTokenCount;
        _accrue(_totals.staked, count);
        uint256[] memory rewards = _settle(msg.sender, current, current, count);
        _payRewards(msg.sender, rewards, count);
    }

    // ---------------------------------------------------------------- privileged

    /// @inheritdoc ISumStaking
    function notifyReward(address token, uint256 amount, uint256 duration) external override nonReentrant {
        if (!isRewardDistributor[msg.sender]) revert NotRewardDistributor(msg.sender);
        if (amount == 0) revert ZeroAmount();
        if (duration > MAX_STREAM_DURATION) revert DurationTooLong(duration, MAX_STREAM_DURATION);
        uint256 index = _indexPlusOne[token];
        if (index == 0) revert UnknownToken(token);
        index -= 1;
        uint256 total = _totals.staked;
        _accrue(total, _totals.rewardTokenCount);

        // What the running stream has not released yet (including anything held while nothing
        // was staked) joins the new stream, so nothing is lost.
        uint256 remaining = _streamRemaining[index] + amount;
        if (remaining > MAX_GAIN_AMOUNT) revert GainAmountTooLarge(remaining, MAX_GAIN_AMOUNT);
        _streamRemaining[index] = remaining;
        uint256 finish = block.timestamp + duration;
        _rewardTokens[index] = StreamedToken(token, uint40(block.timestamp), uint40(finish));
        // A zero-duration stream is released now (held if nothing is staked).
        if (duration == 0) _accrueStream(index, total);
        emit RewardNotified(token, amount, remaining, finish);

        ExactTransfers.pullExact(token, amount);
    }

    /// @inheritdoc ISumStaking
    function registerRewardToken(address token) external override onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        if (token == stakingToken || _indexPlusOne[token] != 0) revert InvalidRewardToken(token);
        uint256 count = _totals.rewardTokenCount;
        if (count == MAX_REWARD_TOKENS) revert TooManyRewardTokens(MAX_REWARD_TOKENS);
        _rewardTokens[count].token = token;
        _indexPlusOne[token] = count + 1;
        _totals.rewardTokenCount = uint8(count + 1);
        emit RewardTokenRegistered(token, count);
    }

    /// @inheritdoc ISumStaking
    function setRewardDistributor(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isRewardDistributor[account] = authorised;
        emit RewardDistributorSet(account, authorised);
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
    function getReward(address staker, address token) external view override returns (uint256) {
        uint256 index = _indexPlusOne[token];
        if (index == 0) revert UnknownToken(token);
        uint256 current = _stakes[staker];
        if (current == 0) return 0;
        uint256 sum = S[token];
        uint256 total = _totals.staked;
        if (total > 0) {
            (uint256 released,) = RewardStream.released(_rewardTokens[index - 1], _streamRemaining[index - 1]);
            sum += released * PRECISION / total; // rounds down, as _accrueStream does
        }
        return Math.mulDiv(current, sum - snapshotS[staker][token], PRECISION); // rounds down
    }

    /// @inheritdoc ISumStaking
    function getStream(address token)
        external
        view
        override
        returns (uint256 remaining, uint256 lastUpdate, uint256 finish)
    {
        uint256 index = _indexPlusOne[token];
        if (index == 0) revert UnknownToken(token);
        StreamedToken memory rt = _rewardTokens[index - 1];
        return (_streamRemaining[index - 1], rt.lastUpdate, rt.finish);
    }

    /// @inheritdoc ISumStaking
    function rewardTokens() external view override returns (address[] memory tokens) {
        uint256 count = _totals.rewardTokenCount;
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            tokens[i] = _rewardTokens[i].token;
        }
    }

    // ---------------------------------------------------------------- internal: state

    /// @dev Releases every running stream into its sum. With nothing staked nothing is released
    /// and `lastUpdate` stays put, so what accrues meanwhile is held for the next stakers.
    function _accrue(uint256 total, uint256 count) internal {
        if (total == 0) return;
        for (uint256 i; i < count; ++i) {
            _accrueStream(i, total);
        }
    }

    /// @dev Releases stream `index` into S: S += released * PRECISION / total, rounded down (credits
    /// at most `released`; drops below total / PRECISION <= 1 wei). released * PRECISION <= 1e63.
    function _accrueStream(uint256 index, uint256 total) internal {
        if (total == 0) return;
        StreamedToken memory rt = _rewardTokens[index];
        if (rt.idle()) return;
        uint256 remaining = _streamRemaining[index];
        (uint256 released, bool done) = rt.released(remaining);
        _streamRemaining[index] = remaining - released;
        _rewardTokens[index] = StreamedToken(rt.token, uint40(block.timestamp), done ? 0 : rt.finish);
        if (released > 0) {
            uint256 newS = S[rt.token] + released * PRECISION / total;
            S[rt.token] = newS;
            emit S_Updated(rt.token, newS);
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
            address token = _rewardTokens[i].token;
            uint256 sum = S[token];
            uint256 snapshot = snapshots[token];
            // A staker without a stake has no snapshots (cleared when the stake closed).
            if (oldStake > 0) rewards[i] = Math.mulDiv(oldStake, sum - snapshot, PRECISION);
            uint256 next = newStake > 0 ? sum : 0;
            if (next != snapshot) snapshots[token] = next;
        }
    }

    // ---------------------------------------------------------------- internal: tokens

    /// @dev Pays settled rewards; called last, once the contract's state is written.
    function _payRewards(address staker, uint256[] memory rewards, uint256 count) internal {
        for (uint256 i; i < count; ++i) {
            if (rewards[i] == 0) continue;
            address token = _rewardTokens[i].token;
            emit RewardPaid(staker, token, rewards[i]);
            ExactTransfers.payChecked(token, staker, rewards[i]);
        }
    }
}
