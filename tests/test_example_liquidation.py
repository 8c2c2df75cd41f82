"""The example integration (contracts/examples/): a lending market that is the pool's only
liquidator. End to end: borrowers open positions, depositors deposit what they borrowed, the price
falls, anyone liquidates through the pool; every balance checked to the wei. Then each error path.

Expected values are computed by hand from the pool's formulas (P_PRECISION = 1e33):
    newP = floor(P * (D - Q) / D),  S += floor(E * P / D),
    compounded = floor(d * P / P_t),  gain = floor(d * (S - S_t) / P_t).
"""

import pytest
from eth_utils import keccak

from _reverts import assert_deploy_reverts, reverts_with
from constants import E18, MAX_UINT, ZERO_ADDRESS

P0 = 10**33  # the pool's P_PRECISION
PRICE = 2_000 * E18  # one WETH is worth 2,000 eUSD (both 18 decimals)


@pytest.fixture(scope="module")
def debt(project, owner):
    return project.ExampleDebtToken.deploy(owner, sender=owner)


@pytest.fixture(scope="module")
def feed(project, owner):
    return project.ExampleMockPriceFeed.deploy(owner, PRICE, sender=owner)


def _wire(project, owner, liquidator, create_pool, debt, collateral, feed):
    """The deployment a protocol does: pool on the market's token, the market as its only
    liquidator, the token owned by the market."""
    sp = create_pool([collateral], debt=debt, fund=False)
    market = project.ExampleLendingMarket.deploy(debt, collateral, feed, sp, sender=owner)
    debt.transferOwnership(market, sender=owner)
    sp.setLiquidator(liquidator, False, sender=owner)  # create_pool's EOA liquidator: revoked
    sp.setLiquidator(market, True, sender=owner)
    return sp, market


@pytest.fixture(scope="module")
def world(project, owner, liquidator, create_pool, debt, weth, feed, depositors):
    sp, market = _wire(project, owner, liquidator, create_pool, debt, weth, feed)
    for who in depositors[:2]:  # alice, bob: borrow, then deposit what they borrowed
        weth.mint(who, 100 * E18, sender=who)
        weth.approve(market, MAX_UINT, sender=who)
        debt.approve(sp, MAX_UINT, sender=who)
    for who in depositors[2:4]:  # carol, dave: borrowers with exactly the collateral they lock
        weth.approve(market, MAX_UINT, sender=who)
    return sp, market


@pytest.fixture
def sp(world):
    """The stability pool of this market (not conftest's session-scoped `pool`: overriding a
    fixture name with another scope breaks ape's chain isolation between tests)."""
    return world[0]


@pytest.fixture
def market(world):
    return world[1]


@pytest.fixture(scope="session")
def dave(depositors):
    return depositors[3]


@pytest.fixture(scope="session")
def keeper(depositors):
    """Anyone: an account with no position, no deposit and no role in the pool."""
    return depositors[4]


def _borrow_and_deposit(market, sp, who, coll, amount):
    market.open(coll, amount, sender=who)
    sp.deposit(amount, sender=who)


# ---------------------------------------------------------------- end to end


