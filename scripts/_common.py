"""Helpers shared by the `ape run` scripts (files starting with `_` are not listed by `ape run`).

- deployment: mock tokens, a pool with its gain tokens and roles, funding (mint + approve);
  `create_pool` mirrors tests/conftest.py's fixture of the same name;
- plain fixed-width text tables and number formatting;
- the Liquity v2 gas anchors the pool is measured against.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction

# Imported here, not inside functions: `ape run` takes the project root off sys.path while a script
# runs, after loading the scripts (with it on the path).
from spmodel.harness import Harness

E18 = 10**18
MAX_UINT = 2**256 - 1
FUNDS = 10**30  # per depositor: the pool's whole deposit cap
GAIN_FUNDS = 10**40  # per liquidator / distributor and gain token

# Liquity v2 StabilityPool gas per operation (solc 0.8.24, 200 runs, cancun): the anchors the pool
# is measured against. The target is at most TARGET_RATIO of each.
LIQUITY_V2_GAS = {
    "first deposit": 122977,
    "first deposit after a liquidation": 142877,
    "top-up after a liquidation, gains paid": 131228,
    "partial withdrawal": 129178,
    "full withdrawal": 114274,
    "claim": 57939,
    "offset": 67222,
}
TARGET_RATIO = 0.7


# ---------------------------------------------------------------------- accounts and roles
@dataclass
class Roles:
    """Who does what. Same layout as tests/conftest.py: owner, liquidator, distributor, depositors."""

    owner: object
    liquidator: object
    distributor: object
    depositors: list = field(default_factory=list)


def roles_from_test_accounts(accounts) -> Roles:
    """Roles from ape's test accounts: 0 owner, 1 liquidator, 2 distributor, 3.. depositors."""
    test = accounts.test_accounts
    return Roles(test[0], test[1], test[2], [test[i] for i in range(3, len(test))])


# ---------------------------------------------------------------------- deployment
def deploy_token(project, deployer, symbol: str, decimals: int = 18, name: str | None = None):
    """A plain OpenZeppelin ERC20 (MockERC20) with `decimals` and a public mint."""
    return project.MockERC20.deploy(name or symbol, symbol, decimals, sender=deployer)


def deploy_tokens(project, deployer, debt_symbol: str, gain_specs) -> tuple:
    """A mock debt token (18 decimals) and one mock gain token per (symbol, decimals) in `gain_specs`."""
    debt = deploy_token(project, deployer, debt_symbol, 18)
    gains = [deploy_token(project, deployer, symbol, decimals) for symbol, decimals in gain_specs]
    return debt, gains


def deploy_pool(project, deployer, debt, gain_tokens=(), liquidators=(), distributors=(), owner=None,
                min_stream_deposits=None):
    """Deploys a StabilityPool for `debt`, registers `gain_tokens` and authorises the roles.
    Streams pause below `min_stream_deposits` (default: 1e-9 of one debt token, 10**(decimals - 9),
    at least 1 wei).

    The deployer must be the owner for the set-up calls; with another `owner` the pool is deployed
    owned by the deployer, set up, and ownership is then offered to `owner` (Ownable2Step: `owner`
    must call `acceptOwnership()`)."""
    if min_stream_deposits is None:  # debt may be an address: read decimals through an ERC20 ABI
        min_stream_deposits = stream_threshold(project.MockERC20.at(getattr(debt, "address", debt)).decimals())
    pool = project.StabilityPool.deploy(debt, deployer, min_stream_deposits, sender=deployer)
    for token in gain_tokens:
        pool.registerGainToken(token, sender=deployer)
    for account in liquidators:
        pool.setLiquidator(account, True, sender=deployer)
    for account in distributors:
        pool.setRewardDistributor(account, True, sender=deployer)
    owner_address = getattr(owner, "address", owner)
    if owner_address is not None and owner_address != deployer.address:
        pool.transferOwnership(owner_address, sender=deployer)
    return pool


