"""Each operation of the StabilityPool: values, events field by field, and every error path."""

import pytest

from _reverts import assert_deploy_reverts, reverts_with
from constants import E18, MAX_UINT
from spmodel.mirror import (
    DEFAULT_MIN_STREAM_DEPOSITS,
    EPOCH_SCALE_GAP,
    MAX_GAIN_AMOUNT,
    MAX_TOTAL_DEPOSITS,
    P_PRECISION,
)


def test_deposit__first__records_snapshot_and_emits(harness, pool, alice, debt_token):
    receipt = harness.deposit(alice, 100 * E18)
    assert pool.totalDeposits() == 100 * E18
    assert pool.getDeposit(alice) == (100 * E18, 10**33, 0)
    assert debt_token.balanceOf(pool) == 100 * E18
    [log] = pool.DepositUpdated.from_receipt(receipt)
    assert (log.depositor, log.value, log.snapshotP, log.snapshotScale, log.totalDeposits) == (
        alice.address,
        100 * E18,
        10**33,
        0,
        100 * E18,
    )
    harness.check()


def test_deposit__top_up_after_offset__pays_gain_and_restarts_snapshots(harness, pool, alice, bob, weth):
    harness.deposit(alice, 100 * E18)
    harness.deposit(bob, 50 * E18)
    harness.offset(30 * E18, weth, 3 * E18)  # P: 1e33 -> 0.8e33
    assert pool.P() == 8 * 10**32
    assert pool.getCompoundedDeposit(alice) == 80 * E18
    assert pool.getDepositorGain(alice, weth) == 2 * E18
    receipt = harness.deposit(alice, 20 * E18)
    [paid] = pool.GainPaid.from_receipt(receipt)
    assert (paid.depositor, paid.token, paid.amount) == (alice.address, weth.address, 2 * E18)
    assert weth.balanceOf(alice) == 2 * E18
    assert pool.getDeposit(alice) == (100 * E18, 8 * 10**32, 0)
    assert pool.snapshotS(alice, weth) == pool.S(weth, 0) == 3 * E18 * 10**33 // (150 * E18)
    assert pool.getDepositorGain(alice, weth) == 0
    harness.check()


def test_withdraw__partial_and_max(harness, pool, alice, debt_token):
    harness.deposit(alice, 100 * E18)
    balance = debt_token.balanceOf(alice)
    harness.withdraw(alice, 40 * E18)
    assert pool.getCompoundedDeposit(alice) == 60 * E18
    assert debt_token.balanceOf(alice) == balance + 40 * E18
    receipt = harness.withdraw(alice, MAX_UINT)
    assert pool.getDeposit(alice) == (0, 0, 0)
    assert pool.totalDeposits() == 0
    [log] = pool.DepositUpdated.from_receipt(receipt)
    assert (log.value, log.snapshotP, log.snapshotScale, log.totalDeposits) == (0, 0, 0, 0)
    harness.check()


def test_withdraw__more_than_deposit__pays_the_deposit(harness, pool, alice, debt_token):
    harness.deposit(alice, 10 * E18)
    balance = debt_token.balanceOf(alice)
    harness.withdraw(alice, 11 * E18)
    assert debt_token.balanceOf(alice) == balance + 10 * E18
    harness.check()


def test_claim__pays_every_gain_token(harness3, pool3, alice, bob, weth, wbtc, usdc):
    h = harness3
    h.deposit(alice, 75 * E18)
    h.deposit(bob, 25 * E18)
    h.offset(10 * E18, weth, 4 * E18)
    h.offset(0, wbtc, 4 * 10**8)
    h.offset(9 * E18, usdc, 4 * 10**6)
    receipt = h.claim(alice)
    paid = {log.token: log.amount for log in pool3.GainPaid.from_receipt(receipt)}
    assert paid == {weth.address: 3 * E18, wbtc.address: 3 * 10**8, usdc.address: 3 * 10**6}
    assert [weth.balanceOf(alice), wbtc.balanceOf(alice), usdc.balanceOf(alice)] == [3 * E18, 3 * 10**8, 3 * 10**6]
    assert pool3.getCompoundedDeposit(alice) == 75 * E18 * 81 // 100
    h.check()


