"""The gas measurements behind `ape run gas`: the O(1) StabilityPool against the O(n)
NaiveStabilityPool as depositors grow, each operation against Liquity v2's, and SumStaking (Sum)
against the pool (Product-Sum) as a staking contract.

Conditions (chosen to match what Liquity v2's measurements would see, and never cheaper for us):
- The pool already has other depositors, so its debt-token balance and total deposits are nonzero
  (Liquity's SP has deposits when users provide to it).
- Every depositor holds debt tokens beyond what it deposits and a nonzero balance of every gain
  token before any payout (in Liquity the depositors are trove owners holding collateral), so a
  payout to them changes a nonzero balance (5,000 gas), not a zero one (22,100).
- The liquidator already holds debt tokens and collateral: the pool sends it the offset debt (Liquity
  burns it, which also changes nonzero balances/supply) and pulls collateral it holds.
- "offset" is a liquidation in a pool that has had one before (its collateral balance and S at the
  current scale are nonzero). The first credit of a token is shown separately: it writes S and the
  pool's balance of that token from zero.
- The per-operation rows against Liquity v2 (anchor_rows, ANCHOR_CONDITIONS) are issue 14's
  like-for-like pairing: one collateral token receives the liquidations, offset goes through a
  minimal caller contract (OffsetCaller), and the claim row is bold's `withdrawFromSP(0, true)` (a
  live deposit settled), not `claimAllCollGains`. With 3 and 8 tokens registered the others never
  receive a gain: what an idle registered token costs.
- Mock tokens are plain OpenZeppelin 5.1 ERC20s (MockERC20) with an unlimited approval (which OZ
  does not decrement), compiled like the pool (solc 0.8.24, 200 runs, cancun).

Speed and memory: the sweep's filler depositors are plain addresses. Their ETH, debt tokens, WETH
and approvals are written straight into storage (anvil_setBalance / anvil_setStorageAt, like
Foundry's `deal`), and their two deposits are sent as impersonated transactions, mined a batch at
a time. Anvil (started by ape with --steps-tracing) keeps a step trace of every mined transaction in
memory, so the fewer and smaller the set-up transactions, the better: 1000 depositors peak at about
3 GB of Anvil memory (about 1 MB per depositor, plus the naive offsets' traces). Every measured
StabilityPool transaction goes through ape from a test account.
"""

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import click
from ape.api import AccountAPI, ReceiptAPI
from ape.contracts import ContractInstance
from ape.managers.chain import ChainManager
from ape.managers.project import ProjectManager
from eth_utils import keccak, to_checksum_address, to_hex

from .. import split
from ..amounts import E18, MAX_UINT
from ..report import Cell, print_table, pyplot, save_figure
from .anvil import RawSender, deal, on_snapshot, wait_receipt
from .deploy import GAIN_FUNDS, GAIN_TOKEN_SPECS, Roles, create_pool, deploy_tokens, fund
from .splitter import DISTRIBUTOR, account_names, deploy_plan, measure_gas

BLOCK_GAS_LIMIT = 30_000_000
FILLER_DEPOSIT = 1000 * E18
BATCH = 100  # fillers set up per batch of blocks
RAISED_LIMIT = 100 * BLOCK_GAS_LIMIT  # to estimate what a naive offset above the limit would need
MAX_MINED = 4 * BLOCK_GAS_LIMIT  # largest naive offset mined under the raised limit (memory)

Series = defaultdict[str, list[int | None]]  # each measurement -> its gas per size (None: not measured)
Fits = dict[str, tuple[float, float]]  # naive offset kind -> (a, b) of the least-squares gas = a + b*n
Result = TypeVar("Result")


def sweep_sizes(max_depositors: int) -> list[int]:
    sizes, n = [], 1
    while n <= max_depositors:
        sizes.append(n)
        n *= 10
    if sizes[-1] != max_depositors:
        sizes.append(max_depositors)
    return sizes


def filler(i: int) -> str:
    return to_checksum_address(keccak(text=f"gas.py filler {i}")[12:])


def out_of_gas(err: Exception) -> bool:
    return "gas" in f"{type(err).__name__} {err}".lower()


def fit_line(points: list[tuple[int, int]]) -> tuple[float, float]:
    """Least squares gas = a + b*n."""
    k = len(points)
    sx = sum(x for x, _ in points)
    sy = sum(y for _, y in points)
    sxx = sum(x * x for x, _ in points)
    sxy = sum(x * y for x, y in points)
    b = (k * sxy - sx * sy) / (k * sxx - sx * sx)
    return (sy - b * sx) / k, b


