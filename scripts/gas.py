"""Gas: the O(1) StabilityPool against the O(n) NaiveStabilityPool, and against Liquity v2.

    ape run gas --network ethereum:local:foundry [--max-depositors N] [--plot gas.png]

1. Depositor sweep. For n = 1, 10, 100, 1000 (and further powers of ten, and N itself, up to
   --max-depositors N) depositors in the pool, the gas of the StabilityPool's offset, top-up deposit,
   partial withdrawal and claim (one collateral token), and of the NaiveStabilityPool's offset (its
   first liquidation after the deposits, when every depositor's gain goes from 0 to nonzero, and a
   second one). Every measurement is a transaction receipt, taken on a chain snapshot that is then
   restored, so each size sees the same history. A naive offset that does not fit the 30M block gas
   limit fails (out of gas): the script catches it and measures what it would cost by raising the
   block gas limit for that one transaction. A least-squares line gas = a + b*n over the sweep
   predicts where the naive offset crosses 30M; as the pool grows past the prediction the script
   tries the naive offset at every size around it, at the real limit, and reports the largest n
   that fits.
2. Per-operation gas beside the Liquity v2 anchors, for a pool with 1 and with 3 collateral tokens.

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

Speed: the sweep's filler depositors are plain addresses funded with ETH (anvil_setBalance) whose
set-up transactions (mint, approve, deposit) are sent straight to Anvil as impersonated
transactions (anvil_autoImpersonateAccount), about 10x faster than signing each through ape; every
measured transaction goes through ape from a test account and is read from its receipt.
"""

import time
from collections import defaultdict

import click
from ape.cli import ConnectedProviderCommand, ape_cli_context, network_option
from eth_utils import keccak, to_checksum_address, to_hex

from spmodel.harness import Harness
from scripts._common import (
    LIQUITY_V2_GAS,
    MAX_UINT,
    TARGET_RATIO,
    create_pool,
    deploy_tokens,
    fund,
    print_table,
    test_roles,
)

BLOCK_GAS_LIMIT = 30_000_000
E18 = 10**18
FILLER_DEPOSIT = 1000 * E18
GAIN_SPECS = [("WETH", 18), ("WBTC", 8), ("USDC", 6)]


def sweep_sizes(max_depositors: int) -> list[int]:
    sizes, n = [], 1
    while n <= max_depositors:
        sizes.append(n)
        n *= 10
    if sizes[-1] != max_depositors:
        sizes.append(max_depositors)
    return sizes


class RawSender:
    """Fast set-up transactions from any address: Anvil impersonates every sender."""

    def __init__(self, provider):
        self.provider = provider
        provider.make_request("anvil_autoImpersonateAccount", [True])
        self.last = None
        self.refresh_gas_price()

    def refresh_gas_price(self) -> None:
        """Twice the current price: the base fee moves (full 30M-gas blocks raise it by 12.5%)."""
        self.gas_price = hex(2 * int(self.provider.make_request("eth_gasPrice", []), 16))

    def send(self, sender: str, contract, method: str, *args, gas: int = 300_000) -> None:
        data = getattr(contract, method).encode_input(*args)
        tx = {"from": sender, "to": contract.address, "data": to_hex(data), "gas": hex(gas), "gasPrice": self.gas_price}
        self.last = self.provider.make_request("eth_sendTransaction", [tx])

    def check_last(self) -> None:
        """Waits for the last transaction (so every earlier one) to be mined; it must have succeeded.
        Anvil's automine mines pending transactions as they arrive, not before this returns."""
        if self.last is None:
            return
        deadline = time.time() + 30
        while (receipt := self.provider.make_request("eth_getTransactionReceipt", [self.last])) is None:
            if time.time() > deadline:
                raise RuntimeError(f"set-up transaction {self.last} not mined")
            time.sleep(0.05)
        if int(receipt["status"], 16) != 1:
            raise RuntimeError(f"set-up transaction {self.last} failed")

    def close(self) -> None:
        self.provider.make_request("anvil_autoImpersonateAccount", [False])


def filler(i: int) -> str:
    return to_checksum_address(keccak(text=f"gas.py filler {i}")[12:])



def on_snapshot(chain, action):
    """Runs `action`, then restores the chain to before it: every measurement sees the same state."""
    snapshot = chain.snapshot()
    try:
        return action()
    finally:
        chain.restore(snapshot)


def out_of_gas(err: Exception) -> bool:
    return "gas" in f"{type(err).__name__} {err}".lower()


