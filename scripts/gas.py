"""Gas: the O(1) StabilityPool against the O(n) NaiveStabilityPool, and against Liquity v2.

    ape run gas --network ethereum:local:foundry [--max-depositors N] [--plot gas.png]

1. Depositor sweep. For n = 1, 10, 100, 1000 (and further powers of ten, and N itself, up to
   --max-depositors N) depositors in the pool, the gas of the StabilityPool's offset, top-up deposit,
   partial withdrawal and claim (one collateral token, each paying a gain), and of the
   NaiveStabilityPool's offset: its first liquidation after the deposits (every depositor's gain
   goes from 0 to nonzero) and the next one. Every measurement is a transaction receipt, taken on a
   chain snapshot that is then restored, so each size sees the same history. A naive offset sent
   with the 30M block gas limit that runs out of gas is caught (its failed receipt) and what it
   would need is estimated under a raised block gas limit. A least-squares line gas = a + b*n over
   the sizes measured so far predicts where the naive offset crosses 30M; as the pool grows past
   the prediction the script asks at every size (eth_estimateGas at the real limit) whether the
   first naive offset still fits, and reports the largest n that does.
2. Per-operation gas beside Liquity v2's (bold's), like for like, with one collateral token, and
   what each registered gain token that receives no gain adds (1, 3 and 8 registered). These rows
   are written to the committed snapshot (snapshots/gas.json), which tests/test_gas_snapshot.py
   checks; `--snapshot-only` measures and writes just them (the command to regenerate it). Then
   where their gas goes: SLOADs, SSTOREs and logs from the step trace, and what an idle token adds.
3. SumStaking (Sum) against the StabilityPool (Product-Sum) as a staking contract: the same tokens,
   one reward token streaming (notifyReward 1000e18 over 7 days), other stakers already in, and an
   hour between operations, so each one releases part of the stream (and pays a reward where it can).
4. RewardSplitter (seed 001) on plans/seed001.json: one pre-computed `distribute` per gain against
   the same flow sent hop by hop, as separate transactions and as bare transfers in one.

The measurements and their conditions are spmodel.chain.gas's (its docstring).
"""

import time

import click
from ape.cli import ConnectedProviderCommand, ape_cli_context, network_option

from spmodel.chain.deploy import roles_from_test_accounts
from spmodel.chain.gas import (
    SNAPSHOT_PATH,
    anchors_table,
    breakdown_table,
    depositor_sweep,
    measure_snapshot,
    splitter_table,
    staking_table,
    write_plot,
    write_snapshot,
)


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
@network_option(default="ethereum:local:foundry")
@click.option(
    "--max-depositors",
    default=1000,
    show_default=True,
    type=click.IntRange(1),
    help="Largest pool in the sweep (powers of ten up to it, and it).",
)
@click.option(
    "--plot", default="gas.png", show_default=True, type=click.Path(dir_okay=False), help="Where to write the PNG."
)
@click.option(
    "--snapshot-only", is_flag=True, help=f"Measure and write only the snapshot rows ({SNAPSHOT_PATH}), then stop."
)
def cli(cli_ctx, network, max_depositors, plot, snapshot_only):
    """Measure gas: O(1) pool vs O(n) naive pool, per operation against Liquity v2, Sum vs Product-Sum."""
    from ape import accounts, chain, project

    if not chain.provider.network.is_local:
        raise click.UsageError("gas needs a local Anvil network (it uses anvil_* methods)")
    if max_depositors > 2000:
        click.echo(
            f"note: Anvil keeps a step trace of every transaction in memory (ape starts it with "
            f"--steps-tracing): expect about {3 * max_depositors / 1000:.0f} GB of Anvil memory",
            err=True,
        )
    roles = roles_from_test_accounts(accounts)
    started = time.time()
    rows = measure_snapshot(project, chain, roles)
    anchors_table(rows)
    write_snapshot(project.path / SNAPSHOT_PATH, rows)
    print(f"snapshot: {SNAPSHOT_PATH}")
    if snapshot_only:
        return
    breakdown_table(project, chain, roles)
    staking_table(project, chain, roles)
    splitter_table(project, roles)
    sizes, series, fits = depositor_sweep(project, chain, roles, max_depositors)
    write_plot(plot, sizes, series, fits)
    print(f"plot: {plot}   ({time.time() - started:.0f} s in all)")
