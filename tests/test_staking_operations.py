"""SumStaking stakes, events, views and gas: unstake is capped at the stake and MAX closes it,
every event field by field, `earned` equals what a claim at the same timestamp pays, and each
operation stays below the gas ceiling.
"""

from _reverts import reverts_with
from _staking import GAS_CEILING, PRECISION, at, logs, paid
from constants import E18, MAX_UINT

pytest_plugins = ["_staking_fixtures"]


def test_unstake__capped_at_stake_then_max_closes(chain, staking, alice, bob, stk, rwd, distributor, t0):
    at(chain, t0)
    staking.stake(10 * E18, sender=alice)
    staking.stake(5 * E18, sender=bob)
    staking.notifyReward(rwd, 3 * E18, 0, sender=distributor)
    before = stk.balanceOf(bob)

    staking.unstake(6 * E18, sender=bob)  # more than the stake: pays the stake
    assert stk.balanceOf(bob) == before + 5 * E18
    assert staking.stakeOf(bob) == 0 and staking.totalStaked() == 10 * E18
    assert staking.snapshotS(bob, rwd) == 0  # cleared with the stake
    assert rwd.balanceOf(bob) == E18

    before = stk.balanceOf(alice)
    staking.unstake(4 * E18, sender=alice)
    assert stk.balanceOf(alice) == before + 4 * E18 and staking.stakeOf(alice) == 6 * E18
    assert staking.snapshotS(alice, rwd) == staking.S(rwd)
    receipt = staking.unstake(MAX_UINT, sender=alice)
    assert stk.balanceOf(alice) == before + 10 * E18
    assert staking.stakeOf(alice) == 0 and staking.totalStaked() == 0
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (alice.address, 0, 0)
    assert rwd.balanceOf(alice) == 2 * E18  # paid at the first unstake; nothing more accrued
    with reverts_with(staking.NoStake, staker=alice.address):
        staking.unstake(MAX_UINT, sender=alice)


# ---------------------------------------------------------------- events and views


def test_events__stake_and_notify_field_by_field(chain, staking, alice, bob, distributor, rwd, stk, t0):
    at(chain, t0)
    receipt = staking.stake(100 * E18, sender=alice)
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (alice.address, 100 * E18, 100 * E18)
    assert logs(receipt, staking.RewardPaid) == []

    at(chain, t0 + 10)
    receipt = staking.notifyReward(rwd, 4 * E18, 1000, sender=distributor)
    [log] = logs(receipt, staking.RewardNotified)
    fields = (log.token, log.amount, log.duration, log.rate, log.finish)
    assert fields == (rwd.address, 4 * E18, 1000, 4 * 10**33, t0 + 1010)
    assert logs(receipt, staking.S_Updated) == []  # nothing to release yet
    assert rwd.balanceOf(staking) == 4 * E18

    at(chain, t0 + 510)  # half the stream: 2e18 to alice alone
    receipt = staking.stake(100 * E18, sender=alice)
    [s_log] = logs(receipt, staking.S_Updated)
    assert (s_log.token, s_log.S) == (rwd.address, 2 * E18 * PRECISION // (100 * E18))
    [paid_log] = logs(receipt, staking.RewardPaid)
    assert (paid_log.staker, paid_log.token, paid_log.amount) == (alice.address, rwd.address, 2 * E18)
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (alice.address, 200 * E18, 200 * E18)
    assert staking.snapshotS(alice, rwd) == s_log.S == staking.S(rwd)

    at(chain, t0 + 510)
    receipt = staking.stake(50 * E18, sender=bob)
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (bob.address, 50 * E18, 250 * E18)
    assert logs(receipt, staking.S_Updated) == []  # already released up to now
    assert staking.stakeOf(bob) == 50 * E18


def test_earned__view_matches_the_payout(chain, staking, project, owner, alice, bob, distributor, rwd, rwd2, t0):
    staking.registerRewardToken(rwd2, sender=owner)
    at(chain, t0)
    staking.stake(3 * E18 + 1, sender=alice)
    staking.stake(7 * E18, sender=bob)
    staking.notifyReward(rwd, 10**18 + 3, 777, sender=distributor)
    staking.notifyReward(rwd2, 10**6 + 1, 333, sender=distributor)
    for dt in (101, 313, 500, 900):
        chain.mine(timestamp=t0 + dt)  # views at the head block see its timestamp
        views = {t: staking.earned(alice, t) for t in (rwd, rwd2)}
        at(chain, t0 + dt)  # the claim runs at the very same timestamp
        receipt = staking.claim(sender=alice)
        assert {t: paid(receipt, staking, t) for t in (rwd, rwd2)} == views
        assert all(staking.earned(alice, t) == 0 for t in (rwd, rwd2))


# ---------------------------------------------------------------- gas


def test_gas__each_operation_below_ceiling(chain, staking, alice, bob, distributor, rwd, t0):
    """One reward token with a running stream, and another staker present, so every call accrues."""
    gas = {}
    at(chain, t0)
    staking.stake(100 * E18, sender=bob)
    at(chain, t0)
    gas["notifyReward (new stream)"] = staking.notifyReward(rwd, 4 * E18, 10_000, sender=distributor).gas_used
    at(chain, t0 + 100)
    gas["stake (first)"] = staking.stake(50 * E18, sender=alice).gas_used
    at(chain, t0 + 200)
    receipt = staking.stake(50 * E18, sender=alice)
    assert paid(receipt, staking, rwd) > 0
    gas["stake (top-up, reward paid)"] = receipt.gas_used
    at(chain, t0 + 300)
    gas["claim"] = staking.claim(sender=alice).gas_used
    at(chain, t0 + 400)
    gas["notifyReward (mid-stream)"] = staking.notifyReward(rwd, E18, 10_000, sender=distributor).gas_used
    at(chain, t0 + 500)
    gas["unstake (partial)"] = staking.unstake(30 * E18, sender=alice).gas_used
    at(chain, t0 + 600)
    gas["unstake (all)"] = staking.unstake(MAX_UINT, sender=alice).gas_used

    print("\nSumStaking gas (1 reward token, stream running):")
    for name, used in gas.items():
        print(f"  {name:<48} {used:>8,}")
    for name, used in gas.items():
        assert used < GAS_CEILING, (name, used)
