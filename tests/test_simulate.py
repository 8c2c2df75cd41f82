"""`ape run simulate`, the long invariant run's tool, on a short history: it must run clean (every
step checked against both models) and account for every wei left in the pool at the end. With the
fixed block interval a seed replays exactly, so the figures are exact."""

import time
from fractions import Fraction

import ape


def test_simulate__short_history_is_clean_and_dust_is_what_the_exact_model_owes(chain, project, capsys):
    # Imported here, not at collection: importing sets ANVIL_EXTRA_ARGS for Anvil nodes started
    # afterwards, and this session's node is already running.
    from scripts import simulate

    with simulate.fixed_block_interval(chain):
        # With the hostile gain token, flash depositors and deferred claims among the operations.
        outcome = simulate.run(ape.accounts, chain, project, steps=150, depositors=6, seed=5, tokens=3,
                               csv_path=None, plot=None, started=time.time(), hostile=True)
    out = capsys.readouterr().out
    assert outcome.mismatches == []
    assert "mismatches: 0; total run time" in out
    assert (outcome.operations, outcome.skipped, outcome.epochs) == (141, 9, 3)
    assert outcome.worst.deposit == Fraction(1518, 1000)
    # The run itself checked each dust figure against the exact model and the summed error bounds.
    assert outcome.dust == {"BSD": 1, "WETH": 16, "WBTC": 10, "USDC": 12, "HOST": 160}
