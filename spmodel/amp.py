"""The exact model of AMP staking (contracts/AmpStaking.sol), O(n) and in Fractions.

A position of `amount` opened on day s weighs amount * min(ramp, d - s) / ramp on day d. Every lump
is shared at once among all open positions in proportion to their weights of that day, exactly:
each position's reward is updated at every distribution. Nothing is rounded, so what a settlement
owes here is the ideal the contract's payout must not exceed.

The contract's payout for one position and token falls short of the exact amount owed since its
last settlement by less than `shortfall_bound(amount, lumps)`: below 1 wei for the final floor,
plus below weight / PRECISION wei (weight <= amount) for the floor of each of the `lumps` lumps of
that token since then (see the ROUNDING section of the contract's header).
"""

from dataclasses import dataclass, field
from fractions import Fraction

DAY = 86_400
RAMP_DAYS = 42
PRECISION = 10**27
COVERAGE_SCALE = 10**18


class NoWeightError(Exception):
    """A lump while the total weight is zero (the contract's NoWeight(day))."""

    def __init__(self, day: int):
        super().__init__(f"no weight on day {day}")
        self.day = day


def shortfall_bound(amount: int, lumps: int) -> Fraction:
    """How far one settlement of a position of `amount` may fall below its exact reward in a token
    that had `lumps` lumps since the position's last settlement (strict upper bound, in wei)."""
    return 1 + Fraction(lumps * amount, PRECISION)


@dataclass
class Position:
    owner: str
    amount: int
    start: int
    owed: dict[str, Fraction] = field(default_factory=dict)  # token -> exact reward since settled
    lumps: dict[str, int] = field(default_factory=dict)  # token -> lumps since settled


@dataclass
class Settlement:
    """What one settlement of a position owes exactly in one token, and its shortfall bound."""

    exact: Fraction
    bound: Fraction


class ExactAmp:
    """Positions and their exact rewards, updated position by position at every lump."""

    def __init__(self, ramp: int = RAMP_DAYS):
        self.ramp = ramp
        self.positions: dict[int, Position] = {}
        self.next_id = 1

    def copy(self) -> "ExactAmp":
        other = ExactAmp(self.ramp)
        other.next_id = self.next_id
        other.positions = {
            pid: Position(p.owner, p.amount, p.start, dict(p.owed), dict(p.lumps)) for pid, p in self.positions.items()
        }
        return other

    # ------------------------------------------------------------ weights

    def weight(self, pid: int, day: int) -> Fraction:
        p = self.positions[pid]
        return Fraction(p.amount * min(self.ramp, day - p.start), self.ramp)

    def total_weight(self, day: int) -> Fraction:
        return sum((self.weight(pid, day) for pid in self.positions), Fraction(0))

    def total_staked(self) -> int:
        return sum(p.amount for p in self.positions.values())

    def coverage(self, day: int) -> int:
        """Total weight / total staked in 1e18 fixed point, rounded down (0 with nothing staked)."""
        staked = self.total_staked()
        if staked == 0:
            return 0
        ratio = self.total_weight(day) * COVERAGE_SCALE / staked
        return ratio.numerator // ratio.denominator

    def shares(self, day: int) -> dict[int, Fraction]:
        """Each position's share of a lump on `day`: its weight over the total (the re-ratio)."""
        total = self.total_weight(day)
        return {pid: self.weight(pid, day) / total for pid in self.positions}

    # ------------------------------------------------------------ operations

    def stake(self, owner: str, amount: int, day: int) -> int:
        pid = self.next_id
        self.next_id += 1
        self.positions[pid] = Position(owner, amount, day)
        return pid

    def distribute(self, token: str, amount: int, day: int) -> None:
        total = self.total_weight(day)
        if total == 0:
            raise NoWeightError(day)
        for pid, p in self.positions.items():
            p.owed[token] = p.owed.get(token, Fraction(0)) + amount * self.weight(pid, day) / total
            p.lumps[token] = p.lumps.get(token, 0) + 1

    def settle(self, pid: int, tokens: list[str]) -> dict[str, Settlement]:
        """What the position is owed exactly in each token since its last settlement (reset)."""
        p = self.positions[pid]
        out = {t: Settlement(p.owed.get(t, Fraction(0)), shortfall_bound(p.amount, p.lumps.get(t, 0))) for t in tokens}
        p.owed.clear()
        p.lumps.clear()
        return out

    def unstake(self, pid: int, tokens: list[str]) -> dict[str, Settlement]:
        out = self.settle(pid, tokens)
        del self.positions[pid]
        return out

    def claim(self, owner: str, tokens: list[str]) -> dict[str, Settlement]:
        """Every position of `owner` settled: the exact amounts and the bounds, summed per token."""
        out = {t: Settlement(Fraction(0), Fraction(0)) for t in tokens}
        for pid in self.owned(owner):
            for t, s in self.settle(pid, tokens).items():
                out[t] = Settlement(out[t].exact + s.exact, out[t].bound + s.bound)
        return out

    def owned(self, owner: str) -> list[int]:
        return [pid for pid, p in self.positions.items() if p.owner == owner]