def test_liquidation__end_to_end__every_balance_to_the_wei(
    market, sp, debt, weth, feed, owner, alice, bob, carol, keeper
):
    _borrow_and_deposit(market, sp, alice, 10 * E18, 10_000 * E18)
    _borrow_and_deposit(market, sp, bob, 5 * E18, 5_000 * E18)
    weth.mint(carol, E18, sender=carol)
    market.open(E18, 1_700 * E18, sender=carol)  # 1 WETH at 2,000: 117.6%, max 1,818.18 eUSD
    assert market.maxDebt(E18) == 1_818_181818181818181818  # floor(2000e18 / 1.1)
    assert not market.isLiquidatable(carol)
    assert debt.totalSupply() == 16_700 * E18

    feed.setPrice(1_800 * E18, sender=owner)  # carol: 1,800 / 1,700 = 105.9% < 110%
    assert market.maxDebt(E18) == 1_636_363636363636363636
    assert market.isLiquidatable(carol)
    assert not market.isLiquidatable(alice) and not market.isLiquidatable(bob)

    receipt = market.liquidate(carol, sender=keeper)  # the keeper has no role anywhere

    # The market's event, the pool's Offset, and the burn of exactly the debt.
    [liq] = market.PositionLiquidated.from_receipt(receipt)
    assert (liq.borrower, liq.caller, liq.collateral, liq.debt, liq.price) == (
        carol.address,
        keeper.address,
        E18,
        1_700 * E18,
        1_800 * E18,
    )
    [off] = sp.Offset.from_receipt(receipt)
    assert (off.liquidator, off.collateral, off.debtToOffset, off.collAmount) == (
        market.address,
        weth.address,
        1_700 * E18,
        E18,
    )
    transfers = [(t["from"], t["to"], t["value"]) for t in debt.Transfer.from_receipt(receipt)]
    assert transfers == [
        (sp.address, market.address, 1_700 * E18),  # the pool pays the market
        (market.address, ZERO_ADDRESS, 1_700 * E18),
    ]  # the market burns it
    print(f"\nliquidation gas (whole transaction): {receipt.gas_used}")

    # Borrower: position gone, keeps what she borrowed, lost her collateral.
    assert market.getPosition(carol) == (0, 0)
    assert debt.balanceOf(carol) == 1_700 * E18
    assert weth.balanceOf(carol) == 0
    assert not market.isLiquidatable(carol)
    # Market: holds exactly alice's and bob's collateral, no debt tokens, no allowance left.
    assert market.getPosition(alice) == (10 * E18, 10_000 * E18)
    assert market.getPosition(bob) == (5 * E18, 5_000 * E18)
    assert weth.balanceOf(market) == 15 * E18
    assert debt.balanceOf(market) == 0
    assert weth.allowance(market, sp) == 0
    # Supply fell by exactly the liquidated debt: 16,700 - 1,700.
    assert debt.totalSupply() == 15_000 * E18
    # Pool: D = 15,000, Q = 1,700, E = 1 WETH.
    assert debt.balanceOf(sp) == 13_300 * E18
    assert weth.balanceOf(sp) == E18
    assert sp.totalDeposits() == 13_300 * E18
    assert sp.P() == 886_666666666666666666666666666666  # floor(1e33 * 13,300 / 15,000)
    assert sp.S(weth, 0) == 66666_666666666666666666666666  # floor(1e18 * 1e33 / 15,000e18)
    # Depositors: 2/3 and 1/3 of the loss and the collateral, each floored (in the pool's favour).
    assert sp.getCompoundedDeposit(alice) == 8_866_666666666666666666  # exact 8,866.66...
    assert sp.getCompoundedDeposit(bob) == 4_433_333333333333333333  # exact 4,433.33...
    assert sp.getDepositorGain(alice, weth) == 666666666666666666  # exact 0.66... WETH
    assert sp.getDepositorGain(bob, weth) == 333333333333333333  # exact 0.33... WETH

    # They collect exactly that. Bob claims first (his deposit stays), then both withdraw it all.
    sp.claim(sender=bob)
    assert weth.balanceOf(bob) == 95 * E18 + 333333333333333333
    assert sp.getCompoundedDeposit(bob) == 4_433_333333333333333333
    assert sp.getDepositorGain(bob, weth) == 0
    sp.withdraw(MAX_UINT, sender=alice)
    sp.withdraw(MAX_UINT, sender=bob)
    assert debt.balanceOf(alice) == 8_866_666666666666666666
    assert weth.balanceOf(alice) == 90 * E18 + 666666666666666666
    assert debt.balanceOf(bob) == 4_433_333333333333333333
    assert weth.balanceOf(bob) == 95 * E18 + 333333333333333333
    assert sp.getCompoundedDeposit(alice) == sp.getCompoundedDeposit(bob) == 0
    # What the floors kept: 1 wei of each token, and the 1 wei of deposits nobody owns.
    assert debt.balanceOf(sp) == 1
    assert weth.balanceOf(sp) == 1
    assert sp.totalDeposits() == 1
    # Supply is untouched by the pool; every eUSD is backed by a position's debt.
    assert debt.totalSupply() == 15_000 * E18
    assert weth.balanceOf(market) == 15 * E18


