"""Exact planner of RewardSplitter distributions ("Computing Pivot Distributions"), pure Python.

A plan file (JSON) names a source, its gains, the split tables of every source and the staking
destinations (each with its `coverage`, or with its `stakes` and `today`, from which coverage is
ΣAMP / Σstaked). The planner gives, per gain:

- `exact_split`: what each final destination ends with, in Fractions of a wei;
- `integer_split`: what RewardSplitter pays, to the wei (the same closed form in integers: one
  floor per final destination, the remainder to the source);
- `staker_shares`: each staker's share of a staking destination's amount, re-ratioed to 100%.

Names follow the contract: a table's lines have `account`, `share` and `kind` (keep, stake,
forward); the errors a plan can hit are named as the contract's. Coverage is the value the staking
contract reports, ΣAMP / Σstaked rounded down to 1e-18, so the exact split is the exact flow of the
contract's own inputs. Run `python -m spmodel.split PLAN.json` for the table of a plan.
"""

import json
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

SHARE_SCALE = 10_000  # 100% in share units: shares are in basis points
COVERAGE_SCALE = 10**18  # 100% in coverage units: coverage is in 1e18 fixed point
MAX_DEPTH = 4  # most tables along one path of a flow (the source's own included)
MAX_DESTINATIONS = 16  # most table lines in one flow, counted once per path
MAX_SOURCES = 16  # most registered sources
WEIGHT_SCALE = SHARE_SCALE**MAX_DEPTH * COVERAGE_SCALE  # common denominator of flow weights: 1e34
AMP_DAYS = 42  # a stake's AMP reaches its amount after 42 days

KEEP, STAKE, FORWARD = "keep", "stake", "forward"
KINDS = (KEEP, STAKE, FORWARD)  # position = the contract's Kind value


# ---------------------------------------------------------------- errors (the contract's names)


class PlanError(ValueError):
    """A plan the contract would refuse (or the planner cannot express on chain)."""


class SharesDoNotSumToOne(PlanError):
    def __init__(self, source: str, total: Fraction):
        super().__init__(f"the shares of {source} sum to {total}, not 1")
        self.source, self.total = source, total


class ZeroShare(PlanError):
    def __init__(self, source: str, index: int):
        super().__init__(f"line {index} of {source} has a zero share")
        self.source, self.index = source, index


class InvalidDestination(PlanError):
    def __init__(self, source: str, index: int, account: str):
        super().__init__(f"line {index} of {source}: {account} cannot be a destination of its kind")
        self.source, self.index, self.account = source, index, account


class UnknownSource(PlanError):
    def __init__(self, source: str):
        super().__init__(f"{source} has no split table")
        self.source = source


class CycleDetected(PlanError):
    def __init__(self, source: str, forwarder: str):
        super().__init__(f"{forwarder} forwards to {source}, already on the path: a loop")
        self.source, self.forwarder = source, forwarder


class FlowTooDeep(PlanError):
    def __init__(self, source: str, max_depth: int):
        super().__init__(f"a path of {source}'s flow passes through more than {max_depth} tables")
        self.source, self.max_depth = source, max_depth


class TooManyDestinations(PlanError):
    def __init__(self, source: str, max_destinations: int):
        super().__init__(f"the flow of {source} has more than {max_destinations} lines")
        self.source, self.max_destinations = source, max_destinations


class TooManySources(PlanError):
    def __init__(self, max_sources: int):
        super().__init__(f"more than {max_sources} sources")
        self.max_sources = max_sources


class NoStakes(PlanError):
    """Planner only: a staking destination given by its stakes has none (its coverage is 0/0)."""

    def __init__(self, staking: str):
        super().__init__(f"{staking} has no stakes")
        self.staking = staking


class InvalidStake(PlanError):
    """Planner only: a stake of no tokens, or one that starts after `today`."""

    def __init__(self, staking: str, staker: str):
        super().__init__(f"{staking}: the stake of {staker} is empty or starts after today")
        self.staking, self.staker = staking, staker


class ShareNotInBasisPoints(PlanError):
    """Planner only: the contract takes shares in whole basis points."""

    def __init__(self, source: str, index: int, share: Fraction):
        super().__init__(f"line {index} of {source}: share {share} is not a whole number of basis points")
        self.source, self.index, self.share = source, index, share


class InvalidCoverage(PlanError):
    def __init__(self, stake: str, coverage: Fraction):
        super().__init__(f"{stake}: coverage {coverage} is not between 0 and 1")
        self.stake, self.coverage = stake, coverage


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Destination:
    """One line of a split table."""

    account: str
    share: Fraction
    kind: str


