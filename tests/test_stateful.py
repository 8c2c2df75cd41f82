"""Hypothesis stateful run: random histories on the contract, checked against both models after
every step (views == integer mirror; deposits and gains at or below the exact model and within
the derived bound; solvency in every token). Invalid operations must revert with the error the
mirror names and change nothing.

Default: 1000 steps over 4 depositors and 3 gain tokens (18, 8 and 6 decimals), each also a
reward token. Longer: `./dev test tests/test_stateful.py --fuzz-steps 20000 --fuzz-depositors 20`.
"""

import copy

import ape
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from spmodel import PoolLimitError
from spmodel.mirror import MAX_TOTAL_DEPOSITS

STEPS_PER_EXAMPLE = 50
MAX = 2**256 - 1

# Amounts across magnitudes: 1 wei, dust, ordinary and huge deposits.
amounts = st.one_of(
    st.integers(1, 10),
    st.integers(10**9, 10**12),
    st.integers(10**18, 10**24),
    st.integers(10**24, 10**26),
)
# How much of the pool an offset takes: a share in ppm, or "leave exactly k wei", or all.
debt_shares = st.one_of(
    st.integers(0, 1_000_000).map(lambda ppm: ("ppm", ppm)),
    st.integers(1, 3).map(lambda k: ("leave", k)),
    st.just(("all", 0)),
)
collaterals = st.one_of(st.just(0), st.integers(1, 10**6), st.integers(10**15, 10**24))


MODEL_STATE = ("mirror", "exact", "worst", "depositors")


@pytest.fixture
def state_machine(harness3, depositors, fuzz_depositors, chain):
    harness = harness3
    people = depositors[:fuzz_depositors]
    fresh = {name: copy.deepcopy(getattr(harness, name)) for name in MODEL_STATE}
    worst = {"deposit": 0, "gain": 0}
    dust = {}  # token symbol -> most wei left in the pool after everyone exited (not streaming)

    class StabilityPoolMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.snapshot = chain.snapshot()
            for name in MODEL_STATE:  # fresh models for each example, as the chain is fresh
                setattr(harness, name, copy.deepcopy(fresh[name]))

        def teardown(self):
            try:
                self.everyone_exits()
            finally:
                worst["deposit"] = max(worst["deposit"], harness.worst.deposit)
                worst["gain"] = max(worst["gain"], harness.worst.gain)
                chain.restore(self.snapshot)

        def everyone_exits(self):
            """Everyone withdraws everything: each has been paid within the bound of their exact
            due (check), and the exact model accounts for every wei the pool still holds: the
            dust is exactly what rounding kept back, plus rewards not yet streamed."""
            for account in people:
                if account.address in harness.mirror.deposits:
                    harness.withdraw(account, MAX)
            harness.check()
            exact = harness.exact
            for token in [harness.debt_token, *harness.gain_tokens]:
                if token is harness.debt_token:
                    unpaid, streaming = sum(exact.deposits.values()), 0
                else:
                    unpaid = sum(exact.gain_owed(who, token.address) for who in harness.depositors)
                    streaming = harness.mirror.tokens[harness.mirror.token_index(token.address)].remaining
                balance = token.balanceOf(harness.pool)
                assert balance == unpaid + streaming, (token.symbol(), balance, unpaid, streaming)
                dust[token.symbol()] = max(dust.get(token.symbol(), 0), balance - streaming)

        def expect_revert(self, operation, send):
            """The mirror predicts a named error: the contract must revert with it."""
            probe = copy.deepcopy(harness.mirror)
            try:
                operation(probe)
            except PoolLimitError as err:
                with ape.reverts(getattr(harness.pool, err.error)):
                    send()
                return True
            return False

        @rule(who=st.integers(0, len(people) - 1), amount=amounts)
        def deposit(self, who, amount):
            """Deposit or top up; over the cap it must revert with TotalDepositsCapExceeded."""
            account = people[who]
            now = chain.pending_timestamp
            if harness.mirror.total_deposits + amount > MAX_TOTAL_DEPOSITS:
                assert self.expect_revert(lambda m: m.deposit(account.address, amount, now),
                                          lambda: harness.pool.deposit(amount, sender=account))
                return
            harness.deposit(account, amount)

        @rule(who=st.integers(0, len(people) - 1), share=st.integers(0, 1_000_000), everything=st.booleans())
        def withdraw(self, who, share, everything):
            """Withdraw part, all (max), or attempt without a deposit (NoDeposit)."""
            account = people[who]
            if harness.mirror.deposits.get(account.address) is None:
                now = chain.pending_timestamp
                assert self.expect_revert(lambda m: m.withdraw(account.address, 1, now),
                                          lambda: harness.pool.withdraw(1, sender=account))
                return
            amount = MAX if everything else max(1, harness.mirror.compounded(account.address) * share // 1_000_000)
            harness.withdraw(account, amount)

        @rule(who=st.integers(0, len(people) - 1))
        def claim(self, who):
            account = people[who]
            if harness.mirror.deposits.get(account.address) is None:
                return
            harness.claim(account)

        @rule(share=debt_shares, token=st.integers(0, 2), coll=collaterals, over=st.integers(0, 19))
        def offset(self, share, token, coll, over):
            """Liquidate part of the pool, all but k wei, or all of it (a new epoch). One time in 20,
            offset more than the pool holds: it must revert with DebtExceedsDeposits, changing
            nothing (rare, as every revert costs ape-foundry about half a second)."""
            total, now = harness.mirror.total_deposits, chain.pending_timestamp
            collateral = harness.gain_tokens[token]
            if over == 0:
                assert self.expect_revert(lambda m: m.offset(total + 1, collateral.address, 0, now),
                                          lambda: harness.pool.offset(total + 1, collateral, 0, sender=harness.liquidator))
                return
            kind, x = share
            debt = {"ppm": total * x // 1_000_000, "leave": max(total - x, 0), "all": total}[kind]
            if total == 0 or debt == 0 and coll == 0:
                return
            harness.offset(debt, collateral, coll)

        @rule(token=st.integers(0, 2), amount=st.integers(1, 10**24), duration=st.sampled_from([0, 1, 60, 3600, 86400 * 7]))
        def notify(self, token, amount, duration):
            """Stream a reward (at once when duration is 0), also into an empty pool."""
            harness.notify(harness.gain_tokens[token], amount, duration)

        @rule(seconds=st.sampled_from([1, 13, 600, 3600, 86400, 86400 * 30]))
        def time_passes(self, seconds):
            chain.pending_timestamp = chain.pending_timestamp + seconds
            chain.mine()

        @invariant()
        def contract_matches_models(self):
            harness.check()

    StabilityPoolMachine.worst = worst
    StabilityPoolMachine.dust = dust
    return StabilityPoolMachine


def test_stateful__contract_equals_mirror_and_stays_below_exact(state_machine, fuzz_steps):
    run_state_machine_as_test(
        state_machine,
        settings=settings(
            max_examples=max(1, fuzz_steps // STEPS_PER_EXAMPLE),
            stateful_step_count=STEPS_PER_EXAMPLE,
            deadline=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        ),
    )
    worst = state_machine.worst
    print(f"\nstateful: {fuzz_steps} steps; largest shortfall vs exact: deposit {float(worst['deposit']):.3g} wei, "
          f"gain {float(worst['gain']):.3g} wei; most dust left after everyone exits: {state_machine.dust}")
