"""The chain under the Harness's hot path, as one small interface with two engines.

An `Engine` sends a call from an address (a mined block per send, its status, gas, timestamp and
raw logs back), `eth_call`s a view and reads the latest block's timestamp:

- `AnvilEngine`: raw JSON-RPC to ape's Anvil over a connection of its own (`eth_sendTransactionSync`
  from the sender, unlocked or impersonated once, fixed gas). A revert is replayed as an `eth_call`
  on the block it reverted in, and its data decoded with the contracts' ABIs (`CustomErrors`).
- `RevmEngine`: pyrevm in process, with the compiled bytecode of ape's artifacts deployed into it.
  A revert's custom error is decoded from its data the same way. It also stands in for
  what ape's chain, project and contract objects do for the simulation (`Chain`, `Project`,
  `Contract`: deployments, calls from any address, time), so code above sees no difference.
  Its gas differs from Anvil's (revm keeps slots warm across calls): Anvil stays the only source
  of gas figures.

`open_engine(name, chain, project, block_time)` picks one by name ("anvil" or "revm").
"""

import functools
import http.client
import json
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import pyrevm
from ape.api.address import BaseAddress
from ape.exceptions import ContractLogicError
from ape.managers.chain import ChainManager
from ape.managers.project import ProjectManager
from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

from .anvil import fixed_block_interval

RPC_TIMEOUT = 120  # seconds for one JSON-RPC request to Anvil
RAW_GAS = 15_000_000  # the gas limit per transaction (half of Anvil's block)
ENGINES = ("anvil", "revm")
REVM_START = 1_700_000_000  # the first block's timestamp in revm (histories depend only on differences)
VIEW_CALLER = "0x" + "00" * 20  # the sender of view calls in revm (an address without code)
Log = tuple[str, list[bytes], bytes]  # (emitter, checksummed; topics; data)


@dataclass
class Receipt:
    """A mined send: status, gas, the block timestamp, its logs and (revm) the revert data."""

    status: bool
    gas_used: int
    timestamp: int
    logs: list[Log]
    output: bytes = b""  # revm: the revert data


class Engine(Protocol):
    def send(self, sender: str, to: str, data: bytes) -> Receipt: ...

    def call(self, to: str, data: bytes) -> bytes: ...

    def latest_timestamp(self) -> int: ...

    def reverted(self, contract: Any, method: str, args: list, sender: BaseAddress, receipt: Receipt) -> Exception:
        """The error a reverted `contract.method(*args)` from `sender` raises."""
        ...


class RpcError(RuntimeError):
    """Anvil answered a JSON-RPC request with an error (`error`: its code, message and data)."""

    def __init__(self, method: str, error: dict[str, Any]):
        super().__init__(f"{method}: {error}")
        self.error = error


def _bytes(value: str) -> bytes:
    return bytes.fromhex(value[2:])


def _quantity(value: int | str) -> int:
    """A JSON-RPC quantity: hex text, or an int where ape's provider already converted it."""
    return value if isinstance(value, int) else int(value, 16)


class CustomErrors:
    """Custom errors by selector, learnt from contract types. A revert's data becomes an exception
    named after its error, with its decoded arguments (ape's custom errors are named the same way),
    so callers check `type(err).__name__` on any engine."""

    def __init__(self) -> None:
        self._by_selector: dict[bytes, tuple[str, list[str]]] = {}  # selector -> name, argument types
        self._classes: dict[str, type[ContractLogicError]] = {}
        self._learnt: set[str] = set()  # contract type names

    def learn(self, contract_type: Any) -> None:
        if contract_type.name in self._learnt:
            return
        self._learnt.add(contract_type.name)
        for abi in contract_type.errors:
            self._by_selector[keccak(text=abi.selector)[:4]] = (abi.name, [i.canonical_type for i in abi.inputs])

    def exception(self, contract: Any, method: str, args: list, output: bytes) -> ContractLogicError:
        self.learn(contract.contract_type)
        if output[:4] not in self._by_selector:
            return ContractLogicError(
                f"{method}{tuple(args)} reverted: 0x{output.hex()}", contract_address=contract.address
            )
        name, types = self._by_selector[output[:4]]
        values = tuple(decoded(v) for v in decode(types, output[4:]))
        error = self._classes.setdefault(name, type(name, (ContractLogicError,), {}))
        return error(f"{name}{values}", contract_address=contract.address)


