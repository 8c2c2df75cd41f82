"""The seeded random-history driver behind `ape run simulate`, and the end-of-run conservation check
it shares with the stateful test.

Each step is one of: a new deposit or a top-up (amounts from 1 wei to 1e26), a partial or a full
withdrawal, a claim, a liquidation (a share of the pool, all but 1-3 wei, or everything: a new
epoch; collateral from 0 to large, sometimes a pure collateral credit), a reward stream on any
gain token (duration 0 = at once, up to 30 days, also into an empty pool, where streams pause),
a flash-loan depositor (deposit, claim and withdraw in one transaction through a Batcher
contract: the exact model says it is owed nothing), a change in how the hostile gain token
behaves (blocklisting a depositor, reverting, returning false or burning its gas: gains are then
deferred), a claim of deferred gains (to the depositor or to another address), or time passing
(1 s to 30 days). Everything is drawn from `random.Random(seed)` and blocks are BLOCK_TIME apart,
so a seed replays exactly. Operations the integer mirror says the contract would reject are
skipped (amounts are drawn to be valid: deposits under the cap, offsets at most the deposits).
After every step `Harness.check()` compares every view with the mirror and the exact model; a
mismatch (or an unexpected revert) is counted and the run goes on. At the end time runs past every
stream, everyone withdraws everything, and `run` prints the dust the pool keeps per token and the
gas per operation, and checks that each token's dust is exactly what the exact model says rounding
kept back (conservation) and at most the sum of the depositors' error bounds.
"""

import csv
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from typing import Any, TypedDict

import click
from ape.api import AccountAPI
from ape.contracts import ContractInstance
from ape.exceptions import TransactionError
from ape.managers.accounts import AccountManager
from ape.managers.chain import ChainManager
from ape.managers.project import ProjectManager

from ..amounts import MAX_UINT
from ..histories import DURATIONS, LEFT_WEI, SHARE_DENOMINATOR, TIME_STEPS, draw_amount
from ..mirror import MAX_TOTAL_DEPOSITS, MirrorPool, PoolLimitError
from ..report import Cell, gas_stats, print_table, pyplot, save_figure, short, units
from .deploy import FUNDS, GAIN_TOKEN_SPECS, create_pool, deploy_token, make_harness, roles_from_test_accounts
from .engine import open_engine
from .harness import Bounds, Harness, Mismatch

BLOCK_TIME = 12  # seconds between blocks
PROGRESS_EVERY = 1000  # steps between progress lines when the output is not a terminal
# A step fails if the contract disagrees with a model (Mismatch, or a model's own assertion), reverts
# where the mirror said it would not (TransactionError), or accepts what the mirror rejects.
FAILURES = (AssertionError, TransactionError, PoolLimitError)
# (operation, weight)
OPERATIONS = [
    ("deposit", 22),
    ("withdraw", 10),
    ("withdraw all", 5),
    ("claim", 8),
    ("offset", 25),
    ("notify", 12),
    ("time", 18),
    ("flash", 4),
    ("hostile", 3),
    ("claim deferred", 3),
]
Step = tuple[str, str]  # (operation, detail), or ("skip", reason)


class HostileMode(IntEnum):
    """HostileERC20.Mode: how the hostile gain token fails."""

    Normal = 0
    RevertAll = 1
    ReturnFalse = 2
    BurnGas = 3


