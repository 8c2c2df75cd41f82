"""RewardSplitter from a plan (spmodel.split): deployment on a local network, and a distribution
checked against the planner (`ape run distribute`, tests/test_splitter.py's fixtures).

`deploy_plan` deploys what a plan needs: a MockERC20 per gain token, a RewardSplitter, a
MockStakingDestination per staking (reporting the plan's coverage), the plan's split tables
registered (forward targets first), and the payers funded and approved. `distribute_gain` sends
one `distribute` and measures what each final destination received (balance deltas); `run` is
the script's whole job: the planner's table per gain and, on chain, the received amounts checked
against the planner's integer split (equal) and exact split (at most 1 wei below).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from fractions import Fraction

from ape.api import AccountAPI
from ape.api.address import BaseAddress
from ape.contracts import ContractInstance
from ape.managers.project import ProjectManager

from .. import split
from ..amounts import MAX_UINT
from ..report import table
from .deploy import deploy_token

FUNDS = 10**30  # per payer and gain token, when deploy_plan is given no amount


# ---------------------------------------------------------------- deployment


@dataclass(frozen=True)
class PlanDeployment:
    """A plan on chain: the splitter with the plan's tables, the gain tokens by symbol, the
    staking destinations by name, and every name of the plan -> its account or contract."""

    splitter: ContractInstance
    tokens: dict[str, ContractInstance]
    stakings: dict[str, ContractInstance]
    address_of: dict[str, BaseAddress]


def account_names(plan: split.Plan) -> list[str]:
    """The plan's names that stand for plain accounts (every name but the stakings): the source,
    the other sources in plan order, then the other keep accounts in order of appearance."""
    names = [plan.source, *plan.sources]
    names += [line.account for lines in plan.sources.values() for line in lines if line.kind == split.KEEP]
    return [name for name in dict.fromkeys(names) if name not in plan.stakings]


def registration_order(plan: split.Plan) -> list[str]:
    """The plan's sources with every forward target before the sources forwarding to it (the
    contract walks a flow at registration: an unregistered target is an UnknownSource)."""
    order: list[str] = []

    def visit(source: str) -> None:
        if source in order:
            return
        for line in plan.sources[source]:
            if line.kind == split.FORWARD:
                visit(line.account)
        order.append(source)

    for source in plan.sources:
        visit(source)
    return order


def table_lines(plan: split.Plan, source: str, address_of: Mapping[str, BaseAddress | str]) -> list[tuple]:
    """A plan source's table as the contract takes it: (account, share in basis points, kind)."""
    return [
        (_address(address_of[line.account]), int(line.share * split.SHARE_SCALE), split.KINDS.index(line.kind))
        for line in plan.sources[source]
    ]


def deploy_plan(
    project: ProjectManager,
    owner: AccountAPI,
    plan: split.Plan,
    accounts: Sequence[AccountAPI],
    payers: Iterable[AccountAPI] = (),
    funds: int | None = None,
) -> PlanDeployment:
    """Deploys `plan` (owned and sent by `owner`): a MockERC20 per gain token, a MockStakingDestination
    per staking reporting the plan's coverage, a RewardSplitter with the plan's tables. `accounts`
    stand for the plan's account names (`account_names` order). Each payer is minted `funds` of each
    token (default: the plan's gains in it) and approves the splitter for everything."""
    names = account_names(plan)
    if len(accounts) < len(names):
        raise ValueError(f"the plan names {len(names)} accounts ({', '.join(names)}), {len(accounts)} given")
    tokens: dict[str, ContractInstance] = {}
    for gain in plan.gains:
        if gain.token not in tokens:
            tokens[gain.token] = deploy_token(project, owner, gain.token, gain.decimals)
    stakings = {
        name: project.MockStakingDestination.deploy(int(staking.coverage * split.COVERAGE_SCALE), sender=owner)
        for name, staking in plan.stakings.items()
    }
    address_of: dict[str, BaseAddress] = {**dict(zip(names, accounts, strict=False)), **stakings}
    splitter = project.RewardSplitter.deploy(owner, sender=owner)
    for source in registration_order(plan):
        splitter.setSplitTable(address_of[source], table_lines(plan, source, address_of), sender=owner)
    for symbol, token in tokens.items():
        amount = funds if funds is not None else sum(g.amount for g in plan.gains if g.token == symbol)
        for payer in payers:
            token.mint(payer, amount, sender=payer)
            token.approve(splitter, MAX_UINT, sender=payer)
    return PlanDeployment(splitter, tokens, stakings, address_of)


# ---------------------------------------------------------------- the planner's side


DISTRIBUTOR = "distributor"  # the intermediary of a hop-by-hop distribution