class Sweep:
    """One StabilityPool (1 collateral token) and one NaiveStabilityPool with the same depositors."""

    KINDS = ("1st", "2nd")  # the naive pool's first offset after the deposits, and the next one

    def __init__(self, project: ProjectManager, chain: ChainManager, roles: Roles):
        self.chain, self.provider = chain, chain.provider
        self.liquidator, self.me = roles.liquidator, roles.depositors[0]
        self.debt, (self.weth,) = deploy_tokens(project, roles.owner, "BSD", GAIN_TOKEN_SPECS[:1])
        self.pool = create_pool(project, roles, self.debt, [self.weth], depositors=[self.me])
        self.naive = project.NaiveStabilityPool.deploy(self.debt, self.weth, sender=roles.owner)
        self.debt.approve(self.naive, MAX_UINT, sender=self.me)
        self.weth.approve(self.naive, MAX_UINT, sender=self.liquidator)
        for token in (self.debt, self.weth):  # everyone already holds some of every token
            for who in (self.liquidator, self.me):
                token.mint(who, E18, sender=who)
        self.count = 0
        # Steady state: the pools have had a liquidation before the sweep (S at the current scale and
        # the pools' collateral balances are nonzero, as in a live pool).
        self.add_depositors(1)
        d, c = self.liquidation()
        self.pool.offset(d, self.weth, c, sender=self.liquidator)
        self.naive.offset(d, c, sender=self.liquidator)

    def add_depositors(self, k: int) -> None:
        """Adds `k` depositors to both pools. The first one is a test account (it does the measured
        operations); the rest are fillers: ETH, debt tokens, WETH and approvals written straight into
        storage (like Foundry's `deal`), then their two deposits sent as impersonated transactions in
        one batch. Whether every one succeeded is checked by `verify`, from the pools' totals."""
        if self.count == 0:
            self.pool.deposit(FILLER_DEPOSIT, sender=self.me)
            self.naive.deposit(FILLER_DEPOSIT, sender=self.me)
            self.count, k = 1, k - 1
        fillers = [filler(self.count + i) for i in range(k)]
        for who in fillers:
            self.provider.set_balance(who, 100 * E18)
        deal(self.provider, self.debt, fillers, 3 * FILLER_DEPOSIT, spenders=[self.pool, self.naive])
        deal(self.provider, self.weth, fillers, E18)
        with RawSender(self.provider) as raw:
            for who in fillers:
                raw.send(who, self.pool, "deposit", FILLER_DEPOSIT)
                raw.send(who, self.naive, "deposit", FILLER_DEPOSIT)
        self.count += k

    def verify(self) -> None:
        assert self.naive.depositorCount() == self.count
        assert self.pool.totalDeposits() == self.naive.totalDeposits() == self.count * FILLER_DEPOSIT - 10 * E18

    def liquidation(self) -> tuple[int, int]:
        return 10 * E18, E18 // 10  # 10 BSD for 0.1 WETH

    def measure_pool(self) -> dict[str, int]:
        """The StabilityPool's offset, then the test account's top-up, partial withdrawal and claim,
        each after a liquidation so that it pays a gain."""
        pool, liq, me, weth = self.pool, self.liquidator, self.me, self.weth

        def run() -> dict[str, int]:
            d, c = self.liquidation()
            gas = {"offset": pool.offset(d, weth, c, sender=liq).gas_used}
            gas["top-up"] = pool.deposit(E18, sender=me).gas_used
            pool.offset(d, weth, c, sender=liq)
            gas["withdraw"] = pool.withdraw(E18, sender=me).gas_used
            pool.offset(d, weth, c, sender=liq)
            gas["claim"] = pool.claim(sender=me).gas_used
            return gas

        return on_snapshot(self.chain, run)

    # The naive offsets go straight to Anvil, not through ape: ape answers a failed transaction by
    # fetching its step trace, which for a 30M-gas loop is gigabytes. Anvil also keeps the step trace
    # of every mined transaction in memory (about 14 MB per million gas), so a transaction above the
    # limit is only mined when its state is needed next, and only up to MAX_MINED gas.
    def _naive_tx(self, gas: int) -> dict[str, str]:
        d, c = self.liquidation()
        data = to_hex(self.naive.offset.encode_input(d, c))
        return {"from": self.liquidator.address, "to": self.naive.address, "data": data, "gas": hex(gas)}

    def _naive_send(self, gas: int) -> tuple[int, bool]:
        """Sends a naive offset with gas limit `gas`: (gas used, succeeded), from its receipt."""
        tx_hash = self.provider.make_request("eth_sendTransaction", [self._naive_tx(gas)])
        receipt = wait_receipt(self.provider, tx_hash)
        return int(receipt["gasUsed"], 16), int(receipt["status"], 16) == 1

    def _naive_estimate(self, gas: int) -> int | None:
        """The gas a naive offset needs, or None if more than `gas` (or the block gas limit)."""
        try:
            return int(self.provider.make_request("eth_estimateGas", [self._naive_tx(gas)]), 16)
        except Exception as err:  # only out-of-gas is expected; anything else is re-raised
            if not out_of_gas(err):
                raise
            return None

    def _raised(self, action: Callable[[], Result]) -> Result:
        """Runs `action` with a block gas limit far above the real one."""
        self.provider.set_block_gas_limit(RAISED_LIMIT)
        self.chain.mine()
        try:
            return action()
        finally:
            self.provider.set_block_gas_limit(BLOCK_GAS_LIMIT)
            self.chain.mine()

    def measure_naive(self) -> dict[str, tuple[int | None, bool]]:
        """Two naive offsets in a row, each sent at the block gas limit: (gas used, True). One that
        runs out of gas there is caught (a failed receipt), and what it would need is estimated
        under a raised limit: (estimate, False). None: not measured (the previous one too large to
        mine)."""

        def run() -> dict[str, tuple[int | None, bool]]:
            result: dict[str, tuple[int | None, bool]] = dict.fromkeys(self.KINDS, (None, False))
            for i, kind in enumerate(self.KINDS):
                gas, ok = self._naive_send(BLOCK_GAS_LIMIT)
                if ok:
                    result[kind] = (gas, True)
                    continue
                # Out of gas (in the loop, or in the token transfers after it, which then revert):
                # it must succeed under a raised limit.
                need = self._raised(lambda: self._naive_estimate(RAISED_LIMIT))
                if need is None:
                    raise RuntimeError(f"naive offset fails even with {RAISED_LIMIT:,} gas")
                result[kind] = (need, False)
                if i + 1 < len(self.KINDS):  # the next one needs this one's state
                    if need > MAX_MINED:
                        break
                    gas, ok = self._raised(lambda: self._naive_send(RAISED_LIMIT))
                    assert ok
            return result

        return on_snapshot(self.chain, run)

    def naive_fits(self) -> bool:
        """Does the naive pool's first offset fit the block gas limit at the current size? Near the
        limit the estimate can also fail as a revert (the token transfers at the end get too little
        gas), so a failure counts as "does not fit" only if the offset succeeds under a raised limit."""
        try:
            return self._naive_estimate(BLOCK_GAS_LIMIT) is not None
        except Exception:  # re-raised below unless it is the expected one
            if self._raised(lambda: self._naive_estimate(RAISED_LIMIT)) is None:
                raise
            return False


