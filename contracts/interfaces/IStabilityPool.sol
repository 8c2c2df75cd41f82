// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IRewardStreams} from "./IRewardStreams.sol";

/// @title IStabilityPool
/// @notice Deposits of a debt token that absorb liquidated debt and share its collateral and
/// reward streams pro rata.
/// @dev The Product-Sum algorithm ("Scalable Reward Distribution with Compounding Stakes"), O(1)
/// gas per liquidation: `P` is the running product, `S` the running sum of a gain token (the
/// paper's `G` for reward issuance; here one sum per gain token serves both), `scale` and `epoch`
/// as in Liquity. Amounts are in wei of their token; rates in wei per second times 1e18.
/// Not declared here, but exposed by the contract: ownership from OpenZeppelin's Ownable2Step
/// (`owner`, `pendingOwner`, `transferOwnership`, `acceptOwnership`, `renounceOwnership`, their
/// events and `OwnableUnauthorizedAccount`, `OwnableInvalidOwner`), `ReentrancyGuardReentrantCall`,
/// `SafeERC20FailedOperation`, and the transfer errors of ExactTransfers.sol (`TransferShortfall`,
/// `PoolShortfall`, `PayoutGasTooLow`).
interface IStabilityPool is IRewardStreams {
    // ---------------------------------------------------------------- errors

    /// @notice Thrown when the caller of `offset` is not an authorised liquidator.
    /// @param caller The caller.
    error NotLiquidator(address caller);

    /// @notice Thrown when the caller has no deposit to withdraw from or claim for.
    /// @param depositor The caller.
    error NoDeposit(address depositor);

    /// @notice Thrown when an offset would burn more debt than the pool holds.
    /// @param debtToOffset The debt asked to offset, in wei.
    /// @param totalDeposits Total deposits, in wei.
    error DebtExceedsDeposits(uint256 debtToOffset, uint256 totalDeposits);

    /// @notice Thrown when collateral is offered while the pool has no deposits to credit it to.
    error EmptyPool();

    /// @notice Thrown when a deposit would take total deposits above `MAX_TOTAL_DEPOSITS`.
    /// @param amount The amount offered, in wei.
    /// @param available The most that can be deposited now, in wei.
    error TotalDepositsCapExceeded(uint256 amount, uint256 available);

    /// @notice Thrown when a collateral credit or a reward is above what the pool may take.
    /// @dev `cap` is MAX_GAIN_AMOUNT for a collateral credit or a zero-duration reward, and for a
    /// stream what keeps its unreleased amount within MAX_GAIN_AMOUNT.
    /// @param amount The amount offered, in wei.
    /// @param cap The most that can be taken now, in wei.
    error GainAmountTooLarge(uint256 amount, uint256 cap);

    /// @notice Thrown at deployment when the stream threshold is 0 or above `MAX_TOTAL_DEPOSITS`.
    /// @param minStreamDeposits The threshold asked for, in wei.
    /// @param cap MAX_TOTAL_DEPOSITS.
    error InvalidMinStreamDeposits(uint256 minStreamDeposits, uint256 cap);

    /// @notice Thrown when a zero-duration reward is notified while total deposits are below
    /// `minStreamDeposits`.
    /// @dev The pool cannot take it now; stream it instead.
    /// @param totalDeposits Total deposits, in wei.
    /// @param minStreamDeposits The threshold, in wei.
    error BelowStreamMinimum(uint256 totalDeposits, uint256 minStreamDeposits);

    /// @notice Thrown when `token` cannot be a gain token (already registered, or the debt token).
    /// @param token The token offered.
    error InvalidGainToken(address token);

    /// @notice Thrown when registering more than `MAX_GAIN_TOKENS` gain tokens.
    /// @param cap MAX_GAIN_TOKENS.
    error TooManyGainTokens(uint256 cap);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a deposit or its snapshots change.
    /// @dev Its `S` snapshot for each gain token is that token's `S` at `snapshotScale` at this
    /// moment, readable from the latest `S_Updated` log.
    /// @param depositor The depositor.
    /// @param value The deposit's new initial value d_t, in wei (0: closed).
    /// @param snapshotP The snapshot of `P`, P_t (0: closed).
    /// @param snapshotScale The snapshot of the scale (0: closed).
    /// @param totalDeposits Total deposits after the change, in wei.
    event DepositUpdated(
        address indexed depositor, uint256 value, uint256 snapshotP, uint256 snapshotScale, uint256 totalDeposits
    );

    /// @notice Emitted when an offset changes the running product.
    /// @param P The new `P`, in [P_MIN, P_PRECISION].
    event P_Updated(uint256 P);

    /// @notice Emitted when a credit changes the running sum of a gain token.
    /// @param token The gain token.
    /// @param S The new sum at `scale`.
    /// @param scale The scale the sum belongs to (the current one).
    event S_Updated(address indexed token, uint256 S, uint256 scale);

