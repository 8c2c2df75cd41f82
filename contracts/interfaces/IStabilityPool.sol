// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title IStabilityPool
/// @notice Depositors of a debt token absorb liquidated debt pro rata and share the liquidated
/// collateral and streamed rewards pro rata, in O(1) gas per liquidation (Product-Sum algorithm).
/// @dev Names follow the paper "Scalable Reward Distribution with Compounding Stakes": `P` is the
/// running product, `S` the running sum of a gain token (called `G` in the paper for reward
/// issuance; here one sum per gain token serves both), `scale` and `epoch` as in Liquity.
interface IStabilityPool {
    // ---------------------------------------------------------------- errors

    /// @notice Thrown when an amount that must be positive is zero.
    error ZeroAmount();
    /// @notice Thrown when an address argument is the zero address.
    error ZeroAddress();
    /// @notice Thrown when `caller` is not an authorised liquidator.
    error NotLiquidator(address caller);
    /// @notice Thrown when `caller` is not an authorised reward distributor.
    error NotRewardDistributor(address caller);
    /// @notice Thrown when `depositor` has no deposit to withdraw from.
    error NoDeposit(address depositor);
    /// @notice Thrown when an offset would burn more debt than the pool holds.
    error DebtExceedsDeposits(uint256 debtToOffset, uint256 totalDeposits);
    /// @notice Thrown when collateral is offered while the pool has no deposits to credit it to.
    error EmptyPool();
    /// @notice Thrown when a deposit of `amount` would take total deposits above
    /// `MAX_TOTAL_DEPOSITS`; `available` is the most that can be deposited now.
    error TotalDepositsCapExceeded(uint256 amount, uint256 available);
    /// @notice Thrown when a collateral credit or reward of `amount` is above `cap`: MAX_GAIN_AMOUNT,
    /// or for a stream what keeps its unreleased amount within MAX_GAIN_AMOUNT.
    error GainAmountTooLarge(uint256 amount, uint256 cap);
    /// @notice Thrown at deployment when the stream threshold is 0 or above `MAX_TOTAL_DEPOSITS`.
    error InvalidMinStreamDeposits(uint256 minStreamDeposits, uint256 max);
    /// @notice Thrown when a zero-duration reward is notified while total deposits are below
    /// `minStreamDeposits` (the pool cannot take it now; stream it instead).
    error BelowStreamMinimum(uint256 totalDeposits, uint256 minStreamDeposits);
    /// @notice Thrown when `depositor` has no deferred gain in `token` to claim.
    error NothingDeferred(address depositor, address token);
    /// @notice Thrown when a stream duration exceeds `MAX_STREAM_DURATION`.
    error DurationTooLong(uint256 duration, uint256 cap);
    /// @notice Thrown when `token` is not a registered gain token.
    error UnknownToken(address token);
    /// @notice Thrown when `token` cannot be a gain token (already registered, or the debt token).
    error InvalidGainToken(address token);
    /// @notice Thrown when registering more than `MAX_GAIN_TOKENS` gain tokens.
    error TooManyGainTokens(uint256 cap);

    // ---------------------------------------------------------------- events

    /// @notice A deposit and its snapshots changed. Its `S` snapshot for each gain token is that
    /// token's `S` at (`scale`) at this moment, readable from the latest `S_Updated` log.
    /// @param depositor The depositor.
    /// @param value The deposit's new initial value (0 when closed).
    /// @param snapshotP The snapshot of `P`.
    /// @param snapshotScale The snapshot of the scale.
    /// @param totalDeposits Total deposits after the change.
    event DepositUpdated(
        address indexed depositor, uint256 value, uint256 snapshotP, uint256 snapshotScale, uint256 totalDeposits
    );
    /// @notice `P` changed (after an offset) to `P`.
    event P_Updated(uint256 P);
    /// @notice The running sum of `token` at `scale` changed to `S`.
    event S_Updated(address indexed token, uint256 S, uint256 scale);
    /// @notice The current scale changed to `scale` (a rescale, or the jump at a new epoch).
    event ScaleUpdated(uint256 scale);
    /// @notice The pool was emptied: `epoch` begins at `scale` with `P` reset.
    event EpochUpdated(uint256 epoch, uint256 scale);
    /// @notice A liquidation burnt `debtOffset` of deposits and credited `collAmount` of `collateral`.
    event Offset(address indexed liquidator, address indexed collateral, uint256 debtOffset, uint256 collAmount);
    /// @notice `depositor` was paid `amount` of gain `token`.
    event GainPaid(address indexed depositor, address indexed token, uint256 amount);
    /// @notice `token` would not pay `depositor` `amount` (it reverted, refused or ran out of gas):
    /// the amount is kept for them in `deferredGains`.
    event GainDeferred(address indexed depositor, address indexed token, uint256 amount);
    /// @notice `depositor`'s deferred gain of `amount` in `token` was paid to `recipient`.
    event DeferredGainClaimed(address indexed depositor, address indexed token, address recipient, uint256 amount);
    /// @notice `amount` of `token` was notified over `duration` seconds (0: credited at once); the
    /// token's stream now releases `rate` (wei per second times 1e18) until `finish` (0: none).
    event RewardNotified(address indexed token, uint256 amount, uint256 duration, uint256 rate, uint256 finish);
    /// @notice `token` was registered as gain token number `index`.
    event GainTokenRegistered(address indexed token, uint256 index);
    /// @notice `account` was (de)authorised as a liquidator.
    event LiquidatorSet(address indexed account, bool authorised);
    /// @notice `account` was (de)authorised as a reward distributor.
    event RewardDistributorSet(address indexed account, bool authorised);

