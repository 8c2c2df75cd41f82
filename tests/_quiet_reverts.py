"""The `no_revert_call_trace` fixture, for test files that send many rejected calls and assert each
by its error and inputs (test_nonstandard_tokens, test_access_control, test_extreme_amounts,
test_staking_setup_and_errors, test_stateful). They load it with
`pytest_plugins = ["_quiet_reverts"]` and use it with
`pytestmark = pytest.mark.usefixtures("no_revert_call_trace")`.
"""

import pytest
from ape_ethereum.trace import Trace


@pytest.fixture
def no_revert_call_trace(monkeypatch):
    """ape-foundry prints the call trace of every reverted transaction, and enriching it derives all
    30 test accounts again for each sub-call (~0.5 s per sub-call without coincurve). The rejected
    calls are asserted by error and inputs instead, so the printout is skipped."""
    monkeypatch.setattr(Trace, "show", lambda self, *args, **kwargs: None)
