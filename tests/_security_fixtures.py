"""Fixtures shared by the security test files (test_reentrancy, test_nonstandard_tokens,
test_access_control, test_extreme_amounts), which load them with
`pytest_plugins = ["_security_fixtures"]`.

Accepted operations go through the model-checked Harness (spmodel/harness.py) wherever the token
behaves like an ERC20, so `harness.check()` also confirms equality with the integer mirror, the
exact-model bound and solvency.
"""

import pytest
from ape_ethereum.trace import Trace

from spmodel.harness import Harness

MAX_UINT = 2**256 - 1


@pytest.fixture
def no_revert_call_trace(monkeypatch):
    """ape-foundry prints the call trace of every reverted transaction, and enriching it derives all
    30 test accounts again for each sub-call (~0.5 s per sub-call without coincurve). The rejected
    calls in the security files are asserted by error and inputs instead, so they skip the printout
    (`pytestmark = pytest.mark.usefixtures("no_revert_call_trace")`)."""
    monkeypatch.setattr(Trace, "show", lambda self, *args, **kwargs: None)


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
