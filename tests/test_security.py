"""Security properties of StabilityPool: reentrancy, non-standard tokens, access control, extremes.

Every rejected call must revert with its named error and exact inputs, and change nothing: the
pool's views, its balances and the callers' balances are read before and after (`unchanged`).
Accepted operations go through the model-checked Harness (spmodel/harness.py) wherever the
token behaves like an ERC20, so `harness.check()` also confirms equality with the integer mirror,
the exact-model bound and solvency.
"""

from contextlib import contextmanager

import pytest
from _reverts import reverts_with
from ape_ethereum.trace import Trace
from eth_abi import decode as abi_decode
from eth_utils import keccak

from spmodel.harness import Harness

from spmodel.mirror import (
    MAX_GAIN_AMOUNT,
    MAX_GAIN_TOKENS,
    MAX_STREAM_DURATION,
    MAX_TOTAL_DEPOSITS,
    P_MIN,
    P_PRECISION,
    RATE_PRECISION,
)

E18 = 10**18
MAX_UINT = 2**256 - 1
ZERO = "0x" + "00" * 20
REENTRANT_CALL = keccak(text="ReentrancyGuardReentrantCall()")[:4]


# ---------------------------------------------------------------- helpers


def pool_state(lens, pool, debt, tokens, people):
    """Everything a rejected call could have changed: globals, every depositor's snapshot, deposit,
    gains and sums, each stream, the pool's balances and the balances of `people` in every token."""
    people = [getattr(p, "address", p) for p in people]
    addresses = [t.address for t in tokens]
    globals_, compounded, gains, deferred, balances, unreleased = lens.read(pool, people, addresses)
    scale = pool.currentScale()
    return {
        "globals": tuple(globals_),
        "owner": (pool.owner(), pool.pendingOwner()),
        "compounded": tuple(compounded),
        "gains": tuple(gains),
        "deferred": tuple(deferred),
        "unreleased": tuple(unreleased),
        "pool_balances": tuple(balances),
        "deposits": [tuple(pool.getDeposit(p)) for p in people],
        "snapshots": [pool.snapshotS(p, t) for p in people for t in addresses],
        "sums": [pool.S(t, scale) for t in addresses],
        "streams": [tuple(pool.getStream(t)) for t in addresses],
        "gain_tokens": tuple(pool.gainTokens()),
        "roles": [(pool.isLiquidator(p), pool.isRewardDistributor(p)) for p in people],
        "holders": [t.balanceOf(p) for t in [debt, *tokens] for p in people],
    }


@contextmanager
def unchanged(read):
    before = read()
    yield
    after = read()
    for key in before:
        assert after[key] == before[key], f"{key} changed: {before[key]} -> {after[key]}"


@pytest.fixture(autouse=True)
def _no_revert_call_trace(monkeypatch):
    """ape-foundry prints the call trace of every reverted transaction, and enriching it derives all
    30 test accounts again for each sub-call (~0.5 s per sub-call without coincurve). The rejected
    calls here are asserted by error and inputs instead, so the printout is skipped in this module."""
    monkeypatch.setattr(Trace, "show", lambda self, *args, **kwargs: None)


def fund(token, pool, holders, amount):
    for who in holders:
        token.mint(who, amount, sender=who)
        token.approve(pool, MAX_UINT, sender=who)


@pytest.fixture
def new_pool(create_pool, lens, chain, liquidator, distributor):
    """A pool over `debt` and `gains`, with only the named accounts funded (create_pool would fund
    all 27 depositors), and a Harness driving it."""

    def make(debt, gains, depositors=(), amount=10**27, gain_amount=10**40):
        pool = create_pool(gains, debt=debt, fund=False)
        fund(debt, pool, depositors, amount)
        for token in gains:
            fund(token, pool, (liquidator, distributor), gain_amount)
        return pool, Harness(pool, debt, list(gains), chain, lens, liquidator, distributor)

    return make


def mutable_method_names(contract) -> set[str]:
    return {m.name for m in contract.contract_type.mutable_methods}


# ---------------------------------------------------------------- reentrancy


def reentrant_call(pool, kind, token):
    """Calldata for a re-entrant call of `kind` into `pool` (made by the token, inside a transfer)."""
    return {
        "deposit": lambda: pool.deposit.encode_input(1),
        "withdraw": lambda: pool.withdraw.encode_input(MAX_UINT),
        "claim": lambda: pool.claim.encode_input(),
        "offset": lambda: pool.offset.encode_input(1, token, 0),
        "claimDeferred": lambda: pool.claimDeferred.encode_input(token, token),
    }[kind]()


def assert_blocked(hook):
    assert hook.lastHookSuccess() is False
    assert bytes(hook.lastHookReturn())[:4] == REENTRANT_CALL
    assert hook.hookTarget() == ZERO  # it ran (and disarmed) during the pool's transfer