def crossing_at(a: float, b: float) -> float:
    return (BLOCK_GAS_LIMIT - a) / b


def naive_cell(gas: int | None, fits: bool) -> str:
    if gas is None:
        return "-"
    return f"{gas:,}" if fits else f"OUT OF GAS (needs {gas:,})"


def depositor_sweep(
    project: ProjectManager, chain: ChainManager, roles: Roles, max_depositors: int
) -> tuple[list[int], Series, Fits]:
    """The sweep's table and fits, printed; returns the sizes, the gas per measurement and the fits."""
    sweep = Sweep(project, chain, roles)
    rows: list[list[Cell]] = []
    sizes: list[int] = []
    series: Series = defaultdict(list)
    fits: Fits = {}  # over the sizes measured so far
    # Around the predicted crossing of the first naive offset: the last size it fits, the first it does not.
    scan: dict[str, int | None] = {"fits": None, "fails": None}
    started = time.time()
    with click.progressbar(length=max_depositors, label="depositors", show_pos=True) as bar:
        bar.update(1)
        for size in sweep_sizes(max_depositors):
            while sweep.count < size:
                # Near the crossing predicted from the sizes measured so far, one depositor at a
                # time, asking at every size whether the naive pool's first offset still fits.
                start = int(crossing_at(*fits["1st"])) - 2 if "1st" in fits and scan["fails"] is None else None
                near = start is not None and sweep.count >= start
                step = 1 if near else min(BATCH, size - sweep.count, max(1, (start or size) - sweep.count))
                sweep.add_depositors(step)
                bar.update(step)
                if near:
                    scan["fits" if sweep.naive_fits() else "fails"] = sweep.count
            sweep.verify()
            sp = sweep.measure_pool()
            naive = sweep.measure_naive()
            sizes.append(size)
            for key, gas in sp.items():
                series[f"SP {key}"].append(gas)
            for kind, (naive_gas, _) in naive.items():
                series[f"naive offset ({kind})"].append(naive_gas)
            ratio = f"{naive['1st'][0] / sp['offset']:,.1f}x" if naive["1st"][0] else "-"
            rows.append(
                [
                    size,
                    *(f"{sp[k]:,}" for k in ("offset", "top-up", "withdraw", "claim")),
                    *(naive_cell(*naive[k]) for k in Sweep.KINDS),
                    ratio,
                ]
            )
            for kind in Sweep.KINDS:
                points = [(n, g) for n, g in zip(sizes, series[f"naive offset ({kind})"], strict=True) if g is not None]
                if len(points) >= 2:
                    fits[kind] = fit_line(points)

    print()
    print_table(
        [
            "depositors",
            "SP offset",
            "SP top-up",
            "SP withdraw",
            "SP claim",
            "naive offset (1st)",
            "naive offset (2nd)",
            "naive/SP offset",
        ],
        rows,
        title=f"Gas by number of depositors, one collateral token ({time.time() - started:.0f} s)",
    )
    print(
        f"naive offset (1st): its first liquidation after the deposits (every gain goes from 0 to nonzero); "
        f"(2nd): the next one.\nOUT OF GAS: the transaction, sent with the {BLOCK_GAS_LIMIT:,} block gas limit, "
        f"ran out of gas; 'needs' is eth_estimateGas under a raised limit."
    )
    for kind, (a, b) in fits.items():
        line = (
            f"naive offset ({kind}): gas = {a:,.0f} + {b:,.0f} * n (least squares over the sizes above) "
            f"crosses {BLOCK_GAS_LIMIT:,} at n = {crossing_at(a, b):,.1f}"
        )
        if kind == "1st" and scan["fails"] is not None:
            if scan["fits"] is not None:
                line += (
                    f"; checked one depositor at a time: fits up to n = {scan['fits']}, "
                    f"out of gas from n = {scan['fails']}"
                )
            else:
                line += f"; checked: already out of gas at n = {scan['fails']}"
        elif crossing_at(a, b) > max_depositors:
            line += f" (beyond --max-depositors {max_depositors})"
        print(line)
    print()
    return sizes, series, fits