def naive_transfers(plan: split.Plan, amount: int, source: str | None = None) -> list[tuple[str, str, int]]:
    """The same flow sent hop by hop, as (from, to, amount) between the plan's names and
    DISTRIBUTOR: the source's gains go to the distributor, which pays each line of the source's
    table (its shares rounded down; the source's own line takes the rest); a forwarded source sends
    the distributor what its other lines get (one hop, if it has any), which pays them; a staking
    destination returns its uncovered part, rounded up, to its table's source (one hop, unless its
    coverage is 100%). The article's flow: 8 hops."""
    source = source or plan.source
    transfers: list[tuple[str, str, int]] = []

    def pay(table: str, value: int, top: bool) -> None:
        lines = plan.sources[table] if top else [line for line in plan.sources[table] if line.account != table]
        if not lines:
            return
        shares = {id(line): value * int(line.share * split.SHARE_SCALE) // split.SHARE_SCALE for line in lines}
        own = [line for line in lines if line.account == table]
        if own:  # the table's own line takes what the floors of the others leave
            shares[id(own[0])] = value - sum(v for k, v in shares.items() if k != id(own[0]))
        transfers.append((table, DISTRIBUTOR, value if top else sum(shares.values())))
        for line in lines:
            paid = shares[id(line)]
            transfers.append((DISTRIBUTOR, line.account, paid))
            coverage = plan.stakings[line.account].coverage if line.kind == split.STAKE else None
            if coverage is not None and coverage < 1:
                transfers.append((line.account, table, paid - int(paid * coverage)))
            elif line.kind == split.FORWARD:
                pay(line.account, paid, top=False)

    pay(source, amount, top=True)
    return transfers


def naive_hops(plan: split.Plan, source: str | None = None) -> int:
    """How many transfers the flow takes hop by hop (naive_transfers; the count does not depend on
    the amount)."""
    return len(naive_transfers(plan, 0, source))


def measure_gas(
    project: ProjectManager,
    deployment: PlanDeployment,
    plan: split.Plan,
    stand_ins: Mapping[str, AccountAPI],
    rounds: int = 2,
) -> dict[str, dict[str, int]]:
    """Gas of each of the plan's gains distributed three ways, whole transactions, from the last of
    `rounds` rounds (so no balance starts from zero; the one-off approvals are left out):
    "precomputed", one `distribute` by the source; "naive, N transactions", naive_transfers sent
    one by one; "naive, 1 transaction", the same transfers as bare transferFroms in one call of
    HopByHop (a lower bound for any naive contract: it reads no table and calls no staking
    contract). `stand_ins` are the accounts that send and receive the hops for DISTRIBUTOR and each
    staking destination (accounts, not the mock contracts); the sources are the deployment's. The
    sources other than the plan's own are minted the gain each round (their other funds)."""
    who = {**{name: deployment.address_of[name] for name in plan.sources}, **stand_ins}
    source = who[plan.source]
    hop_by_hop = project.HopByHop.deploy(sender=source)
    for token in deployment.tokens.values():
        for account in who.values():
            token.approve(hop_by_hop, MAX_UINT, sender=account)
    hops = naive_hops(plan)
    ways = ("precomputed", f"naive, {hops} transactions", "naive, 1 transaction")
    gas: dict[str, dict[str, int]] = {way: {} for way in ways}
    for _ in range(rounds):
        for gain in plan.gains:
            token = deployment.tokens[gain.token]
            for name in plan.sources:
                if name != plan.source:
                    token.mint(who[name], gain.amount, sender=who[name])
            transfers = [(who[a], who[b], value) for a, b, value in naive_transfers(plan, gain.amount)]
            measured = (
                deployment.splitter.distribute(source, token, gain.amount, sender=source).gas_used,
                sum(token.transfer(b, value, sender=a).gas_used for a, b, value in transfers),
                hop_by_hop.run(token, [(a.address, b.address, v) for a, b, v in transfers], sender=source).gas_used,
            )
            for way, used in zip(ways, measured, strict=True):
                gas[way][gain.token] = used
    return gas


@dataclass(frozen=True)
class Row:
    """One final destination of one gain: its weight, exact amount (wei, a Fraction), the planner's
    integer amount (what the contract pays) and, once distributed, the amount received on chain."""

    destination: str
    weight: Fraction
    exact: Fraction
    planned: int
    on_chain: int | None = None

    def failure(self, is_source: bool, others: int) -> str | None:
        """Why the on-chain amount is wrong (None: right, or not distributed): it must equal the
        planner's integer amount and lie within 1 wei below the exact amount (the source: at or
        above it, by less than 1 wei per other final destination)."""
        if self.on_chain is None:
            return None
        if self.on_chain != self.planned:
            return f"{self.destination}: received {self.on_chain} wei, the planner pays {self.planned}"
        if is_source:
            within = self.exact <= self.on_chain < self.exact + max(1, others)
        else:
            within = self.exact - 1 < self.on_chain <= self.exact
        return None if within else f"{self.destination}: received {self.on_chain} wei, exact {_wei(self.exact)}"


@dataclass(frozen=True)
class GainResult:
    """One gain's table, the hop counts and what went wrong."""

    gain: split.Gain
    source: str
    rows: tuple[Row, ...]
    naive_hops: int
    payments: int  # final destinations that receive a transfer (not the source paying itself)
    failures: tuple[str, ...] = field(default=())

    @property
    def distributed(self) -> bool:
        return any(row.on_chain is not None for row in self.rows)


def plan_rows(plan: split.Plan, gain: split.Gain, received: Mapping[str, int] | None = None) -> tuple[Row, ...]:
    """The planner's table for `gain` (the source first, then the contract's walk order)."""
    weights = split.final_weights(plan, plan.source)
    exact = split.exact_split(plan, plan.source, gain.amount)
    planned = split.integer_split(plan, plan.source, gain.amount)
    return tuple(
        Row(name, weights[name], exact[name], planned[name], None if received is None else received.get(name, 0))
        for name in exact
    )


def gain_result(
    plan: split.Plan, gain: split.Gain, received: Mapping[str, int] | None = None, payer_is_source: bool = True
) -> GainResult:
    """One gain's rows, checks and counts. Payments: the final destinations that receive a transfer
    (on chain: a nonzero amount received; the source's own line never moves when it pays)."""
    rows = plan_rows(plan, gain, received)
    failures = [row.failure(row.destination == plan.source, len(rows) - 1) for row in rows]
    payments = sum(
        1
        for row in rows
        if (row.planned if row.on_chain is None else row.on_chain) > 0
        and not (payer_is_source and row.destination == plan.source)
    )
    return GainResult(gain, plan.source, rows, naive_hops(plan), payments, tuple(f for f in failures if f))


def format_result(result: GainResult) -> str:
    """The table of one gain, and the transfer counts."""
    gain = result.gain
    headers = ["final destination", "weight", f"exact ({gain.token})", "planner (wei)"]
    if result.distributed:
        headers += ["on chain (wei)", "= planner"]
    rows = []
    for row in result.rows:
        cells = [row.destination, _decimal(row.weight, 0), _decimal(row.exact, gain.decimals), row.planned]
        if result.distributed:
            cells += [row.on_chain, "yes" if row.on_chain == row.planned else "NO"]
        rows.append(cells)
    title = f"{gain.token}: {_decimal(Fraction(gain.amount), gain.decimals)} ({gain.amount} wei) from {result.source}"
    text = table(headers, rows, align=["<", ">", ">", ">", ">", "<"][: len(headers)], title=title)
    return f"{text}\ntransfers: naive {result.naive_hops} hops vs pre-computed {result.payments} payments"


def _decimal(value: Fraction, decimals: int) -> str:
    """`value / 10**decimals` as a plain decimal, exact when it has at most decimals + 6 places
    (else rounded there, with a trailing '…')."""
    with localcontext() as context:
        context.prec = 100
        scaled = Decimal(value.numerator) / Decimal(value.denominator) / Decimal(10) ** decimals
        rounded = scaled.quantize(Decimal(10) ** -(decimals + 6))
        text = format(rounded.normalize(), "f")
    exact = Fraction(rounded) * 10**decimals == value
    return text if exact else f"{text}…"


def _wei(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else _decimal(value, 0)


# ---------------------------------------------------------------- on chain


def attach_plan(
    project: ProjectManager, plan: split.Plan, splitter: str, addresses: Mapping[str, str]
) -> tuple[PlanDeployment, list[str]]:
    """A plan against an already deployed splitter: `addresses` maps every name of the plan and
    every gain's token symbol to its address. Returns the deployment and how the chain differs
    from the plan (each source's table, each staking destination's coverage): empty when they agree."""
    names = [*account_names(plan), *plan.stakings]
    missing = [name for name in [*names, *(g.token for g in plan.gains)] if name not in addresses]
    if missing:
        raise ValueError(f"no address for {', '.join(dict.fromkeys(missing))}")
    contract = project.RewardSplitter.at(splitter)
    tokens = {gain.token: project.MockERC20.at(addresses[gain.token]) for gain in plan.gains}  # an ERC20 ABI
    stakings = {name: project.MockStakingDestination.at(addresses[name]) for name in plan.stakings}
    address_of = {name: addresses[name] for name in account_names(plan)} | stakings
    deployment = PlanDeployment(contract, tokens, stakings, address_of)
    differences = []
    for source in plan.sources:
        want = [(a.lower(), share, kind) for a, share, kind in table_lines(plan, source, address_of)]
        have = [(str(a).lower(), share, kind) for a, share, kind in contract.getSplitTable(addresses[source])]
        if have != want:
            differences.append(f"the splitter's table of {source} is {have}, the plan's {want}")
    for name, staking in plan.stakings.items():
        have, want = stakings[name].coverage(), int(staking.coverage * split.COVERAGE_SCALE)
        if have != want:
            differences.append(f"{name} reports coverage {have}, the plan {want} (1e18 = 100%)")
    return deployment, differences


def distribute_gain(
    splitter: ContractInstance,
    token: ContractInstance,
    source: BaseAddress | str,
    amount: int,
    payer: AccountAPI,
    address_of: Mapping[str, BaseAddress | str],
    pulled: int | None = None,
) -> dict[str, int]:
    """Sends `distribute(source, token, amount)` from `payer` (first approving the splitter for
    `pulled`, default `amount`, if its allowance is short) and returns what each named final
    destination received: balance deltas across the transaction, the payer's own payment added back."""
    accounts = {name: _address(account) for name, account in address_of.items()}
    if token.allowance(payer, splitter) < (amount if pulled is None else pulled):
        token.approve(splitter, amount if pulled is None else pulled, sender=payer)
    before = {name: token.balanceOf(account) for name, account in accounts.items()}
    splitter.distribute(_address(source), token, amount, sender=payer)
    received = {name: token.balanceOf(account) - before[name] for name, account in accounts.items()}
    for name, account in accounts.items():
        if account == payer.address:
            received[name] += amount
    return received


def run(
    plan: split.Plan,
    deployment: PlanDeployment | None = None,
    payer: AccountAPI | None = None,
    echo: Callable[[str], None] = print,
) -> list[GainResult]:
    """The planner's table per gain of `plan`; with a deployment, each gain is distributed by
    `payer` (default: the source's own account) and the amounts received are checked. Prints each
    table through `echo` and returns the results (their `failures` empty when all is right)."""
    results = []
    for gain in plan.gains:
        received = None
        payer_is_source = True
        if deployment is not None:
            sender = payer or deployment.address_of[plan.source]
            if isinstance(sender, str):
                raise ValueError("a plan attached by its addresses is distributed by a given payer")
            source = _address(deployment.address_of[plan.source])
            payer_is_source = sender.address == source
            planned = split.integer_split(plan, plan.source, gain.amount)
            pulled = gain.amount - planned[plan.source] if payer_is_source else gain.amount
            token = deployment.tokens[gain.token]
            received = distribute_gain(
                deployment.splitter, token, source, gain.amount, sender, deployment.address_of, pulled
            )
        result = gain_result(plan, gain, received, payer_is_source)
        echo(format_result(result))
        echo("")
        results.append(result)
    return results


def run_local(
    project: ProjectManager, accounts: Sequence[AccountAPI], plan: split.Plan, echo: Callable[[str], None] = print
) -> tuple[PlanDeployment, list[GainResult]]:
    """`ape run distribute` on a local network: deploys `plan` (accounts[0] the owner, the next
    ones its account names, the source funded with its gains) and runs each gain through it."""
    owner, *others = accounts
    deployment = deploy_plan(project, owner, plan, others, payers=[others[account_names(plan).index(plan.source)]])
    echo(f"RewardSplitter {deployment.splitter.address}")
    echo("")
    return deployment, run(plan, deployment, echo=echo)


def plan_with_gain(plan: split.Plan, amount: str | None, token: str | None, decimals: int | None = None) -> split.Plan:
    """`plan` with its gains replaced by one gain of `amount` tokens of `token` (both or neither):
    a plan gain's symbol takes its decimals, another symbol `decimals` (default 18)."""
    if amount is None and token is None:
        return plan
    if amount is None or token is None:
        raise split.PlanError("give both --amount and --token, or neither")
    known = {gain.token: gain.decimals for gain in plan.gains}
    places = known.get(token, 18 if decimals is None else decimals)
    if decimals is not None and decimals != places:
        raise split.PlanError(f"{token} has {places} decimals in the plan, not {decimals}")
    try:
        wei = Fraction(amount) * 10**places
    except ValueError as error:
        raise split.PlanError(f"{amount!r} is not an amount") from error
    if wei.denominator != 1 or wei <= 0:
        raise split.PlanError(f"{amount} is not a positive amount with at most {places} decimals")
    return replace(plan, gains=(split.Gain(token, places, int(wei)),))


def _address(account: BaseAddress | str) -> str:
    return account if isinstance(account, str) else account.address
