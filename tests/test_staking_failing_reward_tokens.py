"""SumStaking with reward tokens that fail to pay: after a negative rebase, or when the token
blocklists the staker, reverts, returns false or burns its gas, the unstake still returns the stake
and pays the other reward tokens; the failed reward is deferred and collected later with
claimDeferred (to another address if need be), or refused with PoolShortfall while uncovered.
"""

import pytest

from _reverts import reverts_with
from _staking import GAS_CEILING, at, logs, paid
from constants import E18, MAX_UINT, ZERO_ADDRESS

pytest_plugins = ["_staking_fixtures"]

NORMAL, REVERT_ALL, RETURN_FALSE, BURN_GAS = range(4)  # HostileERC20.Mode


@pytest.fixture
def hostile(project, owner, distributor, staking):
    """A HostileERC20 registered as the second reward token, the distributor funded and approved."""
    token = project.HostileERC20.deploy(sender=owner)
    staking.registerRewardToken(token, sender=owner)
    token.mint(distributor, 10**30, sender=distributor)
    token.approve(staking, MAX_UINT, sender=distributor)
    return token


def test_payout__negative_rebase_defers_the_reward(chain, project, staking, owner, distributor, alice, t0):
    """The contract holds less than it owes in a reward token: the claim goes through, the reward
    is deferred, and claiming it strictly refuses with PoolShortfall."""
    reb = project.RebasingERC20.deploy(18, sender=owner)
    staking.registerRewardToken(reb, sender=owner)
    reb.mint(distributor, 100 * E18, sender=distributor)
    reb.approve(staking, MAX_UINT, sender=distributor)
    at(chain, t0)
    staking.stake(10 * E18, sender=alice)
    staking.notifyReward(reb, 100 * E18, 0, sender=distributor)  # nobody else: alice is owed it all
    reb.rebase(1, 2, sender=owner)  # the contract now holds 50

    receipt = staking.claim(sender=alice)
    assert paid(receipt, staking, reb) == 0
    [log] = logs(receipt, staking.RewardDeferred)
    assert (log.staker, log.token, log.amount) == (alice.address, reb.address, 100 * E18)
    assert staking.deferredRewards(alice, reb) == 100 * E18
    with reverts_with(staking.PoolShortfall, token=reb.address, owed=100 * E18, balance=50 * E18):
        staking.claimDeferred(reb, alice, sender=alice)


# ---------------------------------------------------------------- failing reward tokens


def test_blocklisted_staker__unstake_completes_reward_deferred_then_claimed_to_another_address(
    chain, staking, alice, carol, distributor, stk, rwd, hostile, t0
):
    a = 10 * E18
    at(chain, t0)
    staking.stake(a, sender=alice)
    staking.notifyReward(rwd, 3 * E18, 0, sender=distributor)
    staking.notifyReward(hostile, 5 * E18, 0, sender=distributor)
    hostile.setBlocked(alice, True, sender=carol)
    before = stk.balanceOf(alice)

    receipt = staking.unstake(MAX_UINT, sender=alice)
    assert stk.balanceOf(alice) == before + a and staking.stakeOf(alice) == 0
    assert paid(receipt, staking, rwd) == 3 * E18 and rwd.balanceOf(alice) == 3 * E18  # still paid
    assert paid(receipt, staking, hostile) == 0
    [log] = logs(receipt, staking.RewardDeferred)
    assert (log.staker, log.token, log.amount) == (alice.address, hostile.address, 5 * E18)
    assert staking.deferredRewards(alice, hostile) == 5 * E18
    assert staking.earned(alice, hostile) == 0  # the view does not count deferred rewards
    assert hostile.balanceOf(alice) == 0 and hostile.balanceOf(staking) == 5 * E18

    receipt = staking.claimDeferred(hostile, carol, sender=alice)
    [log] = logs(receipt, staking.DeferredRewardClaimed)
    assert (log.staker, log.token, log.recipient, log.amount) == (
        alice.address,
        hostile.address,
        carol.address,
        5 * E18,
    )
    assert hostile.balanceOf(carol) == 5 * E18 and hostile.balanceOf(staking) == 0
    assert staking.deferredRewards(alice, hostile) == 0

    with reverts_with(staking.NothingDeferred, account=alice.address, token=hostile.address):
        staking.claimDeferred(hostile, carol, sender=alice)
    with reverts_with(staking.ZeroAddress):
        staking.claimDeferred(hostile, ZERO_ADDRESS, sender=alice)


@pytest.mark.parametrize("mode", [REVERT_ALL, RETURN_FALSE, BURN_GAS], ids=["RevertAll", "ReturnFalse", "BurnGas"])
def test_failing_reward_token__unstake_completes_reward_deferred_then_claimed(
    chain, staking, alice, carol, distributor, stk, rwd, hostile, t0, mode
):
    """The token reverts, returns false, or burns all the gas it is given: unstake still returns
    the stake and pays the other reward token, within a gas limit set here; the reward is deferred
    and paid by claimDeferred once the token works again."""
    a = 10 * E18
    at(chain, t0)
    staking.stake(a, sender=alice)
    staking.notifyReward(rwd, 3 * E18, 0, sender=distributor)
    staking.notifyReward(hostile, 5 * E18, 0, sender=distributor)
    hostile.setMode(mode, sender=carol)
    before = stk.balanceOf(alice)

    receipt = staking.unstake(MAX_UINT, sender=alice, gas=1_500_000)
    assert stk.balanceOf(alice) == before + a and staking.totalStaked() == 0
    assert paid(receipt, staking, rwd) == 3 * E18
    [log] = logs(receipt, staking.RewardDeferred)
    assert (log.staker, log.token, log.amount) == (alice.address, hostile.address, 5 * E18)
    assert staking.deferredRewards(alice, hostile) == 5 * E18
    if mode == BURN_GAS:  # the token's 200,000 gas allowance was burnt, and no more
        assert 200_000 < receipt.gas_used < 200_000 + GAS_CEILING

    hostile.setMode(NORMAL, sender=carol)
    receipt = staking.claimDeferred(hostile, alice, sender=alice)
    [log] = logs(receipt, staking.DeferredRewardClaimed)
    assert (log.staker, log.recipient, log.amount) == (alice.address, alice.address, 5 * E18)
    assert hostile.balanceOf(alice) == 5 * E18 and staking.deferredRewards(alice, hostile) == 0
