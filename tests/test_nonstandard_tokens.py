"""Non-standard tokens: a token that returns no bool (USDT-like) works in both roles to the wei;
a fee-on-transfer token is refused with TransferShortfall, changing nothing, as the debt token and
as collateral or reward; after a negative rebase of a gain token the pool pays what it holds and
defers the rest, without blocking the depositor's withdrawal.
"""

from _pool_state import unchanged
from _reverts import reverts_with
from constants import E18, MAX_UINT

pytest_plugins = ["_new_pool"]


def test_no_return_token__as_debt_and_as_gain_token_exact_balances(project, owner, new_pool, alice, bob, liquidator):
    """USDT-like tokens (no bool returned) work through SafeERC20 in both roles, to the wei."""
    debt = project.NoReturnERC20.deploy(18, sender=owner)
    gain = project.NoReturnERC20.deploy(6, sender=owner)
    pool, h = new_pool(debt, [gain], depositors=(alice, bob), amount=1_000 * E18)
    h.deposit(alice, 100 * E18)
    h.deposit(bob, 50 * E18)
    h.offset(30 * E18, gain, 3_000_000)  # 3 units of a 6-decimal token
    h.check()
    assert (pool.getCompoundedDeposit(alice), pool.getCompoundedDeposit(bob)) == (80 * E18, 40 * E18)
    assert (pool.getDepositorGain(alice, gain), pool.getDepositorGain(bob, gain)) == (2_000_000, 1_000_000)
    assert debt.balanceOf(liquidator) == 30 * E18
    assert gain.balanceOf(liquidator) == 10**40 - 3_000_000

    h.claim(alice)
    h.withdraw(bob, MAX_UINT)
    h.withdraw(alice, 30 * E18)
    h.check()
    assert gain.balanceOf(alice) == 2_000_000 and gain.balanceOf(bob) == 1_000_000
    assert debt.balanceOf(alice) == 1_000 * E18 - 100 * E18 + 30 * E18
    assert debt.balanceOf(bob) == 1_000 * E18 - 50 * E18 + 40 * E18
    assert debt.balanceOf(pool) == pool.totalDeposits() == 50 * E18
    assert gain.balanceOf(pool) == 0


def test_fee_on_transfer__as_debt_token_deposit_reverts(project, owner, new_pool, lens, weth, alice):
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)  # 1% burnt per transfer
    pool, _ = new_pool(fot, [weth], depositors=(alice,), amount=10_000)
    with (
        unchanged(lens, pool, fot, [weth], [alice]),
        reverts_with(pool.TransferShortfall, token=fot, expected=10_000, received=9_900),
    ):
        pool.deposit(10_000, sender=alice)
    assert pool.totalDeposits() == 0 and fot.balanceOf(alice) == 10_000


def test_fee_on_transfer__as_collateral_offset_and_reward_revert(
    project, owner, new_pool, lens, debt_token, alice, liquidator, distributor
):
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)
    pool, h = new_pool(debt_token, [fot], depositors=(alice,))
    h.deposit(alice, 100 * E18)
    with (
        unchanged(lens, pool, debt_token, [fot], [alice, liquidator, distributor]),
        reverts_with(pool.TransferShortfall, token=fot, expected=10_000, received=9_900),
    ):
        pool.offset(30 * E18, fot, 10_000, sender=liquidator)
        with reverts_with(pool.TransferShortfall, token=fot, expected=10_000, received=9_900):
            pool.notifyReward(fot, 10_000, 3600, sender=distributor)
    assert tuple(pool.getStream(fot)) == (0, 0, 0, 0)
    h.check()


def test_rebasing_gain_token__negative_rebase_defers_payouts_above_balance(
    project, owner, new_pool, lens, debt_token, alice, bob, carol, liquidator
):
    """After a negative rebase the pool holds less of the gain token than it owes: it pays what it
    holds, and a gain above its balance is deferred (kept for the depositor) instead of blocking the
    withdrawal of her debt tokens. Collecting it refuses with PoolShortfall, changing nothing,
    until the pool is made whole."""
    reb = project.RebasingERC20.deploy(18, sender=owner)
    pool, h = new_pool(debt_token, [reb], depositors=(alice, bob))
    h.deposit(alice, 100 * E18)
    h.deposit(bob, 50 * E18)
    h.offset(30 * E18, reb, 3 * E18)
    h.check()
    assert (pool.getDepositorGain(alice, reb), pool.getDepositorGain(bob, reb)) == (2 * E18, E18)

    reb.rebase(1, 2, sender=owner)
    assert reb.balanceOf(pool) == 3 * E18 // 2
    h.claim(bob)  # bob's 1 is still covered: the pool pays what it holds
    assert reb.balanceOf(bob) == E18 and reb.balanceOf(pool) == E18 // 2

    before = debt_token.balanceOf(alice)
    h.withdraw(alice, MAX_UINT)  # her debt tokens arrive; her 2 of the rebased token are kept for her
    assert debt_token.balanceOf(alice) - before == 80 * E18
    assert (pool.deferredGains(alice, reb), reb.balanceOf(alice)) == (2 * E18, 0)
    with (
        unchanged(lens, pool, debt_token, [reb], [alice, bob, carol]),
        reverts_with(pool.PoolShortfall, token=reb, owed=2 * E18, balance=E18 // 2),
    ):
        pool.claimDeferred(reb, carol, sender=alice)

    reb.mint(pool, 3 * E18 // 2, sender=owner)  # someone makes the pool whole: alice is paid in full
    h.claim_deferred(alice, reb, carol)
    assert reb.balanceOf(carol) == 2 * E18 and reb.balanceOf(pool) == 0
