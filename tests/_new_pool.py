"""The `new_pool` fixture, shared by test_reentrancy and test_nonstandard_tokens (they load it with
`pytest_plugins = ["_new_pool"]`): a pool over any debt and gain tokens, with only the named
accounts funded, and a Harness driving it.

Accepted operations go through the model-checked Harness (spmodel/chain/harness.py) wherever the token
behaves like an ERC20, so `harness.check()` also confirms equality with the integer mirror, the
exact-model bound and solvency.
"""

import pytest

from constants import MAX_UINT
from spmodel.chain.harness import Harness


def fund(token, pool, holders, amount):
    for who in holders:
        token.mint(who, amount, sender=who)
        token.approve(pool, MAX_UINT, sender=who)


@pytest.fixture
def new_pool(create_pool, lens, chain, liquidator, distributor):
    """A pool over `debt` and `gains`, with only the named accounts funded (create_pool would fund
    all 27 depositors), and a Harness driving it."""

    def make(debt, gains, depositors=(), amount=10**27, gain_amount=10**40):
        pool = create_pool(gains, debt=debt, fund=False)
        fund(debt, pool, depositors, amount)
        for token in gains:
            fund(token, pool, (liquidator, distributor), gain_amount)
        return pool, Harness(pool, debt, list(gains), chain, lens, liquidator, distributor)

    return make
