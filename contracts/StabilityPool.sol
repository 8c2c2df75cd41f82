// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ExactTransfers} from "./libraries/ExactTransfers.sol";
import {RewardStream, StreamedToken} from "./libraries/RewardStream.sol";

import {IStabilityPool} from "./interfaces/IStabilityPool.sol";

/// @title StabilityPool
/// @notice Product-Sum stability pool: liquidations burn every deposit pro rata and credit gains pro
/// rata, in O(1) gas, without touching any depositor's storage.
///
/// THE MATH (paper: "Scalable Reward Distribution with Compounding Stakes", Liquity; seed 002)
/// ---------------------------------------------------------------------------------------------
/// A liquidation that offsets debt Q and credits collateral E against total deposits D shrinks
/// every deposit by the factor (1 - Q/D) and pays each deposit d the gain E * d / D. So a deposit
/// d_t made at time t is worth, later,
///     d = d_t * P / P_t                        (P = product of all factors (1 - Q/D) so far)
/// and has earned, in a gain token,
///     e = d_t * (S - S_t) / P_t                (S = sum of E * P / D, with P taken BEFORE the loss)
/// where P_t and S_t are snapshots taken when the deposit was made. Per liquidation the pool
/// updates only S (first, with the old P), then P, then D. Reward streams use the same sums (the
/// paper's G): an amount issued between two calls is credited like collateral, G += issued * P / D.
///
/// Worked example: A deposits 100, B deposits 50 (P = 1). Offset Q = 30, E = 3: S += 3/150 * 1,
/// P *= 120/150 = 0.8. A reads 100 * 0.8 = 80 and has earned 100 * 0.02 = 2; B reads 40, earned 1.
///
/// FIXED POINT. P is an integer in [P_MIN, P_PRECISION] = [1e27, 1e36]. When an offset takes it
/// below 1e27 it is multiplied by SCALE_FACTOR = 1e9 (before the division, so it keeps 27
/// significant digits) as often as needed, and `currentScale` goes up by one per multiplication. A snapshot taken k scales ago reads d_t * P / P_t / 1e9^k, and each sum is
/// kept per scale, S[token][scale]. Because total deposits are capped at MAX_TOTAL_DEPOSITS = 1e27
/// <= P_MIN, an offset that leaves at least 1 wei has P * (D - Q) / D >= 1, so P is never 0 and at
/// most three rescales restore it (1 -> 1e27): no sequence of offsets can brick the pool (this is
/// the Liquity v1 bug GHSA-m9f3-hrx8-x2g3, where one rescale was not enough).
///
/// HOW MANY SCALES A SNAPSHOT SPANS. With d_t <= 1e27 and P_t >= 1e27, a deposit k scales past its
/// snapshot reads d_t * P / (P_t * 1e9^k) < 1e36 / 1e9^k, which floors to exactly 0 for k >= 4.
/// Its gain from scale s_t + k is d_t * S[s_t + k] / (P_t * 1e9^k) <= S[s_t + k] / 1e9^k, and each
/// credit adds E * P / D <= E * 1e36 to S (P <= 1e36, D >= 1), so that gain is at most
/// E_k * 1e9^(4 - k) for E_k the token credited in that scale: its share of the pool is at most
/// 1e9^(4 - k). Summing scales k = 0..MAX_SCALE_SPAN (= 8) therefore leaves out at most
/// 1e-45 * (all gains of the token), below 1e-4 wei for any token supply under 1e41 wei (the
/// sums overflow beyond that, see LIMITS). Deposits more than MAX_SCALE_SPAN scales old read 0.
///
/// EPOCHS. An offset that takes all deposits (Q = D) empties the pool: `currentEpoch` goes up,
/// P resets to 1e36, and the scale jumps by EPOCH_SCALE_GAP = MAX_SCALE_SPAN + 1. The jump leaves
/// scales that no sum is ever written at, so a snapshot from an older epoch spans more than
/// MAX_SCALE_SPAN scales (its deposit reads 0) and summing its gains never reaches a scale of a
/// later epoch: it keeps exactly the gains earned before the pool was emptied. One scale counter
/// thus serves as the paper's (epoch, scale) pair, and each depositor's snapshot fits one slot.
///
/// ROUNDING. Every division rounds down, and each one favours the pool:
/// - newP = floor(P * (D - Q) * 1e9^k / D): deposits read at most their exact value, so the sum
///   of compounded deposits never exceeds totalDeposits; the error is below 1 part in 1e27.
/// - S += floor(E * P / D): depositors are credited at most E in total. What this drops is
///   below D / P <= 1 wei of the token per credit (D <= 1e27 <= P), so nothing needs carrying.
/// - A compounded deposit floor(d_t * P / P_t / 1e9^k) and a gain floor(d_t * sum / P_t), with
///   each term floor(S[s_t + k] / 1e9^k), are at most their exact values.
/// - A stream releases floor(remaining * elapsed / (finish - lastUpdate)); the rest stays in the
///   stream and all of it is released by `finish`, so rewards never strand in the stream.
/// - A snapshot floors the deposit it restarts: the fraction (< 1 wei) stays in totalDeposits with
///   no owner, and every later credit gives that dust its share, which stays in the pool unclaimed.
///   Per credit E that is E * dust / D, with dust < 1 wei per snapshot and per offset since the
///   pool was last emptied. Streams are held while D < MIN_STREAM_DEPOSITS = 1e9 (as when D = 0),
///   so a release strands at most dust * 1e-9 of itself; a collateral credit, which cannot wait,
///   strands at most dust * E / D (a few wei times the collateral per unit of debt offset).
/// Payouts check the pool's balance first (PoolShortfall), so the pool never pays what it lacks.
///
/// LIMITS (enforced with named errors): total deposits <= 1e27 wei; one collateral credit or
/// stream <= 1e36 wei; at most 8 gain tokens; streams <= 10 years. Streams release only while
/// total deposits are >= 1e9 wei. The sum of a token at one scale
/// stays below 2^256 while that token's credits in that scale stay below about 1e41 wei.
/// The scale counter (uint32) moves at most 9 per liquidation: 4e9 would take ~4.7e8 liquidations.
contract StabilityPool is IStabilityPool, Ownable2Step, ReentrancyGuardTransient {
    using RewardStream for StreamedToken;

    // ---------------------------------------------------------------- constants

    /// @notice P at the start of each epoch, and its upper bound.
    uint256 public constant P_PRECISION = 1e36;
    /// @notice P is rescaled by SCALE_FACTOR whenever it falls below P_MIN.
    uint256 public constant P_MIN = 1e27;
    uint256 public constant SCALE_FACTOR = 1e9;
    /// @notice Scales past its snapshot over which a deposit's gains are summed (see header).
    uint256 public constant MAX_SCALE_SPAN = 8;
    /// @notice The scale jump at a new epoch; larger than MAX_SCALE_SPAN so epochs never mix.
    uint256 public constant EPOCH_SCALE_GAP = MAX_SCALE_SPAN + 1;
    /// @notice Cap on total deposits: at most P_MIN, so P never reaches 0 (see header).
    uint256 public constant MAX_TOTAL_DEPOSITS = 1e27;
    /// @notice Cap on one collateral credit and on a stream's remaining amount.
    uint256 public constant MAX_GAIN_AMOUNT = 1e36;
    uint256 public constant MAX_GAIN_TOKENS = 8;
    uint256 public constant MAX_STREAM_DURATION = 10 * 365 days;
    /// @notice Streams release only while total deposits are at least this; below it they are held.
    /// Snapshots floor deposits, leaving under 1 wei per snapshot in totalDeposits that nobody owns;
    /// a release shares that dust's part (dust / D) with no one. Holding releases below 1e9 wei
    /// bounds that part by dust * 1e-9 of each release (see LIMITS).
    uint256 public constant MIN_STREAM_DEPOSITS = 1e9;

    // ---------------------------------------------------------------- storage

    /// @dev The pool's whole state in one slot. totalDeposits <= 1e27 < 2^96, P <= 1e36 < 2^120.
    struct Pool {
        uint96 totalDeposits;
        uint120 P;
        uint32 scale;
        uint8 gainTokenCount;
    }

    /// @dev A depositor's snapshot in one slot: initial value, P_t and scale at the last change.
    struct Deposit {
        uint96 value;
        uint120 P;
        uint32 scale;
    }

    address public immutable override debtToken;

    Pool internal _pool;
    uint256 public override currentEpoch;

    StreamedToken[MAX_GAIN_TOKENS] internal _gainTokens;
    /// @dev Not yet released amount of each gain token's stream, by token index.
    uint256[MAX_GAIN_TOKENS] internal _streamRemaining;
    /// @dev token => index + 1 (0: not registered).
    mapping(address token => uint256) internal _indexPlusOne;

    /// @notice The running sum of each gain token at each scale.
    mapping(address token => mapping(uint256 scale => uint256)) public S;

    mapping(address depositor => Deposit) internal _deposits;
    /// @notice Each depositor's snapshot of each gain token's sum, S_t.
    mapping(address depositor => mapping(address token => uint256)) public snapshotS;

    mapping(address account => bool) public isLiquidator;
    mapping(address account => bool) public isRewardDistributor;

    constructor(address debtToken_, address owner_) Ownable(owner_) {
        if (debtToken_ == address(0)) revert ZeroAddress();
        debtToken = debtToken_;
        _pool.P = uint120(P_PRECISION);
    }

    // ---------------------------------------------------------------- depositors

    /// @inheritdoc IStabilityPool
    function deposit(uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        (Pool memory pool, uint256 compounded, uint256[] memory gains) = _settle(msg.sender);
        uint256 total = pool.totalDeposits + amount;
        if (total > MAX_TOTAL_DEPOSITS) revert TotalDepositsCapExceeded(total, MAX_TOTAL_DEPOSITS);
        pool.totalDeposits = uint96(total);
        _pool = pool;
        _snapshot(msg.sender, compounded + amount, pool);

        ExactTransfers.pullExact(debtToken, amount);
        _payGains(msg.sender, gains);
    }

    /// @inheritdoc IStabilityPool
    function withdraw(uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (_deposits[msg.sender].value == 0) revert NoDeposit(msg.sender);
        (Pool memory pool, uint256 compounded, uint256[] memory gains) = _settle(msg.sender);
        uint256 paid = Math.min(amount, compounded);
        // paid <= compounded <= totalDeposits: the sum of compounded deposits never exceeds it.
        pool.totalDeposits -= uint96(paid);
        _pool = pool;
        _snapshot(msg.sender, compounded - paid, pool);

        if (paid > 0) ExactTransfers.payChecked(debtToken, msg.sender, paid);
        _payGains(msg.sender, gains);
    }

    /// @inheritdoc IStabilityPool
    function claim() external override nonReentrant {
        Deposit memory dep = _deposits[msg.sender];
        if (dep.value == 0) revert NoDeposit(msg.sender);
        (Pool memory pool, uint256 compounded, uint256[] memory gains) = _settle(msg.sender);
        if (dep.scale == pool.scale) {
            // Same scale: only the sums restart; (d_t, P_t) stay exact instead of being floored
            // to the compounded value, which would leave dust in totalDeposits (see ROUNDING).
            _snapshotSums(msg.sender, true, pool);
            emit DepositUpdated(msg.sender, dep.value, dep.P, dep.scale, pool.totalDeposits);
        } else {
            _snapshot(msg.sender, compounded, pool);
        }
        _payGains(msg.sender, gains);
    }

    // ---------------------------------------------------------------- privileged

    /// @inheritdoc IStabilityPool
    function offset(uint256 debtToOffset, address collateral, uint256 collAmount) external override nonReentrant {
        if (!isLiquidator[msg.sender]) revert NotLiquidator(msg.sender);
        if (debtToOffset == 0 && collAmount == 0) revert ZeroAmount();
        if (collAmount > MAX_GAIN_AMOUNT) revert GainAmountTooLarge(collAmount, MAX_GAIN_AMOUNT);
        if (_indexPlusOne[collateral] == 0) revert UnknownToken(collateral);
        Pool memory pool = _accrue();
        uint256 D = pool.totalDeposits;
        if (debtToOffset > D) revert DebtExceedsDeposits(debtToOffset, D);
        if (D == 0) revert EmptyPool();

        // S first, with the P from before this loss: each deposit earns pro rata to its size now.
        if (collAmount > 0) _credit(collateral, collAmount, pool);

        if (debtToOffset == D) {
            // The pool is emptied: a new epoch starts at a fresh scale, past every old snapshot's span.
            uint256 epoch = currentEpoch + 1;
            currentEpoch = epoch;
            pool.scale += uint32(EPOCH_SCALE_GAP);
            pool.P = uint120(P_PRECISION);
            emit EpochUpdated(epoch, pool.scale);
            emit ScaleUpdated(pool.scale);
            emit P_Updated(P_PRECISION);
        } else if (debtToOffset > 0) {
            // newP = P * (D - Q) * 1e9^k / D for the least k that puts it in [P_MIN, P_PRECISION):
            // rescaling BEFORE dividing keeps 27 significant digits however deep the loss (Liquity
            // rescales the floored quotient, which can be a one-digit number). Rounds down: deposits
            // read at most their exact value. D - Q >= 1 and P >= P_MIN >= D, so P * (D - Q) / D
            // >= 1 and k <= 3. P * (D - Q) < 1e36 * 1e27; mulDiv keeps the product by 1e27 exact.
            uint256 remaining = uint256(pool.P) * (D - debtToOffset);
            uint256 newP = remaining / D;
            uint256 factor = 1;
            while (newP < P_MIN) {
                factor *= SCALE_FACTOR;
                newP = Math.mulDiv(remaining, factor, D);
                pool.scale += 1;
                emit ScaleUpdated(pool.scale);
            }
            pool.P = uint120(newP);
            emit P_Updated(newP);
        }
        pool.totalDeposits = uint96(D - debtToOffset);
        _pool = pool;
        emit Offset(msg.sender, collateral, debtToOffset, collAmount);

        if (collAmount > 0) ExactTransfers.pullExact(collateral, collAmount);
        if (debtToOffset > 0) ExactTransfers.payChecked(debtToken, msg.sender, debtToOffset);
    }

    /// @inheritdoc IStabilityPool
    function notifyReward(address token, uint256 amount, uint256 duration) external override nonReentrant {
        if (!isRewardDistributor[msg.sender]) revert NotRewardDistributor(msg.sender);
        if (amount == 0) revert ZeroAmount();
        if (duration > MAX_STREAM_DURATION) revert DurationTooLong(duration, MAX_STREAM_DURATION);
        uint256 index = _indexPlusOne[token];
        if (index == 0) revert UnknownToken(token);
        index -= 1;
        Pool memory pool = _accrue();

        // What the running stream has not released yet (including anything held while the pool
        // was empty) joins the new stream, so nothing is lost.
        uint256 remaining = _streamRemaining[index] + amount;
        if (remaining > MAX_GAIN_AMOUNT) revert GainAmountTooLarge(remaining, MAX_GAIN_AMOUNT);
        _streamRemaining[index] = remaining;
        StreamedToken storage gt = _gainTokens[index];
        uint256 finish = block.timestamp + duration;
        gt.lastUpdate = uint40(block.timestamp);
        gt.finish = uint40(finish);
        emit RewardNotified(token, amount, remaining, finish);

        ExactTransfers.pullExact(token, amount);
        // A zero-duration stream is released now (held if the pool is empty).
        if (duration == 0) _accrueStream(index, pool);
    }

    /// @inheritdoc IStabilityPool
    function registerGainToken(address token) external override onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        if (token == debtToken || _indexPlusOne[token] != 0) revert InvalidGainToken(token);
        uint256 count = _pool.gainTokenCount;
        if (count == MAX_GAIN_TOKENS) revert TooManyGainTokens(MAX_GAIN_TOKENS);
        _gainTokens[count].token = token;
        _indexPlusOne[token] = count + 1;
        _pool.gainTokenCount = uint8(count + 1);
        emit GainTokenRegistered(token, count);
    }

    /// @inheritdoc IStabilityPool
    function setLiquidator(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isLiquidator[account] = authorised;
        emit LiquidatorSet(account, authorised);
    }

    /// @inheritdoc IStabilityPool
    function setRewardDistributor(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isRewardDistributor[account] = authorised;
        emit RewardDistributorSet(account, authorised);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IStabilityPool
    function totalDeposits() external view override returns (uint256) {
        return _pool.totalDeposits;
    }

    /// @inheritdoc IStabilityPool
    function P() external view override returns (uint256) {
        return _pool.P;
    }

    /// @inheritdoc IStabilityPool
    function currentScale() external view override returns (uint256) {
        return _pool.scale;
    }

    /// @inheritdoc IStabilityPool
    function gainTokens() external view override returns (address[] memory tokens) {
        uint256 count = _pool.gainTokenCount;
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            tokens[i] = _gainTokens[i].token;
        }
    }

    /// @inheritdoc IStabilityPool
    function getCompoundedDeposit(address depositor) external view override returns (uint256) {
        return _compounded(_deposits[depositor], _pool);
    }

    /// @inheritdoc IStabilityPool
    function getDepositorGain(address depositor, address token) external view override returns (uint256) {
        uint256 index = _indexPlusOne[token];
        if (index == 0) revert UnknownToken(token);
        Pool memory pool = _pool;
        uint256 pendingS;
        if (pool.totalDeposits >= MIN_STREAM_DEPOSITS) {
            (uint256 released,) = RewardStream.released(_gainTokens[index - 1], _streamRemaining[index - 1]);
            pendingS = released * pool.P / pool.totalDeposits; // as _credit rounds
        }
        return _gain(_deposits[depositor], snapshotS[depositor][token], token, pool.scale, pendingS);
    }

    /// @notice `depositor`'s snapshot: initial value, P_t and scale.
    function getDeposit(address depositor) external view returns (uint256 value, uint256 snapshotP, uint256 scale) {
        Deposit memory dep = _deposits[depositor];
        return (dep.value, dep.P, dep.scale);
    }

    /// @notice `token`'s reward stream: amount not yet released, last release time, end (0: none).
    function getStream(address token) external view returns (uint256 remaining, uint256 lastUpdate, uint256 finish) {
        uint256 index = _indexPlusOne[token];
        if (index == 0) revert UnknownToken(token);
        StreamedToken memory gt = _gainTokens[index - 1];
        return (_streamRemaining[index - 1], gt.lastUpdate, gt.finish);
    }

    // ---------------------------------------------------------------- internal: math

    /// @dev d_t * P / P_t / 1e9^k, rounded down; 0 past MAX_SCALE_SPAN scales (exactly 0 from 4).
    /// d_t * P < 2^96 * 2^120: no overflow.
    function _compounded(Deposit memory dep, Pool memory pool) internal pure returns (uint256) {
        if (dep.value == 0) return 0;
        uint256 span = pool.scale - dep.scale;
        if (span > MAX_SCALE_SPAN) return 0;
        return uint256(dep.value) * pool.P / dep.P / SCALE_FACTOR ** span;
    }

    /// @dev d_t * (S[s_t] - S_t + sum_k S[s_t + k] / 1e9^k) / P_t over k = 1..min(span, MAX_SCALE_SPAN),
    /// every division rounded down. `pendingS` is added to the sum at the current scale (views
    /// count stream releases not yet written). mulDiv keeps d_t * sum exact in 512 bits.
    function _gain(Deposit memory dep, uint256 snapS, address token, uint256 scale, uint256 pendingS)
        internal
        view
        returns (uint256)
    {
        if (dep.value == 0) return 0;
        uint256 last = Math.min(scale, dep.scale + MAX_SCALE_SPAN);
        mapping(uint256 => uint256) storage sums = S[token];
        uint256 sum = sums[dep.scale] - snapS;
        if (dep.scale == scale) sum += pendingS;
        uint256 divisor = 1;
        for (uint256 s = dep.scale + 1; s <= last; ++s) {
            divisor *= SCALE_FACTOR;
            uint256 sumAtScale = sums[s];
            if (s == scale) sumAtScale += pendingS;
            sum += sumAtScale / divisor;
        }
        return Math.mulDiv(dep.value, sum, dep.P);
    }

    // ---------------------------------------------------------------- internal: state

    /// @dev Credits `amount` of `token` to the current deposits: S += amount * P / D, rounded down
    /// (credits at most `amount`; drops below D / P <= 1 wei). amount * P <= 1e36 * 1e36.
    function _credit(address token, uint256 amount, Pool memory pool) internal {
        uint256 newS = S[token][pool.scale] + amount * pool.P / pool.totalDeposits;
        S[token][pool.scale] = newS;
        emit S_Updated(token, newS, pool.scale);
    }

    /// @dev Releases every running stream into its sum. Below MIN_STREAM_DEPOSITS (and with no
    /// deposits) nothing is released and `lastUpdate` stays put, so what accrues meanwhile is held
    /// for the depositors present once the pool is large enough.
    function _accrue() internal returns (Pool memory pool) {
        pool = _pool;
        if (pool.totalDeposits < MIN_STREAM_DEPOSITS) return pool;
        for (uint256 i; i < pool.gainTokenCount; ++i) {
            _accrueStream(i, pool);
        }
    }

    function _accrueStream(uint256 index, Pool memory pool) internal {
        if (pool.totalDeposits < MIN_STREAM_DEPOSITS) return;
        StreamedToken memory gt = _gainTokens[index];
        if (gt.idle()) return;
        uint256 remaining = _streamRemaining[index];
        (uint256 released, bool done) = gt.released(remaining);
        _streamRemaining[index] = remaining - released;
        _gainTokens[index] = StreamedToken(gt.token, uint40(block.timestamp), done ? 0 : gt.finish);
        if (released > 0) _credit(gt.token, released, pool);
    }

    /// @dev Accrues streams, then computes `depositor`'s compounded deposit and every gain.
    function _settle(address depositor)
        internal
        returns (Pool memory pool, uint256 compounded, uint256[] memory gains)
    {
        pool = _accrue();
        Deposit memory dep = _deposits[depositor];
        compounded = _compounded(dep, pool);
        gains = new uint256[](pool.gainTokenCount);
        if (dep.value == 0) return (pool, compounded, gains);
        for (uint256 i; i < gains.length; ++i) {
            address token = _gainTokens[i].token;
            gains[i] = _gain(dep, snapshotS[depositor][token], token, pool.scale, 0);
        }
    }

    /// @dev Restarts `depositor`'s snapshots at `value` (or clears them when 0, refunding gas).
    function _snapshot(address depositor, uint256 value, Pool memory pool) internal {
        bool open = value > 0;
        if (open) _deposits[depositor] = Deposit(uint96(value), pool.P, pool.scale);
        else delete _deposits[depositor];
        _snapshotSums(depositor, open, pool);
        emit DepositUpdated(depositor, value, open ? pool.P : 0, open ? pool.scale : 0, pool.totalDeposits);
    }

    /// @dev Restarts `depositor`'s S_t at the current sums (or clears them, refunding gas).
    function _snapshotSums(address depositor, bool open, Pool memory pool) internal {
        for (uint256 i; i < pool.gainTokenCount; ++i) {
            address token = _gainTokens[i].token;
            snapshotS[depositor][token] = open ? S[token][pool.scale] : 0;
        }
    }

    // ---------------------------------------------------------------- internal: tokens

    /// @dev Pays settled gains; called last, once the pool's state is written.
    function _payGains(address depositor, uint256[] memory gains) internal {
        for (uint256 i; i < gains.length; ++i) {
            if (gains[i] == 0) continue;
            address token = _gainTokens[i].token;
            emit GainPaid(depositor, token, gains[i]);
            ExactTransfers.payChecked(token, depositor, gains[i]);
        }
    }
}
