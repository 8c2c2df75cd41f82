"""Drives a deployed StabilityPool and both models in step, and checks them against each other.

Used by the tests and by the `ape run` scripts alike. Every operation sends the transaction, reads
the block timestamp and the gains the contract paid from the receipt, applies the same operation
to the integer mirror (whose payouts must be identical) and to the exact model (fed the integers
the contract paid), and keeps gas per operation.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from .exact import ExactPool
from .mirror import MirrorPool


WORST_RESOLUTION = 1000  # Bounds keep shortfalls in thousandths of a wei


class Mismatch(AssertionError):
    """The contract disagrees with a model."""


@dataclass
class Bounds:
    """Largest shortfall seen against the exact model, in wei (exact - contract, never negative),
    rounded up to 1 / WORST_RESOLUTION wei: the exact model's denominators grow with the
    history, and comparing two such Fractions at every check would dominate a long run."""

    deposit: Fraction = Fraction(0)
    gain: Fraction = Fraction(0)


@dataclass
class Harness:
    pool: object  # the StabilityPool contract instance
    debt_token: object
    gain_tokens: list  # contract instances, in registration order
    chain: object
    lens: object  # a deployed PoolLens (contracts/test), to read every view in one call
    liquidator: object = None
    distributor: object = None
    mirror: MirrorPool = field(default_factory=MirrorPool)
    exact: ExactPool = field(default_factory=ExactPool)
    gas: dict = field(default_factory=lambda: defaultdict(list))
    worst: Bounds = field(default_factory=Bounds)
    depositors: set = field(default_factory=set)

    def __post_init__(self):
        for token in self.gain_tokens:
            self.mirror.register(token.address)
            self.exact.register(token.address)

    # ------------------------------------------------------------------ plumbing
    def _timestamp(self, receipt) -> int:
        return self.chain.blocks[receipt.block_number].timestamp

    def _paid_gains(self, receipt, who) -> dict[str, int]:
        paid = {}
        for log in self.pool.GainPaid.from_receipt(receipt):
            assert log.depositor == who.address
            paid[log.token] = paid.get(log.token, 0) + log.amount
        return paid

    def _record_gains(self, who, receipt, expected: dict[str, int]) -> None:
        paid = self._paid_gains(receipt, who)
        nonzero = {t: a for t, a in expected.items() if a}
        if paid != nonzero:
            raise Mismatch(f"gains paid to {who.address}: contract {paid} != mirror {nonzero}")
        for token, amount in paid.items():
            self.exact.pay(who.address, token, amount)

    def _track(self, name: str, receipt) -> None:
        self.gas[name].append(receipt.gas_used)

    # ------------------------------------------------------------------ operations
    def deposit(self, who, amount: int, label: str = "deposit"):
        receipt = self.pool.deposit(amount, sender=who)
        now = self._timestamp(receipt)
        gains = self.mirror.deposit(who.address, amount, now)
        self._record_gains(who, receipt, gains)
        self.exact.do_deposit(who.address, amount, now)
        self.depositors.add(who.address)
        self._track(label, receipt)
        return receipt

    def withdraw(self, who, amount: int, label: str = "withdraw"):
        receipt = self.pool.withdraw(amount, sender=who)
        now = self._timestamp(receipt)
        paid, gains = self.mirror.withdraw(who.address, amount, now)
        logs = [log for log in self.debt_token.Transfer.from_receipt(receipt) if log.to == who.address]
        contract_paid = sum(log.value for log in logs)
        if contract_paid != paid:
            raise Mismatch(f"withdrawal paid {contract_paid}, mirror {paid}")
        self._record_gains(who, receipt, gains)
        self.exact.do_withdraw(who.address, paid, now)
        self._track(label, receipt)
        return receipt

    def claim(self, who, label: str = "claim"):
        receipt = self.pool.claim(sender=who)
        now = self._timestamp(receipt)
        gains = self.mirror.claim(who.address, now)
        self._record_gains(who, receipt, gains)
        self.exact.do_claim(who.address, now)
        self._track(label, receipt)
        return receipt

    def offset(self, debt: int, collateral, coll: int, label: str = "offset"):
        receipt = self.pool.offset(debt, collateral, coll, sender=self.liquidator)
        now = self._timestamp(receipt)
        self.mirror.offset(debt, collateral.address, coll, now)
        self.exact.do_offset(debt, collateral.address, coll, now)
        self._track(label, receipt)
        return receipt

    def notify(self, token, amount: int, duration: int, label: str = "notifyReward"):
        receipt = self.pool.notifyReward(token, amount, duration, sender=self.distributor)
        now = self._timestamp(receipt)
        self.mirror.notify(token.address, amount, duration, now)
        self.exact.do_notify(token.address, amount, duration, now)
        self._track(label, receipt)
        return receipt

    # ------------------------------------------------------------------ checks
    def check(self) -> None:
        """Every view equals the mirror; every deposit and gain is at or below the exact model and
        within the bound; the pool holds what it owes. Reads all views in one call via `lens`."""
        m = self.mirror
        now = self.chain.blocks.head.timestamp
        people = sorted(self.depositors)
        tokens = [t.address for t in self.gain_tokens]
        globals_, compounded, gains, balances = self.lens.read(self.pool, people, tokens)
        got, want = tuple(globals_), (m.total_deposits, m.P, m.scale, m.epoch)
        if got != want:
            raise Mismatch(f"(totalDeposits, P, scale, epoch): contract {got} != mirror {want}")
        if m.total_deposits != self.exact.total_deposits:
            raise Mismatch(f"total deposits: mirror {m.total_deposits} != exact {self.exact.total_deposits}")
        # Views count stream releases due at `now`; so does the exact model, on a copy.
        exact_now = copy.deepcopy(self.exact)
        exact_now.accrue(now)
        owed = [0] * (len(tokens) + 1)
        for d, who in enumerate(people):
            if compounded[d] != m.compounded(who):
                raise Mismatch(f"compounded deposit of {who}: contract {compounded[d]} != mirror {m.compounded(who)}")
            self._within("deposit", who, None, compounded[d], exact_now.deposit(who), exact_now.deposit_bound(who))
            owed[0] += compounded[d]
            for t, token in enumerate(tokens):
                gain = gains[d * len(tokens) + t]
                if gain != m.gain(who, token, now):
                    raise Mismatch(f"gain of {who} in {token}: contract {gain} != mirror {m.gain(who, token, now)}")
                self._within("gain", who, token, gain, exact_now.gain_owed(who, token), exact_now.gain_bound(who, token))
                owed[t + 1] += gain
        if owed[0] > m.total_deposits:
            raise Mismatch(f"compounded deposits {owed[0]} exceed total {m.total_deposits}")
        for i, (owing, balance) in enumerate(zip(owed, balances)):
            if owing > balance:
                raise Mismatch(f"insolvent in token #{i} (0 = debt): owes {owing}, holds {balance}")

    def _within(self, kind, who, token, got: int, exact: Fraction, bound: int) -> None:
        shortfall = exact - got
        if shortfall < 0:
            raise Mismatch(f"{kind} of {who} {token or ''}: contract {got} above exact {float(exact)}")
        if shortfall > bound:
            raise Mismatch(f"{kind} of {who} {token or ''}: shortfall {float(shortfall)} above bound {float(bound)}")
        rounded = Fraction(-(-shortfall.numerator * WORST_RESOLUTION // shortfall.denominator), WORST_RESOLUTION)
        if kind == "deposit":
            self.worst.deposit = max(self.worst.deposit, rounded)
        else:
            self.worst.gain = max(self.worst.gain, rounded)
