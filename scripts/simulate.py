"""A long random history on a fresh pool, checked against both models after every step.

    ape run simulate --network ethereum:local:foundry --steps 2000 --depositors 10 --seed 1 \\
        [--tokens 3] [--engine anvil|revm] [--csv steps.csv] [--plot simulate.png]

A campaign, in process: `--engine revm --histories 100 --steps 10000 [--workers N]` runs 100
histories (seeds --seed, --seed + 1, ...) over N processes (default: the core count), each with
its own revm engine, with a progress bar and one combined summary (spmodel.chain.campaign).

The history, its checks and the end-of-run conservation check are spmodel.chain.simulation's (its
docstring lists the operations). Exits non-zero if there was any mismatch.

Anvil's memory: ape-foundry starts Anvil with `--steps-tracing`, and Anvil keeps every mined
transaction with its step trace in memory. Measured here with 20 depositors: about 20 MB more per
second of simulation, which ended a 20,000-step history after about 8,000 steps. This script
therefore has `tools/bin/anvil` (first on PATH under `./dev`) append `--transaction-block-keeper
64`: only the last 64 blocks' transactions are kept (nothing here reads older ones), and Anvil
stays near 300 MB however long the history. It also has the wrapper drop `--steps-tracing`
(ANVIL_NO_STEPS_TRACING=1): the history reads no step traces, and Anvil runs about twice as fast
without them.
"""

import os
import sys
import time

import click
from ape.cli import ConnectedProviderCommand, ape_cli_context, network_option

from spmodel.chain.campaign import campaign
from spmodel.chain.engine import ENGINES
from spmodel.chain.simulation import run

# Read by tools/bin/anvil when ape-foundry starts the node, which is before `cli` runs. ape imports
# every script to list its commands, so only when this one is the command: `ape run gas` needs the
# step traces (its opcode breakdown read all zeros without them).
if sys.argv[1:3] == ["run", "simulate"]:
    os.environ.setdefault("ANVIL_EXTRA_ARGS", "--transaction-block-keeper 64")
    os.environ.setdefault("ANVIL_NO_STEPS_TRACING", "1")


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
@network_option(default="ethereum:local:foundry")
@click.option("--steps", default=500, show_default=True, type=click.IntRange(1), help="Random steps.")
@click.option("--depositors", default=8, show_default=True, type=click.IntRange(1), help="Depositors.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of random.Random.")
@click.option(
    "--tokens",
    default=3,
    show_default=True,
    type=click.IntRange(1, 8),
    help="Gain tokens (decimals 18, 8, 6, 18, ...); each is collateral and a reward token.",
)
@click.option(
    "--hostile/--no-hostile",
    default=True,
    show_default=True,
    help="Add a HostileERC20 gain token (blocklists, reverts, returns false, burns gas).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="anvil",
    show_default=True,
    help="Where the history runs: Anvil (raw JSON-RPC; gas figures) or revm in process (faster; its gas differs).",
)
@click.option(
    "--histories",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="A campaign: this many histories of --steps (seeds --seed, --seed + 1, ...) on revm, one summary.",
)
@click.option(
    "--workers",
    default=os.cpu_count(),
    show_default="the core count",
    type=click.IntRange(1),
    help="Processes of a campaign, each with its own revm engine.",
)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write one row per step.")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write a PNG of total deposits and P.")
def cli(cli_ctx, network, steps, depositors, seed, tokens, hostile, engine, histories, workers, csv_path, plot):
    """A long random history, checked against the integer mirror and the exact model every step."""
    from ape import accounts, chain, project

    if not chain.provider.network.is_local:
        raise click.UsageError("simulate needs a local network (it moves time and mints mock tokens)")
    if histories > 1:
        if engine != "revm" or csv_path or plot:
            raise click.UsageError("a campaign (--histories above 1) runs on --engine revm, without --csv or --plot")
        found = campaign(accounts, project, histories, workers, steps, depositors, seed, tokens, hostile, click.echo)
        sys.exit(1 if found.violations else 0)
    outcome = run(
        accounts, chain, project, steps, depositors, seed, tokens, csv_path, plot, time.time(), hostile, engine=engine
    )
    if outcome.mismatches:
        sys.exit(1)
