"""The Harness's ways to send (spmodel.chain.harness: ape's contract objects, raw JSON-RPC on Anvil,
pyrevm in process) run the same seeded history to the same result: the same operations,
shortfalls, dust and (no) mismatches."""

from _history import short_history


def test_engines_and_ape_path__same_history_same_outcome(chain, project, capsys):
    outcomes = [
        short_history(chain, project, steps=40, depositors=4, seed=3, tokens=2, raw=raw, engine=engine)
        for raw, engine in ((True, "anvil"), (False, "anvil"), (True, "revm"))
    ]
    capsys.readouterr()
    reference = outcomes[0]
    assert reference.mismatches == []
    for outcome in outcomes[1:]:
        assert outcome.mismatches == []
        assert (outcome.operations, outcome.skipped, outcome.epochs) == (
            reference.operations,
            reference.skipped,
            reference.epochs,
        )
        assert (outcome.worst, outcome.dust) == (reference.worst, reference.dust)