def test_liquidation__debt_equal_to_deposits__empties_the_pool_even_underwater(
    market, sp, debt, weth, feed, owner, alice, carol, keeper
):
    _borrow_and_deposit(market, sp, alice, 10 * E18, 1_700 * E18)
    weth.mint(carol, E18, sender=carol)
    market.open(E18, 1_700 * E18, sender=carol)
    feed.setPrice(1_000 * E18, sender=owner)  # underwater: 1 WETH = 1,000 eUSD for 1,700 of debt

    market.liquidate(carol, sender=keeper)

    assert sp.totalDeposits() == 0
    assert sp.currentEpoch() == 1
    assert sp.P() == P0
    assert debt.balanceOf(sp) == 0
    assert weth.balanceOf(sp) == E18
    assert debt.totalSupply() == 1_700 * E18  # alice's debt; carol's 1,700 are burnt
    assert sp.getCompoundedDeposit(alice) == 0
    # floor(1,700e18 * floor(1e18 * 1e33 / 1,700e18) / 1e33): 1 wei short of the whole collateral
    assert sp.getDepositorGain(alice, weth) == 999999999999999999
    sp.withdraw(MAX_UINT, sender=alice)  # nothing left to withdraw, the gain is paid
    assert weth.balanceOf(alice) == 90 * E18 + 999999999999999999
    assert debt.balanceOf(alice) == 0
    assert weth.balanceOf(sp) == 1
    assert market.getPosition(carol) == (0, 0)
    assert weth.balanceOf(market) == 10 * E18


def test_open_and_close__moves_collateral_and_mints_then_burns_exactly(market, debt, weth, feed, owner, dave):
    weth.mint(dave, 2 * E18, sender=dave)
    receipt = market.open(2 * E18, 1_000 * E18, sender=dave)
    [opened] = market.PositionOpened.from_receipt(receipt)
    assert (opened.borrower, opened.collateral, opened.debt) == (dave.address, 2 * E18, 1_000 * E18)
    assert market.getPosition(dave) == (2 * E18, 1_000 * E18)
    assert weth.balanceOf(dave) == 0 and weth.balanceOf(market) == 2 * E18
    assert debt.balanceOf(dave) == debt.totalSupply() == 1_000 * E18

    feed.setPrice(1, sender=owner)  # hopelessly underwater: repaying in full is still allowed
    receipt = market.close(sender=dave)
    [closed] = market.PositionClosed.from_receipt(receipt)
    assert (closed.borrower, closed.collateral, closed.debt) == (dave.address, 2 * E18, 1_000 * E18)
    assert market.getPosition(dave) == (0, 0)
    assert weth.balanceOf(dave) == 2 * E18 and weth.balanceOf(market) == 0
    assert debt.balanceOf(dave) == debt.totalSupply() == 0


def test_mcr_boundary__exactly_110_percent_is_healthy_one_wei_less_is_liquidatable(
    market, sp, debt, weth, feed, owner, alice, dave, keeper
):
    _borrow_and_deposit(market, sp, alice, 10 * E18, 10_000 * E18)
    feed.setPrice(E18, sender=owner)  # 1 WETH = 1 eUSD: 11 WETH support exactly 10 eUSD
    weth.mint(dave, 11 * E18, sender=dave)
    assert market.maxDebt(11 * E18) == 10 * E18
    with reverts_with(market.Undercollateralised, debt=10 * E18 + 1, maxDebt=10 * E18):
        market.open(11 * E18, 10 * E18 + 1, sender=dave)
    market.open(11 * E18, 10 * E18, sender=dave)  # exactly 110%
    assert not market.isLiquidatable(dave)
    with reverts_with(market.PositionHealthy, borrower=dave, debt=10 * E18, maxDebt=10 * E18):
        market.liquidate(dave, sender=keeper)

    feed.setPrice(E18 - 1, sender=owner)  # one wei per 1e18 lower: just under 110%
    assert market.maxDebt(11 * E18) == 9_999999999999999990  # floor(11e18 * (1e18 - 1) / 1.1e18)
    assert market.isLiquidatable(dave)
    market.liquidate(dave, sender=keeper)
    assert market.getPosition(dave) == (0, 0)
    assert sp.totalDeposits() == 9_990 * E18
    assert sp.getDepositorGain(alice, weth) == 11 * E18  # floor(11e18 * 1e33 / 1e22) exactly
    assert debt.totalSupply() == 10_000 * E18


