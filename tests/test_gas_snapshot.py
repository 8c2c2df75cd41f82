"""The committed gas snapshot (snapshots/gas.json, written by `./dev ape run gas --snapshot-only`):
every like-for-like row against Liquity v2, with 1, 3 and 8 gain tokens registered, measured again
here. An operation dearer than the snapshot by over 0.5% fails, and one cheaper by over 2% asks for
the snapshot to be updated (a deliberate, reviewed change); both print the diff."""

from spmodel.chain.gas import SNAPSHOT_PATH, measure_snapshot, read_snapshot, snapshot_diff


def test_gas_matches_the_committed_snapshot(project, chain, roles):
    snapshot = read_snapshot(project.path / SNAPSHOT_PATH)
    measured = measure_snapshot(project, chain, roles)
    diff = snapshot_diff(snapshot, measured)
    assert not diff, (
        "gas differs from " + SNAPSHOT_PATH + " (regenerate: ./dev ape run gas --snapshot-only):\n" + "\n".join(diff)
    )
