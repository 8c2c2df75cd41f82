"""`ape run simulate`'s history (spmodel.chain.simulation), the long invariant run's tool, on a short
history: it must run clean (every step checked against both models) and account for every wei left
in the pool at the end. With the fixed block interval a seed replays exactly, so the figures are
exact, on either engine (`./dev test --engine revm`)."""

import time
from fractions import Fraction

import ape

from spmodel.chain.simulation import run


def test_simulate__short_history_is_clean_and_dust_is_what_the_exact_model_owes(chain, project, engine, capsys):
    # With the hostile gain token, flash depositors and deferred claims among the operations.
    outcome = run(
        ape.accounts,
        chain,
        project,
        steps=150,
        depositors=6,
        seed=5,
        tokens=3,
        csv_path=None,
        plot=None,
        started=time.time(),
        hostile=True,
        engine=engine,
    )
    out = capsys.readouterr().out
    assert outcome.mismatches == []
    assert "mismatches: 0; total run time" in out
    assert (outcome.operations, outcome.skipped, outcome.epochs) == (141, 9, 3)
    assert outcome.worst.deposit == Fraction(1518, 1000)
    # The run itself checked each dust figure against the exact model and the summed error bounds.
    assert outcome.dust == {"BSD": 1, "WETH": 16, "WBTC": 10, "USDC": 12, "HOST": 160}
