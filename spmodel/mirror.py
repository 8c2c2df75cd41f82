"""The integer mirror: StabilityPool.sol's arithmetic, line for line, in Python integers.

Same constants, same floors (`//`), same order of updates, same scale/epoch logic; the contract's
views must equal this model's exactly after every operation. Operations return what the contract
pays, so a driver can feed those integers to the exact model.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Concatenate, ParamSpec, TypeVar

P_PRECISION = 10**33
P_MIN = 10**27
SCALE_FACTOR = 10**6
MAX_SCALE_SPAN = 12
EPOCH_SCALE_GAP = MAX_SCALE_SPAN + 1
MAX_TOTAL_DEPOSITS = 10**30
MAX_GAIN_AMOUNT = 10**36
MAX_GAIN_TOKENS = 8
MAX_STREAM_DURATION = 10 * 365 * 24 * 3600
RATE_PRECISION = 10**18  # RewardStream.RATE_PRECISION
DEFAULT_MIN_STREAM_DEPOSITS = 10**9  # what the deployments use for an 18-decimal debt token


class PoolLimitError(ValueError):
    """An operation the contract rejects with a named error; carries the error's name."""

    def __init__(self, error: str, *args: int | str):
        super().__init__(error, *args)
        self.error = error


Params = ParamSpec("Params")
Result = TypeVar("Result")


def reverts_atomically(
    operation: Callable[Concatenate["MirrorPool", Params], Result],
) -> Callable[Concatenate["MirrorPool", Params], Result]:
    """Like a reverted transaction: an operation that raises PoolLimitError leaves no change."""

    @functools.wraps(operation)
    def wrapper(self: "MirrorPool", *args: Params.args, **kwargs: Params.kwargs) -> Result:
        saved = self.copy().__dict__
        try:
            return operation(self, *args, **kwargs)
        except PoolLimitError:
            self.__dict__.update(saved)
            raise

    return wrapper


@dataclass
class Deposit:
    value: int = 0
    P: int = 0
    scale: int = 0


@dataclass
class GainToken:
    token: str
    last_update: int = 0
    finish: int = 0  # 0: no stream
    rate: int = 0  # wei per second times RATE_PRECISION

    def unreleased_scaled(self) -> int:
        return self.rate * (self.finish - self.last_update) if self.finish else 0