def test_max_debt__rounds_down_in_favour_of_the_protocol(market, weth, dave):
    weth.mint(dave, 1, sender=dave)
    assert market.maxDebt(1) == 1_818  # 1 wei at 2,000e18: exact 1,818.18... eUSD wei
    with reverts_with(market.Undercollateralised, debt=1_819, maxDebt=1_818):
        market.open(1, 1_819, sender=dave)
    market.open(1, 1_818, sender=dave)
    assert market.getPosition(dave) == (1, 1_818)


# ---------------------------------------------------------------- error paths


def test_liquidate__pool_smaller_than_debt__reverts_and_changes_nothing(
    market, sp, debt, weth, feed, owner, alice, carol, keeper
):
    _borrow_and_deposit(market, sp, alice, 10 * E18, 1_000 * E18)
    weth.mint(carol, E18, sender=carol)
    market.open(E18, 1_700 * E18, sender=carol)
    feed.setPrice(1_800 * E18, sender=owner)
    with reverts_with(market.InsufficientPoolDeposits, debt=1_700 * E18, totalDeposits=1_000 * E18):
        market.liquidate(carol, sender=keeper)
    assert market.getPosition(carol) == (E18, 1_700 * E18)
    assert sp.totalDeposits() == 1_000 * E18
    assert weth.balanceOf(market) == 11 * E18


def test_liquidate_and_close__no_position(market, carol, keeper):
    with reverts_with(market.NoPosition, borrower=carol):
        market.liquidate(carol, sender=keeper)
    with reverts_with(market.NoPosition, borrower=carol):
        market.close(sender=carol)


def test_open__zero_amounts_and_second_position(market, weth, carol):
    weth.mint(carol, 2 * E18, sender=carol)
    with reverts_with(market.ZeroAmount, collAmount=0, debtAmount=1):
        market.open(0, 1, sender=carol)
    with reverts_with(market.ZeroAmount, collAmount=E18, debtAmount=0):
        market.open(E18, 0, sender=carol)
    market.open(E18, 100 * E18, sender=carol)
    with reverts_with(market.PositionExists, borrower=carol, collateral=E18, debt=100 * E18):
        market.open(E18, 100 * E18, sender=carol)


def test_open__positions_the_pool_could_never_absorb__refused(market, keeper):
    """Above the pool's per-offset limits (1e36 wei credited, 1e30 wei of deposits) a position
    could never be liquidated: refused before any transfer."""
    assert (market.MAX_COLLATERAL(), market.MAX_DEBT()) == (10**36, 10**30)
    with reverts_with(market.CollateralTooLarge, amount=10**36 + 1, cap=10**36):
        market.open(10**36 + 1, 1, sender=keeper)
    with reverts_with(market.DebtTooLarge, amount=10**30 + 1, cap=10**30):
        market.open(10**36, 10**30 + 1, sender=keeper)


def test_zero_price__refused_everywhere(market, weth, feed, owner, carol, keeper):
    """A dead feed reading 0 would make every position liquidatable: the market refuses it."""
    weth.mint(carol, E18, sender=carol)
    market.open(E18, 100 * E18, sender=carol)
    feed.setPrice(0, sender=owner)
    with reverts_with(market.InvalidPrice, price=0):
        market.liquidate(carol, sender=keeper)
    with reverts_with(market.InvalidPrice, price=0):
        market.open(E18, 1, sender=keeper)
    assert market.getPosition(carol) == (E18, 100 * E18)


