"""Hypothesis stateful run: random histories on the contract, checked against both models after
every step (views == integer mirror; deposits and gains at or below the exact model and within
the derived bound; solvency in every token). Invalid operations must revert with the error the
mirror names and change nothing.

Default: 2000 steps over 4 depositors and 4 gain tokens (18, 8 and 6 decimals, and a HostileERC20
that can blocklist a depositor, revert, return false or burn its gas), each also a reward token.
Rules include a flash-loan depositor (deposit, claim, withdraw in one transaction through a Batcher
contract: it must be owed and paid nothing of any stream), zero-duration rewards (refused while
the pool is below its stream threshold) and claims of deferred gains to any address.
Longer: `./dev test tests/test_stateful.py --fuzz-steps 20000 --fuzz-depositors 20`.

The machine is driven through a `Deployment` (the fixture below) and writes what it measured into
a `RunReport` passed to it; the test prints the report. Each step says what it did with
`hypothesis.note()`, so a failing history is printed with the story of every step.
"""

import copy
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import ape
import pytest
from ape.api import AccountAPI
from ape.contracts import ContractInstance
from ape.exceptions import ContractLogicError
from hypothesis import HealthCheck, Phase, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from constants import MAX_UINT
from spmodel import PoolLimitError
from spmodel.chain.engine import open_engine
from spmodel.chain.harness import Harness
from spmodel.chain.simulation import (
    BLOCK_TIME,
    HostileMode,
    closing_balances,
    conservation_failures,
    deploy_history,
    everyone_exits,
    make_hostile_pay,
)
from spmodel.histories import AMOUNT_RANGES, DURATIONS, LEFT_WEI, SHARE_DENOMINATOR, TIME_STEPS
from spmodel.mirror import MAX_TOTAL_DEPOSITS

STEPS_PER_EXAMPLE = 50

# The same draws as `ape run simulate` (spmodel.histories), as strategies.
# Amounts across magnitudes: a few wei, dust, ordinary and huge deposits.
amounts = st.one_of(*(st.integers(low, high) for low, high in AMOUNT_RANGES))
# How much of the pool an offset takes: a share in millionths, or "leave exactly k wei", or all.
debt_shares = st.one_of(
    st.integers(0, SHARE_DENOMINATOR).map(lambda ppm: ("ppm", ppm)),
    st.integers(*LEFT_WEI).map(lambda k: ("leave", k)),
    st.just(("all", 0)),
)
collaterals = st.one_of(st.just(0), st.integers(1, 10**6), st.integers(10**15, 10**24))


MODEL_STATE = ("mirror", "exact", "worst", "depositors")


@dataclass
class Deployment:
    """What the machine drives: a pool over 4 gain tokens (the last a HostileERC20) with its
    Harness, the depositors taking part, a Batcher holding debt tokens for flash deposits, and the
    models as they were before any step (each example starts from them, as from a fresh chain)."""

    harness: Harness
    hostile: ContractInstance
    people: list[AccountAPI]
    batcher: ContractInstance
    owner: AccountAPI
    chain: Any  # spmodel.chain.engine.Chain: time and snapshots through the engine
    fresh_models: dict[str, Any]  # Harness attribute -> its state before any step (models, bounds)
    symbols: dict[str, str]  # gain token address -> symbol, for the notes
    start_time: int  # the head block's timestamp every example starts from


@dataclass
class RunReport:
    """What the run measured, over every example Hypothesis ran."""

    examples: int = 0
    steps: Counter = field(default_factory=Counter)  # what the steps did, by kind
    worst_deposit: Fraction = Fraction(0)  # largest shortfall against the exact model, in wei
    worst_gain: Fraction = Fraction(0)
    dust: dict[str, int] = field(default_factory=dict)  # token symbol -> most wei left after everyone exited

    def summary(self) -> str:
        steps = ", ".join(f"{kind} {count}" for kind, count in sorted(self.steps.items()))
        return (
            f"stateful: {self.examples} examples, {self.steps.total()} steps ({steps}); "
            f"largest shortfall vs exact: deposit {float(self.worst_deposit):.3g} wei, "
            f"gain {float(self.worst_gain):.3g} wei; most dust left after everyone exits: {self.dust}"
        )


