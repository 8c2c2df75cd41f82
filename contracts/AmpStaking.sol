// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ExactTransfers} from "./libraries/ExactTransfers.sol";
import {IRewardStreams} from "./interfaces/IRewardStreams.sol";
import {IRewardTokens} from "./interfaces/IRewardTokens.sol";
import {IStakingDestination} from "./interfaces/IStakingDestination.sol";
import {RewardStream, TokenStreams} from "./libraries/RewardStream.sol";

import {IAmpStaking} from "./interfaces/IAmpStaking.sol";

/// @title AmpStaking
/// @notice AMP staking ("Computing Pivot Distributions"): each stake is a position whose weight
/// (its AMP) ramps from 0 to its amount over RAMP_DAYS whole UTC days; reward lumps are shared
/// in proportion to the weights of the day they arrive, in O(1) per operation.
/// @dev
/// THE WEIGHTS
/// ---------------------------------------------------------------------------------------------
/// Days are whole UTC days, d = block.timestamp / 86400. A position of amount a opened on day s
/// weighs w(d) = a * min(R, d - s) / R on day d (R = RAMP_DAYS): 0 on its own first day, a from
/// day m = s + R (its maturity day) on. Split the open positions into growing (d < m) and
/// matured (d >= m) ones and keep
///     G = sum of a over growing,  B = sum of a * s over growing,  M = sum of a over matured.
/// Then the total weight is W(d) = sum_growing a (d - s) / R + M = (G * d - B) / R + M, and
///     WR(d) = R * W(d) = G * d - B + M * R          (an exact integer)
/// is what the contract keeps and divides by. A position moves from growing to matured on day m:
/// stake adds a to a per-day bucket `_maturing[m]`, and the first operation on or after day m
/// moves the bucket (G -= bucket, B -= bucket * (m - R), M += bucket), as Curve's VotingEscrow
/// applies its scheduled slope changes.
///
/// BOUNDED WORK PER DAY. `_advance` walks the days since the last processed day `lastDay`. Every
/// operation advances first, and a stake opens on the day just processed, so every bucket lies
/// in (lastDay, lastDay + R]: the walk visits at most min(days elapsed, R) days, one storage
/// read each, and on a day with a bucket writes one checkpoint (one slot, below). So any
/// operation does at most R <= MAX_RAMP_DAYS = 3650 bucket reads and as many one-slot writes
/// however long nobody called, independent of the number of stakers and of the reward tokens;
/// with R = 42 at most 42 of each (about 1.1 million gas at worst). No catch-up in chunks is
/// needed.
///
/// THE REWARDS
/// ---------------------------------------------------------------------------------------------
/// A lump X arriving on day d pays a position X * w(d) / W(d). Per reward token keep
///     A0 = sum of q_k,   A1 = sum of d_k * q_k,   q_k = floor(X_k * R * PRECISION / WR(d_k))
/// over its lumps k (q_k is X_k / W(d_k) scaled by PRECISION and rounded down). A position
/// snapshots (A0, A1) when it opens and whenever it is settled; over lumps after its snapshot it
/// has earned, scaled by R * PRECISION,
///     while growing (lumps on days < m):   a * sum (d_k - s) q_k = a * ((A1 - A1') - s (A0 - A0'))
///     once matured (lumps on days >= m):   a * R * sum q_k     = a * R * (A0 - A0')
/// For a span that crosses day m, the contract keeps a checkpoint of (A0, A1) per maturity day,
/// written when the day's bucket is moved (before any lump of day m: lumps only arrive on the
/// day already processed), and the growing part runs up to the checkpoint, the matured part from
/// it. STORAGE BY REFERENCE: each token's (A0, A1) after its n-th lump is kept once, in
/// `_history[token][n]`, and a snapshot or a checkpoint is every token's lump count n, eight
/// uint32 in one slot: opening, settling or checkpointing writes one slot whatever the number of
/// reward tokens (a lump writes its two words once). Because A1 adds d_k * q_k exactly (one
/// floor per lump, in q_k only), (A1 - A1') - s (A0 - A0') = sum (d_k - s) q_k is a sum of
/// non-negative terms (d_k >= s): it cannot go negative, and a lump on the position's first day
/// adds exactly 0 to it.
/// reward = floor(a * N / (R * PRECISION)), N the sum above, paid for every token at once.
///
/// WORKED EXAMPLE (R = 42, amounts in whole tokens, fractions exact). Day 100: A stakes 420.
/// Day 121: a lump of 63. Only A: G = 420, B = 42,000, WR = 420 * 121 - 42,000 = 8,820 = 42 * 210
/// (A's weight 420 * 21 / 42 = 210): q = 63 / 210 = 0.3, A0 = 0.3, A1 = 121 * 0.3 = 36.3.
/// B stakes 420 the same day (G = 840, B = 92,820; its snapshot is (0.3, 36.3)). Day 142: A's
/// bucket moves (G = 420, B = 50,820, M = 420; checkpoint (0.3, 36.3)); W = 420 + 210 = 630 and
/// WR = 420 * 142 - 50,820 + 420 * 42 = 26,460 = 42 * 630; a lump of 63: q = 0.1, A0 = 0.4,
/// A1 = 50.5. A: growing 420 / 42 * (36.3 - 100 * 0.3) = 63, matured 420 * (0.4 - 0.3) = 42;
/// B: 420 / 42 * ((50.5 - 36.3) - 121 * (0.4 - 0.3)) = 21. 42 + 21 = 63: the weights 420 : 210.
/// Coverage that day: W / staked = 630 / 840 = 0.75.
///
/// ROUNDING. Every division rounds down, in the contract's favour:
/// - q_k = floor(X R P / WR) <= X / W exactly, so lump k credits all positions together
///   sum_i w_i(d_k) q_k / P <= W * (X / W) = X: never more than the lump. The floor drops less
///   than one unit of q, i.e. less than w_i / P wei for a position and W / P <= MAX_TOTAL_STAKED
///   / PRECISION = 1 wei for all of them, per lump.
/// - A1 is not rounded at all (d_k * q_k, integers), so the growing formula is the exact sum of
///   the floored q_k with non-negative weights: no floor error can enter with a minus sign and
///   make a claim larger (had A1 been floor(X d P / W) on its own, floor(d y) - s floor(y) could
///   exceed (d - s) y by up to s units).
/// - Each settlement pays floor(a N / (R P)) <= a N / (R P) and restarts the snapshot: less than
///   1 wei per settlement per token stays behind.
/// So every settlement pays at most the position's exact share of the lumps since its last
/// settlement, and short of it by less than 1 + L * w / PRECISION wei (L lumps of that token in
/// the span, w <= a the position's largest weight in it); the sum of all payouts never exceeds
/// what was distributed: the contract is never insolvent. What never reaches a staker stays in
/// the contract. The coverage W / staked is rounded down (the splitter sends no more than the
/// AMP covers).
///
/// PAYOUTS. The staking token is paid strictly (ExactTransfers.payChecked). Rewards are paid with
/// RewardStream.payAll: a token that will not pay defers that reward to `deferredRewards`
/// (claimDeferred), so no reward token can stop an unstake. Lumps are pulled with
/// ExactTransfers.pullExact (a fee-on-transfer token is refused). The registry (registerRewardToken,
/// indexOf, tokenList) and payouts are RewardStream's; its streams are not used (rates stay 0).
///
/// LIMITS (named errors): total stakes <= 1e27 wei; one lump <= 1e36 wei; at most 8 reward
/// tokens; 1 <= RAMP_DAYS <= 3650. A token's lump count is a uint32: its 2^32-th lump would
/// revert (checked arithmetic; over 9e13 gas of lumps first). A lump adds at most
/// X * R * PRECISION (WR >= 1) to A0 and d times that to A1, so with R <= 3650 and days below
/// 1e5 (before the year 2243) A1 stays below 2^256 for any total of a token's lumps below 3e41
/// wei whatever the weights (overflow reverts, never wraps). Rewards use mulDiv (512-bit
/// products).
contract AmpStaking is IAmpStaking, Ownable2Step, ReentrancyGuardTransient {
    using RewardStream for TokenStreams;

    // ---------------------------------------------------------------- constants

    /// @inheritdoc IAmpStaking
    uint256 public constant override PRECISION = 1e27;
    /// @inheritdoc IAmpStaking
    uint256 public constant override MAX_TOTAL_STAKED = 1e27;
    /// @inheritdoc IAmpStaking
    uint256 public constant override MAX_REWARD_AMOUNT = 1e36;
    /// @inheritdoc IRewardTokens
    uint256 public constant override MAX_REWARD_TOKENS = RewardStream.MAX_TOKENS;
    /// @inheritdoc IAmpStaking
    uint256 public constant override MAX_RAMP_DAYS = 3650;
    /// @dev 1e18 fixed point of `coverage`.
    uint256 internal constant COVERAGE_SCALE = 1e18;

    // ---------------------------------------------------------------- storage

    /// @inheritdoc IAmpStaking
    address public immutable override stakingToken;
    /// @inheritdoc IAmpStaking
    uint256 public immutable override RAMP_DAYS;

    /// @dev G and M (each <= MAX_TOTAL_STAKED < 2^96), the last processed day and the reward
    /// token count, in one slot.
    struct Totals {
        uint96 growing;
        uint96 matured;
        uint32 lastDay;
        uint8 tokenCount;
    }

    /// @dev A reward token's accumulators (A0, A1) after one of its lumps, scaled by PRECISION.
    struct Acc {
        uint256 a0;
        uint256 a1;
    }

    /// @dev An open position (owner 0: none). `settledDay` is the day of its snapshots;
    /// `ownerIndex` its place in its owner's list.
    struct Position {
        address owner;
        uint96 amount;
        uint32 startDay;
        uint32 settledDay;
        uint64 ownerIndex;
    }

    Totals internal _totals;
    /// @dev B: sum of amount * startDay over growing positions.
    uint256 internal _growingStartSum;
    /// @dev The amount of growing positions that mature on each day.
    mapping(uint256 day => uint256) internal _maturing;
    /// @dev How many lumps each reward token has had, by token index (one slot for all eight).
    uint32[8] internal _lumpCounts;
    /// @dev A token's accumulators after its n-th lump (n >= 1; after none they are (0, 0)).
    mapping(uint256 index => mapping(uint256 count => Acc)) internal _history;
    /// @dev Every token's lump count at the start of each maturity day that had a bucket.
    mapping(uint256 day => uint32[8]) internal _checkpoints;

    uint256 internal _nextPositionId = 1;
    mapping(uint256 positionId => Position) internal _positions;
    /// @dev Each position's snapshot: every token's lump count when it was last settled.
    mapping(uint256 positionId => uint32[8]) internal _snapshots;
    mapping(address staker => uint256[]) internal _ownerPositions;

    /// @dev The reward-token registry and payouts (RewardStream); its count is in _totals.
    TokenStreams internal _streams;

    /// @inheritdoc IAmpStaking
    mapping(address staker => mapping(address token => uint256)) public override deferredRewards;
    /// @inheritdoc IAmpStaking
    mapping(address account => bool) public override isRewardDistributor;

    constructor(address stakingToken_, uint256 rampDays, address owner_) Ownable(owner_) {
        if (stakingToken_ == address(0)) revert IRewardStreams.ZeroAddress();
        if (rampDays == 0 || rampDays > MAX_RAMP_DAYS) revert InvalidRampDays(rampDays, MAX_RAMP_DAYS);
        stakingToken = stakingToken_;
        RAMP_DAYS = rampDays;
        _totals.lastDay = uint32(_today());
    }

    // ---------------------------------------------------------------- stakers

    /// @inheritdoc IAmpStaking
    function stake(uint256 amount) external override nonReentrant returns (uint256 positionId) {
        if (amount == 0) revert IRewardStreams.ZeroAmount();
        Totals memory t = _advance();
        uint256 staked = uint256(t.growing) + t.matured;
        uint256 room = MAX_TOTAL_STAKED - staked;
        if (amount > room) revert TotalStakedCapExceeded(amount, room);
        uint256 day = t.lastDay;

        // amount <= room and G + M + amount <= 1e27 < 2^96: the casts are safe.
        t.growing += uint96(amount);
        _totals = t;
        _growingStartSum += amount * day;
        _maturing[day + RAMP_DAYS] += amount;

        positionId = _nextPositionId++;
        uint256 ownerIndex = _ownerPositions[msg.sender].length;
        _positions[positionId] = Position(msg.sender, uint96(amount), uint32(day), uint32(day), uint64(ownerIndex));
        _ownerPositions[msg.sender].push(positionId);
        _snapshots[positionId] = _lumpCounts;
        emit PositionOpened(positionId, msg.sender, amount, day);

        ExactTransfers.pullExact(stakingToken, amount);
    }

    /// @inheritdoc IAmpStaking
    function unstake(uint256 positionId) external override nonReentrant {
        Position memory pos = _positions[positionId];
        if (pos.owner == address(0)) revert UnknownPosition(positionId);
        if (pos.owner != msg.sender) revert NotPositionOwner(positionId, msg.sender, pos.owner);
        Totals memory t = _advance();
        uint256[] memory rewards = new uint256[](t.tokenCount);
        _settle(positionId, pos, t.lastDay, rewards, false);

        uint256 maturity = uint256(pos.startDay) + RAMP_DAYS;
        if (maturity <= t.lastDay) {
            t.matured -= pos.amount;
        } else {
            t.growing -= pos.amount;
            _growingStartSum -= uint256(pos.amount) * pos.startDay;
            _maturing[maturity] -= pos.amount;
        }
        _totals = t;

        uint256[] storage list = _ownerPositions[msg.sender];
        uint256 lastId = list[list.length - 1];
        list[pos.ownerIndex] = lastId;
        _positions[lastId].ownerIndex = pos.ownerIndex;
        list.pop();
        delete _positions[positionId];
        emit PositionClosed(positionId, msg.sender, pos.amount);

        ExactTransfers.payChecked(stakingToken, msg.sender, pos.amount);
        _payRewards(msg.sender, rewards);
    }

    /// @inheritdoc IAmpStaking
    function claim() external override nonReentrant {
        uint256[] storage list = _ownerPositions[msg.sender];
        uint256 count = list.length;
        if (count == 0) revert NoPositions(msg.sender);
        Totals memory t = _advance();
        uint256[] memory rewards = new uint256[](t.tokenCount);
        for (uint256 j; j < count; ++j) {
            uint256 positionId = list[j];
            Position memory pos = _positions[positionId];
            _settle(positionId, pos, t.lastDay, rewards, true);
            _positions[positionId].settledDay = uint32(t.lastDay);
        }
        _payRewards(msg.sender, rewards);
    }

    /// @inheritdoc IAmpStaking
    function claimDeferred(address token, address recipient) external override nonReentrant {
        RewardStream.payDeferred(deferredRewards, token, recipient, DeferredRewardClaimed.selector);
    }

    // ---------------------------------------------------------------- distributors

    /// @inheritdoc IStakingDestination
    function distribute(address token, uint256 amount) external override nonReentrant {
        if (!isRewardDistributor[msg.sender]) revert IRewardStreams.NotRewardDistributor(msg.sender);
        if (amount == 0) revert IRewardStreams.ZeroAmount();
        uint256 index = _streams.indexOf(token);
        if (amount > MAX_REWARD_AMOUNT) revert RewardAmountTooLarge(amount, MAX_REWARD_AMOUNT);
        Totals memory t = _advance();
        uint256 day = t.lastDay;
        uint256 weightTimesRamp = _weightTimesRamp(t.growing, t.matured, _growingStartSum, day);
        if (weightTimesRamp == 0) revert NoWeight(day);

        // q = X * R * PRECISION / WR = (X / W) * PRECISION, rounded down: the positions together
        // are credited at most X (see ROUNDING).
        uint256 q = Math.mulDiv(amount, RAMP_DAYS * PRECISION, weightTimesRamp);
        uint32 count = _lumpCounts[index];
        Acc memory acc = _history[index][count];
        ++count; // checked: a token's 2^32-th lump reverts (Panic), never wraps
        _history[index][count] = Acc(acc.a0 + q, acc.a1 + day * q); // exact: no rounding in A1
        _lumpCounts[index] = count;
        emit LumpDistributed(token, amount, day, weightTimesRamp);

        ExactTransfers.pullExact(token, amount);
    }

    // ---------------------------------------------------------------- privileged

    /// @inheritdoc IRewardTokens
    function registerRewardToken(address token) external override onlyOwner {
        // Its accumulators start at 0, as do every position's snapshots and every checkpoint of
        // it: all its lumps come after every snapshot and checkpoint taken so far.
        _totals.tokenCount = uint8(_streams.registerRewardToken(token, stakingToken, _totals.tokenCount));
    }

    /// @inheritdoc IAmpStaking
    function setRewardDistributor(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert IRewardStreams.ZeroAddress();
        isRewardDistributor[account] = authorised;
        emit RewardDistributorSet(account, authorised);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IStakingDestination
    function coverage() external view override returns (uint256) {
        (uint256 growing, uint256 matured, uint256 startSum) = _advanced();
        uint256 staked = growing + matured;
        if (staked == 0) return 0;
        // W / staked = WR / (R * staked) <= 1, rounded down (the splitter sends no more than
        // the AMP covers).
        uint256 wr = _weightTimesRamp(growing, matured, startSum, _today());
        return Math.mulDiv(wr, COVERAGE_SCALE, RAMP_DAYS * staked);
    }

    /// @inheritdoc IAmpStaking
    function today() external view override returns (uint256) {
        return _today();
    }

    /// @inheritdoc IAmpStaking
    function positionInfo(uint256 positionId) external view override returns (address, uint256, uint256) {
        Position memory pos = _positions[positionId];
        return (pos.owner, pos.amount, pos.startDay);
    }

    /// @inheritdoc IAmpStaking
    function positionsOf(address staker) external view override returns (uint256[] memory) {
        return _ownerPositions[staker];
    }

    /// @inheritdoc IAmpStaking
    function weightOf(uint256 positionId) external view override returns (uint256) {
        Position memory pos = _openPosition(positionId);
        uint256 age = Math.min(RAMP_DAYS, _today() - pos.startDay);
        return uint256(pos.amount) * age / RAMP_DAYS; // rounded down
    }

    /// @inheritdoc IAmpStaking
    function totalWeight() external view override returns (uint256) {
        (uint256 growing, uint256 matured, uint256 startSum) = _advanced();
        return _weightTimesRamp(growing, matured, startSum, _today()) / RAMP_DAYS; // rounded down
    }

    /// @inheritdoc IAmpStaking
    function totalWeightTimesRamp() external view override returns (uint256) {
        (uint256 growing, uint256 matured, uint256 startSum) = _advanced();
        return _weightTimesRamp(growing, matured, startSum, _today());
    }

    /// @inheritdoc IAmpStaking
    function totalStaked() external view override returns (uint256) {
        return uint256(_totals.growing) + _totals.matured;
    }

    /// @inheritdoc IAmpStaking
    function pendingReward(uint256 positionId, address token) external view override returns (uint256) {
        uint256 index = _streams.indexOf(token);
        Position memory pos = _openPosition(positionId);
        uint256 maturity = uint256(pos.startDay) + RAMP_DAYS;
        uint256 count = _lumpCounts[index];
        // A maturity day not processed yet has seen no lump: its checkpoint is the current count.
        uint256 atMaturity = maturity <= _totals.lastDay ? _checkpoints[maturity][index] : count;
        return _reward(index, pos, maturity <= _today(), count, _snapshots[positionId][index], atMaturity);
    }

    /// @inheritdoc IAmpStaking
    function rewardTokens() external view override returns (address[] memory) {
        return _streams.tokenList(_totals.tokenCount);
    }

    // ---------------------------------------------------------------- internal

    function _today() internal view returns (uint256) {
        return block.timestamp / 1 days; // whole UTC days, rounded down by definition
    }

    /// @dev WR(day) = G * day - B + M * R = R * W(day), exact. G * day >= B: every growing
    /// position started on or before `day`.
    function _weightTimesRamp(uint256 growing, uint256 matured, uint256 startSum, uint256 day)
        internal
        view
        returns (uint256)
    {
        return growing * day - startSum + matured * RAMP_DAYS;
    }

    /// @dev Processes every day since the last processed one up to today (at most RAMP_DAYS of
    /// them can hold a bucket, see BOUNDED WORK PER DAY): moves each bucket from growing to
    /// matured and checkpoints every token's accumulators on its day. Returns the totals, stored.
    function _advance() internal returns (Totals memory t) {
        t = _totals;
        uint256 day = _today();
        uint256 last = t.lastDay;
        if (last == day) return t;
        uint256 end = Math.min(day, last + RAMP_DAYS);
        uint256 startSum = _growingStartSum;
        for (uint256 d = last + 1; d <= end; ++d) {
            uint256 bucket = _maturing[d];
            if (bucket == 0) continue;
            delete _maturing[d];
            // bucket <= G: it is the part of G that matures on day d. The casts are safe.
            t.growing -= uint96(bucket);
            t.matured += uint96(bucket);
            startSum -= bucket * (d - RAMP_DAYS);
            _checkpoints[d] = _lumpCounts; // one slot: every token's accumulators by reference
        }
        _growingStartSum = startSum;
        t.lastDay = uint32(day);
        _totals = t;
    }

    /// @dev The totals (G, M, B) as `_advance` would leave them today, for views.
    function _advanced() internal view returns (uint256 growing, uint256 matured, uint256 startSum) {
        Totals memory t = _totals;
        (growing, matured, startSum) = (t.growing, t.matured, _growingStartSum);
        uint256 end = Math.min(_today(), uint256(t.lastDay) + RAMP_DAYS);
        for (uint256 d = uint256(t.lastDay) + 1; d <= end; ++d) {
            uint256 bucket = _maturing[d];
            growing -= bucket;
            matured += bucket;
            startSum -= bucket * (d - RAMP_DAYS);
        }
    }

    function _openPosition(uint256 positionId) internal view returns (Position memory pos) {
        pos = _positions[positionId];
        if (pos.owner == address(0)) revert UnknownPosition(positionId);
    }

    /// @dev What `pos` has earned of token `index` between its snapshot (after `snapCount` lumps)
    /// and now (`count` lumps), rounded down: floor(a * N / (R * PRECISION)) with N as in the
    /// header (every term non-negative). `matured`: its maturity day has been reached;
    /// `maturityCount`: that day's checkpoint.
    function _reward(
        uint256 index,
        Position memory pos,
        bool matured,
        uint256 count,
        uint256 snapCount,
        uint256 maturityCount
    ) internal view returns (uint256) {
        mapping(uint256 count => Acc) storage history = _history[index];
        Acc memory current = history[count];
        Acc memory snap = history[snapCount];
        uint256 s = pos.startDay;
        uint256 n;
        if (pos.settledDay >= s + RAMP_DAYS) {
            n = RAMP_DAYS * (current.a0 - snap.a0);
        } else if (!matured) {
            n = (current.a1 - snap.a1) - s * (current.a0 - snap.a0);
        } else {
            Acc memory atMaturity = history[maturityCount];
            n = (atMaturity.a1 - snap.a1) - s * (atMaturity.a0 - snap.a0) + RAMP_DAYS * (current.a0 - atMaturity.a0);
        }
        return Math.mulDiv(pos.amount, n, RAMP_DAYS * PRECISION); // rounds down
    }

    /// @dev Adds what position `positionId` earned in every token to `rewards` and restarts its
    /// snapshot at the current lump counts (`keep`), or clears it (closing). `day` is today,
    /// already processed; the caller writes `settledDay`. A token without a lump since the
    /// snapshot adds nothing and reads nothing.
    function _settle(uint256 positionId, Position memory pos, uint256 day, uint256[] memory rewards, bool keep)
        internal
    {
        uint256 maturity = uint256(pos.startDay) + RAMP_DAYS;
        bool matured = maturity <= day;
        uint32[8] memory counts = _lumpCounts;
        uint32[8] memory snap = _snapshots[positionId];
        uint32[8] memory atMaturity = matured && pos.settledDay < maturity ? _checkpoints[maturity] : snap;
        bool changed;
        for (uint256 i; i < rewards.length; ++i) {
            if (counts[i] == snap[i]) continue;
            changed = true;
            rewards[i] += _reward(i, pos, matured, counts[i], snap[i], atMaturity[i]);
        }
        if (!keep) delete _snapshots[positionId];
        else if (changed) _snapshots[positionId] = counts;
    }

    /// @dev Pays settled rewards, last; a reward a token will not pay is deferred (claimDeferred).
    function _payRewards(address staker, uint256[] memory rewards) internal {
        _streams.payAll(deferredRewards, staker, rewards, RewardPaid.selector, RewardDeferred.selector);
    }
}