def test_liquidate__market_not_authorised_by_the_pool__pool_refuses(
    market, sp, weth, feed, owner, alice, carol, keeper
):
    _borrow_and_deposit(market, sp, alice, 10 * E18, 10_000 * E18)
    weth.mint(carol, E18, sender=carol)
    market.open(E18, 1_700 * E18, sender=carol)
    feed.setPrice(1_800 * E18, sender=owner)
    sp.setLiquidator(market, False, sender=owner)
    with reverts_with(sp.NotLiquidator, caller=market):
        market.liquidate(carol, sender=keeper)
    assert market.getPosition(carol) == (E18, 1_700 * E18)


def test_open__fee_on_transfer_collateral__refused(project, owner, create_pool, debt, feed, carol):
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)  # 1% fee
    other_pool = create_pool([fot], debt=debt, fund=False)
    other = project.ExampleLendingMarket.deploy(debt, fot, feed, other_pool, sender=owner)
    fot.mint(carol, E18, sender=carol)
    fot.approve(other, MAX_UINT, sender=carol)
    with reverts_with(other.CollateralShortfall, expected=E18, received=99 * E18 // 100):
        other.open(E18, 100 * E18, sender=carol)


def test_constructor__bad_wiring(project, owner, create_pool, debt, weth, feed, debt_token):
    market = project.ExampleLendingMarket
    wrong_pool = create_pool([weth], fund=False)  # on the conftest's MockERC20, not our token
    assert_deploy_reverts(market, market.ZeroAddress, debt, weth, feed, ZERO_ADDRESS, sender=owner)
    assert_deploy_reverts(market, market.ZeroAddress, debt, ZERO_ADDRESS, feed, wrong_pool, sender=owner)
    assert_deploy_reverts(
        market, market.DebtTokenMismatch, debt, weth, feed, wrong_pool, sender=owner, expected=debt, actual=debt_token
    )
    right_pool = create_pool([weth], debt=debt, fund=False)
    assert_deploy_reverts(market, market.CollateralIsDebtToken, debt, debt, feed, right_pool, sender=owner, token=debt)


def test_roles__only_the_market_mints_and_burns_only_the_owner_sets_the_price(market, debt, feed, owner, carol):
    assert debt.owner() == market.address
    with reverts_with(debt.OwnableUnauthorizedAccount, account=owner):
        debt.mint(owner, 1, sender=owner)  # the deployer gave the token away
    with reverts_with(debt.OwnableUnauthorizedAccount, account=carol):
        debt.burn(market, 1, sender=carol)
    with reverts_with(feed.OwnableUnauthorizedAccount, account=carol):
        feed.setPrice(1, sender=carol)


def test_reentrancy__collateral_hook_cannot_re_enter_during_liquidation(
    project, owner, liquidator, create_pool, depositors, keeper
):
    """A collateral with a transfer hook (ERC777-like) re-enters the market while the pool pulls
    the collateral in `offset`: the market's guard refuses the nested liquidate."""
    alice, carol = depositors[0], depositors[2]
    hook = project.HookERC20.deploy(sender=owner)
    token = project.ExampleDebtToken.deploy(owner, sender=owner)
    feed = project.ExampleMockPriceFeed.deploy(owner, PRICE, sender=owner)
    sp, market = _wire(project, owner, liquidator, create_pool, token, hook, feed)
    for who, coll, amount in ((alice, 10 * E18, 5_000 * E18), (carol, E18, 1_700 * E18)):
        hook.mint(who, coll, sender=who)
        hook.approve(market, MAX_UINT, sender=who)
        market.open(coll, amount, sender=who)
    token.approve(sp, MAX_UINT, sender=alice)
    sp.deposit(5_000 * E18, sender=alice)
    feed.setPrice(1_800 * E18, sender=owner)

    hook.setHook(market, market.liquidate.encode_input(carol), sender=keeper)
    market.liquidate(carol, sender=keeper)

    assert hook.lastHookSuccess() is False
    selector = keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert bytes(hook.lastHookReturn()) == selector
    assert market.getPosition(carol) == (0, 0)
    assert sp.totalDeposits() == 3_300 * E18
    assert hook.balanceOf(sp) == E18
    assert token.totalSupply() == 5_000 * E18
