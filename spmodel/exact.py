"""The exact model: every deposit and gain as a `Fraction`, updated for every depositor (O(n)).

Conventions shared with the contract:
- Withdrawals and gain payments move the *integers the contract paid*: the exact model then keeps
  whatever the contract's rounding left (a deposit's residual, an unpaid fraction of a gain) as still
  owed. So `deposit(who) >= contract's compounded deposit` and `gain_owed(who, token) >= contract's
  gain` are the statements "every rounding favours the pool", and the differences are the errors.
- Total deposits equal the contract's `totalDeposits` exactly (both move by the same integers).
- Reward streams release integer chunks by the contract's schedule (floor(remaining * elapsed /
  (finish - lastUpdate)) per call, everything at `finish`, nothing while total deposits are below
  MIN_STREAM_DEPOSITS): the schedule is a protocol rule. What is exact here is how each released
  chunk is shared.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from .mirror import MIN_STREAM_DEPOSITS  # a protocol rule of the release schedule, not arithmetic


@dataclass
class Stream:
    remaining: int = 0
    last_update: int = 0
    finish: int = 0  # 0: no stream


@dataclass
class ExactPool:
    deposits: dict[str, Fraction] = field(default_factory=dict)
    earned: dict[tuple[str, str], Fraction] = field(default_factory=dict)  # (who, token) -> all earned
    paid: dict[tuple[str, str], int] = field(default_factory=dict)  # (who, token) -> all paid
    streams: dict[str, Stream] = field(default_factory=dict)
    total_deposits: int = 0
    # Error bounds, in whole wei, on how far the contract may fall below this model (see `_snapshot`).
    deposit_slack: dict[str, int] = field(default_factory=dict)
    gain_slack: dict[tuple[str, str], int] = field(default_factory=dict)

    # ------------------------------------------------------------------ views
    def deposit(self, who: str) -> Fraction:
        return self.deposits.get(who, Fraction(0))

    def gain_owed(self, who: str, token: str) -> Fraction:
        return self.earned.get((who, token), Fraction(0)) - self.paid.get((who, token), 0)

    def deposit_bound(self, who: str) -> int:
        return self.deposit_slack.get(who, 0)

    def gain_bound(self, who: str, token: str) -> int:
        return self.gain_slack.get((who, token), 0)

    # ------------------------------------------------------------------ error bound
    # The contract's rounding, counted (derivation in tests/README.md). With d_t <= 1e27 <= P_t:
    # - every floor of P (one per offset) costs a deposit below d_t / P_t <= 1 wei, and every
    #   snapshot floors the deposit once more (< 1 wei); later factors (1 - Q/D) only shrink these;
    # - every credit floors S once (< d_t / P_t <= 1 wei of gain) and pays on the deposit as the
    #   contract reads it, so a deposit shortfall of x costs x * E / D of gain;
    # - every settlement floors each scale's term (at most MAX_SCALE_SPAN + 1) and the payout (< 1).
    # The bounds are kept in whole wei, the x * E / D term rounded up: still a bound, looser by less
    # than 1 wei per credit, and an integer bound keeps each check's comparison cheap however large
    # the exact model's denominators grow (with Fraction bounds, comparisons took 54% of the time at
    # step 7,000 of a 20-depositor `simulate`, and each 1,000 steps took longer than the last).
    SETTLEMENT_FLOORS = 8 + 2

    def _snapshot(self, who: str) -> None:
        self.deposit_slack[who] = self.deposit_bound(who) + 1
        for token in self.streams:
            key = (who, token)
            self.gain_slack[key] = self.gain_bound(who, token) + self.SETTLEMENT_FLOORS

    # ------------------------------------------------------------------ operations
    def register(self, token: str) -> None:
        self.streams.setdefault(token, Stream())

    def _share(self, token: str, amount) -> None:
        """Credit `amount` of `token` to the current deposits, pro rata, exactly."""
        if amount == 0:
            return
        assert self.total_deposits > 0
        for who, d in self.deposits.items():
            key = (who, token)
            self.earned[key] = self.earned.get(key, Fraction(0)) + Fraction(amount) * d / self.total_deposits
            if d:
                dust_share = -(-self.deposit_bound(who) * amount // self.total_deposits)  # rounded up
                self.gain_slack[key] = self.gain_bound(who, token) + 1 + dust_share

    def accrue(self, now: int) -> None:
        if self.total_deposits < MIN_STREAM_DEPOSITS:
            return  # held: nothing released, last_update stays put
        for token, st in self.streams.items():
            if st.finish == 0 or (st.last_update == now and now < st.finish):
                continue
            if now >= st.finish:
                released, st.finish = st.remaining, 0
            else:
                released = st.remaining * (now - st.last_update) // (st.finish - st.last_update)
            st.remaining -= released
            st.last_update = now
            self._share(token, released)

    def pay(self, who: str, token: str, amount: int) -> None:
        key = (who, token)
        self.paid[key] = self.paid.get(key, 0) + amount

    def do_deposit(self, who: str, amount: int, now: int) -> None:
        self.accrue(now)
        self.deposits[who] = self.deposit(who) + amount
        self.total_deposits += amount
        self._snapshot(who)

    def do_withdraw(self, who: str, paid: int, now: int) -> None:
        """`paid` is what the contract paid out (at most the exact deposit)."""
        self.accrue(now)
        assert paid <= self.deposit(who)
        self.deposits[who] = self.deposit(who) - paid
        self.total_deposits -= paid
        self._snapshot(who)

    def do_claim(self, who: str, now: int) -> None:
        self.accrue(now)
        self._snapshot(who)

    def do_offset(self, debt: int, token: str, coll: int, now: int) -> None:
        self.accrue(now)
        total = self.total_deposits
        assert 0 < total and debt <= total
        self._share(token, coll)
        for who, d in self.deposits.items():
            self.deposits[who] = d - Fraction(debt) * d / total
            if debt == total:
                self.deposit_slack[who] = 0  # every deposit is exactly 0, as in the contract
            elif d:
                self.deposit_slack[who] = self.deposit_bound(who) + 1
        self.total_deposits = total - debt

    def do_notify(self, token: str, amount: int, duration: int, now: int) -> None:
        self.accrue(now)
        st = self.streams[token]
        st.remaining += amount
        st.last_update = now
        st.finish = now + duration
        if duration == 0:
            self.accrue(now)
