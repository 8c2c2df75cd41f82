"""Extreme amounts: the caps (total deposits 1e30, a gain credit 1e36, a stream's duration 10 years
and its unreleased amount 1e36, 8 gain tokens) are exact to the wei, refused beyond with the error
naming the room left and changing nothing; offsets leaving one wei, again and again, keep P within
[1e27, 1e33] and never revert.
"""

from _pool_state import unchanged
from _reverts import reverts_with
from constants import E18, MAX_UINT, ZERO_ADDRESS
from spmodel.mirror import (
    MAX_GAIN_AMOUNT,
    MAX_GAIN_TOKENS,
    MAX_STREAM_DURATION,
    MAX_TOTAL_DEPOSITS,
    P_MIN,
    P_PRECISION,
    RATE_PRECISION,
)


def test_extremes__total_deposits_cap_is_exact(harness, pool, lens, debt_token, weth, alice, bob, carol):
    harness.deposit(alice, 6 * 10**29)
    harness.deposit(bob, 4 * 10**29 - 1)
    harness.deposit(bob, 1)  # exactly at the cap, 1e30
    assert pool.totalDeposits() == MAX_TOTAL_DEPOSITS == 10**30
    with (
        unchanged(lens, pool, debt_token, [weth], [alice, bob, carol]),
        reverts_with(pool.TotalDepositsCapExceeded, amount=1, available=0),
    ):
        pool.deposit(1, sender=carol)
    harness.check()


def test_extremes__gain_amount_cap_is_exact(harness, pool, lens, debt_token, weth, alice, bob, liquidator):
    harness.deposit(alice, 3)
    harness.deposit(bob, MAX_TOTAL_DEPOSITS - 3)
    with (
        unchanged(lens, pool, debt_token, [weth], [alice, bob, liquidator]),
        reverts_with(pool.GainAmountTooLarge, amount=MAX_GAIN_AMOUNT + 1, cap=MAX_GAIN_AMOUNT),
    ):
        pool.offset(0, weth, MAX_GAIN_AMOUNT + 1, sender=liquidator)
    harness.offset(MAX_TOTAL_DEPOSITS - 1, weth, MAX_GAIN_AMOUNT)  # the biggest credit, 1 wei left
    harness.offset(0, weth, MAX_GAIN_AMOUNT)  # and again onto that 1 wei
    harness.check()
    # Each 1e36 is shared 3 : 1e30 - 3, the second one by snapshots whose deposits now read 0 wei.
    assert pool.getDepositorGain(alice, weth) == 2 * 3 * 10**6
    assert pool.getDepositorGain(bob, weth) == 2 * (MAX_TOTAL_DEPOSITS - 3) * 10**6
    harness.claim(alice)
    harness.withdraw(bob, MAX_UINT)
    harness.check()


def test_extremes__stream_duration_and_amount_caps(chain, harness, pool, lens, debt_token, weth, alice, distributor):
    """With nobody deposited a stream is paused, so the caps are exact: 10 years is fine, 1 s more
    is not; a stream may hold up to 1e36 unreleased, and the error names the room left."""
    watched = (lens, pool, debt_token, [weth], [alice, distributor])
    with (
        unchanged(*watched),
        reverts_with(pool.DurationTooLong, duration=MAX_STREAM_DURATION + 1, cap=MAX_STREAM_DURATION),
    ):
        pool.notifyReward(weth, E18, MAX_STREAM_DURATION + 1, sender=distributor)
    harness.notify(weth, MAX_GAIN_AMOUNT - 5, MAX_STREAM_DURATION)
    rate = (MAX_GAIN_AMOUNT - 5) * RATE_PRECISION // MAX_STREAM_DURATION
    room = MAX_GAIN_AMOUNT - rate * MAX_STREAM_DURATION // RATE_PRECISION
    assert room == 6  # the rate's floor keeps back under 1 wei
    with unchanged(*watched), reverts_with(pool.GainAmountTooLarge, amount=7, cap=room):
        pool.notifyReward(weth, 7, 60, sender=distributor)
    harness.notify(weth, 6, MAX_STREAM_DURATION)
    new_rate = (rate * MAX_STREAM_DURATION + 6 * RATE_PRECISION) // MAX_STREAM_DURATION
    unreleased, rate, _, finish = pool.getStream(weth)
    assert rate == new_rate and unreleased == rate * MAX_STREAM_DURATION // RATE_PRECISION == MAX_GAIN_AMOUNT
    assert finish == chain.blocks.head.timestamp + MAX_STREAM_DURATION

    harness.deposit(alice, E18)
    chain.pending_timestamp = chain.pending_timestamp + MAX_STREAM_DURATION + 1
    harness.claim(alice)  # the whole stream, released to its only depositor
    assert 0 <= MAX_GAIN_AMOUNT - weth.balanceOf(alice) <= 2
    harness.check()


def test_extremes__offsets_leaving_one_wei_never_revert_and_keep_p_in_range(harness, pool, depositors, weth, wbtc):
    """From the cap down to 1 wei, again and again (five rescales each time from P = 1e27: the
    bound), with collateral at the cap onto a 1-wei pool; P stays in [1e27, 1e33]; finally an emptying offset
    starts a new epoch and the pool works on."""
    h = harness
    h.deposit(depositors[0], MAX_TOTAL_DEPOSITS)
    scales = [pool.currentScale()]
    for i in range(1, 6):
        h.offset(pool.totalDeposits() - 1, weth, E18 * i)
        assert pool.totalDeposits() == 1
        assert P_MIN <= pool.P() <= P_PRECISION
        h.offset(0, weth, MAX_GAIN_AMOUNT)
        scales.append(pool.currentScale())
        h.deposit(depositors[i], MAX_TOTAL_DEPOSITS - 1)
        h.check()
    assert scales == [0, 4, 9, 14, 19, 24]  # 1e33 -> 1e3 (4 rescales), then 1e27 -> 1e-3 (5 each)
    h.offset(pool.totalDeposits(), weth, E18)
    assert (pool.currentEpoch(), pool.P(), pool.totalDeposits()) == (1, P_PRECISION, 0)
    h.deposit(depositors[6], E18)
    h.offset(E18 // 2, weth, E18)
    assert pool.getCompoundedDeposit(depositors[6]) == E18 // 2
    h.check()
    for who in depositors[:7]:
        h.withdraw(who, MAX_UINT)
    h.check()


def test_extremes__gain_token_registration_limits(owner, pool, lens, debt_token, weth, make_token, alice):
    watched = (lens, pool, debt_token, [weth], [owner, alice])
    with unchanged(*watched), reverts_with(pool.ZeroAddress):
        pool.registerGainToken(ZERO_ADDRESS, sender=owner)
        with reverts_with(pool.InvalidGainToken, token=debt_token):
            pool.registerGainToken(debt_token, sender=owner)
        with reverts_with(pool.InvalidGainToken, token=weth):
            pool.registerGainToken(weth, sender=owner)
    extra = [make_token(f"G{i}") for i in range(MAX_GAIN_TOKENS)]
    for token in extra[:-1]:
        pool.registerGainToken(token, sender=owner)
    assert len(pool.gainTokens()) == MAX_GAIN_TOKENS
    with unchanged(*watched), reverts_with(pool.TooManyGainTokens, cap=MAX_GAIN_TOKENS):
        pool.registerGainToken(extra[-1], sender=owner)
    assert list(pool.gainTokens()) == [weth.address] + [t.address for t in extra[:-1]]