class AnvilEngine:
    """Anvil over one kept-alive HTTP connection of its own (http.client): web3's and requests'
    per-request work (proxy lookups in the environment, middleware) cost more than Anvil's."""

    def __init__(self, provider: Any):
        url = urllib.parse.urlsplit(provider.http_uri)
        self._connection = http.client.HTTPConnection(url.hostname, url.port, timeout=RPC_TIMEOUT)
        self._path, self._id = url.path or "/", 0
        self._senders: set[str] = set()  # impersonated
        self.errors = CustomErrors()

    def rpc(self, method: str, params: list) -> Any:
        """One JSON-RPC request; a dropped keep-alive connection is reopened once. An error reply
        raises RpcError."""
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        for attempt in range(2):
            try:
                self._connection.request("POST", self._path, body, {"Content-Type": "application/json"})
                reply = json.loads(self._connection.getresponse().read())
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                self._connection.close()
                if attempt:
                    raise
        if "error" in reply:
            raise RpcError(method, reply["error"])
        return reply["result"]

    @property
    def pending_timestamp(self) -> int:
        return _quantity(self.rpc("eth_getBlockByNumber", ["pending", False])["timestamp"])

    @pending_timestamp.setter
    def pending_timestamp(self, value: int) -> None:
        self.rpc("evm_setNextBlockTimestamp", [value])

    def mine(self) -> None:
        self.rpc("evm_mine", [])

    def snapshot(self) -> str:
        return self.rpc("evm_snapshot", [])

    def restore(self, snapshot: str) -> None:
        if not self.rpc("evm_revert", [snapshot]):
            raise RuntimeError(f"Anvil has no snapshot {snapshot}")

    def set_balance(self, address: str, amount: int) -> None:
        self.rpc("anvil_setBalance", [address, hex(amount)])

    def send(self, sender: str, to: str, data: bytes) -> Receipt:
        if sender not in self._senders:
            self.rpc("anvil_impersonateAccount", [sender])
            self._senders.add(sender)
        tx = {"from": sender, "to": to, "data": "0x" + data.hex(), "gas": hex(RAW_GAS)}
        receipt = self.rpc("eth_sendTransactionSync", [tx])
        logs = [
            (checksummed(log["address"]), [_bytes(t) for t in log["topics"]], _bytes(log["data"]))
            for log in receipt["logs"]
        ]
        status = _quantity(receipt["status"]) == 1
        return Receipt(status, _quantity(receipt["gasUsed"]), _quantity(receipt["blockTimestamp"]), logs)

    def call(self, to: str, data: bytes) -> bytes:
        return _bytes(self.rpc("eth_call", [{"to": to, "data": "0x" + data.hex()}, "latest"]))

    def latest_timestamp(self) -> int:
        return _quantity(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"])

    def reverted(self, contract: Any, method: str, args: list, sender: BaseAddress, receipt: Receipt) -> Exception:
        """Replays the send as an `eth_call` on the block it reverted in (the same state, as it
        changed nothing, and the same timestamp), whose error reply carries the revert data."""
        data = getattr(contract, method).encode_input(*args)
        tx = {"from": sender.address, "to": contract.address, "data": "0x" + data.hex(), "gas": hex(RAW_GAS)}
        try:
            self.rpc("eth_call", [tx, "latest"])
        except RpcError as err:
            return self.errors.exception(contract, method, args, _bytes(err.error.get("data") or "0x"))
        return AssertionError(f"{method}{tuple(args)} reverted as a transaction but not as a call")


def _address(value: Any) -> Any:
    """An ABI argument: accounts and contracts by their address, lists element by element."""
    if isinstance(value, list | tuple):
        return [_address(v) for v in value]
    return getattr(value, "address", value)


# Checksums, cached: a history has few addresses, and checksumming each decoded one costs more than the EVM.
checksummed = functools.cache(to_checksum_address)


def decoded(value: Any) -> Any:
    """An eth_abi value: its address strings are lower case; ape's (and the models' keys) checksummed."""
    return checksummed(value) if isinstance(value, str) and value.startswith("0x") else value


def _called(engine: Engine, address: str, abi: Any, data: bytes) -> tuple:
    """A view's return values: `data` sent as one `engine.call`, decoded with its `abi`."""
    return tuple(decoded(v) for v in decode([o.canonical_type for o in abi.outputs], engine.call(address, data)))


def view(engine: Engine, contract: Any, method: str, *args: Any) -> Any:
    """`contract.method(*args)`, a view with one return value, as one `engine.call` (a raw
    `eth_call` on Anvil: an ape contract call costs several requests and its decoding, about 9 ms),
    decoded with the method's ABI (the overload with as many inputs as `args`)."""
    handler = getattr(contract, method)
    [abi] = [abi for abi in handler.abis if len(abi.inputs) == len(args)]
    [value] = _called(engine, contract.address, abi, handler.encode_input(*args))
    return value


class RevmEngine:
    """pyrevm, one block per send, blocks `block_time` apart unless `pending_timestamp` is set."""

    def __init__(self, project: ProjectManager, block_time: int):
        self.evm = pyrevm.EVM()
        self.block_time = block_time
        self.timestamp, self.number = REVM_START, 0
        self._pending: int | None = None
        self.errors = CustomErrors()
        self.project = Project(self, project)
        self.chain = Chain(self)

    @property
    def pending_timestamp(self) -> int:
        return self.timestamp + self.block_time if self._pending is None else self._pending

    @pending_timestamp.setter
    def pending_timestamp(self, value: int) -> None:
        self._pending = value

    def mine(self) -> None:
        self.timestamp, self.number, self._pending = self.pending_timestamp, self.number + 1, None
        self._set_block_env()

    def _set_block_env(self) -> None:
        self.evm.set_block_env(pyrevm.BlockEnv(number=self.number, timestamp=self.timestamp, gas_limit=2**63))

    def set_balance(self, address: str, amount: int) -> None:
        self.evm.set_balance(address, amount)

    def snapshot(self) -> tuple:
        """The state (a journal checkpoint) and the block clock, for `restore`."""
        return self.evm.snapshot(), self.timestamp, self.number, self._pending

    def restore(self, snapshot: tuple) -> None:
        checkpoint, self.timestamp, self.number, self._pending = snapshot
        self.evm.revert(checkpoint)
        self._set_block_env()

    def deploy(self, sender: str, code: bytes) -> str:
        self.mine()
        return checksummed(self.evm.deploy(sender, code, gas=RAW_GAS))

    def send(self, sender: str, to: str, data: bytes) -> Receipt:
        self.mine()
        try:
            self.evm.message_call(sender, to, data, gas=RAW_GAS)
        except RuntimeError as err:  # pyrevm reports a revert or halt only in the message
            output = re.search(r"output: 0x([0-9a-f]*)", str(err))
            gas = re.search(r"gas_used: (\d+)", str(err))
            return Receipt(
                False, int(gas[1]) if gas else RAW_GAS, self.timestamp, [], bytes.fromhex(output[1] if output else "")
            )
        result = self.evm.result
        logs = [(checksummed(log.address), *log.data) for log in result.logs]
        return Receipt(True, result.gas_used, self.timestamp, [(a, list(t), d) for a, t, d in logs])

    def call(self, to: str, data: bytes) -> bytes:
        # Inside a checkpoint it reverts: pyrevm 0.3.7 keeps every journal entry of a history
        # (each slot a view warms included) until a revert, and the lens's reads made a 10,000-step
        # history grow by about 90 MB per 1,000 steps.
        checkpoint = self.evm.snapshot()
        try:
            return bytes(self.evm.message_call(VIEW_CALLER, to, data, gas=RAW_GAS, is_static=True))
        finally:
            self.evm.revert(checkpoint)

    def latest_timestamp(self) -> int:
        return self.timestamp

    def reverted(self, contract: Any, method: str, args: list, sender: BaseAddress, receipt: Receipt) -> Exception:
        return self.errors.exception(contract, method, args, receipt.output)


class Method:
    """A contract method in revm, called as on ape's contract objects: `method(*args, sender=...)`
    sends (one block) or, for a view, returns the decoded result; `encode_input`, `abis`."""

    def __init__(self, contract: "Contract", name: str):
        self.contract = contract
        self.abis = [abi for abi in contract.contract_type.methods if abi.name == name]

    def _abi(self, args: tuple) -> Any:
        [abi] = [abi for abi in self.abis if len(abi.inputs) == len(args)]
        return abi

    def encode_input(self, *args: Any) -> bytes:
        abi = self._abi(args)
        return keccak(text=abi.selector)[:4] + encode([i.canonical_type for i in abi.inputs], _address(list(args)))

    def __call__(self, *args: Any, sender: BaseAddress | None = None) -> Any:
        abi, engine, data = self._abi(args), self.contract.engine, self.encode_input(*args)
        if abi.stateMutability in ("view", "pure"):
            values = _called(engine, self.contract.address, abi, data)
            return values[0] if len(values) == 1 else values
        receipt = engine.send(sender.address, self.contract.address, data)
        if not receipt.status:
            raise engine.reverted(self.contract, abi.name, list(args), sender, receipt)
        return receipt


class Contract:
    """A deployed contract in revm, as ape's ContractInstance looks to the simulation."""

    def __init__(self, engine: RevmEngine, address: str, contract_type: Any):
        self.engine, self.address, self.contract_type = engine, address, contract_type
        engine.errors.learn(contract_type)  # a revert anywhere below may carry this contract's errors

    def __getattr__(self, name: str) -> Method:
        if name.startswith("_"):
            raise AttributeError(name)
        return Method(self, name)


class Container:
    """A compiled contract for revm: `deploy(*args, sender=...)` its bytecode, or `at(address)`."""

    def __init__(self, engine: RevmEngine, contract_type: Any):
        self.engine, self.contract_type = engine, contract_type

    def deploy(self, *args: Any, sender: BaseAddress) -> Contract:
        code = _bytes(self.contract_type.deployment_bytecode.bytecode)
        if self.contract_type.constructor.inputs:
            code += encode([i.canonical_type for i in self.contract_type.constructor.inputs], _address(list(args)))
        return self.at(self.engine.deploy(sender.address, code))

    def at(self, address: str) -> Contract:
        return Contract(self.engine, address, self.contract_type)


class Project:
    """ape's project, its contracts deployed into revm."""

    def __init__(self, engine: RevmEngine, project: ProjectManager):
        self.engine, self.project = engine, project

    def __getattr__(self, name: str) -> Container:
        if name.startswith("_"):
            raise AttributeError(name)
        return Container(self.engine, getattr(self.project, name).contract_type)


class Chain:
    """ape's chain as the simulation uses it: the next block's timestamp, mining, balances, through
    the engine; anything else from `ape_chain` (on Anvil: ape's own chain, for the ape path)."""

    def __init__(self, engine: "RevmEngine | AnvilEngine", ape_chain: ChainManager | None = None):
        self.engine, self.ape_chain = engine, ape_chain
        self.provider = engine  # `chain.provider.set_balance`, as on Anvil

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or self.ape_chain is None:
            raise AttributeError(name)
        return getattr(self.ape_chain, name)

    @property
    def pending_timestamp(self) -> int:
        return self.engine.pending_timestamp

    @pending_timestamp.setter
    def pending_timestamp(self, value: int) -> None:
        self.engine.pending_timestamp = value

    def mine(self) -> None:
        self.engine.mine()

    def snapshot(self) -> Any:
        return self.engine.snapshot()

    def restore(self, snapshot: Any) -> None:
        self.engine.restore(snapshot)


@contextmanager
def open_engine(
    name: str, chain: ChainManager, project: ProjectManager, block_time: int
) -> Iterator[tuple[Any, Any, Engine]]:
    """(chain, project, engine) for engine `name`, blocks `block_time` apart: on Anvil, ape's own
    project and a `Chain` whose time goes through the engine (ape's chain behind it for the rest);
    revm's stand-ins for both otherwise."""
    if name == "anvil":
        with fixed_block_interval(chain, block_time):
            engine = AnvilEngine(chain.provider)
            yield Chain(engine, chain), project, engine
        return
    engine = RevmEngine(project, block_time)
    yield engine.chain, engine.project, engine
