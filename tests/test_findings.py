"""Security review round 2: each finding reproduced as an attacker would run it. Every one of these
tests fails on the pool before the fix (commit b716c5b) and passes after it.

1. A stream held while the pool could not take it was released as a lump to whoever accrued first
   (a flash-loan depositor): now it pauses, and resumes second by second.
2. A gain token that reverted on transfer locked the depositor's debt tokens: now the gain is kept
   for them (GainDeferred, `deferredGains`) and claimable later, to any address.
3. `notifyReward(token, amount, 0)` released the whole remainder of a running stream: now it credits
   exactly `amount` and leaves the stream as it was.
4. The stream threshold was a fixed 1e9 wei: now it is set at deployment (minStreamDeposits).
(5, inputs near 2^256, and the 1e30 deposit cap are in test_pool_unit.py and test_security.py.)
All accepted operations go through the model-checked Harness, whose exact model states the ideal
economics independently of the contract: `check()` holds every payout at or below it.
"""

import pytest

from _reverts import reverts_with
from constants import E18, MAX_UINT
from spmodel.chain.harness import Harness
from spmodel.chain.simulation import HostileMode
from spmodel.mirror import RATE_PRECISION


@pytest.fixture
def batcher(project, owner, pool, debt_token):
    """A contract depositor holding 1e30 debt tokens, with the pool approved."""
    batcher = project.Batcher.deploy(sender=owner)
    debt_token.mint(batcher, 10**30, sender=owner)
    batcher.run([debt_token.address], [debt_token.approve.encode_input(pool, MAX_UINT)], sender=owner)
    return batcher


def at(chain, t):
    chain.pending_timestamp = t


# ---------------------------------------------------------------- 1. no lump for a flash depositor


@pytest.mark.parametrize("scenario", ["near-empty offset", "emptying offset", "launch"])
def test_flash_depositor_gets_nothing_of_a_paused_stream(
    harness, pool, chain, alice, bob, owner, weth, batcher, scenario
):
    """The review's example: Alice deposits 1000e18; a 1000e18 WETH stream over 1,000 s starts; at
    t = 100 an offset leaves 1e8 wei (or empties the pool, or nobody had deposited at all); at
    t = 2000 a newcomer deposits, claims and withdraws in one transaction. Before the fix it took
    ~900 WETH after 0 seconds in the pool; now 0. The stream then resumes for whoever is present:
    Bob, in for 10 seconds, earns 10 seconds' worth."""
    h = harness
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    if scenario != "launch":
        h.deposit(alice, 1000 * E18)
    t0 = h.notify(weth, 1000 * E18, 1000).timestamp  # 1e18 per second
    at(chain, t0 + 100)
    if scenario == "near-empty offset":
        h.offset(1000 * E18 - 10**8, weth, 0)
    elif scenario == "emptying offset":
        h.offset(1000 * E18, weth, 0)
    at(chain, t0 + 2000)
    assert h.flash(batcher, 10**27 - 10**8, sender=owner) == {}
    assert weth.balanceOf(batcher) == 0
    h.check()
    earned_before = 0 if scenario == "launch" else 100 * E18  # Alice alone for 100 s
    _, rate, _, finish = pool.getStream(weth)
    assert (rate, finish) == (E18 * RATE_PRECISION, t0 + 1000 + 2000 - 100 * (scenario != "launch"))

    at(chain, t0 + 2001)
    h.deposit(bob, 1000 * E18)
    at(chain, t0 + 2011)
    h.claim(bob)
    h.check()
    dust = 10**8 if scenario == "near-empty offset" else 0  # Alice's remaining deposit shares it
    want = 10 * E18 * (1000 * E18) // (1000 * E18 + dust)
    assert 0 <= want - weth.balanceOf(bob) <= 2
    if scenario != "launch":
        seconds = h.withdraw(alice, MAX_UINT).timestamp - (t0 + 2001)  # Alice's dust shares these too
        alice_share = seconds * E18 * dust // (1000 * E18 + dust)
        assert 0 <= earned_before + alice_share - weth.balanceOf(alice) <= 3


# ---------------------------------------------------------------- 3. zero duration is a lump of `amount` only


