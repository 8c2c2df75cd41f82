"""Fixtures shared by the SumStaking test files (test_staking_*.py), which load them with
`pytest_plugins = ["_staking_fixtures"]`. Roles (owner, distributor, alice, bob, carol) come from
tests/conftest.py; constants and formula helpers are in _staking.py.
"""

import pytest

from constants import MAX_UINT


@pytest.fixture(scope="module")
def stk(project, owner):
    return project.MockERC20.deploy("Stake", "STK", 18, sender=owner)


@pytest.fixture(scope="module")
def rwd(project, owner):
    return project.MockERC20.deploy("Reward", "RWD", 18, sender=owner)


@pytest.fixture(scope="module")
def rwd2(project, owner):
    return project.MockERC20.deploy("Reward Two", "RW2", 6, sender=owner)


@pytest.fixture(scope="module")
def staking(project, owner, alice, bob, carol, distributor, stk, rwd, rwd2):
    """SumStaking with one registered reward token (`rwd`), `distributor` authorised, and every
    account funded and approved. `rwd2` is funded but registered only by the tests that need it."""
    contract = project.SumStaking.deploy(stk, owner, sender=owner)
    contract.registerRewardToken(rwd, sender=owner)
    contract.setRewardDistributor(distributor, True, sender=owner)
    for staker in (alice, bob, carol):
        stk.mint(staker, 10**24, sender=staker)
        stk.approve(contract, MAX_UINT, sender=staker)
    for token in (rwd, rwd2):
        token.mint(distributor, 10**30, sender=distributor)
        token.approve(contract, MAX_UINT, sender=distributor)
    return contract


@pytest.fixture
def t0(chain):
    """A start time safely after every block so far."""
    return chain.pending_timestamp + 100