def stream_threshold(decimals: int) -> int:
    """The default minStreamDeposits for a debt token: 1e-9 of a token (1e9 wei at 18 decimals)."""
    return 10 ** max(decimals - 9, 0)


def fund(token, holders, amount: int, spender) -> None:
    """Mints `amount` of mock `token` to each holder and approves `spender` for everything."""
    for who in holders:
        token.mint(who, amount, sender=who)
        token.approve(spender, MAX_UINT, sender=who)


def create_pool(project, roles: Roles, debt, gain_tokens=(), depositors=None, fund_accounts=True):
    """As tests/conftest.py's `create_pool`: a pool with `gain_tokens` registered, the liquidator
    and distributor authorised, every depositor holding FUNDS of the debt token and every
    liquidator/distributor GAIN_FUNDS of each gain token, all approved."""
    pool = deploy_pool(project, roles.owner, debt, gain_tokens, [roles.liquidator], [roles.distributor])
    if fund_accounts:
        fund(debt, roles.depositors if depositors is None else depositors, FUNDS, pool)
        for token in gain_tokens:
            fund(token, (roles.liquidator, roles.distributor), GAIN_FUNDS, pool)
    return pool


def make_harness(project, chain, roles: Roles, pool, debt, gain_tokens):
    """A spmodel Harness over `pool`, with a fresh PoolLens for its one-call checks."""
    lens = project.PoolLens.deploy(sender=roles.owner)
    return Harness(pool=pool, debt_token=debt, gain_tokens=list(gain_tokens), chain=chain, lens=lens,
                   liquidator=roles.liquidator, distributor=roles.distributor)


# ---------------------------------------------------------------------- formatting
def units(amount: int, decimals: int) -> str:
    """An integer amount of the smallest unit as a decimal with every place: 1500000 (6) -> 1.500000."""
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**decimals)
    return f"{sign}{whole}.{frac:0{decimals}d}" if decimals else f"{sign}{whole}"


def significant(value: Fraction, digits: int = 20) -> str:
    """A Fraction as a plain decimal string with `digits` significant digits (half-even)."""
    if value == 0:
        return "0"
    ctx = Context(prec=digits, rounding=ROUND_HALF_EVEN)
    d = ctx.divide(Decimal(value.numerator), Decimal(value.denominator))
    return format(d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), context=ctx), "f")


def short(value: int | float | Fraction, places: int = 3) -> str:
    """A wei difference: integers as they are, small fractions with a few places, large ones rounded
    to whole wei with thousands separators."""
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return f"{int(value):,}" if abs(value) >= 10**6 else str(int(value))
    if abs(value) >= 1000:
        return f"{round(value):,}"
    return f"{float(value):.{places}f}"


def table(headers, rows, align=None, title: str | None = None) -> str:
    """A plain fixed-width text table. `align`: one of '<' or '>' per column (default: text left,
    numbers right)."""
    rows = [["" if c is None else str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    if align is None:
        align = [">" if rows and all(_numeric(r[i]) for r in rows if r[i]) else "<" for i in range(len(headers))]

    def line(cells):
        return " | ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths)).rstrip()

    out = []
    if title:
        out.append(title)
    out.append(line(headers))
    out.append("-+-".join("-" * w for w in widths))
    out.extend(line(row) for row in rows)
    return "\n".join(out)


def print_table(headers, rows, align=None, title: str | None = None) -> None:
    print(table(headers, rows, align, title))
    print()


def _numeric(text: str) -> bool:
    try:
        float(text.replace(",", "").replace("x", "").replace("%", ""))
        return True
    except ValueError:
        return False


def pyplot():
    """matplotlib.pyplot on the file-only Agg backend (imported on first use: only plots need it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path: str) -> None:
    """Writes `fig` to the PNG `path` and frees it."""
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    pyplot().close(fig)


def gas_stats(values) -> tuple[int, int, int]:
    """(min, median, max) of gas values (median: lower middle, an integer)."""
    ordered = sorted(values)
    return ordered[0], ordered[(len(ordered) - 1) // 2], ordered[-1]