def fit_line(points) -> tuple[float, float]:
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

    def __init__(self, project, chain, roles):
        self.chain, self.provider = chain, chain.provider
        self.liquidator, self.me = roles.liquidator, roles.depositors[0]
        self.debt, (self.weth,) = deploy_tokens(project, roles.owner, "BSD", GAIN_SPECS[:1])
        self.pool = create_pool(project, roles, self.debt, [self.weth], depositors=[self.me])
        self.naive = project.NaiveStabilityPool.deploy(self.debt, self.weth, sender=roles.owner)
        fund(self.debt, [self.me], 0, self.naive)
        fund(self.weth, [self.liquidator], 0, self.naive)
        for token in (self.debt, self.weth):  # everyone already holds some of every token
            for who in (self.liquidator, self.me):
                token.mint(who, E18, sender=who)
        self.raw = RawSender(self.provider)
        self.count = 0
        # Steady state: the pools have had a liquidation before the sweep (S at the current scale and
        # the pools' collateral balances are nonzero, as in a live pool).
        self.add_depositor()
        d, c = self.liquidation()
        self.pool.offset(d, self.weth, c, sender=self.liquidator)
        self.naive.offset(d, c, sender=self.liquidator)

    def add_depositor(self) -> None:
        """The first depositor is a test account (it does the measured operations); the rest are
        fillers set up with impersonated transactions."""
        if self.count == 0:
            self.pool.deposit(FILLER_DEPOSIT, sender=self.me)
            self.naive.deposit(FILLER_DEPOSIT, sender=self.me)
        else:
            who, raw = filler(self.count), self.raw
            self.provider.set_balance(who, 100 * E18)
            raw.refresh_gas_price()
            raw.send(who, self.debt, "mint", who, 3 * FILLER_DEPOSIT)
            raw.send(who, self.weth, "mint", who, E18)
            raw.send(who, self.debt, "approve", self.pool.address, MAX_UINT)
            raw.send(who, self.debt, "approve", self.naive.address, MAX_UINT)
            raw.send(who, self.pool, "deposit", FILLER_DEPOSIT)
            raw.send(who, self.naive, "deposit", FILLER_DEPOSIT)
        self.count += 1

    def verify(self) -> None:
        self.raw.check_last()
        assert self.naive.depositorCount() == self.count
        assert self.pool.totalDeposits() == self.naive.totalDeposits() == self.count * FILLER_DEPOSIT - 10 * E18

    def liquidation(self) -> tuple[int, int]:
        return 10 * E18, E18 // 10  # 10 BSD for 0.1 WETH

    def measure_pool(self) -> dict[str, int]:
        """The StabilityPool's offset, then the test account's top-up, partial withdrawal and claim,
        each after a liquidation so that it pays a gain."""
        pool, liq, me, weth = self.pool, self.liquidator, self.me, self.weth

        def run():
            d, c = self.liquidation()
            gas = {"offset": pool.offset(d, weth, c, sender=liq).gas_used}
            gas["top-up"] = pool.deposit(E18, sender=me).gas_used
            pool.offset(d, weth, c, sender=liq)
            gas["withdraw"] = pool.withdraw(E18, sender=me).gas_used
            pool.offset(d, weth, c, sender=liq)
            gas["claim"] = pool.claim(sender=me).gas_used
            return gas

        return on_snapshot(self.chain, run)

    def _naive_offset(self, limit: int):
        """One naive offset with a gas limit of `limit`: (gas used, True) or (None, False) when it
        runs out of gas."""
        d, c = self.liquidation()
        try:
            return self.naive.offset(d, c, sender=self.liquidator, gas_limit=limit).gas_used, True
        except Exception as err:  # noqa: BLE001 - only out-of-gas is expected
            if not out_of_gas(err):
                raise
            return None, False

    def _raised(self, action):
        """Runs `action` with a block gas limit far above the real one."""
        self.provider.set_block_gas_limit(100 * BLOCK_GAS_LIMIT)
        self.chain.mine()
        try:
            return action()
        finally:
            self.provider.set_block_gas_limit(BLOCK_GAS_LIMIT)
            self.chain.mine()

    def measure_naive(self) -> dict[str, tuple[int, bool]]:
        """Two naive offsets in a row at the block gas limit. One that runs out of gas is caught and
        measured again under a raised limit, to show what it would cost: (gas, fits)."""

        def run():
            result = {}
            for kind in self.KINDS:
                gas, fits = self._naive_offset(BLOCK_GAS_LIMIT)
                if not fits:
                    gas, ok = self._raised(lambda: self._naive_offset(100 * BLOCK_GAS_LIMIT))
                    assert ok
                result[kind] = (gas, fits)
            return result

        return on_snapshot(self.chain, run)

    def naive_fits(self, kind: str) -> bool:
        """Does the naive pool's `kind` offset fit the block gas limit at the current size?"""

        self.raw.check_last()  # nothing pending: a 30M-gas transaction only fits a block of its own

        def run():
            if kind == "2nd":
                gas, fits = self._naive_offset(BLOCK_GAS_LIMIT)
                if not fits:
                    self._raised(lambda: self._naive_offset(100 * BLOCK_GAS_LIMIT))
            return self._naive_offset(BLOCK_GAS_LIMIT)[1]

        return on_snapshot(self.chain, run)


