"""Seed 000's smoketest scenario on the contract, against the exact results."""

from fractions import Fraction

from constants import E18
from spmodel.chain.seed000 import replay
from spmodel.seed000 import EXPECTED, EXPECTED_POOL, SCENARIO, Step


def test_seed_000_smoketest__matches_exact_results(harness, alice, bob, weth):
    h = harness
    receipts = [receipt for _, receipt in replay(h, {"Alice": alice, "Bob": bob}, weth)]
    h.check()

    pool = h.pool
    for name, who in (("Alice", alice), ("Bob", bob)):
        rewards, balance = EXPECTED[name]
        got_balance = pool.getCompoundedDeposit(who)
        got_rewards = pool.getDepositorGain(who, weth)
        assert 0 <= balance * E18 - got_balance <= 3, name
        assert 0 <= rewards * E18 - got_rewards <= 3, name
    # The pool's balances: deposits 150, collateral 67/2700 still owed after Bob's top-up paid his.
    owed, deposits = EXPECTED_POOL
    assert pool.totalDeposits() == deposits * E18
    bob_topup = receipts[SCENARIO.index(Step("deposit", "Bob", Fraction(100)))]
    paid_to_bob = [log.amount for log in pool.GainPaid.from_receipt(bob_topup)]
    assert weth.balanceOf(pool) == 3 * E18 // 100 - sum(paid_to_bob)
    # It holds at least the exact amount still owed (rounding left it the dust), within a few wei.
    assert 0 <= weth.balanceOf(pool) - owed * E18 <= 3
