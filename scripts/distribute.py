"""A plan's distribution (spmodel.split) through RewardSplitter, against the exact planner.

    ape run distribute --network ethereum:local:foundry --plan plans/seed001.json [--amount 2733 --token UNDEAD]
    ape run distribute --network <ecosystem:network:provider> --plan PLAN.json           (dry run)
    ape run distribute --network <ecosystem:network:provider> --plan PLAN.json --send \\
        --splitter 0x... --account <alias> --address echo_pool=0x... --address UNDEAD=0x... ...

For each gain (or the one gain `--amount TOKENS --token SYMBOL`), a table of the final
destinations: weight, exact amount (the planner's Fractions), the planner's integer amount (what
the contract pays, to the wei) and the naive hop count against the pre-computed payments. On a
local network the plan is deployed (mock tokens, mock staking destinations with the plan's
coverage, the splitter with its tables: spmodel.chain.splitter.deploy_plan), the source
distributes each gain, and the table adds what each final destination received on chain
(balance deltas across its transaction); `--send` changes nothing there.

On another network nothing is sent without `--send`: then `--splitter` is a deployed splitter,
`--address NAME=ADDRESS` gives every name of the plan (accounts, staking destinations) and every
gain's token symbol, and `--account` distributes for the source, paying with its own tokens
(approving the splitter for what it pulls first, if needed). The splitter's tables and the
staking destinations' coverage must equal the plan's, else nothing is sent. (On a live network a
transfer by someone else in the same block would show in the balance deltas.)

Exits non-zero when an amount received differs from the planner's integer amount or lies more
than 1 wei below the exact amount.
"""

import sys

import click
from ape.cli import ConnectedProviderCommand, account_option, ape_cli_context, skip_confirmation_option
from eth_utils import is_address, to_checksum_address

from spmodel import split
from spmodel.chain.splitter import attach_plan, plan_with_gain, run, run_local


def parse_address(ctx, param, values):
    """NAME=ADDRESS pairs -> {name: checksummed address}."""
    addresses = {}
    for value in values:
        name, _, address = value.partition("=")
        if not name or not is_address(address):
            raise click.BadParameter(f"{value!r} is not NAME=ADDRESS", ctx, param)
        addresses[name] = to_checksum_address(address)
    return addresses


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
@account_option(prompt=False)
@click.option("--plan", "plan_path", required=True, type=click.Path(exists=True, dir_okay=False), help="A plan file.")
@click.option("--amount", help="Distribute this one gain (in tokens, e.g. 2733) instead of the plan's.")
@click.option("--token", help="The symbol of the --amount gain (a plan gain's symbol takes its decimals).")
@click.option("--decimals", type=click.IntRange(0, 77), help="The --token's decimals when the plan has no such gain.")
@click.option("--send", is_flag=True, help="On a non-local network: send the distributions.")
@click.option("--splitter", help="With --send: the deployed RewardSplitter's address.")
@click.option("--address", "addresses", multiple=True, callback=parse_address, help="NAME=ADDRESS (repeatable).")
@skip_confirmation_option("Do not ask for confirmation before sending on a non-local network")
def cli(cli_ctx, network, account, plan_path, amount, token, decimals, send, splitter, addresses, skip_confirmation):
    """Print a plan's distribution table and, on chain, check it to the wei."""
    from ape import accounts, chain, project

    try:
        plan = plan_with_gain(split.load_plan(plan_path), amount, token, decimals)
    except (split.PlanError, ValueError) as error:
        raise click.UsageError(str(error)) from error
    is_local = chain.provider.network.is_local
    where = f"{network.choice}:{chain.provider.name}"
    deployment = None
    if is_local:
        if splitter or addresses:
            raise click.UsageError("on a local network the plan is deployed afresh: no --splitter or --address")
        print(f"{plan_path} on {where}")
        deployment, results = run_local(project, list(accounts.test_accounts), plan)
    elif send:
        if not splitter or not is_address(splitter) or account is None:
            raise click.UsageError("--send needs --splitter ADDRESS and --account")
        try:
            deployment, differences = attach_plan(project, plan, to_checksum_address(splitter), addresses)
        except ValueError as error:
            raise click.UsageError(f"{error} (--address NAME=ADDRESS)") from error
        if differences:
            for difference in differences:
                click.echo(f"FAIL: {difference}", err=True)
            sys.exit(1)
        print(f"{plan_path} on {where}: RewardSplitter {deployment.splitter.address}, paid by {account.address}")
        print()
        if not skip_confirmation:
            run(plan)  # the planner's table first
            click.confirm(f"Distribute these from {account.address} on {where}?", abort=True)
        results = run(plan, deployment, account)
    else:
        print(f"{plan_path}: dry run on {where} (the planner's table; --send distributes)")
        print()
        results = run(plan)
    failures = [failure for result in results for failure in result.failures]
    for failure in failures:
        click.echo(f"FAIL: {failure}", err=True)
    if failures:
        sys.exit(1)
    if deployment is not None:
        print(
            "on chain: every final destination received the planner's integer amount, within 1 wei below the exact"
            " amount (the source: the remainders, less than 1 wei per other destination above it)"
        )