def test_zero_duration_credits_only_its_amount_and_leaves_the_stream(harness, pool, chain, alice, bob, weth):
    """A 1000-WETH stream over 30 days; on day 1 a front-runner deposits as much as Alice just
    before a 1-WETH zero-duration notification. Before the fix that notification released the
    stream's whole remainder (the front-runner took ~483 WETH); now it credits exactly 1 WETH."""
    h, day = harness, 86400
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    h.deposit(alice, 100 * E18)
    t0 = h.notify(weth, 1000 * E18, 30 * day).timestamp
    rate = 1000 * E18 * RATE_PRECISION // (30 * day)
    at(chain, t0 + day)
    h.deposit(bob, 100 * E18)
    at(chain, t0 + day + 1)
    h.notify(weth, E18, 0)
    assert pool.getStream(weth) == (rate * (29 * day - 1) // RATE_PRECISION, rate, t0 + day + 1, t0 + 30 * day)
    # Bob: half of 1 WETH, and half of the one second of stream he was in for.
    want = E18 // 2 + rate // RATE_PRECISION // 2
    assert 0 <= want - pool.getDepositorGain(bob, weth) <= 2
    h.check()


# ---------------------------------------------------------------- 4. a stream threshold that fits the token


def test_stream_threshold_is_set_per_debt_token(
    create_pool, usdc, weth, lens, chain, liquidator, distributor, alice, bob
):
    """A 6-decimal debt token with minStreamDeposits = 1e6 (one token): the stream releases once the
    pool holds 1 USDC, not 1,000 (the old fixed 1e9 wei), and pauses below it."""
    usdc_pool = create_pool([weth], debt=usdc, min_stream_deposits=10**6)
    h = Harness(usdc_pool, usdc, [weth], chain, lens, liquidator, distributor)
    t0 = chain.pending_timestamp + 10
    at(chain, t0)
    h.deposit(alice, 10**6 - 1)
    t0 = h.notify(weth, 1000 * E18, 1000).timestamp
    at(chain, t0 + 100)
    h.deposit(bob, 1)  # 100 s paused below 1 USDC: the end moves to t0 + 1100
    assert usdc_pool.getStream(weth)[2:] == (t0 + 100, t0 + 1100)
    at(chain, t0 + 110)
    h.claim(bob)  # 10 s at 1e18 per second, Bob holds 1e-6 of the pool
    assert weth.balanceOf(bob) == 10 * E18 // 10**6
    h.check()


# ---------------------------------------------------------------- 2. no token can lock another's funds


@pytest.fixture
def hostile_pool(project, owner, create_pool, debt_token, weth, lens, chain, liquidator, distributor, alice, bob):
    """A pool paying WETH and a HostileERC20, Alice and Bob in, one offset crediting both tokens."""
    hostile = project.HostileERC20.deploy(sender=owner)
    pool = create_pool([weth, hostile])
    h = Harness(pool, debt_token, [weth, hostile], chain, lens, liquidator, distributor)
    h.deposit(alice, 300 * E18)
    h.deposit(bob, 100 * E18)
    h.offset(40 * E18, weth, 4 * E18)
    h.offset(0, hostile, 8 * E18)
    return pool, h, hostile


@pytest.mark.parametrize("failure", ["blocklist", "revert", "return false", "burn gas"])
def test_failing_gain_token_cannot_lock_the_deposit(hostile_pool, alice, bob, carol, weth, failure):
    """Alice withdraws everything while the hostile token refuses to pay her: her debt tokens and
    her WETH arrive, her 6e18 of the hostile token is kept for her (GainDeferred), and she later
    collects it to another address once the token pays. Bob, not affected by a blocklist, is paid."""
    pool, h, hostile = hostile_pool
    if failure == "blocklist":
        hostile.setBlocked(alice, True, sender=alice)
    else:
        mode = {
            "revert": HostileMode.RevertAll,
            "return false": HostileMode.ReturnFalse,
            "burn gas": HostileMode.BurnGas,
        }[failure]
        hostile.setMode(mode, sender=alice)
    debt_before = h.debt_token.balanceOf(alice)
    receipt = h.withdraw(alice, MAX_UINT)  # the Harness checks GainPaid / GainDeferred against the mirror
    assert h.debt_token.balanceOf(alice) - debt_before == 270 * E18
    assert weth.balanceOf(alice) == 3 * E18
    assert hostile.balanceOf(alice) == 0
    assert pool.deferredGains(alice, hostile) == 6 * E18
    [log] = pool.GainDeferred.from_receipt(receipt)
    assert (log.depositor, log.token, log.amount) == (alice.address, hostile.address, 6 * E18)
    if failure == "burn gas":
        assert receipt.gas_used > 2 * 150_000  # the token burnt its allowance on both calls
    h.check()
    if failure == "blocklist":
        h.claim(bob)
        assert hostile.balanceOf(bob) == 2 * E18
    else:
        hostile.setMode(HostileMode.Normal, sender=alice)
    h.claim_deferred(alice, hostile, carol)
    assert hostile.balanceOf(carol) == 6 * E18
    assert pool.deferredGains(alice, hostile) == 0
    h.check()


def test_claim_deferred__error_paths_change_nothing(hostile_pool, alice, carol):
    pool, h, hostile = hostile_pool
    with reverts_with(pool.NothingDeferred, account=alice.address, token=hostile.address):
        pool.claimDeferred(hostile, alice, sender=alice)
    hostile.setBlocked(alice, True, sender=alice)
    h.claim(alice)
    with reverts_with(pool.ZeroAddress):
        pool.claimDeferred(hostile, "0x0000000000000000000000000000000000000000", sender=alice)
    with reverts_with(hostile.Blocked, account=alice.address):  # still blocked: refused, kept
        pool.claimDeferred(hostile, alice, sender=alice)
    assert pool.deferredGains(alice, hostile) == 6 * E18
    h.check()


def test_payout_with_too_little_gas_reverts_instead_of_deferring(hostile_pool, alice):
    """A gas limit too low to give the token its allowance reverts the call (PayoutGasTooLow):
    a deferral always means the token failed, never that the caller's gas ran short (so
    eth_estimateGas cannot settle on a limit that defers gains)."""
    pool, h, hostile = hostile_pool
    with reverts_with(pool.PayoutGasTooLow, required=200_000 * 64 // 63 + 10_000):
        pool.claim(sender=alice, gas_limit=150_000)
    assert pool.deferredGains(alice, hostile) == 0
    h.check()
