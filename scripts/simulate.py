"""A long random history on a fresh pool, checked against both models after every step.

    ape run simulate --network ethereum:local:foundry --steps 2000 --depositors 10 --seed 1 \\
        [--tokens 3] [--csv steps.csv] [--plot simulate.png]

Each step is one of: a new deposit or a top-up (amounts from 1 wei to 1e26), a partial or a full
withdrawal, a claim, a liquidation (a share of the pool, all but 1-3 wei, or everything: a new
epoch; collateral from 0 to large, sometimes a pure collateral credit), a reward stream on any
gain token (duration 0 = at once, up to 30 days, also into an empty pool, where streams pause),
a flash-loan depositor (deposit, claim and withdraw in one transaction through a Batcher
contract: the exact model says it is owed nothing), a change in how the hostile gain token
behaves (blocklisting a depositor, reverting, returning false or burning its gas: gains are then
deferred), a claim of deferred gains (to the depositor or to another address), or time passing
(1 s to 30 days). Everything is drawn from `random.Random(seed)` and blocks are 12 s apart, so a
seed replays exactly. Operations the integer mirror says the contract would reject are skipped
(amounts are drawn to be valid: deposits under the cap, offsets at most the deposits). After every
step `Harness.check()` compares every view with the mirror and the exact model; a mismatch (or an
unexpected revert) is counted and the run goes on. At the end time runs past every stream,
everyone withdraws everything, and the script prints the dust the pool keeps per token and the gas
per operation, and checks that each token's dust is exactly what the exact model says rounding
kept back (conservation) and at most the sum of the depositors' error bounds. Exits non-zero if
there was any mismatch.

Anvil's memory: ape-foundry starts Anvil with `--steps-tracing`, and Anvil keeps every mined
transaction with its step trace in memory. Measured here with 20 depositors: about 20 MB more per
second of simulation, which ended a 20,000-step history after about 8,000 steps. This script
therefore has `tools/bin/anvil` (first on PATH under `./dev`) append `--transaction-block-keeper
64`: only the last 64 blocks' transactions are kept (nothing here reads older ones), and Anvil
stays near 300 MB however long the history.
"""

import copy
import csv
import os
import random
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import click
from ape.cli import ConnectedProviderCommand, ape_cli_context, network_option

from ape.exceptions import TransactionError

from spmodel import PoolLimitError
from spmodel.harness import Bounds, Mismatch
from spmodel.mirror import MAX_TOTAL_DEPOSITS
from scripts._common import (
    FUNDS,
    MAX_UINT,
    create_pool,
    deploy_token,
    gas_stats,
    make_harness,
    print_table,
    pyplot,
    roles_from_test_accounts,
    save_figure,
    short,
    units,
)

# Read by tools/bin/anvil when ape-foundry starts the node (after this module is imported).
os.environ.setdefault("ANVIL_EXTRA_ARGS", "--transaction-block-keeper 64")

TOKEN_SPECS = [("WETH", 18), ("WBTC", 8), ("USDC", 6)]  # cycled: token i has TOKEN_SPECS[i % 3]'s decimals
DURATIONS = [0, 0, 1, 60, 3600, 86_400, 7 * 86_400, 30 * 86_400]
TIME_STEPS = [1, 13, 600, 3600, 86_400, 30 * 86_400]
BLOCK_TIME = 12  # seconds between blocks
PROGRESS_EVERY = 1000  # steps between progress lines when the output is not a terminal
# A step fails if the contract disagrees with a model (Mismatch, or a model's own assertion), reverts
# where the mirror said it would not (TransactionError), or accepts what the mirror rejects.
FAILURES = (AssertionError, TransactionError, PoolLimitError)
# (operation, weight)
OPERATIONS = [("deposit", 22), ("withdraw", 10), ("withdraw all", 5), ("claim", 8), ("offset", 25),
              ("notify", 12), ("time", 18), ("flash", 4), ("hostile", 3), ("claim deferred", 3)]
HOSTILE_MODES = ["Normal", "RevertAll", "ReturnFalse", "BurnGas"]  # HostileERC20.Mode