class StabilityPoolMachine(RuleBasedStateMachine):
    """One example: a fresh chain (snapshot in __init__, restored in teardown), fresh models, and
    up to STEPS_PER_EXAMPLE operations; `harness.check()` after every one."""

    depositors = Bundle("depositors")

    def __init__(self, deployment: Deployment, report: RunReport):
        super().__init__()
        self.deployment, self.report = deployment, report
        self.harness, self.hostile, self.chain = deployment.harness, deployment.hostile, deployment.chain
        self.snapshot = self.chain.snapshot()
        head = self.harness.latest_timestamp()
        assert head == deployment.start_time, f"example starts at t={head}, not {deployment.start_time}: not replayable"
        for name, fresh in deployment.fresh_models.items():
            setattr(self.harness, name, copy.deepcopy(fresh))
        # The hostile token's settings, as this machine set them since the snapshot.
        self.hostile_mode, self.blocked = HostileMode.Normal, set()
        report.examples += 1

    # ------------------------------------------------------------------ bookkeeping
    def did(self, kind: str, what: str) -> None:
        """Counts the step under `kind` and notes what it did for a failing history's printout."""
        self.report.steps[kind] += 1
        note(what)

    def name(self, account) -> str:
        return f"depositor {self.deployment.people.index(account)}"

    def with_deposit(self) -> list:
        return [p for p in self.deployment.people if p.address in self.harness.mirror.deposits]

    def with_deferred(self) -> list:
        """(depositor, token) pairs with a deferred gain."""
        return [
            (p, t)
            for p in self.deployment.people
            for t in self.harness.gain_tokens
            if self.harness.mirror.deferred.get((p.address, t.address))
        ]

    def unblocked(self) -> list:
        return [p for p in self.deployment.people if p.address not in self.blocked]

    def symbol(self, token) -> str:
        return self.deployment.symbols[token.address]

    def paying(self, tokens) -> list:
        """The liquidator and distributor only deliver the hostile token while it works."""
        return [t for t in tokens if t.address != self.hostile.address or self.hostile_mode == HostileMode.Normal]

    def refused(self, kind: str, operation, method: str, args: list, sender) -> None:
        """The mirror names the error `operation` fails with; the pool's `method(*args)` from
        `sender` must revert with it (and change nothing: the invariant check follows)."""
        with pytest.raises(PoolLimitError) as refusal:
            operation(self.harness.mirror.copy())
        with pytest.raises(ContractLogicError) as reverted:
            self.harness.send(self.harness.pool, method, args, sender)
        assert type(reverted.value).__name__ == refusal.value.error, reverted.value
        self.did(f"{kind} refused", f"{kind} refused with {refusal.value.error}")

    # ------------------------------------------------------------------ rules
    @initialize(target=depositors)
    def enrol_depositors(self):
        return multiple(*self.deployment.people)

    @rule(account=depositors, amount=amounts)
    def deposit(self, account, amount):
        """Deposit or top up; over the cap it must revert with TotalDepositsCapExceeded."""
        h = self.harness
        if h.mirror.total_deposits + amount > MAX_TOTAL_DEPOSITS:
            now = self.chain.pending_timestamp
            self.refused(
                "deposit",
                lambda m: m.deposit(account.address, amount, now),
                "deposit",
                [amount],
                account,
            )
        else:
            h.deposit(account, amount)
            self.did("deposit", f"{self.name(account)} deposits {amount}")

    @rule(data=st.data(), share=st.integers(0, SHARE_DENOMINATOR), everything=st.booleans())
    def withdraw(self, data, share, everything):
        """A depositor withdraws part or all (max); while nobody has a deposit, an attempt must
        revert with NoDeposit and change nothing."""
        h, holders = self.harness, self.with_deposit()
        if not holders:
            account = data.draw(st.sampled_from(self.deployment.people), label="account without a deposit")
            now = self.chain.pending_timestamp
            self.refused("withdraw", lambda m: m.withdraw(account.address, 1, now), "withdraw", [1], account)
            return
        account = data.draw(st.sampled_from(holders), label="depositor with a deposit")
        amount = MAX_UINT if everything else max(1, h.mirror.compounded(account.address) * share // SHARE_DENOMINATOR)
        h.withdraw(account, amount)
        self.did("withdraw", f"{self.name(account)} withdraws {'everything' if everything else amount}")

    @precondition(lambda self: self.with_deposit())
    @rule(data=st.data())
    def claim(self, data):
        account = data.draw(st.sampled_from(self.with_deposit()), label="depositor with a deposit")
        self.harness.claim(account)
        self.did("claim", f"{self.name(account)} claims")

    @precondition(lambda self: self.harness.mirror.total_deposits > 0)
    @rule(data=st.data(), share=debt_shares, coll=collaterals, over=st.integers(0, 19))
    def offset(self, data, share, coll, over):
        """Liquidate part of the pool, all but k wei, or all of it (a new epoch). One time in 20,
        offset more than the pool holds: it must revert with DebtExceedsDeposits, changing
        nothing (rare, so that most offsets go through). Collateral comes
        only in a token the liquidator can deliver; an offset of nothing for nothing (ZeroAmount)
        takes 1 wei of debt instead."""
        h = self.harness
        total, now = h.mirror.total_deposits, self.chain.pending_timestamp
        tokens = self.paying(h.gain_tokens) if coll else h.gain_tokens
        collateral = data.draw(st.sampled_from(tokens), label="collateral")
        if over == 0:
            self.refused(
                "offset",
                lambda m: m.offset(total + 1, collateral.address, 0, now),
                "offset",
                [total + 1, collateral.address, 0],
                h.liquidator,
            )
        else:
            kind, x = share
            debt = {"ppm": total * x // 1_000_000, "leave": max(total - x, 0), "all": total}[kind]
            debt = debt if debt or coll else 1
            h.offset(debt, collateral, coll)
            self.did("offset", f"offset {debt} of {total} for {coll} {self.symbol(collateral)}")

    @rule(
        data=st.data(),
        amount=st.integers(1, 10**24),
        duration=st.sampled_from(DURATIONS),
        probe=st.integers(0, 9),
    )
    def notify(self, data, amount, duration, probe):
        """Stream a reward, also into an empty pool (it pauses there), in a token the distributor
        can deliver. Duration 0 credits the amount at once; below the stream threshold the mirror
        says BelowStreamMinimum, and one time in ten that refusal is sent and checked (the other
        nine leave the step budget to operations that change the pool)."""
        h = self.harness
        reward = data.draw(st.sampled_from(self.paying(h.gain_tokens)), label="reward token")
        now = self.chain.pending_timestamp
        at_once_refused = duration == 0 and not h.mirror.can_release()
        if at_once_refused and probe == 0:
            self.refused(
                "notify",
                lambda m: m.notify(reward.address, amount, 0, now),
                "notifyReward",
                [reward.address, amount, 0],
                h.distributor,
            )
        elif at_once_refused:
            self.did(
                "notify refused (not sent)",
                f"a credit of {amount} {self.symbol(reward)} at once: below the stream threshold, BelowStreamMinimum",
            )
        else:
            h.notify(reward, amount, duration)
            self.did("notify", f"notify {amount} {self.symbol(reward)} over {duration} s")

    @precondition(lambda self: self.harness.mirror.total_deposits < MAX_TOTAL_DEPOSITS)
    @rule(amount=amounts)
    def flash(self, amount):
        """A flash-loan depositor: deposit, claim and withdraw in one transaction. It is in the
        pool for 0 seconds, so it must be paid nothing (the exact model agrees: check()). At most
        what the cap leaves room for."""
        h, d = self.harness, self.deployment
        amount = min(amount, MAX_TOTAL_DEPOSITS - h.mirror.total_deposits)
        assert h.flash(d.batcher, amount, sender=d.owner) == {}
        self.did("flash", f"a flash depositor deposits, claims and withdraws {amount}")

    @rule(mode=st.sampled_from(HostileMode), account=depositors, blocklist=st.booleans())
    def hostile_token(self, mode, account, blocklist):
        """The hostile gain token blocklists (or unlists) a depositor, or changes how it fails:
        payouts it refuses are deferred, and nothing else is blocked."""
        owner = self.deployment.owner
        if blocklist:
            self.blocked ^= {account.address}
            now_blocked = account.address in self.blocked
            self.harness.send(self.hostile, "setBlocked", [account.address, now_blocked], owner)
            self.did(
                "hostile blocklist", f"the hostile token {'blocks' if now_blocked else 'unblocks'} {self.name(account)}"
            )
        else:
            self.hostile_mode = mode
            self.harness.send(self.hostile, "setMode", [int(mode)], owner)
            self.did("hostile mode", f"the hostile token's mode is now {mode.name}")

    @precondition(lambda self: self.hostile_mode == HostileMode.Normal and self.with_deferred() and self.unblocked())
    @rule(data=st.data())
    def claim_deferred(self, data):
        """Collect a deferred gain, to oneself or to another depositor the hostile token pays,
        once it pays again."""
        account, token = data.draw(st.sampled_from(self.with_deferred()), label="depositor and token")
        recipient = data.draw(st.sampled_from(self.unblocked()), label="recipient")
        self.harness.claim_deferred(account, token, recipient)
        self.did(
            "claimDeferred",
            f"{self.name(account)} collects its deferred {self.symbol(token)} for {self.name(recipient)}",
        )

    @rule(seconds=st.sampled_from(TIME_STEPS))
    def time_passes(self, seconds):
        self.chain.pending_timestamp = self.chain.pending_timestamp + seconds
        self.chain.mine()
        self.did("time passes", f"{seconds} s pass")

    @invariant()
    def contract_matches_models(self):
        self.harness.check()

    # ------------------------------------------------------------------ the end of an example
    def teardown(self):
        try:
            self.everyone_exits()
        finally:
            self.report.worst_deposit = max(self.report.worst_deposit, self.harness.worst.deposit)
            self.report.worst_gain = max(self.report.worst_gain, self.harness.worst.gain)
            self.chain.restore(self.snapshot)

    def everyone_exits(self):
        """The hostile token pays again; everyone withdraws everything and collects what was
        deferred: each has been paid within the bound of their exact due (check), and the exact
        model accounts for every wei the pool still holds (the end-of-run check `simulate` makes)."""
        h, d = self.harness, self.deployment
        make_hostile_pay(self.hostile, d.people, d.owner)
        everyone_exits(h, d.people)
        h.check()
        closing = closing_balances(h)
        failures = conservation_failures(h, closing)
        assert not failures, failures
        for c in closing:
            self.report.dust[c.symbol] = max(self.report.dust.get(c.symbol, 0), c.dust)


@pytest.fixture
def deployment(chain, project, engine, fuzz_depositors):
    """simulate's deployment (3 mock gain tokens, the hostile one, a Batcher), on `--engine`: Anvil
    by default, revm with `./dev test --engine revm`; blocks BLOCK_TIME apart on either."""
    with open_engine(engine, chain, project, BLOCK_TIME) as (engine_chain, engine_project, hot_path):
        cast = deploy_history(ape.accounts, engine_chain, engine_project, fuzz_depositors, 3, hostile=True)
        h = cast.harness
        h.engine = hot_path
        fresh = {name: copy.deepcopy(getattr(h, name)) for name in MODEL_STATE}
        symbols = {token.address: token.symbol() for token in h.gain_tokens}
        yield Deployment(
            h, cast.hostile, cast.people, cast.batcher, cast.owner, engine_chain, fresh, symbols, h.latest_timestamp()
        )


def test_stateful__contract_equals_mirror_and_stays_below_exact(deployment, fuzz_steps):
    report = RunReport()
    examples = max(1, fuzz_steps // STEPS_PER_EXAMPLE)
    # The deployment's blocks are BLOCK_TIME apart, not by the wall clock: stream releases (and so
    # which depositors hold a deferred gain, a precondition) depend on timestamps, and a replayed
    # example must draw the same data as its first run, however loaded the machine (else
    # Hypothesis raises FlakyStrategyDefinition).
    run_state_machine_as_test(
        lambda: StabilityPoolMachine(deployment, report),
        settings=settings(
            max_examples=examples,
            stateful_step_count=STEPS_PER_EXAMPLE + 1,  # and the step that enrols the depositors
            deadline=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(f"\n{report.summary()}")
    assert report.examples >= examples  # every example ran (each failure would have raised above)