    /// @notice Emitted when the current scale changes (a rescale, or the jump at a new epoch).
    /// @param scale The new current scale.
    event ScaleUpdated(uint256 scale);

    /// @notice Emitted when an offset empties the pool and a new epoch begins.
    /// @param epoch The new epoch.
    /// @param scale The scale the epoch begins at (P is reset to P_PRECISION).
    event EpochUpdated(uint256 epoch, uint256 scale);

    /// @notice Emitted when a liquidation burns deposits and credits collateral.
    /// @param liquidator The caller, sent the offset debt tokens.
    /// @param collateral The gain token credited.
    /// @param debtToOffset The debt offset, in wei.
    /// @param collAmount The collateral credited, in wei.
    event Offset(address indexed liquidator, address indexed collateral, uint256 debtToOffset, uint256 collAmount);

    /// @notice Emitted when a depositor is paid a gain.
    /// @param depositor The depositor paid.
    /// @param token The gain token.
    /// @param amount The amount paid, in wei.
    event GainPaid(address indexed depositor, address indexed token, uint256 amount);

    /// @notice Emitted when a gain token will not pay a depositor, who is owed the amount instead.
    /// @dev The token reverted, refused, lacked the balance or ran out of gas; the amount is kept
    /// in `deferredGains` for `claimDeferred`.
    /// @param depositor The depositor owed the gain.
    /// @param token The gain token.
    /// @param amount The amount deferred, in wei.
    event GainDeferred(address indexed depositor, address indexed token, uint256 amount);

    /// @notice Emitted when a deferred gain is paid out.
    /// @param depositor The depositor the gain was deferred for.
    /// @param token The gain token.
    /// @param recipient The address paid.
    /// @param amount The amount paid, in wei.
    event DeferredGainClaimed(address indexed depositor, address indexed token, address recipient, uint256 amount);

    /// @notice Emitted when a gain token is registered.
    /// @param token The gain token.
    /// @param index Its index, in registration order from 0.
    event GainTokenRegistered(address indexed token, uint256 index);

    /// @notice Emitted when a liquidator is authorised or deauthorised.
    /// @param account The account.
    /// @param authorised Whether it may now call `offset`.
    event LiquidatorSet(address indexed account, bool authorised);

    // ---------------------------------------------------------------- depositors

    /// @notice Deposits `amount` debt tokens, paying out every gain earned so far.
    /// @dev Restarts the deposit's snapshots at its compounded value plus `amount`.
    /// @param amount The amount to deposit (pulled from the caller), in wei.
    function deposit(uint256 amount) external;

    /// @notice Withdraws up to `amount` debt tokens, paying out every gain earned so far.
    /// @dev Pays min(amount, compounded deposit); `type(uint256).max` withdraws all.
    /// @param amount The most to withdraw, in wei.
    function withdraw(uint256 amount) external;

    /// @notice Pays the caller every gain earned so far, in every gain token.
    function claim() external;

    // ---------------------------------------------------------------- privileged

    /// @notice Burns `debtToOffset` of deposits and credits `collAmount` of `collateral`, both pro
    /// rata; only liquidators.
    /// @dev The debt tokens are sent to the caller (who burns or repays them); the collateral is
    /// pulled from the caller and credited to the deposits as they stood before the offset.
    /// @param debtToOffset The debt to offset, in wei (at most total deposits).
    /// @param collateral A registered gain token.
    /// @param collAmount The collateral to credit, in wei (at most MAX_GAIN_AMOUNT).
    function offset(uint256 debtToOffset, address collateral, uint256 collAmount) external;

    /// @notice Pulls `amount` of `token` and streams it to depositors over `duration` seconds;
    /// only reward distributors.
    /// @dev Pro rata to compounded deposits over time; the unreleased remainder of a running
    /// stream joins it. Streams pause while total deposits are below `minStreamDeposits`. Duration
    /// 0 credits exactly `amount` at once and leaves the running stream untouched (it reverts with
    /// BelowStreamMinimum while the pool is below that threshold).
    /// @param token A registered gain token.
    /// @param amount The amount to pull and distribute, in wei.
    /// @param duration The stream's duration in seconds (0: at once), at most MAX_STREAM_DURATION.
    function notifyReward(address token, uint256 amount, uint256 duration) external;

    /// @notice Registers a gain token (collateral and/or reward); only the owner.
    /// @param token The token (not the debt token, not already registered).
    function registerGainToken(address token) external;

    /// @notice Authorises or deauthorises a liquidator; only the owner.
    /// @param account The account.
    /// @param authorised Whether it may call `offset`.
    function setLiquidator(address account, bool authorised) external;

