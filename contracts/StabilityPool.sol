// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ExactTransfers} from "./libraries/ExactTransfers.sol";
import {Deposit, Pool, ProductSum, ProductSumState} from "./libraries/ProductSum.sol";
import {IRewardStreams} from "./interfaces/IRewardStreams.sol";
import {RewardStream, StreamedToken, TokenStreams} from "./libraries/RewardStream.sol";

import {IStabilityPool} from "./interfaces/IStabilityPool.sol";

/// @title StabilityPool
/// @notice Deposits of a debt token that absorb liquidations pro rata and share their collateral
/// and reward streams pro rata, in O(1) gas per liquidation.
/// @dev
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
/// paper's G): an amount released between two calls is credited like collateral, S += R * P / D.
///
/// Worked example: A deposits 100, B deposits 50 (P = 1). Offset Q = 30, E = 3: S += 3/150 * 1,
/// P *= 120/150 = 0.8. A reads 100 * 0.8 = 80 and has earned 100 * 0.02 = 2; B reads 40, earned 1.
///
/// FIXED POINT. P is an integer in [P_MIN, P_PRECISION] = [1e27, 1e33] (27 significant digits).
/// When an offset would take it below 1e27 it is multiplied by SCALE_FACTOR = 1e6 (before the
/// division, so it keeps 27 digits) as often as needed, and `currentScale` goes up by one per
/// multiplication. A snapshot taken k scales ago reads d_t * P / P_t / 1e6^k, and each sum is kept
/// per scale, S[token][scale].
///
/// HOW MANY RESCALES (why no offset can brick the pool). Total deposits are capped at
/// MAX_TOTAL_DEPOSITS = 1e30. An offset that leaves at least 1 wei (D - Q >= 1) has
///     P * (D - Q) / D >= P_MIN / MAX_TOTAL_DEPOSITS = 1e-3,
/// so newP = floor(P * (D - Q) * 1e6^k / D) >= 1e6^k / 1e3 reaches P_MIN at k <= 5: P is never 0
/// and at most five rescales restore it (the Liquity v1 bug GHSA-m9f3-hrx8-x2g3 was a quotient
/// floored to 0 before one rescale, too few). The least such k gives newP < 1e27 * 1e6 = 1e33.
///
/// HOW MANY SCALES A SNAPSHOT SPANS. With d_t <= 1e30 and P_t >= 1e27, a deposit k scales past
/// its snapshot reads d_t * P / (P_t * 1e6^k) < 1e30 * 1e33 / (1e27 * 1e6^k) = 1e36 / 1e6^k, which
/// floors to exactly 0 for k >= 6. Its gain from scale s_t + k is d_t * S[s_t + k] / (P_t * 1e6^k)
/// <= 1e3 * S[s_t + k] / 1e6^k, and each credit adds E * P / D <= E * 1e33 to S (D >= 1), so that
/// gain is at most E_k * 1e36 / 1e6^k for E_k the token credited in that scale. Gains are summed
/// over k = 0..MAX_SCALE_SPAN = 12, the most a uint256 allows: a 13th term would divide by 1e78 >
/// 2^256 and floor to 0 whatever the sum. What is left out is at most 1e-42 * (the token's credits
/// at those scales), below 1e-4 wei for any token supply under 1e38 wei. Deposits more than
/// MAX_SCALE_SPAN scales old read 0.
///
/// EPOCHS. An offset that takes all deposits (Q = D) empties the pool: `currentEpoch` goes up,
/// P resets to 1e33, and the scale jumps by EPOCH_SCALE_GAP = MAX_SCALE_SPAN + 1. The jump leaves
/// scales that no sum is ever written at, so a snapshot from an older epoch spans more than
/// MAX_SCALE_SPAN scales (its deposit reads 0) and summing its gains never reaches a scale of a
/// later epoch: it keeps exactly the gains earned before the pool was emptied. One scale counter
/// thus serves as the paper's (epoch, scale) pair, and each depositor's snapshot fits one slot.
///
/// STREAMS (RewardStream). A stream releases `rate` per second, credited to S in 1e-18 wei
/// precision (S += rate * seconds * P / (1e18 * D)), but only while total deposits are at least
/// `minStreamDeposits` (set at deployment to suit the debt token's decimals). Below that the
/// stream is paused: nothing is released and its end moves later by the time held, so a deposit
/// present for k seconds earns at most k seconds of any stream; no lump is ever released to
/// whoever comes first (deposit, claim and withdraw in one transaction earn 0 seconds' worth).
/// A notification with duration 0 credits exactly its amount at once (it needs total deposits
/// of at least `minStreamDeposits`) and leaves the running stream as it was.
///
/// PAYOUTS. Debt tokens are paid strictly. A gain that cannot be paid (the token reverts,
/// blocklists the depositor, lacks the balance or burns its gas allowance) does not revert the
/// call: it is kept for the depositor in `deferredGains` (event GainDeferred) and can be claimed
/// later, to any address, with `claimDeferred`. No token can stop a withdrawal of debt tokens or
/// the payout of another token.
///
/// ROUNDING. Every division rounds down, and each one favours the pool:
/// - newP = floor(P * (D - Q) * 1e6^k / D): deposits read at most their exact value, so the sum
///   of compounded deposits never exceeds totalDeposits. P's error is below 1 part in 1e27; a
///   deposit d loses below d / 1e27 wei to it (under 1 wei while d <= 1e27).
/// - S += floor(E * P / D): depositors are credited at most E in total. What this drops is
///   below D / P <= D / 1e27 wei of the token per credit (under 1 wei while D <= 1e27).
/// - A compounded deposit floor(d_t * P / P_t / 1e6^k) and a gain floor(d_t * sum / P_t), with
///   each term floor(S[s_t + k] / 1e6^k), are at most their exact values.
/// - A stream's rate is floor(amount * 1e18 / duration): it releases at most the ideal amount
///   per second; what it keeps back is below duration / 1e18 wei per notification.
/// - A snapshot floors the deposit it restarts: the fraction (< 1 wei) stays in totalDeposits with
///   no owner, and every later credit gives that dust its share, which stays in the pool unclaimed.
///   Per credit E that is E * dust / D, with dust < 1 wei per snapshot and per offset since the
///   pool was last emptied. Streams release only while D >= minStreamDeposits, so a release
///   strands at most dust / minStreamDeposits of itself; a collateral credit, which cannot wait,
///   strands at most dust * E / D (a few wei times the collateral per unit of debt offset).
/// Payouts check the pool's balance first, so the pool never pays what it lacks.
///
/// CODE LAYOUT. This contract checks inputs, orders the steps and moves tokens. The math lives in
/// libraries over state structs: ProductSum (ProductSumState: P, scale, total deposits, epoch,
/// sums and snapshots; compounded deposits, gains, credits, the loss of an offset) and
/// RewardStream (TokenStreams: the gain-token registry, each token's stream, the payout loop and
/// deferred claims, shared with SumStaking). Function names say how they round (`...Down`).
///
/// LIMITS (enforced with named errors): total deposits <= 1e30 wei; one collateral credit or a
/// stream's unreleased amount <= 1e36 wei; at most 8 gain tokens; streams <= 10 years. The sum of
/// a token at one scale stays below 2^256 while that token's credits in that scale stay below
/// about 1e44 wei. The scale counter (uint32) moves at most 13 per liquidation: 4e9 would take
/// ~3.3e8 liquidations.
///
/// GAS (whole transactions on Anvil, one collateral token, plain OpenZeppelin ERC20 mocks, the pool
/// holding other deposits, every payout to a nonzero balance; `ape run gas`, snapshots/gas.json):
/// first deposit 73,524 before the collateral's first liquidation, 100,968 after one; top-up paying
/// gains 87,903; partial withdrawal 84,572; full withdrawal 75,148; claim 60,650; offset 86,051 from
/// a minimal caller contract (62,754 the call itself). A registered gain token never credited nor
/// notified (inactive, see ProductSum's Pool) adds nothing measurable; an active one with no gain
/// since the depositor's snapshot adds 8,616 to a top-up, a partial withdrawal or a claim.
contract StabilityPool is IStabilityPool, Ownable2Step, ReentrancyGuardTransient {
    using ProductSum for ProductSumState;
    using RewardStream for StreamedToken;
    using RewardStream for TokenStreams;

    // ---------------------------------------------------------------- constants

    /// @inheritdoc IStabilityPool
    uint256 public constant override P_PRECISION = ProductSum.P_PRECISION;
    /// @inheritdoc IStabilityPool
    uint256 public constant override P_MIN = ProductSum.P_MIN;
    /// @inheritdoc IStabilityPool
    uint256 public constant override SCALE_FACTOR = ProductSum.SCALE_FACTOR;
    /// @inheritdoc IStabilityPool
    uint256 public constant override MAX_SCALE_SPAN = ProductSum.MAX_SCALE_SPAN;
    /// @inheritdoc IStabilityPool
    uint256 public constant override EPOCH_SCALE_GAP = ProductSum.EPOCH_SCALE_GAP;
    /// @inheritdoc IStabilityPool
    uint256 public constant override MAX_TOTAL_DEPOSITS = 1e30;
    /// @inheritdoc IStabilityPool
    uint256 public constant override MAX_GAIN_AMOUNT = 1e36;
    /// @inheritdoc IStabilityPool
    uint256 public constant override MAX_GAIN_TOKENS = RewardStream.MAX_TOKENS;
    /// @inheritdoc IRewardStreams
    uint256 public constant override MAX_STREAM_DURATION = RewardStream.MAX_DURATION;

    // ---------------------------------------------------------------- storage

    /// @inheritdoc IStabilityPool
    address public immutable override debtToken;
    /// @inheritdoc IStabilityPool
    uint256 public immutable override minStreamDeposits;

    /// @dev P, scale, total deposits, epoch, sums and snapshots (ProductSum).
    ProductSumState internal _ps;
    /// @dev The gain tokens and their reward streams (RewardStream); which are active is in _ps.pool
    /// (see Pool), their count in _gainTokenCount.
    TokenStreams internal _streams;

    /// @inheritdoc IStabilityPool
    mapping(address depositor => mapping(address token => uint256)) public override deferredGains;
    /// @inheritdoc IStabilityPool
    mapping(address account => bool) public override isLiquidator;
    /// @inheritdoc IRewardStreams
    mapping(address account => bool) public override isRewardDistributor;
    /// @dev The number of gain tokens registered (read only to register one, and by gainTokens).
    uint256 internal _gainTokenCount;

    /// @param debtToken_ The token depositors provide and liquidations burn.
    /// @param owner_ The owner (registers gain tokens, appoints liquidators and distributors).
    /// @param minStreamDeposits_ Total deposits below which streams pause: the debt token's dust
    /// level (1e9 for 18 decimals, 1e6 for 6); in [1, MAX_TOTAL_DEPOSITS].
    constructor(address debtToken_, address owner_, uint256 minStreamDeposits_) Ownable(owner_) {
        if (debtToken_ == address(0)) revert ZeroAddress();
        if (minStreamDeposits_ == 0 || minStreamDeposits_ > MAX_TOTAL_DEPOSITS) {
            revert InvalidMinStreamDeposits(minStreamDeposits_, MAX_TOTAL_DEPOSITS);
        }
        debtToken = debtToken_;
        minStreamDeposits = minStreamDeposits_;
        _ps.pool.P = uint112(P_PRECISION);
    }

    // ---------------------------------------------------------------- depositors

    /// @inheritdoc IStabilityPool
    function deposit(uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Deposit memory dep = _ps.deposits[msg.sender];
        (Pool memory pool,) = _accrue(address(0));
        uint256 compounded = ProductSum.compoundedDown(dep, pool);
        uint256[] memory gains = _ps.settleDown(_streams, dep, msg.sender, true, pool);
        uint256 room;
        unchecked {
            room = MAX_TOTAL_DEPOSITS - pool.totalDeposits; // totalDeposits never exceeds the cap
        }
        if (amount > room) revert TotalDepositsCapExceeded(amount, room);
        unchecked {
            pool.totalDeposits += uint104(amount); // at most the cap, 1e30 < 2^104
        }
        _ps.store(pool);
        _ps.snapshot(msg.sender, compounded + amount, pool);

        ExactTransfers.pullExact(debtToken, amount);
        _payGains(msg.sender, gains);
    }

    /// @inheritdoc IStabilityPool
    function withdraw(uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Deposit memory dep = _ps.deposits[msg.sender];
        if (dep.value == 0) revert NoDeposit(msg.sender);
        (Pool memory pool,) = _accrue(address(0));
        uint256 compounded = ProductSum.compoundedDown(dep, pool);
        uint256 paid = Math.min(amount, compounded);
        uint256[] memory gains = _ps.settleDown(_streams, dep, msg.sender, compounded > paid, pool);
        // paid <= compounded <= totalDeposits: the sum of compounded deposits never exceeds it.
        pool.totalDeposits -= uint104(paid);
        _ps.store(pool);
        _ps.snapshot(msg.sender, compounded - paid, pool);

        if (paid > 0) ExactTransfers.payChecked(debtToken, msg.sender, paid);
        _payGains(msg.sender, gains);
    }

    /// @inheritdoc IStabilityPool
    function claim() external override nonReentrant {
        uint256[] memory gains;
        Deposit memory dep = _ps.deposits[msg.sender];
        if (dep.value == 0) revert NoDeposit(msg.sender);
        (Pool memory pool,) = _accrue(address(0));
        if (dep.scale == pool.scale) {
            // Same scale: only the sums restart; (d_t, P_t) stay exact instead of being floored
            // to the compounded value, which would leave dust in totalDeposits (see ROUNDING).
            gains = _ps.settleDown(_streams, dep, msg.sender, true, pool);
            emit DepositUpdated(msg.sender, dep.value, dep.P, dep.scale, pool.totalDeposits);
        } else {
            uint256 compounded = ProductSum.compoundedDown(dep, pool);
            gains = _ps.settleDown(_streams, dep, msg.sender, compounded > 0, pool);
            _ps.snapshot(msg.sender, compounded, pool);
        }
        _payGains(msg.sender, gains);
    }

    /// @inheritdoc IRewardStreams
    function claimDeferred(address token, address recipient) external override nonReentrant {
        RewardStream.payDeferred(deferredGains, token, recipient, DeferredGainClaimed.selector);
    }

    // ---------------------------------------------------------------- privileged

    /// @inheritdoc IStabilityPool
    function offset(uint256 debtToOffset, address collateral, uint256 collAmount) external override nonReentrant {
        if (!isLiquidator[msg.sender]) revert NotLiquidator(msg.sender);
        if (debtToOffset == 0 && collAmount == 0) revert ZeroAmount();
        if (collAmount > MAX_GAIN_AMOUNT) revert GainAmountTooLarge(collAmount, MAX_GAIN_AMOUNT);
        // An active collateral is found while walking the active tokens, with no lookup of its own;
        // one not active yet is looked up (reverts with UnknownToken) and is active from now on.
        (Pool memory pool, bool registered) = _accrue(collateral);
        if (!registered) pool.activeTokens |= uint8(1 << _streams.indexOf(collateral));
        uint256 D = pool.totalDeposits;
        if (debtToOffset > D) revert DebtExceedsDeposits(debtToOffset, D);
        if (D == 0) revert EmptyPool();

        // S first, with the P from before this loss: each deposit earns pro rata to its size now.
        if (collAmount > 0) _ps.credit(collateral, collAmount, 1, pool);
        _ps.applyLoss(pool, debtToOffset);
        _ps.store(pool);
        emit Offset(msg.sender, collateral, debtToOffset, collAmount);

        if (collAmount > 0) ExactTransfers.pullExact(collateral, collAmount);
        if (debtToOffset > 0) ExactTransfers.payChecked(debtToken, msg.sender, debtToOffset);
    }

    /// @inheritdoc IStabilityPool
    function notifyReward(address token, uint256 amount, uint256 duration) external override nonReentrant {
        uint256 index = _streams.checkNotify(isRewardDistributor[msg.sender], token, amount, duration);
        (Pool memory pool,) = _accrue(address(0));
        uint8 active = pool.activeTokens | uint8(1 << index);
        if (active != pool.activeTokens) _ps.pool.activeTokens = active; // from now on (see Pool)

        // duration > 0: what the stream has not released yet joins `amount`, over the new
        // duration; duration 0 leaves the stream as it is.
        (uint256 room, uint256 rate, uint256 finish) = _streams.notify(index, amount, duration, MAX_GAIN_AMOUNT);
        if (duration == 0) {
            // Credited exactly, now.
            if (amount > MAX_GAIN_AMOUNT) revert GainAmountTooLarge(amount, MAX_GAIN_AMOUNT);
            if (pool.totalDeposits < minStreamDeposits) {
                revert BelowStreamMinimum(pool.totalDeposits, minStreamDeposits);
            }
            _ps.credit(token, amount, 1, pool);
        } else if (amount > room) {
            revert GainAmountTooLarge(amount, room);
        }
        emit RewardNotified(token, amount, duration, rate, finish);

        ExactTransfers.pullExact(token, amount);
    }

    /// @inheritdoc IStabilityPool
    function registerGainToken(address token) external override onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        if (token == debtToken || _streams.indexPlusOne[token] != 0) revert InvalidGainToken(token);
        uint256 count = _gainTokenCount;
        if (count == MAX_GAIN_TOKENS) revert TooManyGainTokens(MAX_GAIN_TOKENS);
        _streams.register(token, count);
        _gainTokenCount = count + 1;
        emit GainTokenRegistered(token, count);
    }

    /// @inheritdoc IStabilityPool
    function setLiquidator(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isLiquidator[account] = authorised;
        emit LiquidatorSet(account, authorised);
    }

    /// @inheritdoc IRewardStreams
    function setRewardDistributor(address account, bool authorised) external override onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isRewardDistributor[account] = authorised;
        emit RewardDistributorSet(account, authorised);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IStabilityPool
    function totalDeposits() external view override returns (uint256) {
        return _ps.pool.totalDeposits;
    }

    /// @inheritdoc IStabilityPool
    function P() external view override returns (uint256) {
        return _ps.pool.P;
    }

    /// @inheritdoc IStabilityPool
    function currentScale() external view override returns (uint256) {
        return _ps.pool.scale;
    }

    /// @inheritdoc IStabilityPool
    function currentEpoch() external view override returns (uint256) {
        return _ps.epoch;
    }

    /// @inheritdoc IStabilityPool
    function S(address token, uint256 scale) external view override returns (uint256) {
        return _ps.S[token][scale];
    }

    /// @inheritdoc IStabilityPool
    function snapshotS(address depositor, address token) external view override returns (uint256) {
        return _ps.snapshotS[depositor][token];
    }

    /// @inheritdoc IStabilityPool
    function gainTokens() external view override returns (address[] memory) {
        return _streams.tokenList(_gainTokenCount);
    }

    /// @inheritdoc IStabilityPool
    function getCompoundedDeposit(address depositor) external view override returns (uint256) {
        return ProductSum.compoundedDown(_ps.deposits[depositor], _ps.pool);
    }

    /// @inheritdoc IStabilityPool
    function getDepositorGain(address depositor, address token) external view override returns (uint256) {
        uint256 index = _streams.indexOf(token);
        Pool memory pool = _ps.pool;
        uint256 pendingS;
        if (pool.totalDeposits >= minStreamDeposits) {
            // As _accrue would credit it.
            pendingS = ProductSum.sumIncrementDown(_streams.pending(index), RewardStream.RATE_PRECISION, pool);
        }
        return _ps.gainDown(_ps.deposits[depositor], depositor, token, pool.scale, pendingS);
    }

    /// @inheritdoc IStabilityPool
    function getDeposit(address depositor)
        external
        view
        override
        returns (uint256 value, uint256 snapshotP, uint256 snapshotScale)
    {
        Deposit memory dep = _ps.deposits[depositor];
        return (dep.value, dep.P, dep.scale);
    }

    /// @inheritdoc IRewardStreams
    function getStream(address token) external view override returns (uint256, uint256, uint256, uint256) {
        return _streams.info(_streams.indexOf(token));
    }

    // ---------------------------------------------------------------- internal

    /// @dev Advances every running stream to now: released into its sum while total deposits are
    /// at least minStreamDeposits, paused (its end moved later) below that. Only active tokens are
    /// read: an inactive one has no stream (see Pool). `registered`: whether `token` is an active
    /// gain token (never for address(0), which cannot be registered).
    function _accrue(address token) internal returns (Pool memory pool, bool registered) {
        pool = _ps.pool;
        bool canRelease = pool.totalDeposits >= minStreamDeposits;
        uint256 i;
        for (uint256 m = pool.activeTokens; m != 0; m >>= 1) {
            if (m & 1 != 0) {
                StreamedToken memory st = _streams.tokens[i];
                if (st.token == token) registered = true;
                if (!st.idle()) {
                    uint256 released = _streams.accrue(i, st, canRelease);
                    if (released > 0) _ps.credit(st.token, released, RewardStream.RATE_PRECISION, pool);
                }
            }
            unchecked {
                ++i;
            }
        }
    }

    /// @dev Pays settled gains; called last, once the pool's state is written. A gain the token
    /// will not pay is kept for the depositor instead (claimDeferred); the call goes on.
    function _payGains(address depositor, uint256[] memory gains) internal {
        _streams.payAll(deferredGains, depositor, gains, GainPaid.selector, GainDeferred.selector);
    }
}