def test_claim__tokens_activated_out_of_order__pay_exactly_their_gains(harness3, pool3, alice, bob, weth, wbtc, usdc):
    """A token is skipped until its first credit (the pool's activeTokens mask): the last one
    registered first, then the first, with wbtc (in between) never credited; every gain, snapshot
    and view still matches the models."""
    h = harness3
    h.deposit(alice, 75 * E18)  # no token active yet
    h.offset(10 * E18, usdc, 4 * 10**6)  # activates index 2 only
    h.deposit(bob, 25 * E18)
    gain = pool3.getDepositorGain(alice, usdc)  # 4e6 rounded down: 1 wei stays in the pool
    assert 4 * 10**6 - 1 <= gain <= 4 * 10**6
    receipt = h.claim(alice)
    assert {log.token: log.amount for log in pool3.GainPaid.from_receipt(receipt)} == {usdc.address: gain}
    h.check()
    h.offset(0, weth, 4 * E18)  # activates index 0, below the active index 2
    for who in (alice, bob):
        receipt = h.claim(who)
        assert {log.token for log in pool3.GainPaid.from_receipt(receipt)} == {weth.address}
    assert pool3.S(wbtc, 0) == 0 and pool3.snapshotS(alice, wbtc) == 0
    assert pool3.gainTokens() == [weth.address, wbtc.address, usdc.address]
    h.withdraw(alice, MAX_UINT)
    assert pool3.snapshotS(alice, weth) == pool3.snapshotS(alice, usdc) == 0
    h.check()


