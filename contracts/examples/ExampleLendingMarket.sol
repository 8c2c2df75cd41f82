// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IStabilityPool} from "../interfaces/IStabilityPool.sol";
import {ExampleDebtToken} from "./ExampleDebtToken.sol";
import {IExamplePriceFeed} from "./IExamplePriceFeed.sol";

/// @title ExampleLendingMarket
/// @notice A minimal lending market that plugs into the StabilityPool as its liquidator. A
/// borrower locks one collateral token and borrows the market's own debt token (minted); a
/// position whose collateral is worth less than MCR = 110% of its debt can be liquidated by
/// anyone, against the pool's deposits. Copy it as the skeleton of a protocol's liquidation path;
/// it is an example, not a product (see LIMITS).
/// @dev
/// FLOW OF A LIQUIDATION (`liquidate(borrower)`, any caller):
///   1. The position must exist, and its debt must exceed `maxDebt(collateral)` at the feed's
///      price (`PositionHealthy` otherwise); the pool must hold at least the debt
///      (`InsufficientPoolDeposits` otherwise, see POOL TOO SMALL).
///   2. The position is deleted (checks-effects-interactions; every entry point is nonReentrant).
///   3. The market approves the pool for exactly the position's collateral and calls
///      `pool.offset(debt, collateral, coll)`. The pool burns `debt` of its deposits pro rata,
///      credits `coll` pro rata to its depositors as a gain, pulls the `coll` collateral from the
///      market and pays the market `debt` debt tokens.
///   4. The market burns those `debt` debt tokens: total supply falls by exactly the debt that
///      the liquidated position had created, so the stablecoin stays fully backed by the
///      remaining positions. The borrower keeps what they borrowed and loses all collateral.
/// Depositors then read their loss with `getCompoundedDeposit` and their collateral with
/// `getDepositorGain`, and collect both with `withdraw` / `claim` on the pool.
///
/// TRUST MODEL. The pool trusts its liquidator fully: `offset` enforces no ratio between the debt
/// it burns and the collateral it credits (it cannot value collateral). Everything that protects
/// depositors is therefore here: the price feed, the MCR check and the rule "all of the
/// position's collateral goes to the pool". So: register only this market with
/// `pool.setLiquidator` (revoke every other liquidator), make the pool's owner a timelock or
/// multisig, and audit the feed. In turn this market trusts the pool it is deployed with
/// (immutable; its debt token is checked at construction) to pay back exactly `debt` debt tokens
/// for the collateral it pulls, and the feed to report a live price (a zero price is refused:
/// it would make every position liquidatable). The debt token must be owned by this market (it
/// mints and burns); the collateral must be a plain ERC20: a token that delivers less than sent
/// is refused at `open` (`CollateralShortfall`), and the pool refuses one at `offset`.
///
/// POOL TOO SMALL. If the pool's total deposits are below the position's debt, `liquidate`
/// reverts with `InsufficientPoolDeposits(debt, totalDeposits)` instead of offsetting part of it
/// (the pool would revert with DebtExceedsDeposits anyway). A production protocol needs a
/// fallback here: redistribute the rest of the debt and collateral to the other positions (as
/// Liquity does), or offset `totalDeposits` with the matching share of the collateral and keep the
/// remainder as a smaller position. Debt equal to total deposits is allowed and empties the pool
/// (the pool starts a new epoch; the old deposits read 0 and keep the collateral they earned).
/// Depositors see liquidations coming: they can withdraw ahead of one whose collateral is worth
/// less than its debt (leaving the pool too small), or deposit just before a profitable one and
/// withdraw right after. Both are properties of any stability pool; a protocol limits them by
/// liquidating early (the MCR margin) and by having the fallback above.
///
/// ROUNDING. One division, in `maxDebt`: floor(coll * price / MCR), rounded down in favour of the
/// protocol (a borrower can never borrow a wei more than the collateral supports; a position is
/// liquidatable as soon as its debt exceeds that floor). Because debts are whole wei, the floor
/// loses nothing: `debt <= maxDebt(coll)` holds exactly when `debt * MCR <= coll * price`.
/// `mulDiv` keeps coll * price exact in 512 bits (it reverts only if the quotient exceeds 2^256:
/// with coll <= 1e36, a price above about 1e59). No other amount is divided: the whole
/// collateral is credited and exactly `debt` is burnt.
///
/// CAPS. A position holds at most MAX_COLLATERAL = 1e36 wei of collateral and MAX_DEBT = 1e30 wei
/// of debt, the pool's own limits per offset: without them a borrower could open a position that
/// no liquidation can ever take (the pool would refuse the offset), i.e. unliquidatable bad debt.
///
/// LIMITS (what a protocol adds on top): one collateral token and one position per borrower; no
/// interest, fees or minimum debt (dust positions cost more gas to liquidate than they are worth);
/// no liquidation reward for the caller (depositors profit from a liquidation whenever the
/// collateral is worth more than the debt, so they are the natural callers; Liquity pays a gas
/// compensation out of the collateral); no partial repayment, no recovery mode, no redemptions.
contract ExampleLendingMarket is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Price units: debt-token wei per collateral wei, times 1e18 (IExamplePriceFeed).
    uint256 public constant PRICE_PRECISION = 1e18;
    /// @notice Minimum collateral ratio, 110%, in PRICE_PRECISION units: a position is healthy
    /// while coll * price >= debt * MCR.
    uint256 public constant MCR = 1.1e18;
    /// @notice Largest collateral of one position: the pool credits at most 1e36 wei per offset
    /// (its MAX_GAIN_AMOUNT), so a bigger position could never be liquidated.
    uint256 public constant MAX_COLLATERAL = 1e36;
    /// @notice Largest debt of one position: the pool holds at most 1e30 wei of deposits (its
    /// MAX_TOTAL_DEPOSITS), so a bigger debt could never be offset.
    uint256 public constant MAX_DEBT = 1e30;

    struct Position {
        uint256 collateral;
        uint256 debt;
    }

    ExampleDebtToken public immutable debtToken;
    IERC20 public immutable collateral;
    IExamplePriceFeed public immutable priceFeed;
    IStabilityPool public immutable stabilityPool;

    mapping(address borrower => Position) internal _positions;

    // ---------------------------------------------------------------- errors

    /// @notice A constructor argument is the zero address.
    error ZeroAddress();
    /// @notice The pool's debt token is not this market's debt token.
    error DebtTokenMismatch(address expected, address actual);
    /// @notice The collateral token is the debt token.
    error CollateralIsDebtToken(address token);
    /// @notice `open` with no collateral or no debt.
    error ZeroAmount(uint256 collAmount, uint256 debtAmount);
    /// @notice `open` with more than MAX_COLLATERAL (`cap`) of collateral.
    error CollateralTooLarge(uint256 amount, uint256 cap);
    /// @notice `open` with more than MAX_DEBT (`cap`) of debt.
    error DebtTooLarge(uint256 amount, uint256 cap);
    /// @notice `borrower` already has a position (one per borrower).
    error PositionExists(address borrower, uint256 collateral, uint256 debt);
    /// @notice `borrower` has no position.
    error NoPosition(address borrower);
    /// @notice `open` would borrow `debt`, above the `maxDebt` the collateral supports.
    error Undercollateralised(uint256 debt, uint256 maxDebt);
    /// @notice The position is not under-collateralised: its `debt` is at most `maxDebt`.
    error PositionHealthy(address borrower, uint256 debt, uint256 maxDebt);
    /// @notice The pool holds less than the debt to offset (see POOL TOO SMALL).
    error InsufficientPoolDeposits(uint256 debt, uint256 totalDeposits);
    /// @notice The price feed reported `price` (0: no price).
    error InvalidPrice(uint256 price);
    /// @notice The collateral token delivered `received` of the `expected` amount.
    error CollateralShortfall(uint256 expected, uint256 received);

    // ---------------------------------------------------------------- events

    event PositionOpened(address indexed borrower, uint256 collateral, uint256 debt);
    event PositionClosed(address indexed borrower, uint256 collateral, uint256 debt);
    event PositionLiquidated(
        address indexed borrower, address indexed caller, uint256 collateral, uint256 debt, uint256 price
    );

    /// @param debtToken_ The market's stablecoin; transfer its ownership to this market afterwards.
    /// @param collateral_ The collateral token; it must be registered as a gain token of the pool.
    /// @param priceFeed_ The collateral's price (units in IExamplePriceFeed).
    /// @param stabilityPool_ The pool on `debtToken_`; it must authorise this market with
    /// `setLiquidator(market, true)`.
    constructor(
        ExampleDebtToken debtToken_,
        IERC20 collateral_,
        IExamplePriceFeed priceFeed_,
        IStabilityPool stabilityPool_
    ) {
        if (
            address(debtToken_) == address(0) || address(collateral_) == address(0) || address(priceFeed_) == address(0)
                || address(stabilityPool_) == address(0)
        ) revert ZeroAddress();
        address poolDebt = stabilityPool_.debtToken();
        if (poolDebt != address(debtToken_)) revert DebtTokenMismatch(address(debtToken_), poolDebt);
        if (address(collateral_) == address(debtToken_)) revert CollateralIsDebtToken(address(collateral_));
        debtToken = debtToken_;
        collateral = collateral_;
        priceFeed = priceFeed_;
        stabilityPool = stabilityPool_;
    }

    // ---------------------------------------------------------------- borrowers

    /// @notice Locks `collAmount` of collateral (approve the market first) and borrows
    /// `debtAmount` debt tokens, minted to the caller. The position must be healthy:
    /// `debtAmount <= maxDebt(collAmount)`.
    function open(uint256 collAmount, uint256 debtAmount) external nonReentrant {
        if (collAmount == 0 || debtAmount == 0) revert ZeroAmount(collAmount, debtAmount);
        // Positions the pool could never absorb are refused up front (see MAX_COLLATERAL, MAX_DEBT).
        if (collAmount > MAX_COLLATERAL) revert CollateralTooLarge(collAmount, MAX_COLLATERAL);
        if (debtAmount > MAX_DEBT) revert DebtTooLarge(debtAmount, MAX_DEBT);
        Position memory pos = _positions[msg.sender];
        if (pos.debt != 0) revert PositionExists(msg.sender, pos.collateral, pos.debt);
        uint256 limit = maxDebt(collAmount);
        if (debtAmount > limit) revert Undercollateralised(debtAmount, limit);

        _positions[msg.sender] = Position(collAmount, debtAmount);
        emit PositionOpened(msg.sender, collAmount, debtAmount);

        uint256 before = collateral.balanceOf(address(this));
        collateral.safeTransferFrom(msg.sender, address(this), collAmount);
        uint256 received = collateral.balanceOf(address(this)) - before;
        if (received != collAmount) revert CollateralShortfall(collAmount, received);
        debtToken.mint(msg.sender, debtAmount);
    }

    /// @notice Repays the caller's whole debt (burnt from the caller's balance, no approval
    /// needed) and returns all of its collateral. Allowed at any price.
    function close() external nonReentrant {
        Position memory pos = _positions[msg.sender];
        if (pos.debt == 0) revert NoPosition(msg.sender);
        delete _positions[msg.sender];
        emit PositionClosed(msg.sender, pos.collateral, pos.debt);

        debtToken.burn(msg.sender, pos.debt);
        collateral.safeTransfer(msg.sender, pos.collateral);
    }

    // ---------------------------------------------------------------- liquidation

    /// @notice Liquidates `borrower`'s under-collateralised position against the stability pool:
    /// the pool's depositors absorb the whole debt (it is burnt) and receive all of the
    /// collateral. Anyone may call it. See FLOW OF A LIQUIDATION in the header.
    function liquidate(address borrower) external nonReentrant {
        Position memory pos = _positions[borrower];
        if (pos.debt == 0) revert NoPosition(borrower);
        uint256 price = _price();
        uint256 limit = _maxDebt(pos.collateral, price);
        if (pos.debt <= limit) revert PositionHealthy(borrower, pos.debt, limit);
        uint256 deposits = stabilityPool.totalDeposits();
        if (pos.debt > deposits) revert InsufficientPoolDeposits(pos.debt, deposits);

        delete _positions[borrower];
        emit PositionLiquidated(borrower, msg.sender, pos.collateral, pos.debt, price);

        // Exactly this liquidation's collateral: the pool can never pull more than it credits.
        collateral.forceApprove(address(stabilityPool), pos.collateral);
        stabilityPool.offset(pos.debt, address(collateral), pos.collateral);
        // The pool paid us `pos.debt` debt tokens out of its deposits: burn them.
        debtToken.burn(address(this), pos.debt);
    }

    // ---------------------------------------------------------------- views

    /// @notice `borrower`'s collateral and debt (both 0: no position).
    function getPosition(address borrower) external view returns (uint256 collAmount, uint256 debt) {
        Position memory pos = _positions[borrower];
        return (pos.collateral, pos.debt);
    }

    /// @notice The most debt `collAmount` of collateral supports at the feed's price:
    /// floor(collAmount * price / MCR), rounded down in favour of the protocol (see ROUNDING).
    function maxDebt(uint256 collAmount) public view returns (uint256) {
        return _maxDebt(collAmount, _price());
    }

    /// @notice Whether `borrower` has a position that `liquidate` would accept on the price alone
    /// (it still needs enough deposits in the pool).
    function isLiquidatable(address borrower) external view returns (bool) {
        Position memory pos = _positions[borrower];
        return pos.debt != 0 && pos.debt > maxDebt(pos.collateral);
    }

    /// @dev floor(collAmount * price / MCR): rounds down, in favour of the protocol; exact as a
    /// bound on whole-wei debts (see ROUNDING). mulDiv keeps the product exact in 512 bits and
    /// reverts only if the quotient exceeds 2^256 (collateral worth over 1e77 debt-token wei).
    function _maxDebt(uint256 collAmount, uint256 price) internal pure returns (uint256) {
        return Math.mulDiv(collAmount, price, MCR);
    }

    function _price() internal view returns (uint256 price) {
        price = priceFeed.price();
        if (price == 0) revert InvalidPrice(price);
    }
}
