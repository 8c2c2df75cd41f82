"""A long random history on a fresh pool, checked against both models after every step.

    ape run simulate --network ethereum:local:foundry --steps 2000 --depositors 10 --seed 1 \\
        [--tokens 3] [--engine anvil|revm] [--csv steps.csv] [--plot simulate.png]

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

from spmodel.chain.engine import ENGINES
from spmodel.chain.simulation import run

# Read by tools/bin/anvil when ape-foundry starts the node (after this module is imported).
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
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write one row per step.")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write a PNG of total deposits and P.")
def cli(cli_ctx, network, steps, depositors, seed, tokens, hostile, engine, csv_path, plot):
    """A long random history, checked against the integer mirror and the exact model every step."""
    from ape import accounts, chain, project

    if not chain.provider.network.is_local:
        raise click.UsageError("simulate needs a local network (it moves time and mints mock tokens)")
    outcome = run(
        accounts, chain, project, steps, depositors, seed, tokens, csv_path, plot, time.time(), hostile, engine=engine
    )
    if outcome.mismatches:
        sys.exit(1)
