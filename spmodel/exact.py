"""The exact model: the ideal economics of the pool, every deposit and gain as a `Fraction`, updated
for every depositor at every event (O(n)). It states what a depositor is owed, independently of how
the contract computes it.

The rules it states (seed 002, and the pool's published semantics):
- A liquidation of debt Q against total deposits D shrinks every deposit by (1 - Q/D) and shares
  its collateral E pro rata to the deposits as they stood.
- A reward stream is a rate in Fractions per second, amount / duration, shared second by second
  among the deposits present. While total deposits are below the pool's stream threshold the pool
  cannot take it: the stream pauses (its end moves later by the time held), and no one earns it.
  So a deposit present for k seconds earns at most k seconds of the stream, never a lump.
- A new notification of `amount` over `duration` > 0 joins the stream's unreleased remainder, and
  the whole is released evenly over `duration` from then. Duration 0 shares exactly `amount` at once
  (only when the pool can take it; otherwise the contract refuses it).
- Every released amount and every collateral credit is shared exactly.

Withdrawals and gain payments move the *integers the contract paid*: the model then keeps whatever
the contract's rounding left (a deposit's residual, an unpaid fraction of a gain) as still owed.
So `compounded(who) >= the contract's compounded deposit` and `gain_owed(who, token) >= what the
contract owes` are the statements "every rounding favours the pool", and the differences are the
errors, which must stay within the bounds derived below. Total deposits equal the contract's exactly (both
move by the same integers), so both pause streams at the same moments.
"""

from dataclasses import dataclass, field, replace
from fractions import Fraction

from .mirror import DEFAULT_MIN_STREAM_DEPOSITS, MAX_SCALE_SPAN, P_MIN


@dataclass
class Stream:
    rate: Fraction = Fraction(0)  # tokens per second
    last_update: int = 0
    finish: int = 0  # 0: no stream

    def unreleased(self) -> Fraction:
        return self.rate * (self.finish - self.last_update) if self.finish else Fraction(0)


