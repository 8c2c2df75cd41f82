"""A campaign: many seeded histories in process (revm), spread over worker processes, one summary.

`campaign(accounts, project, histories, workers, ...)` runs `simulate`'s history (spmodel.chain.
simulation.run) for seeds `seed`, `seed + 1`, ... `seed + histories - 1`, each in a worker process
with its own revm engine (one process per worker, forked from the caller, its reports silenced),
shows a tqdm bar of the steps done, and prints one combined summary: steps, operations, violations
(with their seeds), the largest shortfalls against the exact model, the dust left per token and
the slowest history. A worker that dies (a crash in the EVM, the OOM killer) ends the campaign
with BrokenProcessPool instead of leaving it waiting for a result that never comes.
"""

import concurrent.futures
import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from ape.managers.accounts import AccountManager
from ape.managers.project import ProjectManager
from tqdm import tqdm

from ..report import print_table, short
from .harness import Bounds
from .simulation import Outcome, run

VIOLATIONS_SHOWN = 10


@dataclass
class Campaign:
    """What a campaign found: histories and steps run, operations sent, violations (seed, step,
    message), the largest shortfalls (wei) and the dust per token: largest and summed (wei)."""

    histories: int
    steps: int
    operations: int
    violations: list[tuple[int, int, str]]
    worst: Bounds
    largest_dust: dict[str, int]
    total_dust: dict[str, int]
    slowest: tuple[int, float] = (0, 0.0)  # (seed, seconds) of the history that took longest


_SETTINGS: dict[str, tuple] = {}  # the histories' settings, set before the workers fork (ape's managers do not pickle)


def _history(seed: int) -> tuple[int, Outcome, float]:
    accounts, project, steps, depositors, tokens, hostile = _SETTINGS["job"]
    started = time.time()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        outcome = run(
            accounts, None, project, steps, depositors, seed, tokens, None, None, started, hostile, engine="revm"
        )
    return seed, outcome, time.time() - started


def campaign(
    accounts: AccountManager,
    project: ProjectManager,
    histories: int,
    workers: int,
    steps: int,
    depositors: int,
    seed: int,
    tokens: int,
    hostile: bool,
    echo: Callable[[str], None] = print,
) -> Campaign:
    """`histories` histories of `steps` steps on `workers` processes (module docstring)."""
    started = time.time()
    _SETTINGS["job"] = (accounts, project, steps, depositors, tokens, hostile)
    result = Campaign(0, 0, 0, [], Bounds(), {}, {})
    with (
        concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool,
        tqdm(total=histories * steps, unit="step", unit_scale=True, desc=f"{workers} workers") as bar,
    ):
        futures = [pool.submit(_history, s) for s in range(seed, seed + histories)]
        for future in concurrent.futures.as_completed(futures):
            done_seed, outcome, seconds = future.result()
            result.slowest = max(result.slowest, (done_seed, seconds), key=lambda slow: slow[1])
            result.histories += 1
            result.steps += steps
            result.operations += outcome.operations
            result.violations.extend((done_seed, step, message) for step, message in outcome.mismatches)
            result.worst.deposit = max(result.worst.deposit, outcome.worst.deposit)
            result.worst.gain = max(result.worst.gain, outcome.worst.gain)
            for symbol, dust in outcome.dust.items():
                result.largest_dust[symbol] = max(result.largest_dust.get(symbol, 0), dust)
                result.total_dust[symbol] = result.total_dust.get(symbol, 0) + dust
            bar.update(steps)
            bar.set_postfix(violations=len(result.violations))
    elapsed = time.time() - started
    print_table(
        ["", "value"],
        [
            ["histories (seeds)", f"{histories} ({seed}..{seed + histories - 1})"],
            ["steps", f"{result.steps:,}"],
            ["depositors, gain tokens", f"{depositors}, {tokens}{' + hostile' if hostile else ''}"],
            ["workers", workers],
            ["operations sent", f"{result.operations:,}"],
            ["violations", len(result.violations)],
            ["largest deposit shortfall vs exact (wei)", short(result.worst.deposit)],
            ["largest gain shortfall vs exact (wei)", short(result.worst.gain)],
            ["run time", f"{elapsed:.0f} s ({result.steps / elapsed:.0f} steps/s)"],
            ["slowest history", f"seed {result.slowest[0]}: {result.slowest[1]:.0f} s"],
        ],
        align=["<", ">"],
        title="Campaign",
    )
    print_table(
        ["token", "largest dust in a history (wei)", "dust, all histories (wei)"],
        [[symbol, f"{dust:,}", f"{result.total_dust[symbol]:,}"] for symbol, dust in result.largest_dust.items()],
        title="Dust left after everyone withdrew",
    )
    for violation_seed, step, message in result.violations[:VIOLATIONS_SHOWN]:
        echo(f"VIOLATION in seed {violation_seed} at step {step}: {message}")
    return result
