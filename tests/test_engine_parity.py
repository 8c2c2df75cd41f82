"""The Harness's two ways to send (spmodel.chain.harness: ape's contract objects, and raw JSON-RPC on
Anvil) run the same seeded history to the same result: the same operations, shortfalls, dust and
(no) mismatches."""

import time

import ape

from spmodel.chain.simulation import run


def test_raw_and_ape_paths__same_history_same_outcome(chain, project, capsys):
    outcomes = [
        run(
            ape.accounts,
            chain,
            project,
            steps=40,
            depositors=4,
            seed=3,
            tokens=2,
            csv_path=None,
            plot=None,
            started=time.time(),
            hostile=True,
            raw=raw,
        )
        for raw in (True, False)
    ]
    capsys.readouterr()
    raw, ape_path = outcomes
    assert raw.mismatches == ape_path.mismatches == []
    assert (raw.operations, raw.skipped, raw.epochs) == (ape_path.operations, ape_path.skipped, ape_path.epochs)
    assert (raw.worst, raw.dust) == (ape_path.worst, ape_path.dust)