@dataclass
class ExactPool:
    min_stream_deposits: int = DEFAULT_MIN_STREAM_DEPOSITS
    deposits: dict[str, Fraction] = field(default_factory=dict)
    earned: dict[tuple[str, str], Fraction] = field(default_factory=dict)  # (who, token) -> all earned
    paid: dict[tuple[str, str], int | Fraction] = field(default_factory=dict)  # (who, token) -> all paid
    streams: dict[str, Stream] = field(default_factory=dict)
    total_deposits: int = 0
    # Error bounds, in whole wei, on how far the contract may fall below this model (see below).
    deposit_slack: dict[str, int] = field(default_factory=dict)
    gain_slack: dict[tuple[str, str], int] = field(default_factory=dict)

    def copy(self) -> "ExactPool":
        """An independent copy: the dicts and streams copied, their ints and Fractions shared
        (immutable). Linear in the state's size, unlike copy.deepcopy's per-object bookkeeping."""
        return replace(
            self,
            deposits=dict(self.deposits),
            earned=dict(self.earned),
            paid=dict(self.paid),
            streams={token: replace(st) for token, st in self.streams.items()},
            deposit_slack=dict(self.deposit_slack),
            gain_slack=dict(self.gain_slack),
        )

    # ------------------------------------------------------------------ views
    def compounded(self, who: str) -> Fraction:
        return self.deposits.get(who, Fraction(0))

    def gain_owed(self, who: str, token: str) -> Fraction:
        return self.earned.get((who, token), Fraction(0)) - self.paid.get((who, token), 0)

    def gain_terms(self, who: str, token: str) -> tuple[Fraction, int | Fraction]:
        """gain_owed's two terms, (earned, paid): a check compares `owed + paid` with `earned`
        without building the difference (a Fraction per depositor and token per check)."""
        return self.earned.get((who, token), Fraction(0)), self.paid.get((who, token), 0)

    def unreleased(self, token: str) -> Fraction:
        return self.streams[token].unreleased()

    def deposit_bound(self, who: str) -> int:
        return self.deposit_slack.get(who, 0)

    def gain_bound(self, who: str, token: str) -> int:
        return self.gain_slack.get((who, token), 0)

    # ------------------------------------------------------------------ error bound
    # The contract's rounding, counted (derivation in tests/README.md). P >= P_MIN = 1e27 always,
    # and a deposit's snapshot ratio d_t / P_t is at most (its value at the snapshot) / P_MIN, so
    # one unit lost in P or in a sum costs a deposit or a gain at most `unit(who)` =
    # 1 + deposit // P_MIN wei (1 wei for deposits up to 1e27, 1,001 at the 1e30 cap):
    # - every floor of P (one per partial offset) costs a deposit below unit wei, and every snapshot
    #   floors the deposit once more (< 1 wei); later factors (1 - Q/D) only shrink these;
    # - every credit floors S once (< unit wei of gain), a stream's rate is floored (it releases
    #   below 1 wei less than the ideal over any interval), and each credit is shared on the
    #   deposit as the contract reads it, so a deposit shortfall of x costs x * E / D of gain;
    # - every settlement floors each scale's term (at most MAX_SCALE_SPAN + 1) and the payout.
    # The bounds are kept in whole wei, the x * E / D term rounded up: still a bound, looser by less
    # than 1 wei per credit, and an integer bound keeps each check's comparison cheap however large
    # the exact model's denominators grow (with Fraction bounds, comparisons took 54% of the time at
    # step 7,000 of a 20-depositor `simulate`, and each 1,000 steps took longer than the last).
    SETTLEMENT_FLOORS = MAX_SCALE_SPAN + 2

    def _unit(self, who: str) -> int:
        return 1 + int(self.compounded(who)) // P_MIN

    def _snapshot(self, who: str) -> None:
        self.deposit_slack[who] = self.deposit_bound(who) + 1
        settlement = self.SETTLEMENT_FLOORS * self._unit(who)
        for token in self.streams:
            key = (who, token)
            self.gain_slack[key] = self.gain_bound(who, token) + settlement

    # ------------------------------------------------------------------ operations
    def register(self, token: str) -> None:
        self.streams.setdefault(token, Stream())

    def can_release(self) -> bool:
        return self.total_deposits >= self.min_stream_deposits

    def _share(self, token: str, amount: int | Fraction, floors: int = 1) -> None:
        """Credit `amount` of `token` to the current deposits, pro rata, exactly. `floors`: how
        many units the contract may lose on this credit (its sum floor, and a stream's rate floor)."""
        if amount == 0:
            return
        assert self.total_deposits > 0
        for who, d in self.deposits.items():
            key = (who, token)
            self.earned[key] = self.earned.get(key, Fraction(0)) + Fraction(amount) * d / self.total_deposits
            if d:
                dust_share = -(-self.deposit_bound(who) * amount // self.total_deposits)  # rounded up
                self.gain_slack[key] = self.gain_bound(who, token) + floors * self._unit(who) + dust_share

    def accrue(self, now: int) -> None:
        """Every stream up to `now`: released and shared while the pool can take it, else paused."""
        can = self.can_release()
        for token, st in self.streams.items():
            if st.finish == 0 or st.last_update == now:
                continue
            if not can:
                st.finish += now - st.last_update
            else:
                end = min(now, st.finish)
                self._share(token, st.rate * (end - st.last_update), floors=2)
                if now >= st.finish:
                    st.finish, st.rate = 0, Fraction(0)
            st.last_update = now

    def pay(self, who: str, token: str, amount: int | Fraction) -> None:
        """`amount` of `token` paid to `who`: the contract's integers, or an exact share (seed000)."""
        key = (who, token)
        self.paid[key] = self.paid.get(key, 0) + amount

    def deposit(self, who: str, amount: int, now: int) -> None:
        self.accrue(now)
        self.deposits[who] = self.compounded(who) + amount
        self.total_deposits += amount
        self._snapshot(who)

    def withdraw(self, who: str, amount: int, now: int) -> None:
        """`amount` is what the contract paid out (at most the exact deposit), not what was asked."""
        self.accrue(now)
        assert amount <= self.compounded(who)
        self.deposits[who] = self.compounded(who) - amount
        self.total_deposits -= amount
        self._snapshot(who)

    def claim(self, who: str, now: int) -> None:
        self.accrue(now)
        self._snapshot(who)

    def offset(self, debt: int, token: str, coll: int, now: int) -> None:
        self.accrue(now)
        total = self.total_deposits
        assert total > 0 and debt <= total
        self._share(token, coll)
        for who, d in self.deposits.items():
            self.deposits[who] = d - Fraction(debt) * d / total
            if debt == total:
                self.deposit_slack[who] = 0  # every deposit is exactly 0, as in the contract
            elif d:
                self.deposit_slack[who] = self.deposit_bound(who) + self._unit(who)
        self.total_deposits = total - debt

    def notify(self, token: str, amount: int, duration: int, now: int) -> None:
        self.accrue(now)
        if duration == 0:
            assert self.can_release(), "the contract refuses a zero-duration reward it cannot take"
            self._share(token, amount)
            return
        st = self.streams[token]
        st.rate = (st.unreleased() + amount) / duration
        st.last_update, st.finish = now, now + duration