def depositor_sweep(project, chain, roles, max_depositors: int):
    sweep = Sweep(project, chain, roles)
    sizes = sweep_sizes(max_depositors)
    rows, series = [], defaultdict(list)
    fits, crossing = {}, {}  # kind -> (a, b); kind -> (largest n that fits, or None) once found
    scanning = {}  # kind -> largest n seen to fit while scanning around the prediction
    started = time.time()
    with click.progressbar(length=max_depositors, label="depositors", show_pos=True) as bar:
        for size in sizes:
            while sweep.count < size:
                sweep.add_depositor()
                bar.update(1)
                # Past the predicted crossing (from the sizes measured so far), try the naive
                # offset at the real limit at every size until it fails.
                for kind, (a, b) in fits.items():
                    if kind in crossing or sweep.count < int((BLOCK_GAS_LIMIT - a) / b) - 2:
                        continue
                    if sweep.naive_fits(kind):
                        scanning[kind] = sweep.count
                    else:
                        crossing[kind] = scanning.get(kind)
            sweep.verify()
            sp = sweep.measure_pool()
            naive = sweep.measure_naive()
            series["n"].append(size)
            for key, gas in sp.items():
                series[f"SP {key}"].append(gas)
            for kind, (gas, ok) in naive.items():
                series[f"naive offset ({kind})"].append(gas)
            rows.append([size, *(f"{sp[k]:,}" for k in ("offset", "top-up", "withdraw", "claim")),
                         *(f"{g:,}" if ok else f"{g:,} OUT OF GAS" for g, ok in naive.values()),
                         f"{naive['1st'][0] / sp['offset']:,.1f}x"])
            if len(series["n"]) >= 2:
                fits = {k: fit_line(list(zip(series["n"], series[f"naive offset ({k})"]))) for k in Sweep.KINDS}
    sweep.raw.close()

    print_table(["depositors", "SP offset", "SP top-up", "SP withdraw", "SP claim", "naive offset (1st)",
                 "naive offset (2nd)", "naive/SP offset"], rows,
                title=f"Gas by number of depositors, one collateral token ({time.time() - started:.0f} s). "
                      f"OUT OF GAS: fails at the {BLOCK_GAS_LIMIT:,} block gas limit (gas shown: under a raised limit)")
    for kind in Sweep.KINDS:
        a, b = fits[kind]
        predicted = (BLOCK_GAS_LIMIT - a) / b
        line = (f"naive offset ({kind}): gas = {a:,.0f} + {b:,.0f} * n (least squares over n = "
                f"{', '.join(map(str, series['n']))}); crosses {BLOCK_GAS_LIMIT:,} at n = {predicted:,.1f}")
        if kind in crossing and crossing[kind] is not None:
            line += f"; tried at the real limit: fits up to n = {crossing[kind]}, out of gas from n = {crossing[kind] + 1}"
        elif kind in crossing:
            line += f"; tried at the real limit: already out of gas at n = {int(predicted) - 2}"
        else:
            line += f" (beyond --max-depositors {max_depositors}, not tried)"
        print(line)
    print()
    return series, fits


