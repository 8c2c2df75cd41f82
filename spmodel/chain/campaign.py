"""A campaign: many seeded histories in process (revm), spread over worker processes, one summary.

`campaign(accounts, project, histories, workers, ...)` runs `simulate`'s history (spmodel.chain.
simulation.run) for seeds `seed`, `seed + 1`, ... `seed + histories - 1`, each in a process of its
own with its own revm engine (forked from the caller, its reports silenced; at most `workers` at
once, so a history's memory goes back to the system when it ends),
shows a tqdm bar of the steps done, and prints one combined summary: steps, operations, violations
(with their seeds), the largest shortfalls against the exact model, the dust left per token and
the slowest history. A history that raises, or whose process dies (a crash in the EVM, the OOM
killer), counts as a violation of its seed and the campaign goes on (a pool of long-lived workers
once waited for ever on a worker the OOM killer had ended).
"""

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import time
from collections.abc import Callable, Iterator
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

    def add(self, seed: int, steps: int, outcome: Outcome, seconds: float) -> None:
        """Counts in one finished history of `steps` steps."""
        self.slowest = max(self.slowest, (seed, seconds), key=lambda slow: slow[1])
        self.histories += 1
        self.steps += steps
        self.operations += outcome.operations
        self.violations.extend((seed, step, message) for step, message in outcome.mismatches)
        self.worst.deposit = max(self.worst.deposit, outcome.worst.deposit)
        self.worst.gain = max(self.worst.gain, outcome.worst.gain)
        for symbol, dust in outcome.dust.items():
            self.largest_dust[symbol] = max(self.largest_dust.get(symbol, 0), dust)
            self.total_dust[symbol] = self.total_dust.get(symbol, 0) + dust


_SETTINGS: dict[str, tuple] = {}  # the histories' settings, set before the workers fork (ape's managers do not pickle)


def _history(seed: int, results: multiprocessing.connection.Connection) -> None:
    """In a forked process: one history; sends (Outcome, seconds). If it raises, the process
    prints the traceback (only the history's own report is silenced) and ends without sending."""
    accounts, project, steps, depositors, tokens, hostile = _SETTINGS["job"]
    started = time.time()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        outcome = run(
            accounts, None, project, steps, depositors, seed, tokens, None, None, started, hostile, engine="revm"
        )
    results.send((outcome, time.time() - started))


def _histories(seeds: range, workers: int) -> Iterator[tuple[int, tuple[Outcome, float] | str]]:
    """(seed, (outcome, seconds)) per history as each ends, at most `workers` running at once;
    instead of the pair, what ended a process that sent no result."""
    fork = multiprocessing.get_context("fork")
    waiting, running = list(seeds), {}  # receiving end -> (seed, process)
    while waiting or running:
        while waiting and len(running) < workers:
            receive, send = fork.Pipe(duplex=False)
            process = fork.Process(target=_history, args=(waiting[0], send), daemon=True)
            process.start()
            send.close()  # the child holds the sending end: EOF here once it is gone
            running[receive] = (waiting.pop(0), process)
        for receive in multiprocessing.connection.wait(list(running)):
            seed, process = running.pop(receive)
            try:
                found = receive.recv()
            except EOFError:
                found = None
            process.join()
            if found is None:
                found = (
                    f"its process ended without a result (exit code {process.exitcode}; -9: killed, e.g. out of memory)"
                )
            yield seed, found


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
    with tqdm(total=histories * steps, unit="step", unit_scale=True, desc=f"{workers} workers") as bar:
        for done_seed, found in _histories(range(seed, seed + histories), workers):
            if isinstance(found, str):
                result.violations.append((done_seed, 0, f"the history did not finish: {found}"))
            else:
                result.add(done_seed, steps, *found)
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
