"""Shared fixtures: accounts by role, tokens, a pool factory and a model-checked harness, and the
`--engine` option (anvil or revm) that tests/test_simulate.py's history runs on.

ape snapshots the chain around every test, so module/session fixtures are deployed once and each
test starts from the same state.
"""

import pytest
from ape_ethereum.trace import Trace

from spmodel.chain import deploy
from spmodel.chain.deploy import Roles, deploy_token
from spmodel.chain.engine import ENGINES
from spmodel.chain.harness import Harness
from spmodel.mirror import DEFAULT_MIN_STREAM_DEPOSITS


@pytest.fixture(scope="session")
def engine(request):
    """The engine named by `--engine` (default Anvil)."""
    return request.config.getoption("engine")


@pytest.fixture(autouse=True)
def no_revert_call_trace(monkeypatch):
    """ape-foundry prints the call trace of every reverted transaction, expected ones included, and
    enriching it is most of a revert's cost (~0.5 s per sub-call here). Every expected revert is
    asserted by its error and inputs instead (tests/_reverts.py), so only the printout is skipped."""
    monkeypatch.setattr(Trace, "show", lambda self, *args, **kwargs: None)


@pytest.fixture(scope="session")
def owner(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def liquidator(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def distributor(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def depositors(accounts):
    return list(accounts[3:])


@pytest.fixture(scope="session")
def alice(depositors):
    return depositors[0]


@pytest.fixture(scope="session")
def bob(depositors):
    return depositors[1]


@pytest.fixture(scope="session")
def carol(depositors):
    return depositors[2]


@pytest.fixture(scope="session")
def roles(owner, liquidator, distributor, depositors):
    return Roles(owner, liquidator, distributor, depositors)


@pytest.fixture(scope="session")
def make_token(project, owner):
    def make(symbol: str, decimals: int = 18):
        return deploy_token(project, owner, symbol, decimals)

    return make


@pytest.fixture(scope="session")
def debt_token(make_token):
    return make_token("BOLD", 18)


@pytest.fixture(scope="session")
def weth(make_token):
    return make_token("WETH", 18)


@pytest.fixture(scope="session")
def wbtc(make_token):
    return make_token("WBTC", 8)


@pytest.fixture(scope="session")
def usdc(make_token):
    return make_token("USDC", 6)


@pytest.fixture(scope="session")
def create_pool(project, roles, debt_token):
    """Deploys a pool with `gain_tokens` registered and (`fund`) every role funded and approved."""

    def create(gain_tokens=(), debt=None, fund=True, min_stream_deposits=DEFAULT_MIN_STREAM_DEPOSITS):
        return deploy.create_pool(
            project, roles, debt or debt_token, gain_tokens, min_stream_deposits=min_stream_deposits, funded=fund
        )

    return create


@pytest.fixture(scope="session")
def pool(create_pool, weth):
    return create_pool([weth])


@pytest.fixture(scope="session")
def lens(project, owner):
    return project.PoolLens.deploy(sender=owner)


@pytest.fixture
def harness(pool, debt_token, weth, chain, lens, liquidator, distributor):
    return Harness(pool, debt_token, [weth], chain, lens, liquidator, distributor)


@pytest.fixture(scope="session")
def pool3(create_pool, weth, wbtc, usdc):
    return create_pool([weth, wbtc, usdc])


@pytest.fixture
def harness3(pool3, debt_token, weth, wbtc, usdc, chain, lens, liquidator, distributor):
    return Harness(pool3, debt_token, [weth, wbtc, usdc], chain, lens, liquidator, distributor)


def pytest_addoption(parser):
    parser.addoption(
        "--fuzz-steps",
        type=int,
        default=2000,
        help="steps of the Hypothesis stateful run (default 2000; e.g. 20000 for the long run)",
    )
    parser.addoption("--fuzz-depositors", type=int, default=4, help="depositors in the stateful run (up to 27)")
    parser.addoption(
        "--engine",
        choices=ENGINES,
        default="anvil",
        help="where tests/test_simulate.py's history runs (spmodel.chain.engine); `./dev test --engine revm`",
    )


@pytest.fixture(scope="session")
def fuzz_steps(request):
    return request.config.getoption("--fuzz-steps")


@pytest.fixture(scope="session")
def fuzz_depositors(request):
    return request.config.getoption("--fuzz-depositors")
