"""Reentrancy: a token with a transfer hook (HookERC20) calls back into the pool in the middle of
each of its transfers (gain payouts, the pull of a deposit, the payment to the liquidator). The
guard refuses every state-changing re-entry with ReentrancyGuardReentrantCall, the outer operation
pays exactly what the Harness's mirror predicts, and views called from inside the transfer already
read the settled state (state is written before any transfer).
"""

import pytest
from eth_abi import decode as abi_decode
from eth_utils import keccak

from constants import E18, MAX_UINT, ZERO_ADDRESS

pytest_plugins = ["_new_pool"]

REENTRANT_CALL = keccak(text="ReentrancyGuardReentrantCall()")[:4]


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
    assert hook.hookTarget() == ZERO_ADDRESS  # it ran (and disarmed) during the pool's transfer


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
        lambda: h.withdraw(alice, 20 * E18),  # pool -> depositor
        lambda: h.deposit(bob, 7 * E18),  # depositor -> pool
        lambda: h.offset(11 * E18, weth, E18),  # pool -> liquidator
    ]
    for operation in outer:
        hook.setHook(pool, reentrant_call(pool, kind, weth), sender=alice)
        operation()
        assert_blocked(hook)
        h.check()
    # Alice withdrew exactly 20 of her 80; the liquidator got exactly the 30 + 11 it burnt.
    assert hook.balanceOf(alice) == 10**27 - 100 * E18 + 20 * E18
    assert hook.balanceOf(liquidator) == 41 * E18
    assert hook.balanceOf(hook) == 0 and weth.balanceOf(hook) == 0
    assert hook.balanceOf(pool) == pool.totalDeposits()


def test_reentrancy__views_during_payout_already_show_the_settled_state(
    project, owner, new_pool, debt_token, alice, bob
):
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
