"""Drives a deployed StabilityPool and both models in step, and checks them against each other.

Used by the tests and by the `ape run` scripts alike. Every operation sends the transaction, reads
the block timestamp and the gains the contract paid from the receipt, applies the same operation
to the integer mirror (whose payouts must be identical) and to the exact model (fed the integers
the contract paid), and keeps gas per operation.

Two ways to send, one switch (`engine`), the same checks: through ape's contract objects (the
default, whose receipts the unit tests inspect), or through an `Engine` (spmodel.chain.engine: raw
JSON-RPC on Anvil, or pyrevm in process; what `simulate` and the stateful test use): one send per
operation, the logs decoded with eth_abi, the block timestamp from the receipt and the lens read as
one `eth_call`. A reverted send raises the decoded custom error, as the default path does.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ape.api import AccountAPI, ReceiptAPI
from ape.api.address import BaseAddress
from ape.contracts import ContractInstance
from ape.managers.chain import ChainManager
from eth_abi import decode
from eth_utils import keccak

from ..amounts import MAX_UINT
from ..exact import ExactPool
from ..mirror import MirrorPool
from .engine import Engine, Log, checksummed, decoded, view

WORST_RESOLUTION = 1000  # Bounds keep shortfalls in thousandths of a wei


class Mismatch(AssertionError):
    """The contract disagrees with a model."""


EventAbi = tuple[str, list[tuple[str, str]], list[tuple[str, str]]]  # name, indexed (name, type), data (name, type)


def _word(raw: bytes, abi_type: str) -> Any:
    """One ABI word of a static type, decoded as eth_abi would (addresses checksummed)."""
    if abi_type == "address":
        return checksummed("0x" + raw[12:32].hex())
    if abi_type == "bool":
        return raw[31] == 1
    if abi_type.startswith("uint"):
        return int.from_bytes(raw[:32], "big")
    return decoded(decode([abi_type], raw)[0])


def _uint_arrays(result: bytes, statics: int, arrays: int) -> list:
    """ABI-encoded return data of `statics` uint256 words then `arrays` dynamic uint256[]: read word
    by word (eth_abi's general decoder took most of a check's time in `simulate`)."""
    words = [int.from_bytes(result[i : i + 32], "big") for i in range(0, len(result), 32)]
    out: list = [words[:statics]]
    for offset in words[statics : statics + arrays]:
        start = offset // 32
        out.append(words[start + 1 : start + 1 + words[start]])
    return out


@dataclass
class Sent:
    """A mined transaction as the raw path reads it: gas, block timestamp and its raw logs, decoded
    on demand (`events`: each log's arguments by name, addresses checksummed)."""

    gas_used: int
    timestamp: int
    logs: list[Log]
    abis: dict[bytes, EventAbi]  # topic0 -> the event's ABI

    def events(self, emitter: ContractInstance, name: str) -> list[dict[str, Any]]:
        found = []
        for address, topics, data in self.logs:
            if address != emitter.address or not topics or topics[0] not in self.abis:
                continue
            event, indexed, data_types = self.abis[topics[0]]
            if event != name:
                continue
            arguments = {n: _word(v, t) for (n, t), v in zip(indexed, topics[1:], strict=True)}
            if all(t == "address" or t == "bool" or t.startswith("uint") for _, t in data_types):
                values = [_word(data[32 * i : 32 * i + 32], t) for i, (_, t) in enumerate(data_types)]
            else:
                values = [decoded(v) for v in decode([t for _, t in data_types], data)]
            arguments |= {n: v for (n, _), v in zip(data_types, values, strict=True)}
            found.append(arguments)
        return found


@dataclass
class Bounds:
    """Largest shortfall seen against the exact model, in wei (exact - contract, never negative),
    rounded up to 1 / WORST_RESOLUTION wei: the exact model's denominators grow with the
    history, and comparing two such Fractions at every check would dominate a long run."""

    deposit: Fraction = Fraction(0)
    gain: Fraction = Fraction(0)


@dataclass
class Harness:
    pool: ContractInstance  # the StabilityPool
    debt_token: ContractInstance
    gain_tokens: list[ContractInstance]  # in registration order
    chain: ChainManager
    lens: ContractInstance  # a deployed PoolLens (contracts/test), to read every view in one call
    liquidator: AccountAPI | None = None
    distributor: AccountAPI | None = None
    mirror: MirrorPool = field(default_factory=MirrorPool)
    exact: ExactPool = field(default_factory=ExactPool)
    gas: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # label -> gas used
    worst: Bounds = field(default_factory=Bounds)
    depositors: set[str] = field(default_factory=set)  # addresses
    engine: Engine | None = None  # the hot path's engine (spmodel.chain.engine); None: ape's contract objects
    _lens_call: tuple[tuple, bytes] = ((), b"")  # the lens's last (people, tokens) and their calldata
    _events: dict[bytes, EventAbi] = field(default_factory=dict)  # topic0 -> the event's ABI

    def __post_init__(self) -> None:
        for contract in (self.pool, self.debt_token, *self.gain_tokens):
            for abi in contract.contract_type.events:
                topic = keccak(text=abi.selector)
                indexed = [(i.name, i.canonical_type) for i in abi.inputs if i.indexed]
                data = [(i.name, i.canonical_type) for i in abi.inputs if not i.indexed]
                self._events[topic] = (abi.name, indexed, data)
        threshold = self.pool.minStreamDeposits()
        self.mirror.min_stream_deposits = self.exact.min_stream_deposits = threshold
        for token in self.gain_tokens:
            self.mirror.register(token.address)
            self.exact.register(token.address)

    # ------------------------------------------------------------------ plumbing
    def send(self, contract: ContractInstance, method: str, args: list, sender: BaseAddress) -> ReceiptAPI | Sent:
        """`contract.method(*args)` from `sender`, through ape or the engine (module docstring)."""
        if self.engine is None:
            return getattr(contract, method)(*args, sender=sender)
        data = getattr(contract, method).encode_input(*args)
        receipt = self.engine.send(sender.address, contract.address, data)
        if not receipt.status:
            raise self.engine.reverted(contract, method, args, sender, receipt)
        return Sent(receipt.gas_used, receipt.timestamp, receipt.logs, self._events)

    def view(self, contract: ContractInstance, method: str, *args: Any) -> Any:
        """`contract.method(*args)`, a view with one return value, through ape or the engine."""
        if self.engine is None:
            return getattr(contract, method)(*args)
        return view(self.engine, contract, method, *args)

    def _timestamp(self, receipt: ReceiptAPI | Sent) -> int:
        if isinstance(receipt, Sent):
            return receipt.timestamp
        return self.chain.blocks[receipt.block_number].timestamp

    @staticmethod
    def _logs(receipt: ReceiptAPI | Sent, emitter: ContractInstance, name: str) -> list[dict[str, Any]]:
        """The arguments, by name, of each `name` event `emitter` logged in `receipt`."""
        if isinstance(receipt, Sent):
            return receipt.events(emitter, name)
        return [log.event_arguments for log in getattr(emitter, name).from_receipt(receipt)]

    def latest_timestamp(self) -> int:
        if self.engine is None:
            return self.chain.blocks.head.timestamp
        return self.engine.latest_timestamp()

    def _read_lens(self, people: list[str], tokens: list[str]) -> tuple:
        if self.engine is None:
            return self.lens.read(self.pool, people, tokens)
        handler = self.lens.read
        if self._lens_call[0] != (people, tokens):  # encoding the arguments costs more than the call
            self._lens_call = ((people, tokens), handler.encode_input(self.pool.address, people, tokens))
        # PoolLens.read returns uint256[4] then five uint256[].
        return _uint_arrays(self.engine.call(self.lens.address, self._lens_call[1]), 4, 5)

    def _record_gains(self, who: BaseAddress, receipt: ReceiptAPI | Sent, expected: dict[str, int]) -> None:
        """The gains the contract paid (GainPaid) or kept for `who` (GainDeferred) must be the
        mirror's, token by token; paid ones count as paid in the exact model, deferred ones stay
        owed in both models."""
        paid: dict[str, int] = {}
        deferred: dict[str, int] = {}
        for kind, name in ((paid, "GainPaid"), (deferred, "GainDeferred")):
            for log in self._logs(receipt, self.pool, name):
                assert log["depositor"] == who.address
                kind[log["token"]] = kind.get(log["token"], 0) + log["amount"]
        nonzero = {t: a for t, a in expected.items() if a}
        if paid | deferred != nonzero or paid.keys() & deferred.keys():
            raise Mismatch(f"gains to {who.address}: contract paid {paid}, deferred {deferred} != mirror {nonzero}")
        for token, amount in paid.items():
            self.exact.pay(who.address, token, amount)
        for token, amount in deferred.items():
            self.mirror.defer(who.address, token, amount)

    def _track(self, name: str, receipt: ReceiptAPI | Sent) -> None:
        self.gas[name].append(receipt.gas_used)

    # ------------------------------------------------------------------ operations
    def deposit(self, who: AccountAPI, amount: int, label: str = "deposit") -> ReceiptAPI | Sent:
        receipt = self.send(self.pool, "deposit", [amount], who)
        now = self._timestamp(receipt)
        gains = self.mirror.deposit(who.address, amount, now)
        self._record_gains(who, receipt, gains)
        self.exact.deposit(who.address, amount, now)
        self.depositors.add(who.address)
        self._track(label, receipt)
        return receipt

    def withdraw(self, who: AccountAPI, amount: int, label: str = "withdraw") -> ReceiptAPI | Sent:
        receipt = self.send(self.pool, "withdraw", [amount], who)
        now = self._timestamp(receipt)
        paid, gains = self.mirror.withdraw(who.address, amount, now)
        logs = [log for log in self._logs(receipt, self.debt_token, "Transfer") if log["to"] == who.address]
        contract_paid = sum(log["value"] for log in logs)
        if contract_paid != paid:
            raise Mismatch(f"withdrawal paid {contract_paid}, mirror {paid}")
        self._record_gains(who, receipt, gains)
        self.exact.withdraw(who.address, paid, now)
        self._track(label, receipt)
        return receipt

    def claim(self, who: AccountAPI, label: str = "claim") -> ReceiptAPI | Sent:
        receipt = self.send(self.pool, "claim", [], who)
        now = self._timestamp(receipt)
        gains = self.mirror.claim(who.address, now)
        self._record_gains(who, receipt, gains)
        self.exact.claim(who.address, now)
        self._track(label, receipt)
        return receipt

    def flash(self, batcher: ContractInstance, amount: int, sender: AccountAPI, label: str = "flash") -> dict[str, int]:
        """A flash-loan depositor: `batcher` (contracts/test/Batcher.sol, holding debt tokens and
        with the pool approved) deposits `amount`, claims and withdraws everything in ONE
        transaction. Returns the gains it was paid or kept, by token (the models say what it is due:
        at most 0 seconds of any stream)."""
        pool, who = self.pool, batcher.address
        calls = [pool.deposit.encode_input(amount), pool.claim.encode_input(), pool.withdraw.encode_input(MAX_UINT)]
        receipt = self.send(batcher, "run", [[pool.address] * 3, calls], sender)
        now = self._timestamp(receipt)
        gains: dict[str, int] = {}
        for step in (
            lambda: self.mirror.deposit(who, amount, now),
            lambda: self.mirror.claim(who, now),
            lambda: self.mirror.withdraw(who, MAX_UINT, now)[1],
        ):
            for token, gain in step().items():
                gains[token] = gains.get(token, 0) + gain
        contract_paid = sum(
            log["value"] for log in self._logs(receipt, self.debt_token, "Transfer") if log["to"] == who
        )
        if contract_paid != amount:
            raise Mismatch(f"flash withdrawal paid {contract_paid}, deposited {amount}")
        self._record_gains(batcher, receipt, gains)
        self.exact.deposit(who, amount, now)
        self.exact.claim(who, now)
        self.exact.withdraw(who, amount, now)
        self.depositors.add(who)
        self._track(label, receipt)
        return {token: gain for token, gain in gains.items() if gain}

    def claim_deferred(
        self,
        who: AccountAPI,
        token: ContractInstance,
        recipient: BaseAddress | None = None,
        label: str = "claimDeferred",
    ) -> ReceiptAPI | Sent:
        recipient = recipient or who
        receipt = self.send(self.pool, "claimDeferred", [token.address, recipient.address], who)
        amount = self.mirror.claim_deferred(who.address, token.address)
        [log] = self._logs(receipt, self.pool, "DeferredGainClaimed")
        if (log["depositor"], log["token"], log["recipient"], log["amount"]) != (
            who.address,
            token.address,
            recipient.address,
            amount,
        ):
            raise Mismatch(f"deferred claim {log} != mirror {amount}")
        self.exact.pay(who.address, token.address, amount)
        self._track(label, receipt)
        return receipt

    def offset(self, debt: int, collateral: ContractInstance, coll: int, label: str = "offset") -> ReceiptAPI | Sent:
        receipt = self.send(self.pool, "offset", [debt, collateral.address, coll], self.liquidator)
        now = self._timestamp(receipt)
        self.mirror.offset(debt, collateral.address, coll, now)
        self.exact.offset(debt, collateral.address, coll, now)
        self._track(label, receipt)
        return receipt

    def notify(
        self, token: ContractInstance, amount: int, duration: int, label: str = "notifyReward"
    ) -> ReceiptAPI | Sent:
        receipt = self.send(self.pool, "notifyReward", [token.address, amount, duration], self.distributor)
        now = self._timestamp(receipt)
        self.mirror.notify(token.address, amount, duration, now)
        self.exact.notify(token.address, amount, duration, now)
        self._track(label, receipt)
        return receipt

    # ------------------------------------------------------------------ checks
    def check(self) -> None:
        """Every view equals the mirror; every deposit and gain is at or below the exact model and
        within the bound; the pool holds what it owes. Reads all views in one call via `lens`."""
        m = self.mirror
        now = self.latest_timestamp()
        people = sorted(self.depositors)
        tokens = [t.address for t in self.gain_tokens]
        globals_, compounded, gains, deferred, balances, unreleased = self._read_lens(people, tokens)
        got, want = tuple(globals_), (m.total_deposits, m.P, m.scale, m.epoch)
        if got != want:
            raise Mismatch(f"(totalDeposits, P, scale, epoch): contract {got} != mirror {want}")
        if m.total_deposits != self.exact.total_deposits:
            raise Mismatch(f"total deposits: mirror {m.total_deposits} != exact {self.exact.total_deposits}")
        # Views count stream releases due at `now`; so does the exact model, on a copy.
        exact_now = self.exact.copy()
        exact_now.accrue(now)
        owed = [0] * (len(tokens) + 1)
        pending = [m.pending_sum(token, now) for token in tokens]  # the same for every depositor
        for d, who in enumerate(people):
            if compounded[d] != m.compounded(who):
                raise Mismatch(f"compounded deposit of {who}: contract {compounded[d]} != mirror {m.compounded(who)}")
            self._within("deposit", who, None, compounded[d], exact_now.compounded(who), exact_now.deposit_bound(who))
            owed[0] += compounded[d]
            for t, token in enumerate(tokens):
                gain, kept = gains[d * len(tokens) + t], deferred[d * len(tokens) + t]
                want = (m.gain(who, token, now, pending[t]), m.deferred.get((who, token), 0))
                if (gain, kept) != want:
                    raise Mismatch(f"gain, deferred of {who} in {token}: contract {(gain, kept)} != mirror {want}")
                # owed = earned - paid, so owed <= exact owed reads got + paid <= earned.
                earned, paid = exact_now.gain_terms(who, token)
                if isinstance(paid, int):
                    self._within("gain", who, token, gain + kept + paid, earned, exact_now.gain_bound(who, token))
                else:
                    self._within("gain", who, token, gain + kept, earned - paid, exact_now.gain_bound(who, token))
                owed[t + 1] += gain + kept
        if owed[0] > m.total_deposits:
            raise Mismatch(f"compounded deposits {owed[0]} exceed total {m.total_deposits}")
        for t, token in enumerate(tokens):
            if unreleased[t] != m.stream(token)[0]:
                raise Mismatch(f"stream of {token}: contract unreleased {unreleased[t]} != mirror {m.stream(token)[0]}")
            streaming = m.unreleased_at(token, now)
            if streaming > exact_now.unreleased(token):
                raise Mismatch(
                    f"stream of {token} holds back {streaming}, "
                    f"more than the ideal {float(exact_now.unreleased(token))}"
                )
            owed[t + 1] += streaming
        for i, (owing, balance) in enumerate(zip(owed, balances, strict=True)):
            if owing > balance:
                raise Mismatch(f"insolvent in token #{i} (0 = debt): owes {owing} (streams included), holds {balance}")

    def _within(self, kind: str, who: str, token: str | None, got: int, exact: Fraction, bound: int) -> None:
        # In integers over the exact value's denominator: Fraction arithmetic at every check of
        # every depositor and token was the largest cost of a check after the EVM itself.
        n, d = exact.numerator, exact.denominator
        excess = n - got * d  # the shortfall exact - got, times d
        if excess < 0:
            raise Mismatch(f"{kind} of {who} {token or ''}: contract {got} above exact {float(exact)}")
        if excess > bound * d:
            raise Mismatch(f"{kind} of {who} {token or ''}: shortfall {excess / d} above bound {float(bound)}")
        worst = self.worst.deposit if kind == "deposit" else self.worst.gain
        if excess * worst.denominator <= worst.numerator * d:
            return  # at most the worst so far, which is on the 1 / WORST_RESOLUTION grid already
        rounded = Fraction(-(-excess * WORST_RESOLUTION // d), WORST_RESOLUTION)  # rounded up
        if kind == "deposit":
            self.worst.deposit = rounded
        else:
            self.worst.gain = rounded
