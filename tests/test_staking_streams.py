"""SumStaking reward streams, with every payout computed from the contract's formulas: a late
staker's quarter, awkward numbers within a wei per release and payout, a stream that pauses while
nothing is staked (also one notified before anyone stakes), zero-duration credits, a second
notification carrying the remainder, a same-transaction staker who gets nothing of a paused
stream, and rewards owed never above the balance.
"""

from _reverts import reverts_with
from _staking import PRECISION, at, credit_dS, logs, paid, rate_of, released_dS, share
from constants import E18, MAX_UINT
from spmodel.mirror import RATE_PRECISION

pytest_plugins = ["_staking_fixtures"]


def test_two_stakers__late_staker_gets_a_quarter(chain, staking, alice, bob, distributor, rwd, t0):
    """A stakes 100 at t0, R = 4e18 streams over T = 1000 s from t0, B stakes 100 at t0 + T/2:
    A earns R/2 + R/4 = 3R/4, B earns R/4 (every division is exact here)."""
    R, T = 4 * E18, 1000
    rate = rate_of(R, T)
    assert rate == 4 * 10**33
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + T // 2)
    staking.stake(100 * E18, sender=bob)
    assert staking.getStream(rwd) == (R // 2, rate, t0 + T // 2, t0 + T)

    at(chain, t0 + T + 7)
    got_a = paid(staking.claim(sender=alice), staking, rwd)
    at(chain, t0 + T + 9)
    got_b = paid(staking.claim(sender=bob), staking, rwd)

    assert got_a == 3 * R // 4
    assert got_b == R // 4
    assert rwd.balanceOf(alice) == got_a and rwd.balanceOf(bob) == got_b
    assert staking.getStream(rwd) == (0, rate, t0 + T + 7, 0)  # finished
    assert rwd.balanceOf(staking) == 0


def test_two_stakers__awkward_numbers_stay_within_a_wei_per_release_and_payout(
    chain, staking, alice, bob, distributor, rwd, t0
):
    """Amounts and times that make every division round: each payout is exactly what the formulas
    give, and the total stays within one wei per release and payout below R, never above."""
    R, T = 10**18 + 12_345, 997
    a, b = 3 * E18 + 1, 7 * E18 + 3
    rate = rate_of(R, T)
    at(chain, t0)
    staking.stake(a, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 331)
    staking.stake(b, sender=bob)
    at(chain, t0 + 600)
    r1 = staking.claim(sender=alice)
    at(chain, t0 + T + 1)
    r2 = staking.claim(sender=alice)
    r3 = staking.claim(sender=bob)

    s1 = released_dS(rate * 331, a)
    s2 = s1 + released_dS(rate * (600 - 331), a + b)
    s3 = s2 + released_dS(rate * (T - 600), a + b)
    assert staking.S(rwd) == s3
    assert paid(r1, staking, rwd) == share(a, s2)
    assert paid(r2, staking, rwd) == share(a, s3 - s2)
    assert paid(r3, staking, rwd) == share(b, s3 - s1)

    total_paid = sum(paid(r, staking, rwd) for r in (r1, r2, r3))
    releases = 3  # at t0 + 331, t0 + 600, t0 + T + 1 (the second claim there releases nothing)
    payouts = 3
    assert R - (releases + payouts) <= total_paid <= R
    assert rwd.balanceOf(staking) == R - total_paid


def test_stream_while_nobody_staked__pauses_until_someone_stakes(chain, staking, alice, distributor, rwd, t0):
    """Nothing is released while nothing is staked: the stream's end moves later by the time held,
    and the first staker earns it second by second from when they arrive."""
    R, T = 10**18 + 1, 1000
    rate = rate_of(R, T)
    unreleased = rate * T // RATE_PRECISION
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + T // 2)
    staking.stake(3 * E18, sender=alice)  # paused for T/2: finish moves from t0 + T to t0 + 3T/2
    assert staking.getStream(rwd) == (unreleased, rate, t0 + T // 2, t0 + T + T // 2)

    at(chain, t0 + 2 * T)
    got = paid(staking.claim(sender=alice), staking, rwd)
    assert got == share(3 * E18, released_dS(rate * T, 3 * E18))
    assert R - 2 <= got <= R  # the rate floor (< 1e-15 wei), one release and one payout
    assert staking.getStream(rwd) == (0, rate, t0 + 2 * T, 0)


def test_stream_notified_while_nobody_staked__starts_when_the_first_staker_comes(
    chain, staking, alice, distributor, rwd, t0
):
    """A stream whose original end passed before anyone staked is not released as a lump to the
    first staker: it runs its whole duration from their arrival."""
    R, T = 5 * E18 + 7, 100
    a = 3 * E18
    rate = rate_of(R, T)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 1000)
    staking.stake(a, sender=alice)
    assert staking.getStream(rwd) == (rate * T // RATE_PRECISION, rate, t0 + 1000, t0 + 1000 + T)
    assert staking.earned(alice, rwd) == 0  # view at the head block (t0 + 1000): nothing yet
    chain.mine(timestamp=t0 + 1040)
    assert staking.earned(alice, rwd) == share(a, released_dS(rate * 40, a))
    at(chain, t0 + 1101)
    got = paid(staking.claim(sender=alice), staking, rwd)
    assert got == share(a, released_dS(rate * T, a))
    assert R - 2 <= got <= R


def test_duration_zero__pays_at_once(chain, staking, alice, bob, distributor, rwd, t0):
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    staking.stake(300 * E18, sender=bob)
    at(chain, t0 + 1)
    receipt = staking.notifyReward(rwd, 4 * E18, 0, sender=distributor)
    [s_log] = logs(receipt, staking.S_Updated)
    assert (s_log.token, s_log.S) == (rwd.address, credit_dS(4 * E18, 400 * E18))
    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.duration, log.rate, log.finish) == (rwd.address, 4 * E18, 0, 0, 0)
    assert staking.getStream(rwd) == (0, 0, 0, 0)  # no stream was started or touched
    assert staking.earned(alice, rwd) == E18
    assert staking.earned(bob, rwd) == 3 * E18
    assert paid(staking.claim(sender=bob), staking, rwd) == 3 * E18


def test_duration_zero_during_a_stream__credits_exactly_and_leaves_the_stream(
    chain, staking, alice, bob, distributor, rwd, t0
):
    """A zero-duration notification credits exactly its amount (nothing joins the stream, nothing
    is held), and with nothing staked it is refused with NothingStaked."""
    R, T = 4 * E18 + 3, 1000
    a, b = 100 * E18, 300 * E18
    rate = rate_of(R, T)
    at(chain, t0)
    staking.stake(a, sender=alice)
    at(chain, t0)  # each transaction pinned: a block left to the clock may land a second later
    staking.stake(b, sender=bob)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 100)
    staking.claim(sender=bob)  # advances the stream to t0 + 100
    stream = staking.getStream(rwd)
    assert stream == (rate * (T - 100) // RATE_PRECISION, rate, t0 + 100, t0 + T)
    s_before = staking.S(rwd)
    assert s_before == released_dS(rate * 100, a + b)
    earned_a = staking.earned(alice, rwd)
    assert earned_a == share(a, s_before)

    at(chain, t0 + 100)
    receipt = staking.notifyReward(rwd, 2 * E18, 0, sender=distributor)
    assert staking.getStream(rwd) == stream  # untouched
    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.duration, log.rate, log.finish) == (rwd.address, 2 * E18, 0, rate, t0 + T)
    [s_log] = logs(receipt, staking.S_Updated)  # only the credit: the stream had nothing to release
    assert s_log.S == s_before + credit_dS(2 * E18, a + b) == s_before + 5 * 10**24
    # Exactly 2e18 more, split 1 : 3 (the stream adds nothing within the same second).
    assert staking.earned(alice, rwd) - earned_a == E18 // 2
    assert staking.earned(bob, rwd) == 3 * E18 // 2
    assert rwd.balanceOf(staking) == R + 2 * E18 - share(b, s_before)  # bob claimed at t0 + 100

    at(chain, t0 + 200)
    staking.unstake(MAX_UINT, sender=alice)
    staking.unstake(MAX_UINT, sender=bob)
    with reverts_with(staking.NothingStaked):
        staking.notifyReward(rwd, E18, 0, sender=distributor)