@dataclass(frozen=True)
class Stake:
    """One deposit of a staker: `amount` tokens staked on day `start`."""

    staker: str
    amount: Fraction
    start: date


@dataclass(frozen=True)
class Staking:
    """A staking destination: its coverage given directly, or its stakes as of `today`."""

    given_coverage: Fraction | None = None
    stakes: tuple[Stake, ...] = ()
    today: date | None = None

    def amp(self, stake: Stake) -> Fraction:
        """tokens staked * min(42 days, today - start) / 42."""
        assert self.today is not None, "a staking given by its stakes has a `today`"
        days = (self.today - stake.start).days
        return stake.amount * min(AMP_DAYS, days) / AMP_DAYS

    @property
    def coverage(self) -> Fraction:
        """What the staking contract reports: ΣAMP / Σstaked (or the given coverage), rounded down
        to 1e-18."""
        if self.given_coverage is not None:
            exact = self.given_coverage
        else:
            exact = sum(map(self.amp, self.stakes), Fraction(0)) / sum(s.amount for s in self.stakes)
        return Fraction(exact.numerator * COVERAGE_SCALE // exact.denominator, COVERAGE_SCALE)


@dataclass(frozen=True)
class Gain:
    token: str
    decimals: int
    amount: int  # wei


@dataclass(frozen=True)
class Plan:
    source: str
    gains: tuple[Gain, ...]
    sources: dict[str, tuple[Destination, ...]]
    stakings: dict[str, Staking]
    article: dict  # the article's published figures, for comparison only


def load_plan(path: str | Path) -> Plan:
    """Reads and checks a plan file (see plans/seed001.json)."""
    raw = json.loads(Path(path).read_text())
    return plan_from_dict(raw)


def plan_from_dict(raw: dict) -> Plan:
    """A checked Plan from a plan file's contents."""
    gains = tuple(Gain(g["token"], g["decimals"], _to_wei(g["amount"], g["decimals"])) for g in raw.get("gains", []))
    sources = {
        name: tuple(Destination(line["account"], Fraction(line["share"]), line["kind"]) for line in lines)
        for name, lines in raw["sources"].items()
    }
    stakings = {name: _staking(name, spec) for name, spec in raw.get("stakings", {}).items()}
    plan = Plan(raw["source"], gains, sources, stakings, raw.get("article", {}))
    check_plan(plan)
    return plan


def _staking(name: str, spec: dict) -> Staking:
    if "coverage" in spec:
        return Staking(given_coverage=Fraction(spec["coverage"]))
    stakes = tuple(Stake(s["staker"], Fraction(s["amount"]), date.fromisoformat(s["start"])) for s in spec["stakes"])
    today = date.fromisoformat(spec["today"])
    if not stakes:
        raise NoStakes(name)
    for stake in stakes:
        if stake.amount <= 0 or stake.start > today:
            raise InvalidStake(name, stake.staker)
    return Staking(stakes=stakes, today=today)


def _to_wei(amount: str, decimals: int) -> int:
    wei = Fraction(amount) * 10**decimals
    if wei.denominator != 1:
        raise PlanError(f"{amount} has more than {decimals} decimals")
    return int(wei)


def check_plan(plan: Plan) -> None:
    """Refuses what the contract's registration refuses (every table, then every flow), what the
    contract cannot express (shares in whole basis points, coverage in [0, 1]), and, so that each
    name is one final destination, a stake line not naming a staking destination or a keep or
    forward line naming one (InvalidDestination)."""
    if len(plan.sources) > MAX_SOURCES:
        raise TooManySources(MAX_SOURCES)
    for source, lines in plan.sources.items():
        for index, line in enumerate(lines):
            if line.kind not in KINDS or (line.kind == STAKE) != (line.account in plan.stakings):
                raise InvalidDestination(source, index, line.account)
            if line.share == 0:
                raise ZeroShare(source, index)
            if (line.share * SHARE_SCALE).denominator != 1:
                raise ShareNotInBasisPoints(source, index, line.share)
        total = sum((line.share for line in lines), Fraction(0))
        if total != 1:
            raise SharesDoNotSumToOne(source, total)
    for name, staking in plan.stakings.items():
        if not 0 <= staking.coverage <= 1:
            raise InvalidCoverage(name, staking.coverage)
    for source in plan.sources:
        flow_leaves(plan, source)


# ---------------------------------------------------------------- the flow


@dataclass(frozen=True)
class Leaf:
    """A keep or stake line reached from the source, with its weight (the product of the shares
    along its path) and the table (source) that holds it."""

    account: str
    kind: str
    table: str
    weight: Fraction


def flow_leaves(plan: Plan, source: str) -> list[Leaf]:
    """The keep and stake lines of `source`'s flow, in the contract's walk order, with the
    contract's checks (UnknownSource, CycleDetected, FlowTooDeep, TooManyDestinations)."""
    leaves: list[Leaf] = []
    line_count = 0

    def walk(table: str, path: list[str], weight: Fraction) -> None:
        nonlocal line_count
        if table not in plan.sources:
            raise UnknownSource(table)
        path = [*path, table]
        for line in plan.sources[table]:
            if line_count == MAX_DESTINATIONS:
                raise TooManyDestinations(source, MAX_DESTINATIONS)
            line_count += 1
            line_weight = weight * line.share
            if line.kind != FORWARD:
                leaves.append(Leaf(line.account, line.kind, table, line_weight))
                continue
            if line.account in path:
                raise CycleDetected(line.account, table)
            if len(path) == MAX_DEPTH:
                raise FlowTooDeep(source, MAX_DEPTH)
            walk(line.account, path, line_weight)

    walk(source, [], Fraction(1))
    return leaves


def final_weights(plan: Plan, source: str) -> dict[str, Fraction]:
    """Each final destination's weight, the source first: a keep line's weight to its account, a
    stake line's weight times coverage to the staking destination and the rest to its table's
    source. The weights sum to 1."""
    weights: dict[str, Fraction] = {source: Fraction(0)}
    for leaf in flow_leaves(plan, source):
        if leaf.kind == KEEP:
            parts = [(leaf.account, leaf.weight)]
        else:
            covered = leaf.weight * plan.stakings[leaf.account].coverage
            parts = [(leaf.account, covered), (leaf.table, leaf.weight - covered)]
        for account, weight in parts:
            if weight != 0:
                weights[account] = weights.get(account, Fraction(0)) + weight
    return weights


def exact_split(plan: Plan, source: str, amount: int) -> dict[str, Fraction]:
    """What each final destination ends with out of `amount` wei, exactly (the source first)."""
    return {account: amount * weight for account, weight in final_weights(plan, source).items()}


def integer_split(plan: Plan, source: str, amount: int) -> dict[str, int]:
    """What RewardSplitter pays out of `amount` wei: floor(amount * W) to each final destination
    but the source (weights as integers over WEIGHT_SCALE, exactly), the remainder to the source."""
    paid = {}
    for account, weight in final_weights(plan, source).items():
        scaled = weight * WEIGHT_SCALE
        assert scaled.denominator == 1, "the contract's weights are exact over WEIGHT_SCALE"
        paid[account] = amount * int(scaled) // WEIGHT_SCALE  # rounds down, as the contract
    paid[source] = amount - sum(value for account, value in paid.items() if account != source)
    return paid


def staker_shares(staking: Staking) -> dict[str, Fraction]:
    """Each staker's share of what reaches the staking destination: their AMP / ΣAMP (the article's
    re-ratio: the covered part is 100% theirs). Sums to 1 (empty when nobody has AMP)."""
    amps: dict[str, Fraction] = {}
    for stake in staking.stakes:
        amps[stake.staker] = amps.get(stake.staker, Fraction(0)) + staking.amp(stake)
    total = sum(amps.values(), Fraction(0))
    return {staker: amp / total for staker, amp in amps.items()} if total else {}


# ---------------------------------------------------------------- report


def report(plan: Plan) -> str:
    """A table per gain: each final destination's exact amount and the contract's, in tokens."""
    rows = []
    for gain in plan.gains:
        exact = exact_split(plan, plan.source, gain.amount)
        paid = integer_split(plan, plan.source, gain.amount)
        rows.append(f"{gain.token}: {_tokens(Fraction(gain.amount), gain.decimals)} from {plan.source}")
        for account in exact:
            rows.append(
                f"  {account:<18} exact {_tokens(exact[account], gain.decimals):>30}"
                f"   on chain {paid[account]:>26d} wei"
            )
    return "\n".join(rows)


def _tokens(wei: Fraction, decimals: int) -> str:
    """`wei` in whole tokens, exact when it is a whole number of wei (else to 1e-6 wei)."""
    with localcontext() as context:
        context.prec = 80
        tokens = Decimal(wei.numerator) / Decimal(wei.denominator) / Decimal(10) ** decimals
        return str(tokens.quantize(Decimal(10) ** -(decimals + 6)).normalize())


if __name__ == "__main__":
    print(report(load_plan(sys.argv[1])))
