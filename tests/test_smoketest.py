"""Seed 000's smoketest scenario on the contract, against the exact results."""

from fractions import Fraction

E18 = 10**18


def test_seed_000_smoketest__matches_exact_results(harness, alice, bob, weth):
    h = harness
    h.deposit(alice, 100 * E18)
    h.deposit(bob, 50 * E18)
    h.withdraw(bob, 15 * E18)
    h.offset(50 * E18, weth, E18 // 100)
    h.offset(25 * E18, weth, E18 // 100)
    bob_topup = h.deposit(bob, 100 * E18)
    h.offset(10 * E18, weth, E18 // 100)
    h.check()

    pool = h.pool
    exact = {
        "alice": (Fraction(125, 3), Fraction(19, 1080)),
        "bob": (Fraction(325, 3), Fraction(13, 1800)),
    }
    for name, who in (("alice", alice), ("bob", bob)):
        balance, rewards = exact[name]
        got_balance = pool.getCompoundedDeposit(who)
        got_rewards = pool.getDepositorGain(who, weth)
        assert 0 <= balance * E18 - got_balance <= 3, name
        assert 0 <= rewards * E18 - got_rewards <= 3, name
    # The pool's balances: deposits 150, collateral 67/2700 still owed after Bob's top-up paid his.
    assert pool.totalDeposits() == 150 * E18
    paid_to_bob = [log.amount for log in pool.GainPaid.from_receipt(bob_topup)]
    assert weth.balanceOf(pool) == 3 * E18 // 100 - sum(paid_to_bob)
    # It holds at least the exact amount still owed (rounding left it the dust), within a few wei.
    assert 0 <= weth.balanceOf(pool) - Fraction(67, 2700) * E18 <= 3
