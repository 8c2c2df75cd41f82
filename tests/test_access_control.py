"""Access control: the ABI has no function that moves funds; strangers, the pending owner and
deauthorised roles are rejected with named errors, changing nothing; ownership moves in two steps.
It also documents the trust boundary: an authorised liquidator is paid exactly the debt it burns
for whatever collateral it brings (even none), and a reward distributor can only add rewards,
though a new notification reschedules what is not released yet.
"""

from _pool_state import unchanged
from _reverts import reverts_with
from constants import E18, ZERO_ADDRESS
from spmodel.mirror import MAX_STREAM_DURATION, RATE_PRECISION

EXPECTED_MUTABLE = {
    "deposit",
    "withdraw",
    "claim",
    "claimDeferred",  # depositors: only the caller's own deposit and gains
    "offset",
    "notifyReward",  # liquidators, reward distributors
    "registerGainToken",
    "setLiquidator",
    "setRewardDistributor",  # owner
    "transferOwnership",
    "acceptOwnership",
    "renounceOwnership",  # OZ Ownable2Step
}


def test_access__abi_has_no_function_to_move_funds(pool):
    """No sweep, rescue, pause, upgrade or arbitrary call: the ABI's state-changing functions are
    exactly these, none payable, and there is no fallback or receive."""
    assert {m.name for m in pool.contract_type.mutable_methods} == EXPECTED_MUTABLE
    abi = pool.contract_type.abi
    assert not [a for a in abi if a.type in ("fallback", "receive")]
    assert not [m.name for m in pool.contract_type.mutable_methods if m.stateMutability == "payable"]


def test_access__strangers_are_rejected_with_named_errors(pool, lens, debt_token, weth, wbtc, owner, alice, bob):
    pool.deposit(10 * E18, sender=bob)
    with unchanged(lens, pool, debt_token, [weth], [owner, alice, bob]):
        with reverts_with(pool.NotLiquidator, caller=alice):
            pool.offset(1, weth, 0, sender=alice)
        with reverts_with(pool.NotLiquidator, caller=owner):  # the owner is no liquidator either
            pool.offset(1, weth, 0, sender=owner)
        with reverts_with(pool.NotRewardDistributor, caller=alice):
            pool.notifyReward(weth, 1, 0, sender=alice)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.registerGainToken(wbtc, sender=alice)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.setLiquidator(alice, True, sender=alice)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.setRewardDistributor(alice, True, sender=alice)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.transferOwnership(alice, sender=alice)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.renounceOwnership(sender=alice)
        with reverts_with(pool.ZeroAddress):
            pool.setLiquidator(ZERO_ADDRESS, True, sender=owner)
        with reverts_with(pool.ZeroAddress):
            pool.setRewardDistributor(ZERO_ADDRESS, True, sender=owner)
    assert list(pool.gainTokens()) == [weth.address]


def test_access__ownership_transfer_is_two_step(pool, lens, debt_token, weth, owner, alice, bob):
    pool.transferOwnership(bob, sender=owner)
    assert (pool.owner(), pool.pendingOwner()) == (owner.address, bob.address)
    # Until accepted, the old owner keeps control and the pending owner has none.
    pool.setRewardDistributor(alice, True, sender=owner)
    assert pool.isRewardDistributor(alice)
    watched = (lens, pool, debt_token, [weth], [owner, alice, bob])
    with unchanged(*watched):
        with reverts_with(pool.OwnableUnauthorizedAccount, account=bob):
            pool.setLiquidator(bob, True, sender=bob)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.acceptOwnership(sender=alice)

    pool.acceptOwnership(sender=bob)
    assert (pool.owner(), pool.pendingOwner()) == (bob.address, ZERO_ADDRESS)
    with unchanged(*watched), reverts_with(pool.OwnableUnauthorizedAccount, account=owner):
        pool.setLiquidator(owner, True, sender=owner)
    pool.setLiquidator(alice, True, sender=bob)
    assert pool.isLiquidator(alice)