# ---------------------------------------------------------------------- per-operation anchors
def operation_gas(project, chain, roles, debt, gain_tokens) -> dict[str, int]:
    """Per-operation gas of a pool with `gain_tokens`, under the conditions in the header. Driven
    through the Harness, so every step is also checked against both models. Each operation's gas
    is the largest of its samples."""
    b1, b2, alice, carol = roles.depositors[1:5]
    pool = create_pool(project, roles, debt, gain_tokens, depositors=[b1, b2, alice, carol])
    h = Harness(pool, debt, list(gain_tokens), chain, roles.liquidator, roles.distributor)
    for token in gain_tokens:  # everyone already holds some of every token
        for who in (b1, b2, alice, carol):
            token.mint(who, 10 ** token.decimals(), sender=who)
    debt.mint(roles.liquidator, E18, sender=roles.liquidator)

    def offsets(label, tokens=gain_tokens):
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


def anchors_table(project, chain, roles) -> dict:
    debt, gains = deploy_tokens(project, roles.owner, "BSD", GAIN_SPECS)
    one = operation_gas(project, chain, roles, debt, gains[:1])
    three = operation_gas(project, chain, roles, debt, gains)
    rows, over = [], []
    extra = {"first deposit, empty pool": None, "offset, first credit of the token": "offset"}
    for op in [*LIQUITY_V2_GAS, *extra]:
        anchor = LIQUITY_V2_GAS.get(op) or LIQUITY_V2_GAS.get(extra.get(op) or "", None)
        row = [op, f"{anchor:,}" if anchor else "-"]
        for tokens, gas in (("1", one), ("3", three)):
            ratio = gas[op] / anchor if anchor else None
            row += [f"{gas[op]:,}", f"{ratio:.2f}x" if ratio else "-"]
            if ratio and ratio > TARGET_RATIO and op in LIQUITY_V2_GAS:
                over.append(f"{op} ({tokens} token{'s' if tokens == '3' else ''}): {ratio:.2f}x")
        rows.append(row)
    print_table(["operation", "Liquity v2", "1 token", "ratio", "3 tokens", "ratio"], rows,
                align=["<", ">", ">", ">", ">", ">"],
                title=f"Gas per operation against Liquity v2 (target: at most {TARGET_RATIO}x each)")
    print("Rows below the anchors: conditions without a Liquity figure (ratio against the same operation's anchor).")
    if over:
        print(f"Above {TARGET_RATIO}x: " + "; ".join(over))
    else:
        print(f"Every anchored operation is at most {TARGET_RATIO}x Liquity v2, with 1 and with 3 collateral tokens.")
    print()
    return {"1": one, "3": three}


# ---------------------------------------------------------------------- plot
def write_plot(path: str, series, fits) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = series["n"]
    fig, ax = plt.subplots(figsize=(8, 5))
    for key, style in (("SP offset", "o-"), ("SP top-up", "s-"), ("SP withdraw", "^-"), ("SP claim", "v-"),
                       ("naive offset (1st)", "D-"), ("naive offset (2nd)", "x-")):
        ax.plot(n, series[key], style, label=key)
    xs = [min(n), max(n) * 3]
    for kind, (a, b) in fits.items():
        ax.plot(xs, [a + b * x for x in xs], ":", color="grey")
        cross = (BLOCK_GAS_LIMIT - a) / b
        ax.annotate(f"naive ({kind}) > 30M gas\nat n = {cross:,.0f}", (cross, BLOCK_GAS_LIMIT),
                    textcoords="offset points", xytext=(-90, 25), fontsize=8,
                    arrowprops={"arrowstyle": "->", "color": "grey"})
    ax.axhline(BLOCK_GAS_LIMIT, color="red", linestyle="--", label="block gas limit (30M)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("depositors in the pool")
    ax.set_ylabel("gas used")
    ax.set_title("StabilityPool (O(1)) vs NaiveStabilityPool (O(n)): gas per transaction")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
@network_option(default="ethereum:local:foundry")
@click.option("--max-depositors", default=1000, show_default=True, type=click.IntRange(1),
              help="Largest pool in the sweep (powers of ten up to it, and it).")
@click.option("--plot", default="gas.png", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the PNG.")
def cli(cli_ctx, network, max_depositors, plot):
    """Measure gas: O(1) pool vs O(n) naive pool, and per operation against Liquity v2."""
    from ape import accounts, chain, project

    if not chain.provider.network.is_local:
        raise click.UsageError("gas needs a local Anvil network (it uses anvil_* methods)")
    roles = test_roles(accounts)
    started = time.time()
    anchors_table(project, chain, roles)
    series, fits = depositor_sweep(project, chain, roles, max_depositors)
    write_plot(plot, series, fits)
    print(f"plot: {plot}   ({time.time() - started:.0f} s in all)")
