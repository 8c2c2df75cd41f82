"""Anvil helpers: set-up transactions sent raw from impersonated addresses, ERC20 balances written
straight into storage (Foundry's `deal`), receipts polled without ape, chain snapshots around a
measurement, and a fixed block interval so a seeded history replays exactly."""

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from ape.api.address import BaseAddress
from ape.contracts import ContractInstance
from ape.managers.chain import ChainManager
from ape_foundry.provider import FoundryProvider
from eth_utils import keccak, to_hex

from ..amounts import MAX_UINT

Result = TypeVar("Result")


class RawSender:
    """Fast set-up transactions from any address, mined in a few full blocks: Anvil impersonates
    every sender (no signing, no ape round trips), and automine is off while a batch is sent."""

    def __init__(self, provider: FoundryProvider):
        self.provider = provider
        self.gas_price = provider.make_request("eth_gasPrice", [])  # fixed: the base fee is 0 on ape's Anvil

    def __enter__(self) -> "RawSender":
        self.provider.make_request("anvil_autoImpersonateAccount", [True])
        self.provider.make_request("evm_setAutomine", [False])
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.mine_all()
        finally:
            self.provider.make_request("evm_setAutomine", [True])
            self.provider.make_request("anvil_autoImpersonateAccount", [False])

    def send(self, sender: str, contract: ContractInstance, method: str, *args: int | str, gas: int = 300_000) -> None:
        data = getattr(contract, method).encode_input(*args)
        tx = {"from": sender, "to": contract.address, "data": to_hex(data), "gas": hex(gas), "gasPrice": self.gas_price}
        self.provider.make_request("eth_sendTransaction", [tx])

    def mine_all(self) -> None:
        """Mines blocks until nothing is pending."""
        for _ in range(10_000):
            status = self.provider.make_request("txpool_status", [])
            if int(status["pending"], 16) == 0 and int(status["queued"], 16) == 0:
                return
            self.provider.make_request("evm_mine", [])
        raise RuntimeError("set-up transactions are not being mined")


def mapping_slot(key: str, slot: int) -> int:
    """Storage slot of mapping entry `key` (an address) in the mapping at `slot`."""
    return int.from_bytes(keccak(bytes.fromhex(key[2:].lower().rjust(64, "0")) + slot.to_bytes(32, "big")), "big")


def deal(
    provider: FoundryProvider,
    token: ContractInstance,
    holders: list[str],
    amount: int,
    spenders: Iterable[BaseAddress] = (),
) -> None:
    """Writes `amount` of MockERC20 `token` (OpenZeppelin 5 ERC20: _balances at slot 0, _allowances
    at slot 1, _totalSupply at slot 2) to each holder, with unlimited approvals for `spenders`,
    straight into storage, and checks the first holder through the token's views."""
    spenders = list(spenders)

    def store(slot: int, value: int) -> None:
        provider.make_request("anvil_setStorageAt", [token.address, hex(slot), "0x" + f"{value:064x}"])

    for who in holders:
        store(mapping_slot(who, 0), amount)
        for spender in spenders:
            store(mapping_slot(spender.address, mapping_slot(who, 1)), MAX_UINT)  # _allowances[who][spender]
    supply = int(provider.make_request("eth_getStorageAt", [token.address, "0x2", "latest"]), 16)
    store(2, supply + amount * len(holders))
    if holders:
        who = holders[0]
        assert token.balanceOf(who) == amount, "MockERC20 storage layout changed"
        assert all(token.allowance(who, spender) == MAX_UINT for spender in spenders), "MockERC20 layout changed"


def wait_receipt(provider: FoundryProvider, tx_hash: str, timeout: float = 60) -> dict[str, Any]:
    """The raw receipt of `tx_hash` (JSON-RPC fields, hex strings), polled every 20 ms."""
    deadline = time.time() + timeout
    while (receipt := provider.make_request("eth_getTransactionReceipt", [tx_hash])) is None:
        if time.time() > deadline:
            raise RuntimeError(f"transaction {tx_hash} not mined")
        time.sleep(0.02)
    return receipt


def on_snapshot(chain: ChainManager, action: Callable[[], Result]) -> Result:
    """Runs `action`, then restores the chain to before it: every measurement sees the same state."""
    snapshot = chain.snapshot()
    try:
        return action()
    finally:
        chain.restore(snapshot)


@contextmanager
def fixed_block_interval(chain: ChainManager, seconds: int) -> Iterator[None]:
    """Every block `seconds` after the last, not by the wall clock, so a seed replays the same
    history (stream releases depend on timestamps); time jumps still set the next one."""
    chain.provider.make_request("anvil_setBlockTimestampInterval", [seconds])
    try:
        yield
    finally:
        chain.provider.make_request("anvil_removeBlockTimestampInterval", [])