def test_second_notify_mid_stream__carries_the_remainder(chain, staking, alice, distributor, rwd, t0):
    R1, R2, T = 4 * E18, 6 * E18, 1000
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R1, T, sender=distributor)
    at(chain, t0 + 250)
    receipt = staking.notifyReward(rwd, R2, T, sender=distributor)

    rate = rate_of(R2, T, unreleased_scaled=rate_of(R1, T) * 750)  # (3e36 + 6e36) / 1000
    assert rate == 9 * 10**33
    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.duration, log.rate, log.finish) == (rwd.address, R2, T, rate, t0 + 250 + T)
    assert staking.getStream(rwd) == (R1 * 3 // 4 + R2, rate, t0 + 250, t0 + 250 + T)
    [s_log] = logs(receipt, staking.S_Updated)  # the first quarter of R1 was released first
    assert s_log.S == (R1 // 4) * PRECISION // (100 * E18)

    at(chain, t0 + 250 + T // 2)  # half of the combined stream
    assert paid(staking.claim(sender=alice), staking, rwd) == R1 // 4 + (R1 * 3 // 4 + R2) // 2
    at(chain, t0 + 250 + T)
    staking.claim(sender=alice)
    assert rwd.balanceOf(alice) == R1 + R2  # every division is exact here


def test_solvency__rewards_owed_never_exceed_the_balance(
    chain, staking, owner, alice, bob, carol, distributor, rwd, rwd2, t0
):
    """Several stakers and two streams, every action at an awkward time: after each step the sum of
    everyone's earned is at most the contract's balance, and at the end everything but
    sub-wei dust (at most one wei per release plus one per payout) has been paid out."""
    staking.registerRewardToken(rwd2, sender=owner)
    stakers = (alice, bob, carol)
    notified = {rwd: 0, rwd2: 0}
    receipts = []

    def act(dt, fn, *args, sender):
        at(chain, t0 + dt)
        receipt = fn(*args, sender=sender)
        receipts.append(receipt)
        chain.mine(timestamp=t0 + dt)
        for token in (rwd, rwd2):
            owed = sum(staking.earned(s, token) for s in stakers)
            assert owed <= token.balanceOf(staking)
        return receipt

    def notify(dt, token, amount, duration):
        notified[token] += amount
        act(dt, staking.notifyReward, token, amount, duration, sender=distributor)

    notify(0, rwd, 3 * E18 + 17, 700)  # nobody staked yet: paused until alice stakes
    act(13, staking.stake, 1 * E18 + 7, sender=alice)
    notify(29, rwd2, 5 * 10**6 + 3, 401)
    act(97, staking.stake, 333 * 10**15, sender=bob)
    act(151, staking.stake, 2, sender=carol)  # a 2-wei stake
    act(211, staking.claim, sender=alice)
    notify(307, rwd, 10**17 + 1, 0)
    act(389, staking.unstake, 10**15 + 1, sender=bob)
    act(401, staking.stake, 5 * E18, sender=carol)
    notify(499, rwd2, 7 * 10**6, 977)
    act(613, staking.unstake, MAX_UINT, sender=alice)
    act(777, staking.claim, sender=carol)
    act(1500, staking.unstake, MAX_UINT, sender=bob)
    act(1500, staking.unstake, MAX_UINT, sender=carol)

    assert staking.totalStaked() == 0
    releases = sum(len(logs(r, staking.S_Updated)) for r in receipts)
    for token in (rwd, rwd2):
        assert staking.getStream(token)[0] == 0  # everything released
        received = sum(token.balanceOf(s) for s in stakers)
        payouts = sum(1 for r in receipts for log in logs(r, staking.RewardPaid) if log.token == token.address)
        dust = token.balanceOf(staking)
        assert received + dust == notified[token]
        assert dust <= releases + payouts, (token.symbol(), dust, releases, payouts)


# ---------------------------------------------------------------- flash capture (stream pause)


def test_flash_capture__same_transaction_staker_gets_nothing_and_the_stream_resumes(
    chain, project, staking, owner, alice, bob, carol, distributor, stk, rwd, t0
):
    """A stream runs with one staker, who leaves; nothing is staked past the stream's original end.
    A contract that stakes, claims and unstakes in one transaction then gets 0 (the paused stream
    has released nothing to take), and the stream resumes second by second for whoever stays."""
    R, T = 10**18 + 7, 997
    a, b = 10 * E18, 3 * E18 + 1
    rate = rate_of(R, T)
    at(chain, t0)
    staking.stake(a, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 250)
    receipt = staking.unstake(MAX_UINT, sender=alice)
    assert paid(receipt, staking, rwd) == share(a, released_dS(rate * 250, a))
    unreleased = rate * (T - 250) // RATE_PRECISION
    assert staking.getStream(rwd) == (unreleased, rate, t0 + 250, t0 + T)

    batcher = project.Batcher.deploy(sender=owner)
    X = 50 * E18
    stk.mint(batcher, X, sender=owner)
    targets = [stk.address, staking.address, staking.address, staking.address]
    calls = [
        stk.approve.encode_input(staking.address, X),
        staking.stake.encode_input(X),
        staking.claim.encode_input(),
        staking.unstake.encode_input(MAX_UINT),
    ]
    t_flash = t0 + 2 * T  # long past the stream's original end (t0 + T)
    at(chain, t_flash)
    receipt = batcher.run(targets, calls, sender=carol)
    assert logs(receipt, staking.RewardPaid) == [] and logs(receipt, staking.S_Updated) == []
    assert rwd.balanceOf(batcher) == 0
    assert stk.balanceOf(batcher) == X and staking.totalStaked() == 0
    # Paused from t0 + 250 to t_flash: the end moved later by exactly that hold.
    assert staking.getStream(rwd) == (unreleased, rate, t_flash, t_flash + T - 250)

    t1, k = t0 + 3000, 100
    at(chain, t1)
    staking.stake(b, sender=bob)
    assert staking.getStream(rwd) == (unreleased, rate, t1, t1 + T - 250)
    at(chain, t1 + k)
    got = paid(staking.unstake(MAX_UINT, sender=bob), staking, rwd)
    assert got == share(b, released_dS(rate * k, b))
    assert rate * k // RATE_PRECISION - 1 <= got <= rate * k // RATE_PRECISION  # k seconds' worth
    assert staking.getStream(rwd) == (rate * (T - 250 - k) // RATE_PRECISION, rate, t1 + k, t1 + T - 250)