class Simulation:
    """Draws and sends one random operation per `step()`, through the Harness `h`. `specs`: each gain
    token's (symbol, decimals); `batcher`: a Batcher holding debt tokens (the flash depositor);
    `hostile`: the HostileERC20 among the gain tokens, if any, controlled by `owner`."""

    def __init__(
        self,
        h: Harness,
        people: list[AccountAPI],
        rng: random.Random,
        chain: ChainManager,
        specs: list[tuple[str, int]],
        batcher: ContractInstance,
        hostile: ContractInstance | None,
        owner: AccountAPI,
    ):
        self.h, self.people, self.rng, self.chain = h, people, rng, chain
        self.batcher, self.hostile, self.owner = batcher, hostile, owner
        self.hostile_mode = HostileMode.Normal
        self.names = {p.address: f"depositor {i}" for i, p in enumerate(people)}
        self.decimals = {t.address: d for t, (_, d) in zip(h.gain_tokens, specs, strict=True)}
        self.symbols = {t.address: s for t, (s, _) in zip(h.gain_tokens, specs, strict=True)}
        self.mismatches: list[tuple[int, str]] = []
        self.done: Counter[str] = Counter()  # operation -> times sent
        self.skipped: Counter[str] = Counter()  # reason -> times
        self.credited: Counter[str] = Counter()  # gain token -> all collateral and rewards sent to the pool

    # ------------------------------------------------------------------ helpers
    def has_deposit(self, who: AccountAPI) -> bool:
        return who.address in self.h.mirror.deposits

    def rejected(self, operation: Callable[[MirrorPool, int], Any]) -> str | None:  # the result is unused
        """The error the mirror says the contract would raise, on a copy of the mirror."""
        try:
            operation(self.h.mirror.copy(), self.chain.pending_timestamp)
        except PoolLimitError as err:
            return err.error
        return None

    # ------------------------------------------------------------------ one step
    def step(self) -> Step:
        """Draws and runs one operation; returns (operation, detail) or ("skip", reason)."""
        rng, h = self.rng, self.h
        op = rng.choices([o for o, _ in OPERATIONS], [w for _, w in OPERATIONS])[0]
        return getattr(self, "op_" + op.replace(" ", "_"))(rng, h)

    def op_deposit(self, rng: random.Random, h: Harness) -> Step:
        who = rng.choice(self.people)
        room = MAX_TOTAL_DEPOSITS - h.mirror.total_deposits
        amount = min(draw_amount(rng), room)
        if amount == 0:
            return "skip", "pool at its deposit cap"
        if error := self.rejected(lambda m, now: m.deposit(who.address, amount, now)):
            return "skip", f"deposit: mirror says {error}"
        if h.view(h.debt_token, "balanceOf", who.address) < amount:
            h.send(h.debt_token, "mint", [who.address, FUNDS], who)
        kind = "top-up" if self.has_deposit(who) else "deposit (new)"
        h.deposit(who, amount, label=kind)
        return kind, f"{self.names[who.address]}: {amount}"

    def op_withdraw(self, rng: random.Random, h: Harness, everything: bool = False) -> Step:
        holders = [p for p in self.people if self.has_deposit(p)]
        if not holders:
            return "skip", "withdraw: nobody has a deposit"
        who = rng.choice(holders)
        compounded = h.mirror.compounded(who.address)
        amount = MAX_UINT if everything else max(1, compounded * rng.randint(0, SHARE_DENOMINATOR) // SHARE_DENOMINATOR)
        if error := self.rejected(lambda m, now: m.withdraw(who.address, amount, now)):
            return "skip", f"withdraw: mirror says {error}"
        kind = "withdraw (full)" if everything or amount >= compounded else "withdraw (partial)"
        h.withdraw(who, amount, label=kind)
        return kind, f"{self.names[who.address]}: {'max' if everything else amount}"

    def op_withdraw_all(self, rng: random.Random, h: Harness) -> Step:
        return self.op_withdraw(rng, h, everything=True)

    def op_claim(self, rng: random.Random, h: Harness) -> Step:
        holders = [p for p in self.people if self.has_deposit(p)]
        if not holders:
            return "skip", "claim: nobody has a deposit"
        who = rng.choice(holders)
        h.claim(who, label="claim")
        return "claim", self.names[who.address]

    def op_offset(self, rng: random.Random, h: Harness) -> Step:
        total = h.mirror.total_deposits
        if total == 0:
            return "skip", "offset: the pool is empty"
        token = rng.choice(h.gain_tokens)
        if not self.pulls(token):
            return "skip", "offset: the hostile token is failing (the liquidator cannot deliver it)"
        unit = 10 ** self.decimals[token.address]
        kind = rng.random()
        if kind < 0.75:
            debt, label = total * rng.randint(0, SHARE_DENOMINATOR) // SHARE_DENOMINATOR, "offset"
        elif kind < 0.9:
            debt, label = max(total - rng.randint(*LEFT_WEI), 0), "offset (leaves 1-3 wei)"
        else:
            debt, label = total, "offset (empties the pool)"
        # Collateral as a liquidation delivers it: 0.001 to 2 whole tokens per unit of debt (any
        # decimals); with no debt, a yield-like credit of up to 1% of the pool. (Credits unrelated
        # to the debt, huge ones into a pool of a few wei, are the stateful test's job.)
        if debt > 0:
            coll = debt * unit * rng.randint(1, 2000) // (10**18 * 1000)
        else:
            coll = total * unit * rng.randint(1, 100) // (10**18 * 10_000)
        if debt == 0 and coll == 0:
            coll = 1
        if debt == total:
            label = "offset (empties the pool)"
        if error := self.rejected(lambda m, now: m.offset(debt, token.address, coll, now)):
            return "skip", f"offset: mirror says {error}"
        h.offset(debt, token, coll, label=label)
        self.credited[token.address] += coll
        return label, f"debt {debt} of {total}, {coll} {self.symbols[token.address]}"

    def op_notify(self, rng: random.Random, h: Harness) -> Step:
        token = rng.choice(h.gain_tokens)
        if not self.pulls(token):
            return "skip", "notifyReward: the hostile token is failing"
        amount = draw_amount(rng, 10 ** self.decimals[token.address])
        duration = rng.choice(DURATIONS)
        if error := self.rejected(lambda m, now: m.notify(token.address, amount, duration, now)):
            return "skip", f"notifyReward: mirror says {error}"
        h.notify(token, amount, duration, label="notifyReward")
        self.credited[token.address] += amount
        return "notifyReward", f"{amount} {self.symbols[token.address]} over {duration} s"

    def op_flash(self, rng: random.Random, h: Harness) -> Step:
        room = MAX_TOTAL_DEPOSITS - h.mirror.total_deposits
        amount = min(draw_amount(rng), room)
        if amount == 0:
            return "skip", "flash: pool at its deposit cap"
        label = "flash (deposit, claim, withdraw in one tx)"
        gains = h.flash(self.batcher, amount, sender=self.owner, label=label)
        if gains:
            raise Mismatch(f"a flash depositor was paid {gains} after 0 seconds in the pool")
        return label, f"{amount}"

    def op_hostile(self, rng: random.Random, h: Harness) -> Step:
        if self.hostile is None:
            return "skip", "hostile: no hostile token"
        if rng.random() < 0.5:
            who = rng.choice(self.people)
            blocked = not h.view(self.hostile, "blocked", who.address)
            h.send(self.hostile, "setBlocked", [who.address, blocked], self.owner)
            return "hostile token: blocklist", f"{self.names[who.address]}: {blocked}"
        self.hostile_mode = HostileMode(rng.randrange(len(HostileMode)))
        h.send(self.hostile, "setMode", [int(self.hostile_mode)], self.owner)
        return "hostile token: mode", self.hostile_mode.name

    def pulls(self, token: ContractInstance) -> bool:
        """Whether the pool can pull `token` now (the liquidator and distributor are never blocked)."""
        return self.hostile is None or token.address != self.hostile.address or self.hostile_mode == HostileMode.Normal

    def pays(self, token: ContractInstance, recipient: AccountAPI) -> bool:
        """Whether `token` pays `recipient` now (only the hostile token ever refuses)."""
        if self.hostile is None or token.address != self.hostile.address:
            return True
        return self.hostile_mode == HostileMode.Normal and not self.h.view(self.hostile, "blocked", recipient.address)

    def op_claim_deferred(self, rng: random.Random, h: Harness) -> Step:
        owed = [
            (who, token)
            for who in self.people
            for token in h.gain_tokens
            if h.mirror.deferred.get((who.address, token.address))
        ]
        if not owed:
            return "skip", "claimDeferred: nothing deferred"
        who, token = rng.choice(owed)
        recipient = who if rng.random() < 0.5 else rng.choice(self.people)
        if not self.pays(token, recipient):
            return "skip", "claimDeferred: the token would still refuse"
        h.claim_deferred(who, token, recipient, label="claimDeferred")
        return "claimDeferred", f"{self.names[who.address]} -> {self.names[recipient.address]}"

    def op_time(self, rng: random.Random, h: Harness) -> Step:
        seconds = rng.choice(TIME_STEPS)
        self.chain.pending_timestamp = self.chain.pending_timestamp + seconds
        self.chain.mine()
        return "time passes", f"{seconds} s"


class Row(TypedDict):
    """One step of the history, as written to the CSV."""

    step: int
    operation: str
    detail: str
    gas: int | None
    total_deposits: int
    P: int
    scale: int
    epoch: int
    open_deposits: int
    mismatches: int
    worst_deposit_shortfall: float
    worst_gain_shortfall: float


def write_csv(path: str, rows: list[Row]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_plot(path: str, rows: list[Row]) -> None:
    plt = pyplot()

    steps = [r["step"] for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    top.plot(steps, [max(r["total_deposits"], 1) / 1e18 for r in rows], lw=1)
    top.set_yscale("log")
    top.set_ylabel("total deposits (tokens; 0 at 1e-18)")
    top.set_title("Random history: total deposits, P and scale per step")
    top.grid(True, alpha=0.3)
    for r in rows:
        if r["operation"] == "offset (empties the pool)":
            top.axvline(r["step"], color="red", alpha=0.2, lw=0.8)
    bottom.plot(steps, [r["P"] for r in rows], lw=1, label="P")
    bottom.set_yscale("log")
    bottom.set_ylabel("P (in [1e27, 1e33])")
    bottom.set_xlabel("step")
    bottom.grid(True, alpha=0.3)
    scale_axis = bottom.twinx()
    scale_axis.step(steps, [r["scale"] for r in rows], where="post", color="tab:orange", lw=1, label="scale")
    scale_axis.set_ylabel("scale", color="tab:orange")
    save_figure(fig, path)


@dataclass
class Outcome:
    """What a run found: failures (step, message), operations sent and skipped, pool emptyings,
    the largest shortfalls against the exact model (wei) and the dust left per token symbol (wei)."""

    mismatches: list[tuple[int, str]]
    operations: int
    skipped: int
    epochs: int
    worst: Bounds
    dust: dict[str, int]


@dataclass
class Cast:
    """A history's deployment: the harness over a fresh pool, the depositors, the owner, a Batcher
    holding debt tokens for flash deposits, the hostile token (or None) and every gain token's
    (symbol, decimals)."""

    harness: Harness
    people: list[AccountAPI]
    owner: AccountAPI
    batcher: ContractInstance
    hostile: ContractInstance | None
    specs: list[tuple[str, int]]


def deploy_history(
    accounts: AccountManager, chain: Any, project: Any, depositors: int, tokens: int, hostile: bool
) -> Cast:
    """A pool over `tokens` mock gain tokens (GAIN_TOKEN_SPECS, cycled) and, with `hostile`, a
    HostileERC20 after them; `depositors` funded depositors (generated accounts beyond the
    configured ones). On ape's chain and project or an engine's stand-ins (open_engine)."""
    roles = roles_from_test_accounts(accounts)
    people = roles.depositors[:depositors]
    while len(people) < depositors:  # beyond the configured test accounts: generated ones, with ETH
        extra = accounts.test_accounts.generate_test_account()
        chain.provider.set_balance(extra.address, 10**21)
        people.append(extra)
    owner = roles.owner
    debt = deploy_token(project, owner, "BSD", 18)
    specs: list[tuple[str, int]] = []  # the mock gain tokens, cycled: WETH, WBTC, USDC, WETH3, WBTC4, ...
    for i in range(tokens):
        symbol, decimals = GAIN_TOKEN_SPECS[i % len(GAIN_TOKEN_SPECS)]
        specs.append((symbol if i < len(GAIN_TOKEN_SPECS) else f"{symbol}{i}", decimals))
    gains = [deploy_token(project, owner, symbol, decimals) for symbol, decimals in specs]
    hostile_token = project.HostileERC20.deploy(sender=owner) if hostile else None
    if hostile_token:
        gains.append(hostile_token)
        specs.append(("HOST", 18))
    pool = create_pool(project, roles, debt, gains, depositors=people)
    harness = make_harness(project, chain, roles, pool, debt, gains)
    batcher = project.Batcher.deploy(sender=owner)
    debt.mint(batcher, FUNDS, sender=owner)
    batcher.run([debt.address], [debt.approve.encode_input(pool, MAX_UINT)], sender=owner)
    return Cast(harness, people, owner, batcher, hostile_token, specs)


def run(
    accounts: AccountManager,
    chain: ChainManager,
    project: ProjectManager,
    steps: int,
    depositors: int,
    seed: int,
    tokens: int,
    csv_path: str | None,
    plot: str | None,
    started: float,
    hostile: bool = False,
    raw: bool = True,
    engine: str = "anvil",
) -> Outcome:
    """The simulation on a fresh pool, blocks BLOCK_TIME apart, with its report printed, on `engine`
    (spmodel.chain.engine.ENGINES); `raw=False`: on Anvil, through ape's contract objects instead."""
    with open_engine(engine, chain, project, BLOCK_TIME) as (chain, project, hot_path):
        cast = deploy_history(accounts, chain, project, depositors, tokens, hostile)
        h, people, owner, hostile_token, specs = cast.harness, cast.people, cast.owner, cast.hostile, cast.specs
        h.engine = hot_path if raw else None
        pool = h.pool
        sim = Simulation(h, people, random.Random(seed), chain, specs, cast.batcher, hostile_token, owner)
        print(
            f"simulate: {steps} steps, {depositors} depositors, {tokens} gain tokens "
            f"({', '.join(f'{s} {d}' for s, d in specs)} decimals), seed {seed}; pool {pool.address}"
        )

        rows: list[Row] = []
        with click.progressbar(range(1, steps + 1), label="steps", show_pos=True, show_eta=True) as bar:
            for i in bar:
                gas = None
                try:
                    sent = sum(map(len, h.gas.values()))
                    operation, detail = sim.step()
                    if sum(map(len, h.gas.values())) > sent:  # the harness keeps gas under our label
                        gas = h.gas[operation][-1]
                    if operation == "skip":
                        sim.skipped[detail] += 1
                    else:
                        sim.done[operation] += 1
                except FAILURES as err:
                    operation, detail = "error", f"{type(err).__name__}: {err}"
                    sim.mismatches.append((i, detail))
                try:
                    h.check()
                except Mismatch as err:
                    sim.mismatches.append((i, f"check: {err}"))
                m = h.mirror
                rows.append(
                    {
                        "step": i,
                        "operation": operation,
                        "detail": detail,
                        "gas": gas,
                        "total_deposits": m.total_deposits,
                        "P": m.P,
                        "scale": m.scale,
                        "epoch": m.epoch,
                        "open_deposits": len(m.deposits),
                        "mismatches": len(sim.mismatches),
                        "worst_deposit_shortfall": float(h.worst.deposit),
                        "worst_gain_shortfall": float(h.worst.gain),
                    }
                )
                if not sys.stdout.isatty() and i % PROGRESS_EVERY == 0:  # the bar only draws on a terminal
                    print(f"step {i}: {len(sim.mismatches)} mismatches, {time.time() - started:.0f} s", flush=True)
        history_time = time.time() - started

        # The end: the hostile token pays again, streams run out, everyone withdraws everything and
        # collects what was deferred.
        if hostile_token:
            sim.hostile_mode = HostileMode.Normal
            make_hostile_pay(hostile_token, people, owner)
        finish = max([gt.finish for gt in h.mirror.tokens] + [0])
        if finish >= chain.pending_timestamp:
            chain.pending_timestamp = finish + 1
            chain.mine()
        try:
            everyone_exits(h, people)
        except FAILURES as err:
            sim.mismatches.append((steps + 1, f"final withdrawal: {err}"))
        try:
            h.check()
        except Mismatch as err:
            sim.mismatches.append((steps + 1, f"final check: {err}"))

        print()
        print_table(
            ["", "value"],
            [
                ["steps", steps],
                ["depositors", depositors],
                ["gain tokens", tokens],
                ["seed", seed],
                ["operations sent", sum(sim.done.values())],
                ["skipped (mirror: would revert / nothing to do)", sum(sim.skipped.values())],
                ["epochs (pool emptied)", h.mirror.epoch],
                ["final scale", h.mirror.scale],
                ["mismatches during the history", len(sim.mismatches)],
                ["largest deposit shortfall vs exact (wei)", short(h.worst.deposit)],
                ["largest gain shortfall vs exact (wei)", short(h.worst.gain)],
                ["run time (history + checks)", f"{history_time:.1f} s"],
            ],
            align=["<", ">"],
            title="Summary",
        )
        print_table(["operation", "count"], sorted(sim.done.items()), title="Operations")
        if sim.skipped:
            print_table(["skipped", "count"], sorted(sim.skipped.items()), title="Skipped")
        closing = closing_balances(h)
        sim.mismatches.extend((steps + 1, failure) for failure in conservation_failures(h, closing))
        dust_rows: list[list[Cell]] = []
        for c in closing:
            credited = sim.credited[c.token.address]  # 0 for the debt token
            share = f"{c.dust / credited:.3%}" if credited else "-"
            dust_rows.append(
                [
                    c.symbol,
                    c.decimals,
                    f"{c.balance:,}",
                    f"{c.held:,}",
                    f"{c.dust:,}",
                    short(c.exact_owed),
                    short(c.keep_back),
                    short(c.bound),
                    units(c.dust, c.decimals),
                    share,
                ]
            )
        print_table(
            [
                "token",
                "decimals",
                "pool balance (wei)",
                "held in stream",
                "dust (wei)",
                "exact model still owed (wei)",
                "stream keep-back (wei)",
                "stated bound (wei)",
                "dust (tokens)",
                "dust / all credited",
            ],
            dust_rows,
            title=f"Left in the pool after everyone withdrew everything (open deposits: {len(h.mirror.deposits)})",
        )

        gas_rows: list[list[Cell]] = [
            [label, len(values), *(f"{g:,}" for g in gas_stats(values))] for label, values in sorted(h.gas.items())
        ]
        print_table(
            ["operation", "count", "min gas", "median gas", "max gas"],
            gas_rows,
            title="Gas per operation" + (" (revm: not Anvil's, slots stay warm)" if engine == "revm" else ""),
        )

        if csv_path:
            write_csv(csv_path, rows)
            print(f"csv: {csv_path} ({len(rows)} rows)")
        if plot:
            write_plot(plot, rows)
            print(f"plot: {plot}")
        for step, message in sim.mismatches[:10]:
            click.echo(f"MISMATCH at step {step}: {message}", err=True)
        print(f"mismatches: {len(sim.mismatches)}; total run time {time.time() - started:.1f} s")
        return Outcome(
            sim.mismatches,
            sum(sim.done.values()),
            sum(sim.skipped.values()),
            h.mirror.epoch,
            h.worst,
            {c.symbol: c.dust for c in closing},
        )


# ---------------------------------------------------------------------- the end of a history
def make_hostile_pay(hostile: ContractInstance, people: Iterable[AccountAPI], owner: AccountAPI) -> None:
    """The hostile gain token behaves again and blocklists no one, so every payout goes through."""
    hostile.setMode(HostileMode.Normal, sender=owner)
    for who in people:
        if hostile.blocked(who):
            hostile.setBlocked(who, False, sender=owner)


def everyone_exits(h: Harness, people: Iterable[AccountAPI]) -> None:
    """Everyone withdraws everything and collects what was deferred (every token must pay)."""
    for who in people:
        if who.address in h.mirror.deposits:
            h.withdraw(who, MAX_UINT, label="final withdrawal (max)")
        for token in h.gain_tokens:
            if h.mirror.deferred.get((who.address, token.address)):
                h.claim_deferred(who, token, label="final claimDeferred")


@dataclass
class Closing:
    """One token in the pool after everyone exited, beside what the exact model says of it (wei)."""

    token: ContractInstance
    symbol: str
    decimals: int
    balance: int  # the pool's balance of the token
    held: int  # what the contract's stream still holds (0 for the debt token)
    exact_owed: Fraction  # what the exact model says the depositors are still owed (rounding residues)
    ideal_held: Fraction  # what the exact model's ideal stream still holds
    bound: int  # the depositors' error bounds, summed

    @property
    def dust(self) -> int:
        """What the pool holds beyond its stream: rounding dust, owned by no one."""
        return self.balance - self.held

    @property
    def keep_back(self) -> Fraction:
        """What the contract's stream holds back from the ideal's (its rate floors)."""
        return self.ideal_held - self.held


def closing_balances(h: Harness) -> list[Closing]:
    """The debt token and every gain token, after everyone exited, with the exact model's streams
    advanced to the latest block (as the views are)."""
    now = h.latest_timestamp()
    exact_now = h.exact.copy()
    exact_now.accrue(now)
    people = sorted(h.depositors)
    debt = h.debt_token
    closing = [
        Closing(
            debt,
            debt.symbol(),
            debt.decimals(),
            debt.balanceOf(h.pool),
            0,
            sum((exact_now.compounded(p) for p in people), Fraction(0)),
            Fraction(0),
            sum(exact_now.deposit_bound(p) for p in people),
        )
    ]
    for token in h.gain_tokens:
        address = token.address
        closing.append(
            Closing(
                token,
                token.symbol(),
                token.decimals(),
                token.balanceOf(h.pool),
                h.mirror.unreleased_at(address, now),
                sum((exact_now.gain_owed(p, address) for p in people), Fraction(0)),
                exact_now.unreleased(address),
                sum(exact_now.gain_bound(p, address) for p in people),
            )
        )
    return closing


def conservation_failures(h: Harness, closing: list[Closing]) -> list[str]:
    """Conservation: the exact model accounts for every wei each token's balance holds (what it says
    is still owed, plus what its ideal stream has not released). The contract's stream holds at most
    the ideal's (its rate rounds down), below 1 wei less per notification. Each depositor's residue
    is within their error bound (Harness.check), so the dust is at most the summed bounds plus the
    keep-back."""
    notifications = len(h.gas.get("notifyReward", []))  # the Harness's default label, as simulate uses it
    failures = []
    for c in closing:
        if c.balance != c.exact_owed + c.ideal_held:
            failures.append(
                f"{c.symbol}: balance {c.balance} != exact owed {float(c.exact_owed)} "
                f"+ ideal stream {float(c.ideal_held)}"
            )
        if not 0 <= c.keep_back <= notifications:
            failures.append(f"{c.symbol}: stream keep-back {float(c.keep_back)} outside [0, {notifications}]")
        if c.dust > c.bound + c.keep_back:
            failures.append(f"{c.symbol}: dust {c.dust} above the stated bound {c.bound} + keep-back")
    return failures