    // ---------------------------------------------------------------- depositors

    /// @notice Deposits `amount` debt tokens. Pays out every gain earned so far first, then
    /// restarts the deposit's snapshots at its compounded value plus `amount`.
    function deposit(uint256 amount) external;

    /// @notice Withdraws `min(amount, compounded deposit)` debt tokens (`type(uint256).max` for all)
    /// and pays out every gain earned so far.
    function withdraw(uint256 amount) external;

    /// @notice Pays the caller every gain accrued so far, in every gain token.
    function claim() external;

    /// @notice Pays `recipient` the caller's deferred gain in `token` (gains a token would not pay
    /// when they were due), all of it; reverts if the token still does not pay, changing nothing.
    function claimDeferred(address token, address recipient) external;

    // ---------------------------------------------------------------- privileged

    /// @notice Burns `debtToOffset` from the deposits pro rata (sends those debt tokens to the
    /// caller, who burns or repays them) and credits `collAmount` of `collateral`, pulled from the
    /// caller, pro rata to the deposits as they stood before. Only authorised liquidators.
    function offset(uint256 debtToOffset, address collateral, uint256 collAmount) external;

    /// @notice Pulls `amount` of reward `token` and streams it over `duration` seconds to
    /// depositors, pro rata to their compounded deposits over time; the unreleased remainder of a
    /// running stream joins it. Streams pause while total deposits are below `minStreamDeposits`.
    /// Duration 0 credits exactly `amount` at once and leaves the running stream untouched (it
    /// reverts with BelowStreamMinimum while the pool is below that threshold). Only reward
    /// distributors.
    function notifyReward(address token, uint256 amount, uint256 duration) external;

    /// @notice Registers a gain token (collateral and/or reward). Only the owner.
    function registerGainToken(address token) external;

    /// @notice Authorises or deauthorises a liquidator. Only the owner.
    function setLiquidator(address account, bool authorised) external;

    /// @notice Authorises or deauthorises a reward distributor. Only the owner.
    function setRewardDistributor(address account, bool authorised) external;

    // ---------------------------------------------------------------- views

    /// @notice The debt token depositors provide.
    function debtToken() external view returns (address);

    /// @notice Sum of all deposits as the pool accounts them (compounded).
    function totalDeposits() external view returns (uint256);

    /// @notice `depositor`'s deposit after every loss so far, rounded down.
    function getCompoundedDeposit(address depositor) external view returns (uint256);

    /// @notice Everything `claim()` would pay `depositor` in `token` now, rounded down.
    function getDepositorGain(address depositor, address token) external view returns (uint256);

    /// @notice The running product, in [1e27, 1e33].
    function P() external view returns (uint256);

    /// @notice The current scale (rescales and epoch jumps so far).
    function currentScale() external view returns (uint256);

    /// @notice The number of pool-emptying offsets so far.
    function currentEpoch() external view returns (uint256);

    /// @notice Registered gain tokens, in registration order.
    function gainTokens() external view returns (address[] memory);

    /// @notice Total deposits below which reward streams pause (set at deployment).
    function minStreamDeposits() external view returns (uint256);

    /// @notice The running sum of `token` at `scale`.
    function S(address token, uint256 scale) external view returns (uint256);

    /// @notice `depositor`'s snapshot of `token`'s sum, S_t (at the deposit's snapshot scale).
    function snapshotS(address depositor, address token) external view returns (uint256);

    /// @notice What `token` would not pay `depositor` when it was due, kept for `claimDeferred`.
    function deferredGains(address depositor, address token) external view returns (uint256);

    /// @notice Whether `account` may call `offset`.
    function isLiquidator(address account) external view returns (bool);

    /// @notice Whether `account` may call `notifyReward`.
    function isRewardDistributor(address account) external view returns (bool);

    /// @notice `depositor`'s snapshot: initial value d_t, P_t and the scale (all 0: no deposit).
    function getDeposit(address depositor)
        external
        view
        returns (uint256 value, uint256 snapshotP, uint256 snapshotScale);

    /// @notice `token`'s stream: `unreleased` amount and `rate` (wei per second times 1e18) as of
    /// `lastUpdate`, and its end `finish` (0: no stream; it moves later while the stream pauses).
    function getStream(address token)
        external
        view
        returns (uint256 unreleased, uint256 rate, uint256 lastUpdate, uint256 finish);
}