REENTRANT_KINDS = ["deposit", "withdraw", "claim", "offset", "claimDeferred"]


@pytest.mark.parametrize("kind", REENTRANT_KINDS)
def test_reentrancy__hook_gain_token_cannot_reenter_during_payout(
    project, owner, new_pool, debt_token, alice, bob, kind
):
    """Gains in a token with a transfer hook: during each payout to a depositor (claim, withdraw,
    top-up deposit) the token calls back into the pool; the guard refuses, the payout is exact."""
    hook = project.HookERC20.deploy(sender=owner)
    pool, h = new_pool(debt_token, [hook], depositors=(alice, bob))
    pool.setLiquidator(hook, True, sender=owner)  # only the guard stands in the way of its offset
    h.deposit(alice, 100 * E18)
    h.deposit(bob, 50 * E18)

    outer = [
        ("claim", lambda: h.claim(alice)),
        ("withdraw", lambda: h.withdraw(bob, 10 * E18)),
        ("deposit", lambda: h.deposit(alice, 5 * E18)),
    ]
    for name, operation in outer:
        h.offset(30 * E18, hook, 3 * E18)
        payee = bob if name == "withdraw" else alice
        owed = pool.getDepositorGain(payee, hook)
        before = hook.balanceOf(payee)
        hook.setHook(pool, reentrant_call(pool, kind, hook), sender=bob)
        operation()  # the Harness asserts the GainPaid amounts equal the mirror's
        assert_blocked(hook)
        assert hook.balanceOf(payee) - before == owed > 0, name
        assert pool.getDepositorGain(payee, hook) == 0
        h.check()
    # The token itself got nothing out of the pool, and the pool holds exactly what it still owes.
    assert debt_token.balanceOf(hook) == 0 and hook.balanceOf(hook) == 0
    owed_now = sum(pool.getDepositorGain(p, hook) for p in (alice, bob))
    assert hook.balanceOf(pool) >= owed_now
    assert pool.totalDeposits() == sum(pool.getCompoundedDeposit(p) for p in (alice, bob))


@pytest.mark.parametrize("kind", REENTRANT_KINDS)
def test_reentrancy__hook_debt_token_cannot_reenter(project, owner, new_pool, weth, alice, bob, liquidator, kind):
    """The debt token has the hook: re-entry during the pool's payment to a withdrawing depositor,
    during its pull from a depositing one and during its payment to the liquidator is refused."""
    hook = project.HookERC20.deploy(sender=owner)
    pool, h = new_pool(hook, [weth], depositors=(alice, bob))
    pool.setLiquidator(hook, True, sender=owner)
    h.deposit(alice, 100 * E18)
    h.deposit(bob, 50 * E18)
    h.offset(30 * E18, weth, 3 * E18)

    outer = [
        ("withdraw", lambda: h.withdraw(alice, 20 * E18)),  # pool -> depositor
        ("deposit", lambda: h.deposit(bob, 7 * E18)),  # depositor -> pool
        ("offset", lambda: h.offset(11 * E18, weth, E18)),  # pool -> liquidator
    ]
    for name, operation in outer:
        hook.setHook(pool, reentrant_call(pool, kind, weth), sender=alice)
        operation()
        assert_blocked(hook)
        h.check()
    # Alice withdrew exactly 20 of her 80; the liquidator got exactly the 30 + 11 it burnt.
    assert hook.balanceOf(alice) == 10**27 - 100 * E18 + 20 * E18
    assert hook.balanceOf(liquidator) == 41 * E18
    assert hook.balanceOf(hook) == 0 and weth.balanceOf(hook) == 0
    assert hook.balanceOf(pool) == pool.totalDeposits()


def test_reentrancy__views_during_payout_already_show_the_settled_state(project, owner, new_pool, debt_token, alice, bob):
    """Read-only reentrancy: state is written before any transfer, so a view called from inside
    the payout already reads alice's gain as 0 and her deposit as its new value."""
    hook = project.HookERC20.deploy(sender=owner)
    pool, h = new_pool(debt_token, [hook], depositors=(alice, bob))
    h.deposit(alice, 100 * E18)
    h.deposit(bob, 50 * E18)
    h.offset(30 * E18, hook, 3 * E18)
    assert pool.getDepositorGain(alice, hook) == 2 * E18

    hook.setHook(pool, pool.getDepositorGain.encode_input(alice, hook), sender=bob)
    h.claim(alice)
    assert hook.lastHookSuccess() is True
    assert abi_decode(["uint256"], bytes(hook.lastHookReturn())) == (0,)

    # Also during the pool's pull of the collateral: the offset is already written (80 * 0.9).
    hook.setHook(pool, pool.getCompoundedDeposit.encode_input(alice), sender=bob)
    h.offset(12 * E18, hook, 3 * E18)
    assert hook.lastHookSuccess() is True
    assert abi_decode(["uint256"], bytes(hook.lastHookReturn())) == (72 * E18,)

    hook.setHook(pool, pool.getCompoundedDeposit.encode_input(alice), sender=bob)
    h.withdraw(alice, 8 * E18)  # pays her gain in the hook token after the withdrawal is written
    assert hook.lastHookSuccess() is True
    assert abi_decode(["uint256"], bytes(hook.lastHookReturn())) == (64 * E18,)
    h.check()