def test_access__deauthorised_liquidator_and_distributor_are_rejected(
    pool, lens, debt_token, weth, owner, alice, liquidator, distributor
):
    pool.deposit(10 * E18, sender=alice)
    pool.setLiquidator(liquidator, False, sender=owner)
    pool.setRewardDistributor(distributor, False, sender=owner)
    with unchanged(lens, pool, debt_token, [weth], [alice, liquidator, distributor]):
        with reverts_with(pool.NotLiquidator, caller=liquidator):
            pool.offset(E18, weth, E18, sender=liquidator)
        with reverts_with(pool.NotRewardDistributor, caller=distributor):
            pool.notifyReward(weth, E18, 0, sender=distributor)
    pool.setLiquidator(liquidator, True, sender=owner)
    pool.offset(E18, weth, E18, sender=liquidator)
    assert pool.totalDeposits() == 9 * E18


def test_access__offset_pulls_exactly_coll_amount_and_pays_exactly_the_debt(
    harness, pool, weth, debt_token, alice, liquidator
):
    harness.deposit(alice, 100 * E18)
    weth_before, debt_before = weth.balanceOf(liquidator), debt_token.balanceOf(liquidator)
    harness.offset(40 * E18, weth, 7 * E18)
    assert weth_before - weth.balanceOf(liquidator) == 7 * E18 == weth.balanceOf(pool)
    assert debt_token.balanceOf(liquidator) - debt_before == 40 * E18
    harness.check()


def test_access__liquidator_is_trusted_no_collateral_ratio_is_enforced(
    harness, pool, weth, debt_token, owner, alice, bob, liquidator
):
    """Documents the trust boundary (SECURITY.md): the pool cannot value collateral, so an
    authorised liquidator may burn deposits for any collateral amount, even none, and receives the
    burnt debt tokens. The owner, who appoints liquidators, can therefore take the deposits
    indirectly: only the choice of owner and liquidators protects depositors here."""
    harness.deposit(alice, 100 * E18)
    harness.deposit(bob, 50 * E18)
    before = debt_token.balanceOf(liquidator)
    harness.offset(100 * E18, weth, 0)
    assert debt_token.balanceOf(liquidator) - before == 100 * E18

    pool.setLiquidator(owner, True, sender=owner)
    before = debt_token.balanceOf(owner)
    harness.liquidator = owner
    harness.offset(50 * E18, weth, 0)  # the owner, now its own liquidator, empties the pool for nothing
    assert debt_token.balanceOf(owner) - before == 50 * E18
    assert pool.totalDeposits() == 0 and pool.currentEpoch() == 1
    assert pool.getCompoundedDeposit(alice) == pool.getCompoundedDeposit(bob) == 0
    assert pool.getDepositorGain(alice, weth) == pool.getDepositorGain(bob, weth) == 0
    harness.check()


def test_access__distributor_can_only_add_rewards_but_can_reschedule_them(
    chain, harness, pool, weth, alice, distributor
):
    """A reward distributor never takes anything out; but a new notification restarts the stream
    with everything not yet released, so even 1 wei over 10 years stretches the rest out."""
    harness.deposit(alice, 100 * E18)
    t0 = chain.pending_timestamp + 10
    before = weth.balanceOf(distributor)
    chain.pending_timestamp = t0
    harness.notify(weth, 100 * E18, 100)
    chain.pending_timestamp = t0 + 50
    harness.notify(weth, 1, MAX_STREAM_DURATION)
    assert before - weth.balanceOf(distributor) == 100 * E18 + 1
    rate = (50 * E18 + 1) * RATE_PRECISION // MAX_STREAM_DURATION
    assert pool.getStream(weth) == (
        rate * MAX_STREAM_DURATION // RATE_PRECISION,
        rate,
        t0 + 50,
        t0 + 50 + MAX_STREAM_DURATION,
    )
    chain.pending_timestamp = t0 + 100  # when the first stream would have ended
    harness.claim(alice)
    assert 0 <= 50 * E18 + rate * 50 // RATE_PRECISION - weth.balanceOf(alice) <= 1
    harness.check()