def test_offset__updates_S_then_P_and_emits(harness, pool, alice, weth, liquidator, debt_token):
    harness.deposit(alice, 100 * E18)
    receipt = harness.offset(25 * E18, weth, E18)
    [s] = pool.S_Updated.from_receipt(receipt)
    assert (s.token, s.S, s.scale) == (weth.address, E18 * 10**33 // (100 * E18), 0)
    [p] = pool.P_Updated.from_receipt(receipt)
    assert p.P == 75 * 10**31
    [o] = pool.Offset.from_receipt(receipt)
    assert (o.liquidator, o.collateral, o.debtToOffset, o.collAmount) == (
        liquidator.address,
        weth.address,
        25 * E18,
        E18,
    )
    assert debt_token.balanceOf(liquidator) == 25 * E18
    assert weth.balanceOf(pool) == E18
    harness.check()


def test_offset__all_deposits__starts_a_new_epoch(harness, pool, alice, bob, weth):
    harness.deposit(alice, 100 * E18)
    receipt = harness.offset(100 * E18, weth, 2 * E18)
    [epoch] = pool.EpochUpdated.from_receipt(receipt)
    assert (epoch.epoch, epoch.scale) == (1, EPOCH_SCALE_GAP) == (1, 13)
    assert (pool.currentEpoch(), pool.currentScale(), pool.P(), pool.totalDeposits()) == (1, 13, 10**33, 0)
    assert pool.getCompoundedDeposit(alice) == 0
    assert pool.getDepositorGain(alice, weth) == 2 * E18  # kept from the emptied epoch
    harness.deposit(bob, 10 * E18)  # the pool works normally afterwards
    harness.offset(5 * E18, weth, E18)
    assert pool.getDepositorGain(bob, weth) == E18
    assert pool.getDepositorGain(alice, weth) == 2 * E18
    harness.withdraw(alice, MAX_UINT)
    assert weth.balanceOf(alice) == 2 * E18
    harness.check()


def test_views__unknown_token__reverts(pool, alice, usdc):
    with reverts_with(pool.UnknownToken, token=usdc.address):
        pool.getDepositorGain(alice, usdc)
    with reverts_with(pool.UnknownToken, token=usdc.address):
        pool.getStream(usdc)


@pytest.mark.parametrize("call", ["deposit", "withdraw"])
def test_zero_amount__reverts(pool, alice, call):
    with reverts_with(pool.ZeroAmount):
        getattr(pool, call)(0, sender=alice)


def test_withdraw_and_claim__without_deposit__revert(pool, alice):
    with reverts_with(pool.NoDeposit, depositor=alice.address):
        pool.withdraw(1, sender=alice)
    with reverts_with(pool.NoDeposit, depositor=alice.address):
        pool.claim(sender=alice)


def test_offset__error_paths_change_nothing(harness, pool, alice, weth, usdc, liquidator):
    with reverts_with(pool.EmptyPool):
        pool.offset(0, weth, 1, sender=liquidator)
    harness.deposit(alice, 100)
    with reverts_with(pool.DebtExceedsDeposits, debtToOffset=101, totalDeposits=100):
        pool.offset(101, weth, 0, sender=liquidator)
    with reverts_with(pool.ZeroAmount):
        pool.offset(0, weth, 0, sender=liquidator)
    with reverts_with(pool.UnknownToken, token=usdc.address):
        pool.offset(1, usdc, 1, sender=liquidator)
    with reverts_with(pool.GainAmountTooLarge, amount=10**36 + 1, cap=10**36):
        pool.offset(1, weth, 10**36 + 1, sender=liquidator)
    with reverts_with(pool.NotLiquidator, caller=alice.address):
        pool.offset(1, weth, 1, sender=alice)
    assert (pool.totalDeposits(), pool.P(), pool.currentScale()) == (100, P_PRECISION, 0)
    harness.check()


def test_notify__error_paths(pool, weth, usdc, distributor, alice):
    with reverts_with(pool.NotRewardDistributor, caller=alice.address):
        pool.notifyReward(weth, 1, 0, sender=alice)
    with reverts_with(pool.ZeroAmount):
        pool.notifyReward(weth, 0, 0, sender=distributor)
    with reverts_with(pool.UnknownToken, token=usdc.address):
        pool.notifyReward(usdc, 1, 0, sender=distributor)
    with reverts_with(pool.DurationTooLong, duration=10 * 365 * 86400 + 1, cap=10 * 365 * 86400):
        pool.notifyReward(weth, 1, 10 * 365 * 86400 + 1, sender=distributor)
    with reverts_with(pool.GainAmountTooLarge, amount=10**36 + 1, cap=10**36):
        pool.notifyReward(weth, 10**36 + 1, 0, sender=distributor)
    with reverts_with(pool.GainAmountTooLarge, amount=MAX_UINT, cap=MAX_GAIN_AMOUNT):  # no Panic near 2^256
        pool.notifyReward(weth, MAX_UINT, 60, sender=distributor)
    with reverts_with(pool.BelowStreamMinimum, totalDeposits=0, minStreamDeposits=DEFAULT_MIN_STREAM_DEPOSITS):
        pool.notifyReward(weth, 1, 0, sender=distributor)  # an empty pool cannot take a lump
    assert pool.getStream(weth) == (0, 0, 0, 0)


def test_deposit__amount_near_2_256__named_cap_error(harness, pool, alice):
    harness.deposit(alice, 5)
    with reverts_with(pool.TotalDepositsCapExceeded, amount=MAX_UINT, available=MAX_TOTAL_DEPOSITS - 5):
        pool.deposit(MAX_UINT, sender=alice)
    harness.check()


def test_admin__register_and_roles(project, owner, alice, debt_token, weth, make_token):
    pool = project.StabilityPool.deploy(debt_token, owner, 10**6, sender=owner)
    assert pool.minStreamDeposits() == 10**6
    receipt = pool.registerGainToken(weth, sender=owner)
    [log] = pool.GainTokenRegistered.from_receipt(receipt)
    assert (log.token, log.index) == (weth.address, 0)
    assert pool.gainTokens() == [weth.address]
    with reverts_with(pool.InvalidGainToken, token=weth.address):
        pool.registerGainToken(weth, sender=owner)
    with reverts_with(pool.InvalidGainToken, token=debt_token.address):
        pool.registerGainToken(debt_token, sender=owner)
    with reverts_with(pool.ZeroAddress):
        pool.registerGainToken("0x0000000000000000000000000000000000000000", sender=owner)
    with reverts_with(pool.OwnableUnauthorizedAccount, account=alice.address):
        pool.registerGainToken(debt_token, sender=alice)
    receipt = pool.setLiquidator(alice, True, sender=owner)
    [log] = pool.LiquidatorSet.from_receipt(receipt)
    assert (log.account, log.authorised) == (alice.address, True)
    assert pool.isLiquidator(alice)
    pool.setLiquidator(alice, False, sender=owner)
    assert not pool.isLiquidator(alice)
    receipt = pool.setRewardDistributor(alice, True, sender=owner)
    [log] = pool.RewardDistributorSet.from_receipt(receipt)
    assert (log.account, log.authorised) == (alice.address, True)
    for _ in range(7):
        pool.registerGainToken(make_token("X"), sender=owner)
    with reverts_with(pool.TooManyGainTokens, cap=8):
        pool.registerGainToken(make_token("Y"), sender=owner)


def test_constructor__zero_debt_token__reverts(project, owner):
    container = project.StabilityPool
    assert_deploy_reverts(
        container,
        container.ZeroAddress,
        "0x0000000000000000000000000000000000000000",
        owner,
        DEFAULT_MIN_STREAM_DEPOSITS,
        sender=owner,
    )


@pytest.mark.parametrize("threshold", [0, MAX_TOTAL_DEPOSITS + 1])
def test_constructor__stream_threshold_out_of_range__reverts(project, owner, debt_token, threshold):
    container = project.StabilityPool
    assert_deploy_reverts(
        container,
        container.InvalidMinStreamDeposits,
        debt_token,
        owner,
        threshold,
        sender=owner,
        minStreamDeposits=threshold,
        cap=MAX_TOTAL_DEPOSITS,
    )