# ---------------------------------------------------------------------- per-operation anchors
# Liquity v2 (liquity/bold 405f9122, unmodified, solc 0.8.24 solcjs, 200 runs, cancun, OpenZeppelin
# 4.9.5), measured in issue 14 side by side with this pool on one Anvil 1.7.1 node under the
# conditions of ANCHOR_CONDITIONS: whole-transaction gasUsed, except "offset, inner call" (the
# pool's call inside the caller contract). Each row's operation here is the same step.
BOLD_GAS = {
    "first deposit": 120915,
    "first deposit after a liquidation": 140815,
    "top-up after a liquidation, gains paid, S snapshot 0": 146387,
    "top-up after a liquidation, gains paid, S snapshot nonzero": 129287,
    "partial withdrawal, gains paid": 127237,
    "full withdrawal, gains paid": 112597,
    "claim, live deposit": 107234,
    "offset, inner call": 68302,
    "offset, whole tx via the caller": 91622,
    "first liquidation, whole tx": 142922,
    "first deposit into an empty pool": 155115,
    "ERC20 transfer": 34514,
    "ERC20 transferFrom": 37314,
}
DEPOSITOR_OPS = [op for op in BOLD_GAS if not op.startswith(("offset", "first liquidation", "ERC20"))]
TARGET_RATIO = 0.7  # every depositor operation, one collateral token
OFFSET_TARGET = 58_000  # offset, inner call (0.85x bold)
IDLE_TOKEN_TARGET = 2_500  # per registered token with no gain since the snapshot, per depositor op
TOKEN_COUNTS = (1, 3, 8)  # registered gain tokens; only the first one receives gains
ANCHOR_CONDITIONS = (
    "Anvil, whole-transaction gasUsed from receipts; plain OpenZeppelin ERC20 mocks (MockERC20), "
    "unlimited approvals; the pool already holds other deposits; every depositor already holds the "
    "debt token and every gain token (payouts nonzero -> nonzero); one collateral token receives the "
    "liquidations (with 3 and 8 tokens registered the others never receive a gain); offset is called "
    "from OffsetCaller (a minimal liquidator contract that already holds debt and collateral tokens); "
    "'offset, inner call' is gasleft() before minus after the pool's call, in the caller (its event "
    "InnerGas; the whole-tx row includes that event, as bold's did)."
)


