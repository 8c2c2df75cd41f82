"""Deploy a StabilityPool, register its gain tokens and authorise its roles.

    ape run deploy --network ethereum:local:foundry --account TEST::0 --mocks
    ape run deploy --network <ecosystem:network:provider> --account <alias> \\
        --debt-token 0x... --gain-token 0x... [--gain-token 0x...] \\
        --liquidator 0x... --reward-distributor 0x... [--owner 0x...]

`--mocks` deploys a mock debt token (MDEBT, 18 decimals) and three mock collateral tokens
(MWETH 18, MWBTC 8, MUSDC 6 decimals; plain OpenZeppelin ERC20 with a public mint) and registers
them, in addition to any `--gain-token`. The pool is deployed owned by the sending account, which
registers the tokens and sets the roles; with `--owner` another address, ownership is then offered
to it (Ownable2Step: it must call `acceptOwnership()`). On a non-local network the plan is shown
and confirmed before anything is sent (`--yes` skips the question).
"""

import click
from ape.cli import ConnectedProviderCommand, account_option, ape_cli_context, skip_confirmation_option
from eth_utils import is_address, to_checksum_address

from spmodel.chain.deploy import deploy_pool, deploy_tokens
from spmodel.mirror import MAX_GAIN_TOKENS
from spmodel.report import print_table

MOCK_DEBT = "MDEBT"
MOCK_GAINS = [("MWETH", 18), ("MWBTC", 8), ("MUSDC", 6)]


class Address(click.ParamType):
    name = "address"

    def convert(self, value, param, ctx):
        if not is_address(value):
            self.fail(f"{value!r} is not an address", param, ctx)
        return to_checksum_address(value)


ADDRESS = Address()


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context()
@account_option()
@click.option("--debt-token", type=ADDRESS, help="The debt token depositors provide.")
@click.option("--mocks", is_flag=True, help="Deploy a mock debt token and mock collateral tokens.")
@click.option("--gain-token", "gain_tokens", type=ADDRESS, multiple=True, help="A gain token to register (repeatable).")
@click.option("--liquidator", "liquidators", type=ADDRESS, multiple=True, help="An authorised liquidator (repeatable).")
@click.option(
    "--reward-distributor",
    "distributors",
    type=ADDRESS,
    multiple=True,
    help="An authorised reward distributor (repeatable).",
)
@click.option("--owner", type=ADDRESS, help="The pool's owner (default: the account).")
@click.option(
    "--min-stream-deposits",
    type=click.IntRange(1),
    default=None,
    help="Total deposits (wei) below which reward streams pause (default: 1e-9 of one debt token, 10**(decimals - 9)).",
)
@skip_confirmation_option("Do not ask for confirmation on a non-local network")
def cli(
    cli_ctx,
    network,
    account,
    debt_token,
    mocks,
    gain_tokens,
    liquidators,
    distributors,
    owner,
    min_stream_deposits,
    skip_confirmation,
):
    """Deploy a StabilityPool with its gain tokens and roles."""
    from ape import chain, project

    if mocks == bool(debt_token):
        raise click.UsageError("give exactly one of --debt-token ADDRESS or --mocks")
    if len(set(gain_tokens)) != len(gain_tokens):
        raise click.UsageError("a --gain-token is given twice")
    if debt_token in gain_tokens:
        raise click.UsageError("the debt token cannot be a gain token")
    if len(gain_tokens) + (len(MOCK_GAINS) if mocks else 0) > MAX_GAIN_TOKENS:
        raise click.UsageError(f"at most {MAX_GAIN_TOKENS} gain tokens")
    owner = owner or account.address
    is_local = chain.provider.network.is_local

    for address in filter(None, [debt_token, *gain_tokens]):
        if not chain.provider.get_code(address):
            raise click.BadParameter(f"no contract at {address} on {network.choice}")

    plan = [
        ["network", f"{network.choice}:{chain.provider.name}"],
        ["sender", account.address],
        ["debt token", f"new mock {MOCK_DEBT} (18 decimals)" if mocks else debt_token],
        *[["gain token", f"new mock {s} ({d} decimals)"] for s, d in (MOCK_GAINS if mocks else [])],
        *[["gain token", t] for t in gain_tokens],
        *[["liquidator", a] for a in liquidators],
        *[["reward distributor", a] for a in distributors],
        ["owner", owner if owner == account.address else f"{owner} (offered; must acceptOwnership)"],
        [
            "streams pause below",
            "1e-9 of one debt token" if min_stream_deposits is None else f"{min_stream_deposits} wei of deposits",
        ],
    ]
    print_table(["", "plan"], plan, align=["<", "<"])
    if not is_local and not skip_confirmation:
        click.confirm(f"Send these transactions on {network.choice}?", abort=True)

    deployed = []
    gains = []
    if mocks:
        debt, mock_gains = deploy_tokens(project, account, MOCK_DEBT, MOCK_GAINS)
        debt_token = debt.address
        deployed.append([f"debt token {MOCK_DEBT}", debt.address])
        for token, (symbol, decimals) in zip(mock_gains, MOCK_GAINS, strict=True):
            deployed.append([f"gain token {symbol} ({decimals} decimals)", token.address])
        gains = [token.address for token in mock_gains]
    gains += list(gain_tokens)

    pool = deploy_pool(
        project,
        account,
        debt_token,
        gains,
        liquidators,
        distributors,
        owner=owner,
        min_stream_deposits=min_stream_deposits,
    )
    deployed.insert(0, ["StabilityPool", pool.address])
    if not mocks:
        deployed.append(["debt token", debt_token])
    deployed.extend(["gain token", t] for t in gain_tokens)
    deployed.extend(["liquidator", a] for a in liquidators)
    deployed.extend(["reward distributor", a] for a in distributors)
    deployed.append(["minStreamDeposits", pool.minStreamDeposits()])
    deployed.append(["owner", pool.owner()])
    if owner != account.address:
        deployed.append(["pending owner", pool.pendingOwner()])
    print()
    print_table(["", "deployed"], deployed, align=["<", "<"])
    if not liquidators:
        click.echo("note: no liquidator authorised; the owner can call setLiquidator(account, true)")
    if not distributors:
        click.echo("note: no reward distributor authorised; the owner can call setRewardDistributor(account, true)")
