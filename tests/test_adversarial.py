"""Sequences that broke earlier pools: P collapsing, scale changes, emptying, 1-wei amounts, caps,
and the O(1) claim. Every test runs through the harness, so each ends with the full model check."""

from constants import E18, MAX_UINT
from spmodel.mirror import EPOCH_SCALE_GAP, MAX_GAIN_AMOUNT, MAX_TOTAL_DEPOSITS, P_MIN, P_PRECISION


def test_ghsa_m9f3_sequence__never_reverts_and_P_stays_in_range(harness, pool, alice, weth):
    """Liquity v1's advisory: each offset leaves 1e-18 of the pool; the third one bricked v1."""
    h = harness
    h.deposit(alice, 2000000000000000002001)
    for _ in range(4):
        h.offset(2000 * E18, weth, E18)
        assert P_MIN <= pool.P() <= P_PRECISION
        h.check()
        h.deposit(alice, 2000 * E18)  # top up to 2000e18 + what is left
        h.check()
    # The first offset takes P from 1e33 to ~1e15 (two rescales by 1e6); each later one from ~1e27
    # to ~1e9 (three rescales): 2 + 3 + 3 + 3.
    assert pool.currentScale() == 11
    assert pool.currentEpoch() == 0


def test_several_scale_changes_in_one_offset(harness, pool, alice, bob, weth):
    h = harness
    h.deposit(alice, 10**26)
    h.deposit(bob, 10**26)
    receipt = h.offset(2 * 10**26 - 1, weth, 10 * E18)  # leaves 1 wei: newP = 5e6 -> ... -> 5e30
    assert [log.scale for log in pool.ScaleUpdated.from_receipt(receipt)] == [1, 2, 3, 4]
    assert (pool.currentScale(), pool.P()) == (4, 5 * 10**30)
    # The 1 wei left is shared half-half; both read 0 but keep their gains.
    assert pool.getCompoundedDeposit(alice) == 0
    assert pool.getDepositorGain(alice, weth) == 5 * E18 - 1 or pool.getDepositorGain(alice, weth) == 5 * E18
    h.check()


def test_deposit_spanning_many_scales_keeps_gains_from_each(harness, pool, alice, bob, carol, weth):
    h = harness
    h.deposit(alice, 10**24)
    for i in range(5):
        # Each round shrinks the pool a billionfold, then refills it with a new depositor.
        total = pool.totalDeposits()
        h.offset(total - total // 10**9, weth, E18)
        h.deposit(bob if i % 2 else carol, 10**24)
        h.check()
    assert pool.currentScale() >= 5
    assert pool.getCompoundedDeposit(alice) == 0  # shrunk below 1 wei
    # Alice's gain: all of the first E18, then a 1e-9 share of the next, and so on.
    assert E18 <= pool.getDepositorGain(alice, weth) <= E18 + E18 // 10**9 + 1
    h.withdraw(alice, MAX_UINT)
    h.check()


def test_emptying_the_pool_twice(harness, pool, alice, bob, weth):
    h = harness
    h.deposit(alice, 50 * E18)
    h.offset(50 * E18, weth, E18)
    h.deposit(bob, 30 * E18)
    h.deposit(alice, 20 * E18)
    h.offset(50 * E18, weth, E18)
    assert (pool.currentEpoch(), pool.currentScale(), pool.totalDeposits()) == (2, 2 * EPOCH_SCALE_GAP, 0)
    assert pool.getDepositorGain(bob, weth) == 6 * E18 // 10
    assert pool.getDepositorGain(alice, weth) == 4 * E18 // 10  # her first gain was paid at the top-up
    h.deposit(bob, E18)
    h.offset(E18 // 2, weth, E18)
    h.check()
    h.withdraw(alice, MAX_UINT)
    h.withdraw(bob, MAX_UINT)
    h.check()
    assert pool.totalDeposits() == 0


def test_one_wei_deposits_and_debt_within_one_wei(harness, pool, alice, bob, weth):
    h = harness
    h.deposit(alice, 1)
    h.deposit(bob, 1)
    h.offset(1, weth, 3)  # each loses half a wei: both read 0, the pool holds 1 wei unowned
    h.check()
    assert pool.getCompoundedDeposit(alice) == 0 and pool.totalDeposits() == 1
    h.deposit(alice, 10**18)
    h.offset(10**18, weth, 1)  # within 1 wei of everything
    h.check()
    assert pool.totalDeposits() == 1
    h.withdraw(alice, MAX_UINT)
    h.withdraw(bob, MAX_UINT)
    h.check()


def test_largest_supported_amounts(harness, pool, alice, bob, carol, weth, liquidator):
    h = harness
    h.deposit(alice, MAX_TOTAL_DEPOSITS - 1)
    h.deposit(bob, 1)  # exactly at the cap, 1e30
    h.offset(MAX_TOTAL_DEPOSITS - 10**24, weth, 0)  # P: 1e33 -> exactly P_MIN, no rescale
    assert (pool.P(), pool.currentScale()) == (P_MIN, 0)
    h.deposit(carol, MAX_TOTAL_DEPOSITS - 10**24)  # back to the cap
    receipt = h.offset(MAX_TOTAL_DEPOSITS - 1, weth, MAX_GAIN_AMOUNT)  # the largest credit, leaving 1 wei
    # The deepest loss the header allows: P * (D - Q) / D = 1e27 / 1e30 = 1e-3, so five rescales
    # (1e-3 * 1e6^5 = 1e27): the bound is reached, and P is never 0.
    assert [log.scale for log in pool.ScaleUpdated.from_receipt(receipt)] == [1, 2, 3, 4, 5]
    assert pool.P() == P_MIN
    h.check()
    h.offset(0, weth, MAX_GAIN_AMOUNT)
    h.check()
    assert P_MIN <= pool.P() <= P_PRECISION


def test_offset_gas_is_the_same_for_1_10_and_200_depositors(
    project, create_pool, weth, debt_token, owner, liquidator, chain
):
    """O(1): the liquidation touches no depositor's storage (`ape run gas` goes to 1,000)."""
    swarm = project.DepositorSwarm.deploy(sender=owner)
    gas = {}
    for count in (1, 10, 200):
        snapshot = chain.snapshot()
        pool = create_pool([weth], fund=False)
        weth.mint(liquidator, 10 * E18, sender=liquidator)
        weth.approve(pool, MAX_UINT, sender=liquidator)
        for _ in range(0, count, 50):
            swarm.spawn(pool, debt_token, min(50, count), 10 * E18, sender=owner)
        assert pool.totalDeposits() == count * 10 * E18
        pool.offset(E18, weth, E18, sender=liquidator)  # the first credit of S at this scale
        gas[count] = pool.offset(E18, weth, E18, sender=liquidator).gas_used
        chain.restore(snapshot)
    print(f"\noffset gas by number of depositors: {gas}")
    assert max(gas.values()) - min(gas.values()) <= min(gas.values()) // 100, gas