    // ---------------------------------------------------------------- constants

    /// @notice The value of `P` at the start of each epoch (it stands for 1), and its upper bound.
    /// @return precision 1e33.
    function P_PRECISION() external view returns (uint256 precision);

    /// @notice The least value of `P`; an offset that would take it lower rescales it.
    /// @return pMin 1e27.
    function P_MIN() external view returns (uint256 pMin);

    /// @notice The factor `P` is multiplied by at each rescale.
    /// @return factor 1e6.
    function SCALE_FACTOR() external view returns (uint256 factor);

    /// @notice The number of scales past its snapshot over which a deposit's gains are summed.
    /// @return span 12.
    function MAX_SCALE_SPAN() external view returns (uint256 span);

    /// @notice The scale jump at a new epoch, larger than MAX_SCALE_SPAN so epochs never mix.
    /// @return gap 13.
    function EPOCH_SCALE_GAP() external view returns (uint256 gap);

    /// @notice The cap on total deposits.
    /// @return cap 1e30 wei.
    function MAX_TOTAL_DEPOSITS() external view returns (uint256 cap);

    /// @notice The cap on one collateral credit or zero-duration reward, and on a stream's
    /// unreleased amount.
    /// @return cap 1e36 wei.
    function MAX_GAIN_AMOUNT() external view returns (uint256 cap);

    /// @notice The most gain tokens that can be registered.
    /// @return cap 8.
    function MAX_GAIN_TOKENS() external view returns (uint256 cap);

    // ---------------------------------------------------------------- views

    /// @notice The token depositors provide and liquidations burn.
    /// @return token The debt token.
    function debtToken() external view returns (address token);

    /// @notice Total deposits below which reward streams pause, set at deployment.
    /// @return threshold The threshold, in wei of the debt token.
    function minStreamDeposits() external view returns (uint256 threshold);

    /// @notice The sum of all deposits as the pool accounts them (compounded).
    /// @return total Total deposits, in wei.
    function totalDeposits() external view returns (uint256 total);

    /// @notice A depositor's deposit after every loss so far, rounded down.
    /// @param depositor The depositor.
    /// @return compounded The compounded deposit, in wei.
    function getCompoundedDeposit(address depositor) external view returns (uint256 compounded);

    /// @notice What `claim()` would pay a depositor in `token` now, rounded down.
    /// @dev Counts what the stream would release now, as the next state-changing call would, but
    /// not what is already in `deferredGains`.
    /// @param depositor The depositor.
    /// @param token A registered gain token.
    /// @return gain The gain, in wei.
    function getDepositorGain(address depositor, address token) external view returns (uint256 gain);

    /// @notice The running product at the current scale.
    /// @return product The running product, in [P_MIN, P_PRECISION].
    function P() external view returns (uint256 product);

    /// @notice The current scale: the number of rescales so far, plus EPOCH_SCALE_GAP per epoch.
    /// @return scale The current scale.
    function currentScale() external view returns (uint256 scale);

    /// @notice The number of offsets so far that emptied the pool.
    /// @return epoch The current epoch.
    function currentEpoch() external view returns (uint256 epoch);

    /// @notice The registered gain tokens, in registration order.
    /// @return tokens The gain tokens.
    function gainTokens() external view returns (address[] memory tokens);

    /// @notice The running sum of a gain token at a scale.
    /// @dev Each credit of E wei adds E * P / D to it (D: total deposits, in wei).
    /// @param token A gain token.
    /// @param scale The scale.
    /// @return sum The sum, as last written.
    function S(address token, uint256 scale) external view returns (uint256 sum);

    /// @notice A depositor's snapshot of a gain token's sum at the deposit's snapshot scale, S_t.
    /// @param depositor The depositor.
    /// @param token A gain token.
    /// @return snapshot The snapshot (cleared to 0 when the deposit closes).
    function snapshotS(address depositor, address token) external view returns (uint256 snapshot);

    /// @notice What a gain token would not pay a depositor when it was due, kept for `claimDeferred`.
    /// @param depositor The depositor.
    /// @param token A gain token.
    /// @return amount The deferred gain, in wei.
    function deferredGains(address depositor, address token) external view returns (uint256 amount);

    /// @notice Whether an account may call `offset`.
    /// @param account The account.
    /// @return authorised Whether it is a liquidator.
    function isLiquidator(address account) external view returns (bool authorised);

    /// @notice A depositor's snapshot (all 0: no deposit).
    /// @param depositor The depositor.
    /// @return value The initial value d_t, in wei.
    /// @return snapshotP The snapshot of `P`, P_t.
    /// @return snapshotScale The scale at the snapshot.
    function getDeposit(address depositor)
        external
        view
        returns (uint256 value, uint256 snapshotP, uint256 snapshotScale);
}
