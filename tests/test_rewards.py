"""Reward streams over P: fairness over time, no free ride, nothing lost while the pool is empty,
and streams across liquidations, scale changes and emptying. Every test ends with the model check."""

from constants import E18, MAX_UINT
from spmodel.mirror import RATE_PRECISION

T = 1000


def at(chain, t):
    chain.pending_timestamp = t


def test_fairness__late_depositor_gets_a_quarter(harness, pool, chain, alice, bob, weth):
    """A deposits at t0, B the same at t0 + T/2: a stream of R over T pays A 3R/4 and B R/4."""
    h, R = harness, 4 * E18
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    h.deposit(alice, 100 * E18)
    at(chain, t0 + 1)
    t1 = h.notify(weth, R, T).timestamp
    at(chain, t1 + T // 2)
    h.deposit(bob, 100 * E18)
    at(chain, t1 + T)
    h.claim(alice)
    h.claim(bob)
    h.check()
    alice_got, bob_got = weth.balanceOf(alice), weth.balanceOf(bob)
    assert 0 <= 3 * R // 4 - alice_got <= 2
    assert 0 <= R // 4 - bob_got <= 2


def test_no_free_ride__in_one_block_before_and_out_one_after(harness, pool, chain, alice, bob, weth):
    """A depositor who enters one second before a 'snapshot' and leaves one second after earns
    only those seconds' share of the stream, not a snapshot's worth."""
    h, R = harness, 1000 * E18
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    h.deposit(alice, 100 * E18)
    t0 = h.notify(weth, R, T).timestamp  # 1e18 per second
    at(chain, t0 + 499)
    h.deposit(bob, 100 * E18)  # the free rider
    at(chain, t0 + 500)
    h.offset(0, weth, 1)  # the "snapshot" moment: any state change
    at(chain, t0 + 501)
    h.withdraw(bob, MAX_UINT)
    h.check()
    # Bob held half the pool for 2 seconds: 1e18 per second / 2 * 2 = 1e18 (+ half of 1 wei).
    assert 0 <= E18 - weth.balanceOf(bob) <= 2


def test_empty_pool__stream_pauses_and_resumes_second_by_second(harness, pool, chain, alice, weth):
    """Notified into an empty pool, a stream releases nothing and its end moves later; the first
    depositor then earns it second by second, never as a lump (finding 1 of the security review)."""
    h, R = harness, 7 * E18 + 3
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    t0 = h.notify(weth, R, T).timestamp  # nobody deposited: the stream is paused from the start
    rate = R * RATE_PRECISION // T
    at(chain, t0 + 2 * T)
    h.deposit(alice, E18)  # 2T paused: the end moves from t0 + T to t0 + 3T
    assert pool.getStream(weth) == (rate * T // RATE_PRECISION, rate, t0 + 2 * T, t0 + 3 * T)
    at(chain, t0 + 2 * T + 1)
    h.claim(alice)
    h.check()
    assert weth.balanceOf(alice) == rate // RATE_PRECISION == R // T  # one second's worth, not 2T's
    at(chain, t0 + 3 * T + 5)
    h.claim(alice)
    h.check()
    assert pool.getStream(weth) == (0, rate, t0 + 3 * T + 5, 0)
    assert 0 <= R - weth.balanceOf(alice) <= 2  # the rest, by the moved end


def test_zero_duration__paid_at_once(harness, pool, alice, bob, weth):
    h = harness
    h.deposit(alice, 30 * E18)
    h.deposit(bob, 10 * E18)
    receipt = h.notify(weth, 8 * E18, 0)
    [s] = pool.S_Updated.from_receipt(receipt)
    assert s.S == 8 * E18 * 10**33 // (40 * E18)
    assert pool.getDepositorGain(alice, weth) == 6 * E18
    assert pool.getDepositorGain(bob, weth) == 2 * E18
    h.check()


def test_new_notification_carries_the_remainder(harness, pool, chain, alice, weth):
    h = harness
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    h.deposit(alice, E18)
    started = h.notify(weth, 10 * E18, T).timestamp
    at(chain, started + T // 4)
    receipt = h.notify(weth, 5 * E18, T)
    [log] = pool.RewardNotified.from_receipt(receipt)
    # A quarter of the first stream was released: 7.5 left, plus the new 5, over T: 1.25e16 per second.
    assert (log.amount, log.duration, log.rate, log.finish) == (5 * E18, T, 125 * 10**32, started + T // 4 + T)
    assert pool.getStream(weth) == (12_500_000_000_000_000_000, 125 * 10**32, started + T // 4, started + T // 4 + T)
    at(chain, started + T // 4 + T)
    h.claim(alice)
    h.check()
    assert 0 <= 15 * E18 - weth.balanceOf(alice) <= 2


def test_stream_across_liquidation_scale_change_and_emptying(harness, pool, chain, alice, bob, weth):
    h = harness
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    h.deposit(alice, 10**24)
    t0 = h.notify(weth, 9 * E18, 9 * T).timestamp  # 1e15 per second from here
    at(chain, t0 + T)
    h.offset(10**24 // 2, weth, 0)  # a liquidation mid-stream
    at(chain, t0 + 2 * T)
    h.offset(10**24 // 2 - 10, weth, 0)  # leaves 10 wei: P 5e32 -> 1e28, three scale changes
    assert (pool.currentScale(), pool.P()) == (3, 10**28)
    at(chain, t0 + 3 * T)
    h.deposit(bob, 10 * E18)
    at(chain, t0 + 4 * T)
    h.offset(pool.totalDeposits(), weth, 0)  # emptied: the stream pauses from here
    at(chain, t0 + 6 * T)
    h.deposit(bob, E18)
    at(chain, t0 + 9 * T)
    h.claim(bob)  # at exactly 9T: the stream paused 3T in all, its end moved from 9T to 12T
    assert pool.getStream(weth) == (3 * E18, 10**15 * RATE_PRECISION, t0 + 9 * T, t0 + 12 * T)
    h.withdraw(alice, MAX_UINT)  # 9T or one second later: her 10 wei earn nothing from 9T on
    h.check()
    # Alice alone for 2T. From 2T the pool holds 10 wei, below minStreamDeposits (1e9): paused
    # until Bob joins at 3T; T's worth (1e18) is then shared by Alice's 10 wei and Bob's 10e18 until
    # the pool is emptied at 4T: Alice gets 1e18 * 10 / (10e18 + 10), about 1 wei. Paused again
    # while empty until 6T; Bob alone earns 3T's worth by 9T. The stream paused 3T in all, so its
    # end moved from 9T to 12T and 3T's worth is still to come.
    alice_tail = E18 * 10 // (10 * E18 + 10)
    assert 0 <= 2 * E18 + alice_tail - weth.balanceOf(alice) <= 3
    assert 0 <= 4 * E18 - alice_tail - weth.balanceOf(bob) <= 3