# ---------------------------------------------------------------- non-standard tokens


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
    with unchanged(lambda: pool_state(lens, pool, fot, [weth], [alice])):
        with reverts_with(pool.TransferShortfall, token=fot, expected=10_000, received=9_900):
            pool.deposit(10_000, sender=alice)
    assert pool.totalDeposits() == 0 and fot.balanceOf(alice) == 10_000


def test_fee_on_transfer__as_collateral_offset_and_reward_revert(
    project, owner, new_pool, lens, debt_token, alice, liquidator, distributor
):
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)
    pool, h = new_pool(debt_token, [fot], depositors=(alice,))
    h.deposit(alice, 100 * E18)
    state = lambda: pool_state(lens, pool, debt_token, [fot], [alice, liquidator, distributor])  # noqa: E731
    with unchanged(state):
        with reverts_with(pool.TransferShortfall, token=fot, expected=10_000, received=9_900):
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
    with unchanged(lambda: pool_state(lens, pool, debt_token, [reb], [alice, bob, carol])):
        with reverts_with(pool.PoolShortfall, token=reb, owed=2 * E18, balance=E18 // 2):
            pool.claimDeferred(reb, carol, sender=alice)

    reb.mint(pool, 3 * E18 // 2, sender=owner)  # someone makes the pool whole: alice is paid in full
    h.claim_deferred(alice, reb, carol)
    assert reb.balanceOf(carol) == 2 * E18 and reb.balanceOf(pool) == 0


# ---------------------------------------------------------------- access control

EXPECTED_MUTABLE = {
    "deposit", "withdraw", "claim", "claimDeferred",  # depositors: only the caller's own deposit and gains
    "offset", "notifyReward",  # liquidators, reward distributors
    "registerGainToken", "setLiquidator", "setRewardDistributor",  # owner
    "transferOwnership", "acceptOwnership", "renounceOwnership",  # OZ Ownable2Step
}


def test_access__abi_has_no_function_to_move_funds(pool):
    """No sweep, rescue, pause, upgrade or arbitrary call: the ABI's state-changing functions are
    exactly these, none payable, and there is no fallback or receive."""
    assert mutable_method_names(pool) == EXPECTED_MUTABLE
    abi = pool.contract_type.abi
    assert not [a for a in abi if a.type in ("fallback", "receive")]
    assert not [m.name for m in pool.contract_type.mutable_methods if m.stateMutability == "payable"]


def test_access__strangers_are_rejected_with_named_errors(pool, lens, debt_token, weth, wbtc, owner, alice, bob):
    state = lambda: pool_state(lens, pool, debt_token, [weth], [owner, alice, bob])  # noqa: E731
    pool.deposit(10 * E18, sender=bob)
    with unchanged(state):
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
            pool.setLiquidator(ZERO, True, sender=owner)
        with reverts_with(pool.ZeroAddress):
            pool.setRewardDistributor(ZERO, True, sender=owner)
    assert list(pool.gainTokens()) == [weth.address]


def test_access__ownership_transfer_is_two_step(pool, lens, debt_token, weth, owner, alice, bob):
    pool.transferOwnership(bob, sender=owner)
    assert (pool.owner(), pool.pendingOwner()) == (owner.address, bob.address)
    # Until accepted, the old owner keeps control and the pending owner has none.
    pool.setRewardDistributor(alice, True, sender=owner)
    assert pool.isRewardDistributor(alice)
    state = lambda: pool_state(lens, pool, debt_token, [weth], [owner, alice, bob])  # noqa: E731
    with unchanged(state):
        with reverts_with(pool.OwnableUnauthorizedAccount, account=bob):
            pool.setLiquidator(bob, True, sender=bob)
        with reverts_with(pool.OwnableUnauthorizedAccount, account=alice):
            pool.acceptOwnership(sender=alice)

    pool.acceptOwnership(sender=bob)
    assert (pool.owner(), pool.pendingOwner()) == (bob.address, ZERO)
    with unchanged(state):
        with reverts_with(pool.OwnableUnauthorizedAccount, account=owner):
            pool.setLiquidator(owner, True, sender=owner)
    pool.setLiquidator(alice, True, sender=bob)
    assert pool.isLiquidator(alice)


def test_access__deauthorised_liquidator_and_distributor_are_rejected(
    pool, lens, debt_token, weth, owner, alice, liquidator, distributor
):
    pool.deposit(10 * E18, sender=alice)
    pool.setLiquidator(liquidator, False, sender=owner)
    pool.setRewardDistributor(distributor, False, sender=owner)
    with unchanged(lambda: pool_state(lens, pool, debt_token, [weth], [alice, liquidator, distributor])):
        with reverts_with(pool.NotLiquidator, caller=liquidator):
            pool.offset(E18, weth, E18, sender=liquidator)
        with reverts_with(pool.NotRewardDistributor, caller=distributor):
            pool.notifyReward(weth, E18, 0, sender=distributor)
    pool.setLiquidator(liquidator, True, sender=owner)
    pool.offset(E18, weth, E18, sender=liquidator)
    assert pool.totalDeposits() == 9 * E18


def test_access__offset_pulls_exactly_coll_amount_and_pays_exactly_the_debt(harness, pool, weth, debt_token, alice, liquidator):
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


def test_access__distributor_can_only_add_rewards_but_can_reschedule_them(chain, harness, pool, weth, alice, distributor):
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
    assert pool.getStream(weth) == (rate * MAX_STREAM_DURATION // RATE_PRECISION, rate, t0 + 50,
                                    t0 + 50 + MAX_STREAM_DURATION)
    chain.pending_timestamp = t0 + 100  # when the first stream would have ended
    harness.claim(alice)
    assert 0 <= 50 * E18 + rate * 50 // RATE_PRECISION - weth.balanceOf(alice) <= 1
    harness.check()


# ---------------------------------------------------------------- extreme amounts


def test_extremes__total_deposits_cap_is_exact(harness, pool, lens, debt_token, weth, alice, bob, carol):
    harness.deposit(alice, 6 * 10**29)
    harness.deposit(bob, 4 * 10**29 - 1)
    harness.deposit(bob, 1)  # exactly at the cap, 1e30
    assert pool.totalDeposits() == MAX_TOTAL_DEPOSITS == 10**30
    with unchanged(lambda: pool_state(lens, pool, debt_token, [weth], [alice, bob, carol])):
        with reverts_with(pool.TotalDepositsCapExceeded, amount=1, available=0):
            pool.deposit(1, sender=carol)
    harness.check()


def test_extremes__gain_amount_cap_is_exact(harness, pool, lens, debt_token, weth, alice, bob, liquidator):
    harness.deposit(alice, 3)
    harness.deposit(bob, MAX_TOTAL_DEPOSITS - 3)
    state = lambda: pool_state(lens, pool, debt_token, [weth], [alice, bob, liquidator])  # noqa: E731
    with unchanged(state):
        with reverts_with(pool.GainAmountTooLarge, amount=MAX_GAIN_AMOUNT + 1, cap=MAX_GAIN_AMOUNT):
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
    state = lambda: pool_state(lens, pool, debt_token, [weth], [alice, distributor])  # noqa: E731
    with unchanged(state):
        with reverts_with(pool.DurationTooLong, duration=MAX_STREAM_DURATION + 1, cap=MAX_STREAM_DURATION):
            pool.notifyReward(weth, E18, MAX_STREAM_DURATION + 1, sender=distributor)
    harness.notify(weth, MAX_GAIN_AMOUNT - 5, MAX_STREAM_DURATION)
    rate = (MAX_GAIN_AMOUNT - 5) * RATE_PRECISION // MAX_STREAM_DURATION
    room = MAX_GAIN_AMOUNT - rate * MAX_STREAM_DURATION // RATE_PRECISION
    assert room == 6  # the rate's floor keeps back under 1 wei
    with unchanged(state):
        with reverts_with(pool.GainAmountTooLarge, amount=7, cap=room):
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
    state = lambda: pool_state(lens, pool, debt_token, [weth], [owner, alice])  # noqa: E731
    with unchanged(state):
        with reverts_with(pool.ZeroAddress):
            pool.registerGainToken(ZERO, sender=owner)
        with reverts_with(pool.InvalidGainToken, token=debt_token):
            pool.registerGainToken(debt_token, sender=owner)
        with reverts_with(pool.InvalidGainToken, token=weth):
            pool.registerGainToken(weth, sender=owner)
    extra = [make_token(f"G{i}") for i in range(MAX_GAIN_TOKENS)]
    for token in extra[:-1]:
        pool.registerGainToken(token, sender=owner)
    assert len(pool.gainTokens()) == MAX_GAIN_TOKENS
    with unchanged(state):
        with reverts_with(pool.TooManyGainTokens, cap=MAX_GAIN_TOKENS):
            pool.registerGainToken(extra[-1], sender=owner)
    assert list(pool.gainTokens()) == [weth.address] + [t.address for t in extra[:-1]]
