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
- Deposits, withdrawals and claims that pay gains pay every registered token (with 3 tokens, every
  token has a gain): the most a depositor pays for.
- Liquity's "claim" (claimAllCollGains) only pays stashed gains of a closed deposit; ours settles a
  live deposit (compounded value, gains, new snapshot), so it does strictly more work.
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

import time
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

import click
from ape.api import AccountAPI
from ape.contracts import ContractInstance
from ape.managers.chain import ChainManager
from ape.managers.project import ProjectManager
from eth_utils import keccak, to_checksum_address, to_hex

from .. import split
from ..amounts import E18, MAX_UINT
from ..report import Cell, print_table, pyplot, save_figure
from .anvil import RawSender, deal, on_snapshot, wait_receipt
from .deploy import GAIN_FUNDS, GAIN_TOKEN_SPECS, Roles, create_pool, deploy_tokens, fund, make_harness
from .splitter import DISTRIBUTOR, account_names, deploy_plan, measure_gas

# Liquity v2 StabilityPool gas per operation (solc 0.8.24, 200 runs, cancun): the anchors the pool
# is measured against. The target is at most TARGET_RATIO of each.
LIQUITY_V2_GAS = {
    "first deposit": 122977,
    "first deposit after a liquidation": 142877,
    "top-up after a liquidation, gains paid": 131228,
    "partial withdrawal": 129178,
    "full withdrawal": 114274,
    "claim": 57939,
    "offset": 67222,
}
TARGET_RATIO = 0.7
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
def operation_gas(
    project: ProjectManager,
    chain: ChainManager,
    roles: Roles,
    debt: ContractInstance,
    gain_tokens: list[ContractInstance],
) -> dict[str, int]:
    """Per-operation gas of a pool with `gain_tokens`, under the conditions in the header. Driven
    through the Harness, so every step is also checked against both models. Each operation's gas
    is the largest of its samples."""
    b1, b2, alice, carol = roles.depositors[1:5]
    pool = create_pool(project, roles, debt, gain_tokens, depositors=[b1, b2, alice, carol])
    h = make_harness(project, chain, roles, pool, debt, gain_tokens)
    for token in gain_tokens:  # everyone already holds some of every token
        for who in (b1, b2, alice, carol):
            token.mint(who, 10 ** token.decimals(), sender=who)
    debt.mint(roles.liquidator, E18, sender=roles.liquidator)

    def offsets(label: str, tokens: list[ContractInstance] = gain_tokens) -> None:
        for token in tokens:
            h.offset(h.mirror.total_deposits // 10, token, 10 ** token.decimals() // 10, label=label)

    h.deposit(b1, 1000 * E18, label="first deposit, empty pool")
    h.deposit(b2, 1000 * E18, label="first deposit")
    h.deposit(alice, 100 * E18, label="first deposit")
    offsets("offset, first credit of the token")
    offsets("offset", gain_tokens[:1])
    h.deposit(carol, 100 * E18, label="first deposit after a liquidation")
    h.deposit(alice, 50 * E18, label="top-up after a liquidation, gains paid")
    offsets("offset")
    h.withdraw(alice, 50 * E18, label="partial withdrawal")
    h.claim(carol, label="claim")
    offsets("offset")
    h.withdraw(alice, MAX_UINT, label="full withdrawal")
    h.check()
    return {label: max(values) for label, values in h.gas.items()}


def anchors_table(project: ProjectManager, chain: ChainManager, roles: Roles) -> dict[str, dict[str, int]]:
    debt, gains = deploy_tokens(project, roles.owner, "BSD", GAIN_TOKEN_SPECS)
    one = operation_gas(project, chain, roles, debt, gains[:1])
    three = operation_gas(project, chain, roles, debt, gains)
    rows, over = [], []
    extra = {"first deposit, empty pool": None, "offset, first credit of the token": "offset"}
    for op in [*LIQUITY_V2_GAS, *extra]:
        anchor = LIQUITY_V2_GAS.get(op) or LIQUITY_V2_GAS.get(extra.get(op) or "")
        row = [op, f"{anchor:,}" if anchor else "-"]
        for tokens, gas in (("1", one), ("3", three)):
            ratio = gas[op] / anchor if anchor else None
            row += [f"{gas[op]:,}", f"{ratio:.2f}x" if ratio else "-"]
            if ratio and ratio > TARGET_RATIO and op in LIQUITY_V2_GAS:
                over.append(f"{op} ({tokens} token{'s' if tokens == '3' else ''}): {ratio:.2f}x")
        rows.append(row)
    print_table(
        ["operation", "Liquity v2", "1 token", "ratio", "3 tokens", "ratio"],
        rows,
        align=["<", ">", ">", ">", ">", ">"],
        title=f"Gas per operation against Liquity v2 (target: at most {TARGET_RATIO}x each)",
    )
    print("Rows below the anchors: conditions without a Liquity figure (ratio against the same operation's anchor).")
    if over:
        print(f"Above {TARGET_RATIO}x: " + "; ".join(over))
    else:
        print(f"Every anchored operation is at most {TARGET_RATIO}x Liquity v2, with 1 and with 3 collateral tokens.")
    print()
    return {"1": one, "3": three}


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
