"""`ape run simulate`'s history (spmodel.chain.simulation), the long invariant run's tool, on a short
history: it must run clean (every step checked against both models) and account for every wei left
in the pool at the end. With the fixed block interval a seed replays exactly, so the figures are
exact, on either engine (`./dev test --engine revm`)."""

import os
from fractions import Fraction

import ape

from _history import SHORT_HISTORY, short_history
from spmodel.chain import campaign as campaign_module
from spmodel.chain.campaign import campaign
from spmodel.chain.harness import Bounds
from spmodel.chain.simulation import Outcome


def test_simulate__short_history_is_clean_and_dust_is_what_the_exact_model_owes(chain, project, engine, capsys):
    # With the hostile gain token, flash depositors and deferred claims among the operations.
    outcome = short_history(chain, project, engine=engine)
    out = capsys.readouterr().out
    assert outcome.mismatches == []
    assert "mismatches: 0; total run time" in out
    assert (outcome.operations, outcome.skipped, outcome.epochs) == (141, 9, 3)
    assert outcome.worst.deposit == Fraction(1518, 1000)
    # The run itself checked each dust figure against the exact model and the summed error bounds.
    assert outcome.dust == {"BSD": 1, "WETH": 16, "WBTC": 10, "USDC": 12, "HOST": 160}


def test_campaign__combines_what_each_worker_ran(chain, project, capsys):
    """Two histories on two worker processes, each with its own revm engine: the summary adds up
    exactly what the same seeds give when run one by one."""
    found = campaign(ape.accounts, project, histories=2, workers=2, **SHORT_HISTORY)
    alone = [short_history(chain, project, seed=seed, engine="revm") for seed in (5, 6)]
    out = capsys.readouterr().out
    assert (found.histories, found.steps, found.violations) == (2, 300, [])
    assert found.operations == sum(o.operations for o in alone)
    assert alone[0].operations == 141  # seed 5, as on Anvil above
    assert found.worst.deposit == max(o.worst.deposit for o in alone)
    assert found.worst.gain == max(o.worst.gain for o in alone)
    for symbol in alone[0].dust:
        assert found.total_dust[symbol] == sum(o.dust[symbol] for o in alone)
        assert found.largest_dust[symbol] == max(o.dust[symbol] for o in alone)
    assert found.slowest[0] in (5, 6) and found.slowest[1] > 0
    assert "violations                               |                  0" in out


def test_campaign__a_history_whose_process_dies_is_its_seeds_violation(project, monkeypatch, capsys):
    """The process of seed 7 ends without a result (as when the OOM killer ends it): the campaign
    records it and goes on with seed 8 (a stand-in history here: no EVM runs)."""

    def history(accounts, chain, project, steps, depositors, seed, *rest, **engine):
        if seed == 7:
            os._exit(9)
        return Outcome([], 40, 2, 1, Bounds(Fraction(1), Fraction(3, 2)), {"BSD": 4})

    monkeypatch.setattr(campaign_module, "run", history)
    found = campaign(
        ape.accounts, project, histories=2, workers=2, steps=42, depositors=2, seed=7, tokens=1, hostile=False
    )
    capsys.readouterr()
    assert (found.histories, found.steps, found.operations) == (1, 42, 40)
    [(seed, step, message)] = found.violations
    assert (seed, step) == (7, 0)
    assert "ended without a result (exit code 9" in message
    assert (found.worst, found.total_dust) == (Bounds(Fraction(1), Fraction(3, 2)), {"BSD": 4})
