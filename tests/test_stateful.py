"""Hypothesis stateful run: random histories on the contract, checked against both models after
every step (views == integer mirror; deposits and gains at or below the exact model and within
the derived bound; solvency in every token). Invalid operations must revert with the error the
mirror names and change nothing.

Default: 1000 steps over 4 depositors and 4 gain tokens (18, 8 and 6 decimals, and a HostileERC20
that can blocklist a depositor, revert, return false or burn its gas), each also a reward token.
Rules include a flash-loan depositor (deposit, claim, withdraw in one transaction through a Batcher
contract: it must be owed and paid nothing of any stream), zero-duration rewards (refused while
the pool is below its stream threshold) and claims of deferred gains to any address.
Longer: `./dev test tests/test_stateful.py --fuzz-steps 20000 --fuzz-depositors 20`.
"""

import copy

import ape
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from spmodel import PoolLimitError
from spmodel.harness import Harness
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
NORMAL, BURN_GAS = 0, 3  # HostileERC20.Mode: Normal, RevertAll, ReturnFalse, BurnGas


@pytest.fixture
def hostile_harness(project, owner, create_pool, weth, wbtc, usdc, debt_token, chain, lens, liquidator, distributor):
    hostile = project.HostileERC20.deploy(sender=owner)
    pool = create_pool([weth, wbtc, usdc, hostile])
    return Harness(pool, debt_token, [weth, wbtc, usdc, hostile], chain, lens, liquidator, distributor)


@pytest.fixture
def state_machine(hostile_harness, project, owner, debt_token, depositors, fuzz_depositors, chain):
    harness = hostile_harness
    hostile = harness.gain_tokens[-1]
    people = depositors[:fuzz_depositors]
    batcher = project.Batcher.deploy(sender=owner)
    debt_token.mint(batcher, 10**30, sender=owner)
    batcher.run([debt_token.address], [debt_token.approve.encode_input(harness.pool, MAX)], sender=owner)
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
            """The hostile token pays again; everyone withdraws everything and collects what was
            deferred: each has been paid within the bound of their exact due (check), and the exact
            model accounts for every wei the pool still holds: what rounding kept back, plus what
            its ideal streams have not released yet."""
            hostile.setMode(NORMAL, sender=owner)
            for account in people:
                if hostile.blocked(account):
                    hostile.setBlocked(account, False, sender=owner)
                if account.address in harness.mirror.deposits:
                    harness.withdraw(account, MAX)
                for token in harness.gain_tokens:
                    if harness.mirror.deferred.get((account.address, token.address)):
                        harness.claim_deferred(account, token)
            harness.check()
            now = chain.blocks.head.timestamp
            exact = copy.deepcopy(harness.exact)
            exact.accrue(now)
            for token in [harness.debt_token, *harness.gain_tokens]:
                if token is harness.debt_token:
                    unpaid, streaming, held = sum(exact.deposits.values()), 0, 0
                else:
                    unpaid = sum(exact.gain_owed(who, token.address) for who in harness.depositors)
                    streaming = exact.unreleased(token.address)
                    held = harness.mirror.unreleased_at(token.address, now)
                balance = token.balanceOf(harness.pool)
                assert balance == unpaid + streaming, (token.symbol(), balance, unpaid, streaming)
                dust[token.symbol()] = max(dust.get(token.symbol(), 0), balance - held)

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

        @rule(share=debt_shares, token=st.integers(0, 3), coll=collaterals, over=st.integers(0, 19))
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
            if total == 0 or debt == 0 and coll == 0 or coll and not self.pulls(collateral):
                return
            harness.offset(debt, collateral, coll)

        def pulls(self, token) -> bool:
            """The liquidator and distributor only deliver the hostile token while it works."""
            return token.address != hostile.address or hostile.mode() == NORMAL

        @rule(token=st.integers(0, 3), amount=st.integers(1, 10**24),
              duration=st.sampled_from([0, 1, 60, 3600, 86400 * 7]), probe=st.integers(0, 9))
        def notify(self, token, amount, duration, probe):
            """Stream a reward, also into an empty pool (it pauses there). Duration 0 credits the
            amount at once; below the stream threshold the mirror says BelowStreamMinimum, and one
            time in ten that refusal is sent and checked (reverts are slow under ape-foundry)."""
            reward = harness.gain_tokens[token]
            if not self.pulls(reward):
                return
            now = chain.pending_timestamp
            if duration == 0 and not harness.mirror.can_release():
                if probe == 0:
                    assert self.expect_revert(lambda m: m.notify(reward.address, amount, 0, now),
                                              lambda: harness.pool.notifyReward(reward, amount, 0,
                                                                                sender=harness.distributor))
                return
            harness.notify(reward, amount, duration)

        @rule(amount=amounts)
        def flash(self, amount):
            """A flash-loan depositor: deposit, claim and withdraw in one transaction. It is in the
            pool for 0 seconds, so it must be paid nothing (the exact model agrees: check())."""
            if harness.mirror.total_deposits + amount > MAX_TOTAL_DEPOSITS:
                return
            assert harness.flash(batcher, amount, sender=owner) == {}

        @rule(mode=st.integers(0, 3), who=st.integers(0, len(people) - 1), blocklist=st.booleans())
        def hostile_token(self, mode, who, blocklist):
            """The hostile gain token blocklists (or unlists) a depositor, or changes how it fails:
            payouts it refuses are deferred, and nothing else is blocked."""
            if blocklist:
                account = people[who]
                hostile.setBlocked(account, not hostile.blocked(account), sender=owner)
            else:
                hostile.setMode(mode, sender=owner)

        @rule(who=st.integers(0, len(people) - 1), to=st.integers(0, len(people) - 1))
        def claim_deferred(self, who, to):
            """Collect a deferred gain, to oneself or to another depositor, once the token pays."""
            account, recipient = people[who], people[to]
            owed = [t for t in harness.gain_tokens if harness.mirror.deferred.get((account.address, t.address))]
            if not owed or hostile.mode() != NORMAL or hostile.blocked(recipient):
                return
            harness.claim_deferred(account, owed[0], recipient)

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