TRACED_OPS = ("SLOAD", "SSTORE", "LOG")  # storage and logs, each step's own cost
Breakdown = dict[str, tuple[int, int]]  # opcode class -> (count, gas)


def opcode_breakdown(chain: ChainManager, tx_hash: str) -> Breakdown:
    """Where a transaction's gas goes, from its debug_traceTransaction step trace: SLOAD, SSTORE
    and LOG* (count and gas, warm or cold as charged), and the number of calls it makes."""
    steps = chain.provider.make_request("debug_traceTransaction", [tx_hash, {}])["structLogs"]
    out: dict[str, list[int]] = {op: [0, 0] for op in (*TRACED_OPS, "CALL/STATICCALL")}
    for step in steps:
        op = step["op"]
        kind = next((k for k in TRACED_OPS if op.startswith(k)), None)
        if kind:
            out[kind][0] += 1
            out[kind][1] += step["gasCost"]
        elif op in ("CALL", "STATICCALL"):
            out["CALL/STATICCALL"][0] += 1
    return {k: (count, gas) for k, (count, gas) in out.items()}


def anchor_rows(
    project: ProjectManager,
    chain: ChainManager,
    roles: Roles,
    token_count: int = 1,
    breakdowns: dict[str, Breakdown] | None = None,
) -> dict[str, int]:
    """Each row of BOLD_GAS measured on this pool with `token_count` gain tokens registered (only
    the first receives liquidations), under ANCHOR_CONDITIONS; with `breakdowns`, each row's
    opcode_breakdown goes there too. Restores the chain afterwards."""

    def run() -> dict[str, int]:
        b1, b2, alice, carol = roles.depositors[:4]
        debt, gains = deploy_tokens(project, roles.owner, "BSD", [(f"G{i}", 18) for i in range(token_count)])
        weth = gains[0]
        pool = create_pool(project, roles, debt, gains, depositors=[b1, b2, alice, carol], funded=False)
        fund(debt, [b1, b2, alice, carol], 10**30, pool)
        caller = project.OffsetCaller.deploy(pool, sender=roles.owner)
        pool.setLiquidator(caller, True, sender=roles.owner)
        caller.approvePool(weth, sender=roles.owner)
        weth.mint(caller, 10**30, sender=roles.owner)
        debt.mint(caller, E18, sender=roles.owner)  # the offset debt it is sent joins a nonzero balance
        for token in gains:  # every depositor already holds every gain token
            for who in (b1, b2, alice, carol):
                token.mint(who, E18, sender=who)
        gas: dict[str, int] = {}

        def record(label: str, receipt: ReceiptAPI) -> None:
            gas[label] = receipt.gas_used
            if breakdowns is not None:
                breakdowns[label] = opcode_breakdown(chain, receipt.txn_hash)

        def offset(label: str | None = None) -> None:
            receipt = caller.offset(pool.totalDeposits() // 10, weth, E18 // 10, sender=roles.liquidator)
            if label:
                record(label, receipt)
            if label == "offset, whole tx via the caller":
                (log,) = receipt.decode_logs(caller.InnerGas)
                gas["offset, inner call"] = log.gas

        record("first deposit into an empty pool", pool.deposit(1000 * E18, sender=b1))
        pool.deposit(1000 * E18, sender=b2)
        record("first deposit", pool.deposit(100 * E18, sender=alice))
        offset("first liquidation, whole tx")
        record("first deposit after a liquidation", pool.deposit(100 * E18, sender=carol))
        record("top-up after a liquidation, gains paid, S snapshot 0", pool.deposit(50 * E18, sender=alice))
        offset("offset, whole tx via the caller")
        record("top-up after a liquidation, gains paid, S snapshot nonzero", pool.deposit(50 * E18, sender=carol))
        offset()
        record("partial withdrawal, gains paid", pool.withdraw(50 * E18, sender=alice))
        record("claim, live deposit", pool.claim(sender=carol))
        offset()
        record("full withdrawal, gains paid", pool.withdraw(MAX_UINT, sender=alice))
        record("ERC20 transfer", debt.transfer(b2, E18, sender=b1))
        debt.approve(b1, MAX_UINT, sender=b2)
        record("ERC20 transferFrom", debt.transferFrom(b2, carol, E18, sender=b1))
        return gas

    return on_snapshot(chain, run)


def measure_snapshot(project: ProjectManager, chain: ChainManager, roles: Roles) -> dict[str, dict[str, int]]:
    """Every anchor row with 1 gain token, and the depositor rows with 3 and 8 registered (only one
    receiving gains): the rows of the committed gas snapshot, by token count."""
    return {
        str(n): anchor_rows(project, chain, roles, n)
        if n == 1
        else {op: gas for op, gas in anchor_rows(project, chain, roles, n).items() if op in DEPOSITOR_OPS}
        for n in TOKEN_COUNTS
    }


def idle_token_cost(rows: dict[str, dict[str, int]], op: str, count: int) -> float:
    """Gas per registered token with no gain, in depositor operation `op`, with `count` registered."""
    return (rows[str(count)][op] - rows["1"][op]) / (count - 1)


def anchors_table(rows: dict[str, dict[str, int]]) -> None:
    one = rows["1"]
    table: list[list[Cell]] = []
    for op, anchor in BOLD_GAS.items():
        row: list[Cell] = [op, f"{anchor:,}", f"{one[op]:,}", f"{one[op] / anchor:.2f}"]
        for n in TOKEN_COUNTS[1:]:
            row.append(f"{idle_token_cost(rows, op, n):,.0f}" if op in DEPOSITOR_OPS else "")
        table.append(row)
    print_table(
        ["operation", "Liquity v2 (bold)", "this pool", "ratio", *(f"per idle token, {n}" for n in TOKEN_COUNTS[1:])],
        table,
        align=["<", ">", ">", ">", *(">" for _ in TOKEN_COUNTS[1:])],
        title="Gas per operation against Liquity v2, like for like (one collateral token)",
    )
    print(f"Conditions: {ANCHOR_CONDITIONS}")
    print(
        "'per idle token, k': (gas with k gain tokens registered - gas with 1) / (k - 1), the k - 1 "
        "tokens never receiving a gain."
    )
    over = [f"{op}: {one[op] / BOLD_GAS[op]:.2f}x" for op in DEPOSITOR_OPS if one[op] > TARGET_RATIO * BOLD_GAS[op]]
    over += [
        f"idle token in {op} ({n} registered): {idle_token_cost(rows, op, n):,.0f}"
        for op in DEPOSITOR_OPS
        for n in TOKEN_COUNTS[1:]
        if idle_token_cost(rows, op, n) > IDLE_TOKEN_TARGET
    ]
    if one["offset, inner call"] > OFFSET_TARGET:
        over.append(f"offset, inner call: {one['offset, inner call']:,} > {OFFSET_TARGET:,}")
    print("Targets missed: " + "; ".join(over) if over else "Every target is met.")
    print()


def breakdown_table(project: ProjectManager, chain: ChainManager, roles: Roles) -> None:
    """Where the gas goes (opcode_breakdown): each row with 1 gain token, and what one idle token
    adds to each depositor row (3 registered against 1, halved)."""
    one: dict[str, Breakdown] = {}
    three: dict[str, Breakdown] = {}
    gas_one = anchor_rows(project, chain, roles, 1, one)
    gas_three = anchor_rows(project, chain, roles, 3, three)
    table: list[list[Cell]] = []

    def cells(counts: Iterable[tuple[int, int]], per: int = 1) -> list[str]:
        *stored, (calls, _) = counts  # a call's step cost includes what it forwards: count only
        return [*(f"{n / per:g} / {g / per:,.0f}" for n, g in stored), f"{calls / per:g}"]

    for op in BOLD_GAS:
        if op not in one:
            continue
        table.append([op, f"{gas_one[op]:,}", *cells(one[op].values())])
        if op in DEPOSITOR_OPS:
            per_token = [(three[op][k][0] - one[op][k][0], three[op][k][1] - one[op][k][1]) for k in one[op]]
            table.append(
                [
                    "  + per idle token",
                    f"{(gas_three[op] - gas_one[op]) / 2:,.0f}",
                    *cells(per_token, 2),
                ]
            )
    print_table(
        ["operation (1 gain token)", "gas", *(f"{k} (count / gas)" for k in TRACED_OPS), "CALL/STATICCALL"],
        table,
        align=["<", ">", ">", ">", ">", ">"],
        title="Where the gas goes (debug_traceTransaction steps; CALL/STATICCALL: count only)",
    )


SNAPSHOT_PATH = "snapshots/gas.json"


def write_snapshot(path: Path, rows: dict[str, dict[str, int]]) -> None:
    """The committed snapshot: every row by token count, with the conditions and bold's figures."""
    data = {"conditions": ANCHOR_CONDITIONS, "bold": BOLD_GAS, "gas by gain tokens registered": rows}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def read_snapshot(path: Path) -> dict[str, dict[str, int]]:
    return json.loads(path.read_text())["gas by gain tokens registered"]


SNAPSHOT_TOLERANCE = 0.005  # dearer than the snapshot by more than this fails
SNAPSHOT_STALE = 0.02  # cheaper by more than this asks for the snapshot to be updated


def snapshot_diff(snapshot: dict[str, dict[str, int]], measured: dict[str, dict[str, int]]) -> list[str]:
    """Every row that is dearer than the snapshot by over SNAPSHOT_TOLERANCE, cheaper by over
    SNAPSHOT_STALE (update the snapshot), or in only one of the two."""
    lines = []
    for count in sorted(snapshot.keys() | measured.keys(), key=int):
        old, new = snapshot.get(count, {}), measured.get(count, {})
        for op in [*old, *(op for op in new if op not in old)]:
            where = f"{count} token{'s' if count != '1' else ''}, {op}"
            if op not in new or op not in old:
                lines.append(f"{where}: {'only in the snapshot' if op in old else 'not in the snapshot'}")
            elif new[op] > old[op] * (1 + SNAPSHOT_TOLERANCE):
                lines.append(f"{where}: {old[op]:,} -> {new[op]:,} (+{new[op] / old[op] - 1:.2%}), dearer")
            elif new[op] < old[op] * (1 - SNAPSHOT_STALE):
                lines.append(f"{where}: {old[op]:,} -> {new[op]:,} ({new[op] / old[op] - 1:.2%}), update the snapshot")
    return lines


# ---------------------------------------------------------------------- Sum vs Product-Sum staking
STREAM = (1000 * E18, 7 * 24 * 3600)  # notifyReward(token, amount, duration)


def staking_table(project: ProjectManager, chain: ChainManager, roles: Roles) -> None:
    """SumStaking and a StabilityPool on the same staking and reward tokens, one reward token
    registered in each, the same stream running, two other stakers in, everyone holding every
    token. Each operation runs on both, an hour after the previous one: it releases part of the
    stream (checked: S_Updated) and, all but the first stake and the notification, pays a reward."""
    others, me, dist = roles.depositors[1:3], roles.depositors[3], roles.distributor
    stk, (rwd,) = deploy_tokens(project, roles.owner, "STK", [("RWD", 18)])
    pool = create_pool(project, roles, stk, [rwd], depositors=[*others, me])
    sum_staking = project.SumStaking.deploy(stk, roles.owner, sender=roles.owner)
    sum_staking.registerRewardToken(rwd, sender=roles.owner)
    sum_staking.setRewardDistributor(dist, True, sender=roles.owner)
    fund(rwd, [dist], GAIN_FUNDS, sum_staking)
    for who in (*others, me):
        stk.approve(sum_staking, MAX_UINT, sender=who)
        rwd.mint(who, E18, sender=who)  # everyone already holds some of every token
    contracts: dict[str, tuple[ContractInstance, dict[str, str], str]] = {
        "SumStaking": (sum_staking, {"put": "stake", "take": "unstake"}, "RewardPaid"),
        "StabilityPool": (pool, {"put": "deposit", "take": "withdraw"}, "GainPaid"),
    }
    for c, names, _ in contracts.values():
        for who in others:
            getattr(c, names["put"])(1000 * E18, sender=who)
        c.notifyReward(rwd, *STREAM, sender=dist)
    # (label, pays a reward, sender, method, arguments); "put" and "take" are each contract's names.
    steps: list[tuple[str, bool, AccountAPI, str, tuple[int | ContractInstance, ...]]] = [
        ("first stake/deposit", False, me, "put", (100 * E18,)),
        ("top-up, rewards paid", True, me, "put", (50 * E18,)),
        ("partial unstake/withdraw", True, me, "take", (50 * E18,)),
        ("claim", True, me, "claim", ()),
        ("full unstake/withdraw", True, me, "take", (MAX_UINT,)),
        ("notifyReward, mid-stream", False, dist, "notifyReward", (rwd, *STREAM)),
    ]
    rows: list[list[Cell]] = []
    dearer = []
    for label, pays, who, method, args in steps:
        chain.pending_timestamp += 3600
        gas = {}
        for name, (c, names, paid) in contracts.items():
            receipt = getattr(c, names.get(method, method))(*args, sender=who)
            assert receipt.decode_logs(c.S_Updated), f"{name}, {label}: nothing released"
            assert not pays or any(log.amount for log in receipt.decode_logs(getattr(c, paid))), (
                f"{name}, {label}: no reward paid"
            )
            gas[name] = receipt.gas_used
        ratio = gas["SumStaking"] / gas["StabilityPool"]
        rows.append([label, f"{gas['SumStaking']:,}", f"{gas['StabilityPool']:,}", f"{ratio:.2f}x"])
        if ratio >= 1:
            dearer.append(f"{label} ({ratio:.2f}x)")
    print_table(
        ["operation", "SumStaking", "StabilityPool", "ratio"],
        rows,
        align=["<", ">", ">", ">"],
        title="Sum staking vs Product-Sum pool, one reward token streaming (ratio: Sum / Product-Sum)",
    )
    print(
        f"SumStaking is not cheaper for: {'; '.join(dearer)}"
        if dearer
        else "SumStaking is cheaper for every operation."
    )
    print()


def splitter_table(project: ProjectManager, roles: Roles, plan_path: str = "plans/seed001.json") -> None:
    """RewardSplitter (seed 001) on a plan, by default the article's: one pre-computed
    `distribute` per gain against the same flow sent hop by hop (measure_gas: whole transactions,
    a second round, approvals left out)."""
    plan = split.load_plan(project.path / plan_path)
    people = iter(roles.depositors)
    accounts = [next(people) for _ in account_names(plan)]
    stand_ins = {name: next(people) for name in (DISTRIBUTOR, *plan.stakings)}
    deployment = deploy_plan(project, roles.owner, plan, accounts, payers=[accounts[0]], funds=GAIN_FUNDS)
    gas = measure_gas(project, deployment, plan, stand_ins)
    rows: list[list[Cell]] = [[way, *(f"{gas[way][g.token]:,}" for g in plan.gains)] for way in gas]
    print_table(
        ["distribution", *(g.token for g in plan.gains)],
        rows,
        align=["<", *(">" for _ in plan.gains)],
        title=f"RewardSplitter, {plan_path}: pre-computed vs hop by hop (gas, whole transactions)",
    )
    print()


# ---------------------------------------------------------------------- plot
def write_plot(path: str, sizes: list[int], series: Series, fits: Fits) -> None:
    plt = pyplot()

    n = sizes
    fig, ax = plt.subplots(figsize=(8, 5))
    for key, style in (
        ("SP offset", "o-"),
        ("SP top-up", "s-"),
        ("SP withdraw", "^-"),
        ("SP claim", "v-"),
        ("naive offset (1st)", "D-"),
        ("naive offset (2nd)", "x-"),
    ):
        points = [(x, y) for x, y in zip(n, series[key], strict=True) if y is not None]
        ax.plot([x for x, _ in points], [y for _, y in points], style, label=key)
    xs = [min(n) * (max(n) * 3 / min(n)) ** (i / 200) for i in range(201)]
    for i, (kind, (a, b)) in enumerate(sorted(fits.items())):
        ax.plot(xs, [a + b * x for x in xs], ":", color="grey", label="least-squares line" if i == 0 else None)
        cross = crossing_at(a, b)
        ax.plot([cross], [BLOCK_GAS_LIMIT], "k|", markersize=14)
        ax.annotate(
            f"naive offset ({kind})\nexceeds 30M gas at n = {cross:,.0f}",
            (cross, BLOCK_GAS_LIMIT),
            textcoords="offset points",
            xytext=(-150, 30) if i == 0 else (-90, -60),
            fontsize=8,
            arrowprops={"arrowstyle": "->", "color": "grey"},
        )
    ax.axhline(BLOCK_GAS_LIMIT, color="red", linestyle="--", label="block gas limit (30M)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("depositors in the pool")
    ax.set_ylabel("gas used")
    ax.set_title(
        "StabilityPool (O(1)) vs NaiveStabilityPool (O(n)): gas per transaction\n"
        "(above the block gas limit: what eth_estimateGas says it would need)",
        fontsize=10,
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    save_figure(fig, path)
