import time
import click
from ape.cli import ConnectedProviderCommand, ape_cli_context

@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
def cli(cli_ctx, network):
    from ape import accounts, chain, project
    p = chain.provider
    a0, liq = accounts.test_accounts[0], accounts.test_accounts[1]
    debt = project.MockERC20.deploy("A", "A", 18, sender=a0)
    weth = project.MockERC20.deploy("W", "W", 18, sender=a0)
    naive = project.NaiveStabilityPool.deploy(debt, weth, sender=a0)
    weth.mint(liq, 10**20, sender=liq); weth.approve(naive, 2**256-1, sender=liq)
    p.make_request("anvil_autoImpersonateAccount", [True])
    def send(who, c, m, *args):
        data = getattr(c, m).encode_input(*args).hex()
        return p.make_request("eth_sendTransaction", [{"from": who, "to": c.address, "data": "0x" + data.removeprefix("0x"), "gas": hex(300000), "gasPrice": hex(10**9)}])
    t = time.time()
    for i in range(1000):
        who = "0x%040x" % (0x1000 + i)
        p.set_balance(who, 10**20)
        send(who, debt, "mint", who, 10**21)
        send(who, debt, "approve", naive.address, 2**256-1)
        h = send(who, naive, "deposit", 10**21)
    print("fill", time.time() - t)
    while p.make_request("eth_getTransactionReceipt", [h]) is None:
        time.sleep(0.05)
    print("count", naive.depositorCount(), "block", chain.blocks.head.number, p.make_request("txpool_status", []))
    s = chain.snapshot()
    try:
        r = naive.offset(10**18, 10**17, sender=liq, gas_limit=30_000_000)
        print("ok", r.gas_used)
    except Exception as e:
        print("ERR", type(e).__name__, str(e)[:200])
    print("pool after", p.make_request("txpool_status", []), chain.blocks.head.number)
    chain.restore(s)
    print("pool after restore", p.make_request("txpool_status", []), chain.blocks.head.number)
    who = "0x%040x" % (0x9000)
    p.set_balance(who, 10**20)
    h = send(who, debt, "mint", who, 10**21)
    time.sleep(1)
    print("mined?", p.make_request("eth_getTransactionReceipt", [h]) is not None, p.make_request("txpool_status", []), chain.blocks.head.number)