@dataclass
class MirrorPool:
    min_stream_deposits: int = DEFAULT_MIN_STREAM_DEPOSITS
    total_deposits: int = 0
    P: int = P_PRECISION
    scale: int = 0
    epoch: int = 0
    tokens: list[GainToken] = field(default_factory=list)
    S: dict[tuple[str, int], int] = field(default_factory=dict)  # (token, scale) -> sum
    deposits: dict[str, Deposit] = field(default_factory=dict)
    snapshot_S: dict[tuple[str, str], int] = field(default_factory=dict)  # (depositor, token)
    deferred: dict[tuple[str, str], int] = field(default_factory=dict)  # (depositor, token)

    def copy(self) -> "MirrorPool":
        """An independent copy: the dicts and the mutable records copied, their ints shared
        (immutable). Linear in the state's size, unlike copy.deepcopy's per-object bookkeeping."""
        return replace(
            self,
            tokens=[replace(gt) for gt in self.tokens],
            S=dict(self.S),
            deposits={who: replace(dep) for who, dep in self.deposits.items()},
            snapshot_S=dict(self.snapshot_S),
            deferred=dict(self.deferred),
        )

    # ------------------------------------------------------------------ views
    def token_index(self, token: str) -> int:
        for i, gt in enumerate(self.tokens):
            if gt.token == token:
                return i
        raise PoolLimitError("UnknownToken", token)

    def sum_at(self, token: str, scale: int) -> int:
        return self.S.get((token, scale), 0)

    def compounded(self, who: str) -> int:
        dep = self.deposits.get(who, Deposit())
        if dep.value == 0:
            return 0
        span = self.scale - dep.scale
        if span > MAX_SCALE_SPAN:
            return 0
        return dep.value * self.P // dep.P // SCALE_FACTOR**span

    def _gain(self, who: str, token: str, pending_S: int = 0) -> int:
        dep = self.deposits.get(who, Deposit())
        if dep.value == 0:
            return 0
        last = min(self.scale, dep.scale + MAX_SCALE_SPAN)
        total = self.sum_at(token, dep.scale) - self.snapshot_S.get((who, token), 0)
        if dep.scale == self.scale:
            total += pending_S
        divisor = 1
        for s in range(dep.scale + 1, last + 1):
            divisor *= SCALE_FACTOR
            at_scale = self.sum_at(token, s) + (pending_S if s == self.scale else 0)
            total += at_scale // divisor
        return dep.value * total // dep.P

    def can_release(self) -> bool:
        return self.total_deposits >= self.min_stream_deposits

    @staticmethod
    def _pending_scaled(gt: GainToken, now: int) -> int:
        if gt.finish == 0:
            return 0
        return gt.rate * (min(now, gt.finish) - gt.last_update)

    def _sum_increment(self, amount: int, unit: int) -> int:
        return amount * self.P // (unit * self.total_deposits)

    def pending_sum(self, token: str, now: int) -> int:
        """The increment of `token`'s current sum that a call at `now` would release first."""
        if not self.can_release():
            return 0
        return self._sum_increment(self._pending_scaled(self.tokens[self.token_index(token)], now), RATE_PRECISION)

    def gain(self, who: str, token: str, now: int, pending_S: int | None = None) -> int:
        """getDepositorGain: counts what streams would release at `now` (`pending_S`, when the
        caller has it for every depositor: `pending_sum(token, now)`)."""
        return self._gain(who, token, self.pending_sum(token, now) if pending_S is None else pending_S)

    def stream(self, token: str) -> tuple[int, int, int, int]:
        """getStream: (unreleased, rate, last_update, finish)."""
        gt = self.tokens[self.token_index(token)]
        return gt.unreleased_scaled() // RATE_PRECISION, gt.rate, gt.last_update, gt.finish

    def unreleased_at(self, token: str, now: int) -> int:
        """What the stream still holds at `now`, after what a call now would release, rounded down."""
        gt = self.tokens[self.token_index(token)]
        released = self._pending_scaled(gt, now) if self.can_release() else 0
        return (gt.unreleased_scaled() - released) // RATE_PRECISION

    # ------------------------------------------------------------------ state
    def _credit(self, token: str, amount: int, unit: int = 1) -> None:
        key = (token, self.scale)
        self.S[key] = self.sum_at(token, self.scale) + self._sum_increment(amount, unit)

    def accrue(self, now: int) -> None:
        """RewardStream.advance for every running stream: release, or pause below the threshold."""
        can = self.can_release()
        for gt in self.tokens:
            if gt.finish == 0 or gt.last_update == now:
                continue
            elapsed = now - gt.last_update
            released = 0
            if not can:
                gt.finish += elapsed
            elif now >= gt.finish:
                released = gt.rate * (gt.finish - gt.last_update)
                gt.finish = 0
            else:
                released = gt.rate * elapsed
            gt.last_update = now
            if released > 0:
                self._credit(gt.token, released, RATE_PRECISION)

    def _settle(self, who: str, now: int) -> tuple[int, dict[str, int]]:
        self.accrue(now)
        compounded = self.compounded(who)
        gains = {gt.token: self._gain(who, gt.token) for gt in self.tokens}
        return compounded, gains

    def _snapshot(self, who: str, value: int) -> None:
        if value > 0:
            self.deposits[who] = Deposit(value, self.P, self.scale)
        else:
            self.deposits.pop(who, None)
        self._snapshot_sums(who, value > 0)

    def _snapshot_sums(self, who: str, open_: bool) -> None:
        for gt in self.tokens:
            self.snapshot_S[(who, gt.token)] = self.sum_at(gt.token, self.scale) if open_ else 0

    # ------------------------------------------------------------------ operations
    @reverts_atomically
    def register(self, token: str) -> None:
        if any(gt.token == token for gt in self.tokens):
            raise PoolLimitError("InvalidGainToken", token)
        if len(self.tokens) == MAX_GAIN_TOKENS:
            raise PoolLimitError("TooManyGainTokens", MAX_GAIN_TOKENS)
        self.tokens.append(GainToken(token))

    @reverts_atomically
    def deposit(self, who: str, amount: int, now: int) -> dict[str, int]:
        """Returns the gains paid."""
        if amount == 0:
            raise PoolLimitError("ZeroAmount")
        compounded, gains = self._settle(who, now)
        room = MAX_TOTAL_DEPOSITS - self.total_deposits
        if amount > room:
            raise PoolLimitError("TotalDepositsCapExceeded", amount, room)
        self.total_deposits += amount
        self._snapshot(who, compounded + amount)
        return gains

    @reverts_atomically
    def withdraw(self, who: str, amount: int, now: int) -> tuple[int, dict[str, int]]:
        """Returns (debt tokens paid, gains paid)."""
        if amount == 0:
            raise PoolLimitError("ZeroAmount")
        if self.deposits.get(who, Deposit()).value == 0:
            raise PoolLimitError("NoDeposit", who)
        compounded, gains = self._settle(who, now)
        paid = min(amount, compounded)
        self.total_deposits -= paid
        self._snapshot(who, compounded - paid)
        return paid, gains

    @reverts_atomically
    def claim(self, who: str, now: int) -> dict[str, int]:
        if self.deposits.get(who, Deposit()).value == 0:
            raise PoolLimitError("NoDeposit", who)
        compounded, gains = self._settle(who, now)
        if self.deposits[who].scale == self.scale:
            self._snapshot_sums(who, True)
        else:
            self._snapshot(who, compounded)
        return gains

    @reverts_atomically
    def offset(self, debt: int, token: str, coll: int, now: int) -> None:
        if debt == 0 and coll == 0:
            raise PoolLimitError("ZeroAmount")
        if coll > MAX_GAIN_AMOUNT:
            raise PoolLimitError("GainAmountTooLarge", coll, MAX_GAIN_AMOUNT)
        self.token_index(token)
        self.accrue(now)
        D = self.total_deposits
        if debt > D:
            raise PoolLimitError("DebtExceedsDeposits", debt, D)
        if D == 0:
            raise PoolLimitError("EmptyPool")
        if coll > 0:
            self._credit(token, coll)
        if debt == D:
            self.epoch += 1
            self.scale += EPOCH_SCALE_GAP
            self.P = P_PRECISION
        elif debt > 0:
            remaining = self.P * (D - debt)
            new_P = remaining // D
            factor = 1
            while new_P < P_MIN:
                factor *= SCALE_FACTOR
                new_P = remaining * factor // D
                self.scale += 1
            self.P = new_P
        self.total_deposits = D - debt

    @reverts_atomically
    def notify(self, token: str, amount: int, duration: int, now: int) -> None:
        if amount == 0:
            raise PoolLimitError("ZeroAmount")
        if duration > MAX_STREAM_DURATION:
            raise PoolLimitError("DurationTooLong", duration, MAX_STREAM_DURATION)
        gt = self.tokens[self.token_index(token)]
        self.accrue(now)
        if duration == 0:
            if amount > MAX_GAIN_AMOUNT:
                raise PoolLimitError("GainAmountTooLarge", amount, MAX_GAIN_AMOUNT)
            if not self.can_release():
                raise PoolLimitError("BelowStreamMinimum", self.total_deposits, self.min_stream_deposits)
            self._credit(token, amount)
            return
        room = MAX_GAIN_AMOUNT - gt.unreleased_scaled() // RATE_PRECISION
        if amount > room:
            raise PoolLimitError("GainAmountTooLarge", amount, room)
        gt.rate = (gt.unreleased_scaled() + amount * RATE_PRECISION) // duration
        gt.last_update = now
        gt.finish = now + duration

    # ------------------------------------------------------------------ payouts the token refused
    def defer(self, who: str, token: str, amount: int) -> None:
        """The contract could not pay `amount` of `token` (GainDeferred): it stays owed."""
        self.deferred[(who, token)] = self.deferred.get((who, token), 0) + amount

    @reverts_atomically
    def claim_deferred(self, who: str, token: str) -> int:
        amount = self.deferred.pop((who, token), 0)
        if amount == 0:
            raise PoolLimitError("NothingDeferred", who, token)
        return amount
