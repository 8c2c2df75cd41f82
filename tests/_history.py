"""A short seeded history of `ape run simulate` (spmodel.chain.simulation.run) with the tests'
settings: 150 steps, 6 depositors, 3 gain tokens and the hostile one, seed 5, no CSV or plot."""

import time

import ape

from spmodel.chain.simulation import Outcome, run

SHORT_HISTORY = {"steps": 150, "depositors": 6, "seed": 5, "tokens": 3, "hostile": True}


def short_history(chain, project, **settings) -> Outcome:
    """The short history, on Anvil by default; `settings` override SHORT_HISTORY or pick the
    engine (`engine=`, `raw=`)."""
    return run(
        ape.accounts, chain, project, csv_path=None, plot=None, started=time.time(), **(SHORT_HISTORY | settings)
    )
