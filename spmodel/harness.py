"""Drives a deployed StabilityPool and both models in step, and checks them against each other.

Used by the tests and by the `ape run` scripts alike. Every operation sends the transaction, reads
the block timestamp and the gains the contract paid from the receipt, applies the same operation
to the integer mirror (whose payouts must be identical) and to the exact model (fed the integers
the contract paid), and keeps gas per operation.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from .exact import ExactPool
from .mirror import MirrorPool


class Mismatch(AssertionError):
    """The contract disagrees with a model."""


@dataclass
class Bounds:
    """Largest shortfall seen against the exact model, in wei (exact - contract, never negative)."""

    deposit: Fraction = Fraction(0)
    gain: Fraction = Fraction(0)


@dataclass
class Harness:
    pool: object  # the StabilityPool contract instance
    debt_token: object
    gain_tokens: list  # contract instances, in registration order
    chain: object
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
        within the bound; the pool holds what it owes."""
        m, pool = self.mirror, self.pool
        now = self.chain.blocks.head.timestamp
        got = (pool.totalDeposits(), pool.P(), pool.currentScale(), pool.currentEpoch())
        want = (m.total_deposits, m.P, m.scale, m.epoch)
        if got != want:
            raise Mismatch(f"(totalDeposits, P, scale, epoch): contract {got} != mirror {want}")
        if m.total_deposits != self.exact.total_deposits:
            raise Mismatch(f"total deposits: mirror {m.total_deposits} != exact {self.exact.total_deposits}")
        owed = defaultdict(int)
        for who in sorted(self.depositors):
            compounded = pool.getCompoundedDeposit(who)
            if compounded != m.compounded(who):
                raise Mismatch(f"compounded deposit of {who}: contract {compounded} != mirror {m.compounded(who)}")
            self._within("deposit", who, None, compounded, self.exact.deposit(who), self.deposit_bound(who))
            owed[self.debt_token.address] += compounded
            for token in self.gain_tokens:
                gain = pool.getDepositorGain(who, token)
                if gain != m.gain(who, token.address, now):
                    raise Mismatch(f"gain of {who} in {token.address}: contract {gain} != mirror {m.gain(who, token.address, now)}")
                exact = self.exact.gain_owed(who, token.address)
                self._within("gain", who, token.address, gain, exact, self.gain_bound(who, token.address))
                owed[token.address] += gain
        if owed[self.debt_token.address] > m.total_deposits:
            raise Mismatch(f"compounded deposits {owed[self.debt_token.address]} exceed total {m.total_deposits}")
        for token in [self.debt_token, *self.gain_tokens]:
            balance = token.balanceOf(pool)
            if owed[token.address] > balance:
                raise Mismatch(f"insolvent in {token.address}: owes {owed[token.address]}, holds {balance}")

    def deposit_bound(self, who: str) -> Fraction:
        return self.exact.deposit_bound(who)

    def gain_bound(self, who: str, token: str) -> Fraction:
        return self.exact.gain_bound(who, token)

    def _within(self, kind, who, token, got: int, exact: Fraction, bound: Fraction) -> None:
        shortfall = exact - got
        if shortfall < 0:
            raise Mismatch(f"{kind} of {who} {token or ''}: contract {got} above exact {float(exact)}")
        if shortfall > bound:
            raise Mismatch(f"{kind} of {who} {token or ''}: shortfall {float(shortfall)} above bound {float(bound)}")
        if kind == "deposit":
            self.worst.deposit = max(self.worst.deposit, shortfall)
        else:
            self.worst.gain = max(self.worst.gain, shortfall)