def draw_amount(rng: random.Random, unit: int = 10**18) -> int:
    """Amounts across magnitudes, in wei of a token whose whole unit is `unit`: a few wei, dust,
    ordinary amounts and huge ones (drawn for 18 decimals and scaled to the token's)."""
    kind = rng.random()
    if kind < 0.1:
        return rng.randint(1, 10)
    if kind < 0.25:
        low, high = 10**9, 10**12
    elif kind < 0.9:
        low, high = 10**18, 10**24
    else:
        low, high = 10**24, 10**26
    return max(1, rng.randint(low, high) * unit // 10**18)


class Simulation:
    def __init__(self, h, people, rng: random.Random, chain, specs, batcher, hostile, owner):
        self.h, self.people, self.rng, self.chain = h, people, rng, chain
        self.batcher, self.hostile, self.owner = batcher, hostile, owner
        self.hostile_mode = 0  # Normal
        self.names = {p.address: f"depositor {i}" for i, p in enumerate(people)}
        self.decimals = {t.address: d for t, (_, d) in zip(h.gain_tokens, specs)}
        self.symbols = {t.address: s for t, (s, _) in zip(h.gain_tokens, specs)}
        self.mismatches: list[tuple[int, str]] = []
        self.done = Counter()  # operation -> times sent
        self.skipped = Counter()  # reason -> times
        self.credited = Counter()  # gain token -> all collateral and rewards sent to the pool

    # ------------------------------------------------------------------ helpers
    def has_deposit(self, who) -> bool:
        return who.address in self.h.mirror.deposits

    def rejected(self, operation) -> str | None:
        """The error the mirror says the contract would raise, on a copy of the mirror."""
        try:
            operation(copy.deepcopy(self.h.mirror), self.chain.pending_timestamp)
        except PoolLimitError as err:
            return err.error
        return None

    # ------------------------------------------------------------------ one step
    def step(self) -> tuple[str, str]:
        """Draws and runs one operation; returns (operation, detail) or ("skip", reason)."""
        rng, h = self.rng, self.h
        op = rng.choices([o for o, _ in OPERATIONS], [w for _, w in OPERATIONS])[0]
        return getattr(self, "op_" + op.replace(" ", "_"))(rng, h)

    def op_deposit(self, rng, h):
        who = rng.choice(self.people)
        room = MAX_TOTAL_DEPOSITS - h.mirror.total_deposits
        amount = min(draw_amount(rng), room)
        if amount == 0:
            return "skip", "pool at its deposit cap"
        if error := self.rejected(lambda m, now: m.deposit(who.address, amount, now)):
            return "skip", f"deposit: mirror says {error}"
        if h.debt_token.balanceOf(who) < amount:
            h.debt_token.mint(who, FUNDS, sender=who)
        kind = "top-up" if self.has_deposit(who) else "deposit (new)"
        h.deposit(who, amount, label=kind)
        return kind, f"{self.names[who.address]}: {amount}"

    def op_withdraw(self, rng, h, everything=False):
        holders = [p for p in self.people if self.has_deposit(p)]
        if not holders:
            return "skip", "withdraw: nobody has a deposit"
        who = rng.choice(holders)
        compounded = h.mirror.compounded(who.address)
        amount = MAX_UINT if everything else max(1, compounded * rng.randint(0, 1_000_000) // 1_000_000)
        if error := self.rejected(lambda m, now: m.withdraw(who.address, amount, now)):
            return "skip", f"withdraw: mirror says {error}"
        kind = "withdraw (full)" if everything or amount >= compounded else "withdraw (partial)"
        h.withdraw(who, amount, label=kind)
        return kind, f"{self.names[who.address]}: {'max' if everything else amount}"

    def op_withdraw_all(self, rng, h):
        return self.op_withdraw(rng, h, everything=True)

    def op_claim(self, rng, h):
        holders = [p for p in self.people if self.has_deposit(p)]
        if not holders:
            return "skip", "claim: nobody has a deposit"
        who = rng.choice(holders)
        h.claim(who, label="claim")
        return "claim", self.names[who.address]

    def op_offset(self, rng, h):
        total = h.mirror.total_deposits
        if total == 0:
            return "skip", "offset: the pool is empty"
        token = rng.choice(h.gain_tokens)
        if not self.pulls(token):
            return "skip", "offset: the hostile token is failing (the liquidator cannot deliver it)"
        unit = 10 ** self.decimals[token.address]
        kind = rng.random()
        if kind < 0.75:
            debt, label = total * rng.randint(0, 1_000_000) // 1_000_000, "offset"
        elif kind < 0.9:
            debt, label = max(total - rng.randint(1, 3), 0), "offset (leaves 1-3 wei)"
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

    def op_notify(self, rng, h):
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

    def op_flash(self, rng, h):
        room = MAX_TOTAL_DEPOSITS - h.mirror.total_deposits
        amount = min(draw_amount(rng), room)
        if amount == 0:
            return "skip", "flash: pool at its deposit cap"
        label = "flash (deposit, claim, withdraw in one tx)"
        gains = h.flash(self.batcher, amount, sender=self.owner, label=label)
        if gains:
            raise Mismatch(f"a flash depositor was paid {gains} after 0 seconds in the pool")
        return label, f"{amount}"

    def op_hostile(self, rng, h):
        if self.hostile is None:
            return "skip", "hostile: no hostile token"
        if rng.random() < 0.5:
            who = rng.choice(self.people)
            blocked = not self.hostile.blocked(who)
            self.hostile.setBlocked(who, blocked, sender=self.owner)
            return "hostile token: blocklist", f"{self.names[who.address]}: {blocked}"
        self.hostile_mode = rng.randrange(len(HOSTILE_MODES))
        self.hostile.setMode(self.hostile_mode, sender=self.owner)
        return "hostile token: mode", HOSTILE_MODES[self.hostile_mode]

    def pulls(self, token) -> bool:
        """Whether the pool can pull `token` now (the liquidator and distributor are never blocked)."""
        return self.hostile is None or token.address != self.hostile.address or self.hostile_mode == 0

    def pays(self, token, recipient) -> bool:
        """Whether `token` pays `recipient` now (only the hostile token ever refuses)."""
        if self.hostile is None or token.address != self.hostile.address:
            return True
        return self.hostile_mode == 0 and not self.hostile.blocked(recipient)

    def op_claim_deferred(self, rng, h):
        owed = [(who, token) for who in self.people for token in h.gain_tokens
                if h.mirror.deferred.get((who.address, token.address))]
        if not owed:
            return "skip", "claimDeferred: nothing deferred"
        who, token = rng.choice(owed)
        recipient = who if rng.random() < 0.5 else rng.choice(self.people)
        if not self.pays(token, recipient):
            return "skip", "claimDeferred: the token would still refuse"
        h.claim_deferred(who, token, recipient, label="claimDeferred")
        return "claimDeferred", f"{self.names[who.address]} -> {self.names[recipient.address]}"

    def op_time(self, rng, h):
        seconds = rng.choice(TIME_STEPS)
        self.chain.pending_timestamp = self.chain.pending_timestamp + seconds
        self.chain.mine()
        return "time passes", f"{seconds} s"


def write_csv(path: str, rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_plot(path: str, rows: list[dict]) -> None:
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


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
@network_option(default="ethereum:local:foundry")
@click.option("--steps", default=500, show_default=True, type=click.IntRange(1), help="Random steps.")
@click.option("--depositors", default=8, show_default=True, type=click.IntRange(1), help="Depositors.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of random.Random.")
@click.option("--tokens", default=3, show_default=True, type=click.IntRange(1, 8),
              help="Gain tokens (decimals 18, 8, 6, 18, ...); each is collateral and a reward token.")
@click.option("--hostile/--no-hostile", default=True, show_default=True,
              help="Add a HostileERC20 gain token (blocklists, reverts, returns false, burns gas).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write one row per step.")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write a PNG of total deposits and P.")
def cli(cli_ctx, network, steps, depositors, seed, tokens, hostile, csv_path, plot):
    """A long random history, checked against the integer mirror and the exact model every step."""
    from ape import accounts, chain, project

    if not chain.provider.network.is_local:
        raise click.UsageError("simulate needs a local network (it moves time and mints mock tokens)")
    started = time.time()
    with fixed_block_interval(chain):
        outcome = run(accounts, chain, project, steps, depositors, seed, tokens, csv_path, plot, started, hostile)
    if outcome.mismatches:
        sys.exit(1)


@contextmanager
def fixed_block_interval(chain):
    """Every block BLOCK_TIME seconds after the last, not by the wall clock, so a seed replays the
    same history (stream releases depend on timestamps); time jumps still set the next one."""
    chain.provider.make_request("anvil_setBlockTimestampInterval", [BLOCK_TIME])
    try:
        yield
    finally:
        chain.provider.make_request("anvil_removeBlockTimestampInterval", [])


@dataclass
class Outcome:
    """What a run found: failures (step, message), operations sent and skipped, pool emptyings,
    the largest shortfalls against the exact model (wei) and the dust left per token symbol (wei)."""

    mismatches: list
    operations: int
    skipped: int
    epochs: int
    worst: Bounds
    dust: dict


def run(accounts, chain, project, steps, depositors, seed, tokens, csv_path, plot, started,
        hostile: bool = False) -> Outcome:
    """The simulation, with its report printed."""
    roles = roles_from_test_accounts(accounts)
    people = roles.depositors[:depositors]
    while len(people) < depositors:  # beyond the configured test accounts: generated ones, with ETH
        extra = accounts.test_accounts.generate_test_account()
        chain.provider.set_balance(extra.address, 10**21)
        people.append(extra)

    owner = roles.owner
    debt = deploy_token(project, owner, "BSD", 18)
    specs = [(f"{TOKEN_SPECS[i % 3][0]}{'' if i < 3 else i}", TOKEN_SPECS[i % 3][1]) for i in range(tokens)]
    gains = [deploy_token(project, owner, symbol, decimals) for symbol, decimals in specs]
    hostile_token = project.HostileERC20.deploy(sender=owner) if hostile else None
    if hostile_token:
        gains.append(hostile_token)
        specs.append(("HOST", 18))
    pool = create_pool(project, roles, debt, gains, depositors=people)
    h = make_harness(project, chain, roles, pool, debt, gains)
    batcher = project.Batcher.deploy(sender=owner)
    debt.mint(batcher, FUNDS, sender=owner)
    batcher.run([debt.address], [debt.approve.encode_input(pool, MAX_UINT)], sender=owner)
    sim = Simulation(h, people, random.Random(seed), chain, specs, batcher, hostile_token, owner)
    print(f"simulate: {steps} steps, {depositors} depositors, {tokens} gain tokens "
          f"({', '.join(f'{s} {d}' for s, d in specs)} decimals), seed {seed}; pool {pool.address}")

    rows = []
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
            rows.append({"step": i, "operation": operation, "detail": detail, "gas": gas,
                         "total_deposits": m.total_deposits, "P": m.P, "scale": m.scale, "epoch": m.epoch,
                         "open_deposits": len(m.deposits), "mismatches": len(sim.mismatches),
                         "worst_deposit_shortfall": float(h.worst.deposit),
                         "worst_gain_shortfall": float(h.worst.gain)})
            if not sys.stdout.isatty() and i % PROGRESS_EVERY == 0:  # the bar only draws on a terminal
                print(f"step {i}: {len(sim.mismatches)} mismatches, {time.time() - started:.0f} s", flush=True)
    history_time = time.time() - started

    # The end: the hostile token pays again, streams run out, everyone withdraws everything and
    # collects what was deferred.
    if hostile_token:
        hostile_token.setMode(0, sender=owner)
        sim.hostile_mode = 0
        for who in people:
            if hostile_token.blocked(who):
                hostile_token.setBlocked(who, False, sender=owner)
    finish = max([gt.finish for gt in h.mirror.tokens] + [0])
    if finish >= chain.pending_timestamp:
        chain.pending_timestamp = finish + 1
        chain.mine()
    for who in people:
        try:
            if sim.has_deposit(who):
                h.withdraw(who, MAX_UINT, label="final withdrawal (max)")
            for token in gains:
                if h.mirror.deferred.get((who.address, token.address)):
                    h.claim_deferred(who, token, label="final claimDeferred")
        except FAILURES as err:
            sim.mismatches.append((steps + 1, f"final withdrawal: {err}"))
    try:
        h.check()
    except Mismatch as err:
        sim.mismatches.append((steps + 1, f"final check: {err}"))

    print()
    print_table(["", "value"], [
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
    ], align=["<", ">"], title="Summary")
    print_table(["operation", "count"], sorted(sim.done.items()), title="Operations")
    if sim.skipped:
        print_table(["skipped", "count"], sorted(sim.skipped.items()), title="Skipped")
    # Dust: after everyone withdrew everything the pool owes nothing; what it holds beyond what its
    # streams still hold is rounding dust. By conservation the exact model accounts for every wei:
    # balance == what it says is still owed (rounding residues of deposits that totalDeposits keeps
    # but nobody owns, and what they earned) + what the ideal streams have not released. The
    # contract's streams hold at most the ideal's (their rates round down); the difference is the
    # rate floor's keep-back, below 1 wei per notification. Each depositor's residue is within their
    # error bound (the final check), so the dust is at most the sum of the bounds plus the keep-back.
    dust_rows, dust_left = [], {}
    people_and_flash = [p.address for p in people] + [batcher.address]
    now = chain.blocks.head.timestamp
    exact_now = copy.deepcopy(h.exact)  # the ideal streams advanced to now, as the views are
    exact_now.accrue(now)
    notified = len(h.gas.get("notifyReward", []))  # each keeps back below 1 wei (rate floor)
    for token in [debt, *gains]:
        balance = token.balanceOf(pool)
        if token == debt:
            symbol, decimals, held, ideal_held = "BSD", 18, 0, Fraction(0)
            exact_owed = sum((h.exact.deposit(p) for p in people_and_flash), Fraction(0))
            bound = sum(h.exact.deposit_bound(p) for p in people_and_flash)
        else:
            symbol, decimals = sim.symbols[token.address], sim.decimals[token.address]
            held = h.mirror.unreleased_at(token.address, now)
            ideal_held = exact_now.unreleased(token.address)
            exact_owed = sum((exact_now.gain_owed(p, token.address) for p in people_and_flash), Fraction(0))
            bound = sum(exact_now.gain_bound(p, token.address) for p in people_and_flash)
        keep_back = ideal_held - held
        dust = dust_left[symbol] = balance - held
        if balance != exact_owed + ideal_held:
            sim.mismatches.append((steps + 1, f"{symbol}: balance {balance} != exact owed {float(exact_owed)} "
                                              f"+ ideal stream {float(ideal_held)}"))
        if not 0 <= keep_back <= notified:
            sim.mismatches.append((steps + 1, f"{symbol}: stream keep-back {float(keep_back)} outside [0, {notified}]"))
        if dust > bound + keep_back:
            sim.mismatches.append((steps + 1, f"{symbol}: dust {dust} above the stated bound {bound} + keep-back"))
        credited = sim.credited[token.address] if token != debt else 0
        share = f"{dust / credited:.3%}" if credited else "-"
        dust_rows.append([symbol, decimals, f"{balance:,}", f"{held:,}", f"{dust:,}", short(exact_owed),
                          short(keep_back), short(bound), units(dust, decimals), share])
    print_table(["token", "decimals", "pool balance (wei)", "held in stream", "dust (wei)",
                 "exact model still owed (wei)", "stream keep-back (wei)", "stated bound (wei)", "dust (tokens)",
                 "dust / all credited"],
                dust_rows,
                title=f"Left in the pool after everyone withdrew everything (open deposits: {len(h.mirror.deposits)})")

    gas_rows = [[label, len(values), *(f"{g:,}" for g in gas_stats(values))] for label, values in sorted(h.gas.items())]
    print_table(["operation", "count", "min gas", "median gas", "max gas"], gas_rows, title="Gas per operation")

    if csv_path:
        write_csv(csv_path, rows)
        print(f"csv: {csv_path} ({len(rows)} rows)")
    if plot:
        write_plot(plot, rows)
        print(f"plot: {plot}")
    for step, message in sim.mismatches[:10]:
        click.echo(f"MISMATCH at step {step}: {message}", err=True)
    print(f"mismatches: {len(sim.mismatches)}; total run time {time.time() - started:.1f} s")
    return Outcome(sim.mismatches, sum(sim.done.values()), sum(sim.skipped.values()), h.mirror.epoch, h.worst,
                   dust_left)
