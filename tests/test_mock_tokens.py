"""The test-only tokens and the naive pool in contracts/test behave as the other tests assume."""

from constants import E18


def raw_call(chain, sender, contract, calldata) -> bytes:
    """Return data of an eth_call, undecoded, so an empty return is visible."""
    return bytes(chain.provider.web3.eth.call({"from": sender.address, "to": contract.address, "data": calldata}))


def test_mock_erc20__decimals_and_public_mint(project, owner, alice):
    token = project.MockERC20.deploy("Mock USD", "mUSD", 6, sender=owner)
    assert (token.name(), token.symbol(), token.decimals()) == ("Mock USD", "mUSD", 6)

    token.mint(alice, 1_234_567, sender=alice)  # anyone may mint

    assert token.balanceOf(alice) == 1_234_567
    assert token.totalSupply() == 1_234_567


def test_no_return_erc20__transfer_returns_no_data_but_moves_balance(chain, project, owner, alice, bob):
    token = project.NoReturnERC20.deploy(6, sender=owner)
    token.mint(alice, 1_000, sender=alice)

    calldata = token.transfer.encode_input(bob, 400)
    assert raw_call(chain, alice, token, calldata) == b""
    assert raw_call(chain, alice, token, token.approve.encode_input(bob, 1)) == b""

    token.transfer(bob, 400, sender=alice)
    assert (token.balanceOf(alice), token.balanceOf(bob)) == (600, 400)
    assert token.decimals() == 6


def test_fee_on_transfer_erc20__100_bps_burns_one_percent(project, owner, alice, bob):
    token = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)
    token.mint(alice, 20_000, sender=alice)

    token.transfer(bob, 10_000, sender=alice)
    assert (token.balanceOf(alice), token.balanceOf(bob)) == (10_000, 9_900)

    token.approve(owner, 10_000, sender=alice)
    token.transferFrom(alice, owner, 10_000, sender=owner)
    assert (token.balanceOf(alice), token.balanceOf(owner)) == (0, 9_900)
    assert token.totalSupply() == 19_800  # the fees were burnt


def test_rebasing_erc20__rebase_scales_every_balance(project, owner, alice, bob):
    token = project.RebasingERC20.deploy(18, sender=owner)
    token.mint(alice, 1_000, sender=alice)
    token.mint(bob, 300, sender=bob)

    token.rebase(1, 2, sender=owner)
    assert (token.balanceOf(alice), token.balanceOf(bob), token.totalSupply()) == (500, 150, 650)

    token.transfer(bob, 100, sender=alice)  # 100 tokens are 200 shares now
    assert (token.balanceOf(alice), token.balanceOf(bob)) == (400, 250)
    assert (token.sharesOf(alice), token.sharesOf(bob)) == (800, 500)


def test_hook_erc20__hook_runs_once_during_a_transfer(project, owner, alice, bob):
    token = project.HookERC20.deploy(sender=owner)
    token.mint(alice, 1_000, sender=alice)
    token.setHook(token, token.mint.encode_input(owner, 7), sender=bob)

    token.transfer(bob, 10, sender=alice)
    assert token.balanceOf(owner) == 7  # the hook minted during the transfer
    assert token.lastHookSuccess() is True
    assert token.hookTarget() == "0x" + "00" * 20

    token.transfer(bob, 10, sender=alice)
    assert token.balanceOf(owner) == 7  # disarmed: it ran once
    assert token.balanceOf(bob) == 20


def test_hook_erc20__failing_hook_does_not_revert_the_transfer(project, owner, alice, bob):
    token = project.HookERC20.deploy(sender=owner)
    token.mint(alice, 1_000, sender=alice)
    # The token holds no tokens of its own, so this call reverts inside the hook.
    token.setHook(token, token.transfer.encode_input(owner, 1), sender=alice)

    token.transfer(bob, 10, sender=alice)
    assert token.balanceOf(bob) == 10
    assert token.lastHookSuccess() is False
    assert bytes(token.lastHookReturn())[:4] == bytes.fromhex("e450d38c")  # ERC20InsufficientBalance


def test_naive_stability_pool__offset_is_pro_rata(project, owner, alice, bob):
    debt = project.MockERC20.deploy("Debt", "DEBT", 18, sender=owner)
    coll = project.MockERC20.deploy("Collateral", "COLL", 18, sender=owner)
    pool = project.NaiveStabilityPool.deploy(debt, coll, sender=owner)
    for depositor, amount in ((alice, 100 * E18), (bob, 50 * E18)):
        debt.mint(depositor, amount, sender=depositor)
        debt.approve(pool, amount, sender=depositor)
        pool.deposit(amount, sender=depositor)
    coll.mint(owner, 3 * E18, sender=owner)
    coll.approve(pool, 3 * E18, sender=owner)

    pool.offset(30 * E18, 3 * E18, sender=owner)

    assert (pool.deposits(alice), pool.deposits(bob)) == (80 * E18, 40 * E18)
    assert (pool.gains(alice), pool.gains(bob)) == (2 * E18, 1 * E18)
    assert pool.totalDeposits() == 120 * E18
    assert debt.balanceOf(owner) == 30 * E18

    pool.withdraw(1_000 * E18, sender=bob)  # capped at the deposit, and pays the gains
    assert (debt.balanceOf(bob), coll.balanceOf(bob)) == (40 * E18, 1 * E18)
    pool.claim(sender=alice)
    assert (pool.deposits(alice), coll.balanceOf(alice)) == (80 * E18, 2 * E18)
    assert pool.depositorCount() == 2
