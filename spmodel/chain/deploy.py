"""Deployment on any network: mock tokens, a pool with its gain tokens and roles, funding (mint +
approve), and a Harness over a pool. The scripts and tests/conftest.py's fixtures both deploy
through these."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ape.api import AccountAPI
from ape.api.address import BaseAddress
from ape.contracts import ContractInstance
from ape.managers.accounts import AccountManager
from ape.managers.chain import ChainManager
from ape.managers.project import ProjectManager

from ..amounts import MAX_UINT
from .harness import Harness

FUNDS = 10**30  # per depositor: the pool's whole deposit cap
GAIN_FUNDS = 10**40  # per liquidator / distributor and gain token
GAIN_TOKEN_SPECS = [("WETH", 18), ("WBTC", 8), ("USDC", 6)]  # the mock gain tokens: (symbol, decimals)


@dataclass
class Roles:
    """Who does what. Same layout as tests/conftest.py: owner, liquidator, distributor, depositors."""

    owner: AccountAPI
    liquidator: AccountAPI
    distributor: AccountAPI
    depositors: list[AccountAPI] = field(default_factory=list)


def roles_from_test_accounts(accounts: AccountManager) -> Roles:
    """Roles from ape's test accounts: 0 owner, 1 liquidator, 2 distributor, 3.. depositors."""
    test = accounts.test_accounts
    return Roles(test[0], test[1], test[2], [test[i] for i in range(3, len(test))])


def deploy_token(
    project: ProjectManager, deployer: AccountAPI, symbol: str, decimals: int = 18, name: str | None = None
) -> ContractInstance:
    """A plain OpenZeppelin ERC20 (MockERC20) with `decimals` and a public mint."""
    return project.MockERC20.deploy(name or symbol, symbol, decimals, sender=deployer)


def deploy_tokens(
    project: ProjectManager, deployer: AccountAPI, debt_symbol: str, gain_specs: Iterable[tuple[str, int]]
) -> tuple[ContractInstance, list[ContractInstance]]:
    """A mock debt token (18 decimals) and one mock gain token per (symbol, decimals) in `gain_specs`."""
    debt = deploy_token(project, deployer, debt_symbol, 18)
    gains = [deploy_token(project, deployer, symbol, decimals) for symbol, decimals in gain_specs]
    return debt, gains


def deploy_pool(
    project: ProjectManager,
    deployer: AccountAPI,
    debt: ContractInstance | str,
    gain_tokens: Iterable[ContractInstance | str] = (),
    liquidators: Iterable[BaseAddress | str] = (),
    distributors: Iterable[BaseAddress | str] = (),
    owner: BaseAddress | str | None = None,
    min_stream_deposits: int | None = None,
) -> ContractInstance:
    """Deploys a StabilityPool for `debt`, registers `gain_tokens` and authorises the roles.
    Streams pause below `min_stream_deposits` (default: 1e-9 of one debt token, 10**(decimals - 9),
    at least 1 wei).

    The deployer must be the owner for the set-up calls; with another `owner` the pool is deployed
    owned by the deployer, set up, and ownership is then offered to `owner` (Ownable2Step: `owner`
    must call `acceptOwnership()`)."""
    if min_stream_deposits is None:  # debt may be an address: read decimals through an ERC20 ABI
        min_stream_deposits = stream_threshold(project.MockERC20.at(getattr(debt, "address", debt)).decimals())
    pool = project.StabilityPool.deploy(debt, deployer, min_stream_deposits, sender=deployer)
    for token in gain_tokens:
        pool.registerGainToken(token, sender=deployer)
    for account in liquidators:
        pool.setLiquidator(account, True, sender=deployer)
    for account in distributors:
        pool.setRewardDistributor(account, True, sender=deployer)
    owner_address = getattr(owner, "address", owner)
    if owner_address is not None and owner_address != deployer.address:
        pool.transferOwnership(owner_address, sender=deployer)
    return pool


def stream_threshold(decimals: int) -> int:
    """The default minStreamDeposits for a debt token: 1e-9 of a token (1e9 wei at 18 decimals)."""
    return 10 ** max(decimals - 9, 0)


def fund(token: ContractInstance, holders: Iterable[AccountAPI], amount: int, spender: BaseAddress) -> None:
    """Mints `amount` of mock `token` to each holder and approves `spender` for everything."""
    for who in holders:
        token.mint(who, amount, sender=who)
        token.approve(spender, MAX_UINT, sender=who)


def create_pool(
    project: ProjectManager,
    roles: Roles,
    debt: ContractInstance,
    gain_tokens: Sequence[ContractInstance] = (),
    depositors: Sequence[AccountAPI] | None = None,
    min_stream_deposits: int | None = None,
    funded: bool = True,
) -> ContractInstance:
    """A pool with `gain_tokens` registered and the liquidator and distributor authorised (the
    tests' `create_pool` fixture too). `funded`: every depositor (default: all of the roles') holds
    FUNDS of the debt token and the liquidator and distributor GAIN_FUNDS of each gain token, all
    approved."""
    pool = deploy_pool(
        project,
        roles.owner,
        debt,
        gain_tokens,
        [roles.liquidator],
        [roles.distributor],
        min_stream_deposits=min_stream_deposits,
    )
    if funded:
        fund(debt, roles.depositors if depositors is None else depositors, FUNDS, pool)
        for token in gain_tokens:
            fund(token, (roles.liquidator, roles.distributor), GAIN_FUNDS, pool)
    return pool


def make_harness(
    project: ProjectManager,
    chain: ChainManager,
    roles: Roles,
    pool: ContractInstance,
    debt: ContractInstance,
    gain_tokens: Iterable[ContractInstance],
) -> Harness:
    """A Harness over `pool`, with a fresh PoolLens for its one-call checks."""
    lens = project.PoolLens.deploy(sender=roles.owner)
    return Harness(
        pool=pool,
        debt_token=debt,
        gain_tokens=list(gain_tokens),
        chain=chain,
        lens=lens,
        liquidator=roles.liquidator,
        distributor=roles.distributor,
    )
