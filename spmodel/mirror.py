"""The integer mirror: StabilityPool.sol's arithmetic, line for line, in Python integers.

Same constants, same floors (`//`), same order of updates, same scale/epoch logic; the contract's
views must equal this model's exactly after every operation. Operations return what the contract
pays, so a driver can feed those integers to the exact model.
"""

import copy
import functools
from dataclasses import dataclass, field

P_PRECISION = 10**36
P_MIN = 10**27
SCALE_FACTOR = 10**9
MAX_SCALE_SPAN = 8
EPOCH_SCALE_GAP = MAX_SCALE_SPAN + 1
MAX_TOTAL_DEPOSITS = 10**27
MAX_GAIN_AMOUNT = 10**36
MAX_GAIN_TOKENS = 8
MAX_STREAM_DURATION = 10 * 365 * 24 * 3600
MIN_STREAM_DEPOSITS = 10**9


class PoolLimitError(ValueError):
    """An operation the contract rejects with a named error; carries the error's name."""

    def __init__(self, error: str, *args):
        super().__init__(error, *args)
        self.error = error


def reverts_atomically(operation):
    """Like a reverted transaction: an operation that raises PoolLimitError leaves no change."""

    @functools.wraps(operation)
    def wrapper(self, *args, **kwargs):
        saved = copy.deepcopy(self.__dict__)
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
    finish: int = 0
    remaining: int = 0


@dataclass
class MirrorPool:
    total_deposits: int = 0
    P: int = P_PRECISION
    scale: int = 0
    epoch: int = 0
    tokens: list[GainToken] = field(default_factory=list)
    S: dict[tuple[str, int], int] = field(default_factory=dict)  # (token, scale) -> sum
    deposits: dict[str, Deposit] = field(default_factory=dict)
    snapshot_S: dict[tuple[str, str], int] = field(default_factory=dict)  # (depositor, token)

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

    def _release(self, gt: GainToken, now: int) -> tuple[int, bool]:
        if gt.finish == 0:
            return 0, False
        if now >= gt.finish:
            return gt.remaining, True
        return gt.remaining * (now - gt.last_update) // (gt.finish - gt.last_update), False

    def gain(self, who: str, token: str, now: int) -> int:
        """getDepositorGain: counts what streams would release at `now`."""
        gt = self.tokens[self.token_index(token)]
        pending_S = 0
        if self.total_deposits >= MIN_STREAM_DEPOSITS:
            released, _ = self._release(gt, now)
            pending_S = released * self.P // self.total_deposits
        return self._gain(who, token, pending_S)

    # ------------------------------------------------------------------ state
    def _credit(self, token: str, amount: int) -> None:
        key = (token, self.scale)
        self.S[key] = self.sum_at(token, self.scale) + amount * self.P // self.total_deposits

    def _accrue_stream(self, gt: GainToken, now: int) -> None:
        if self.total_deposits < MIN_STREAM_DEPOSITS:
            return
        if gt.finish == 0 or (gt.last_update == now and now < gt.finish):
            return
        released, done = self._release(gt, now)
        gt.remaining -= released
        gt.last_update = now
        if done:
            gt.finish = 0
        if released > 0:
            self._credit(gt.token, released)

    def accrue(self, now: int) -> None:
        if self.total_deposits < MIN_STREAM_DEPOSITS:
            return
        for gt in self.tokens:
            self._accrue_stream(gt, now)

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
        if self.total_deposits + amount > MAX_TOTAL_DEPOSITS:
            raise PoolLimitError("TotalDepositsCapExceeded", self.total_deposits + amount, MAX_TOTAL_DEPOSITS)
        compounded, gains = self._settle(who, now)
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
        remaining = gt.remaining + amount
        if remaining > MAX_GAIN_AMOUNT:
            raise PoolLimitError("GainAmountTooLarge", remaining, MAX_GAIN_AMOUNT)
        gt.remaining = remaining
        gt.last_update = now
        gt.finish = now + duration
        if duration == 0:
            self._accrue_stream(gt, now)
