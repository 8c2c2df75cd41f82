"""Slither over the production contracts, as part of the test suite.

Slither cannot drive the solcjs front end through its usual `--solc` path (crytic-compile passes
remappings on the command line, and its standard-json path cannot select the cancun EVM that
OpenZeppelin's transient reentrancy guard needs). It can read a standard-JSON input file, so this
test writes one (cancun, optimizer as in ape-config.yaml, the OpenZeppelin remapping) and runs
Slither from its own venv (.venv-slither, installed by ./dev from requirements-slither.lock).

Every High or Medium finding in contracts/ (test contracts excluded) must be in ACCEPTED below,
with the reason; anything new fails the test.
"""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLITHER = ROOT / ".venv-slither" / "bin" / "slither"
SOLC = ROOT / ".solcx" / "solc-v0.8.24"
TARGETS = [
    "contracts/StabilityPool.sol",
    "contracts/SumStaking.sol",
    "contracts/RewardSplitter.sol",
    "contracts/AmpStaking.sol",
    "contracts/examples/ExampleLendingMarket.sol",
]

# A detector (anywhere), or "detector:Contract.function" (there only) -> why it is acceptable.
# See SECURITY.md.
ACCEPTED = {
    # Strict equality on the pool's own counters and markers (`finish == 0`, `lastUpdate == now` in
    # RewardStream.idle, "the offset takes everything"), never on token balances (compared with `<`).
    "incorrect-equality": "compares the contract's own accounting, never a token balance",
    # `pendingS` / locals meant to start at 0 (Solidity zero-initialises them).
    "uninitialized-local": "locals intentionally start at zero",
    # The balance is read before a staking destination's `distribute` and compared after it on
    # purpose: that is how the splitter checks the destination pulled exactly its amount
    # (StakePullMismatch). The call is to an owner-registered destination, under the splitter's
    # reentrancy guard, and the splitter holds nothing between calls.
    "reentrancy-balance:RewardSplitter._stake": "the balance around the call is the pull check itself",
}


def _accepted(finding) -> bool:
    first = finding["elements"][0] if finding["elements"] else {}
    parent = first.get("type_specific_fields", {}).get("parent", {}).get("name", "")
    where = f"{parent}.{first.get('name', '').split('(')[0]}"
    return finding["check"] in ACCEPTED or f"{finding['check']}:{where}" in ACCEPTED


def _standard_json(tmp_path: Path) -> Path:
    source = {
        "language": "Solidity",
        "sources": {t: {"content": (ROOT / t).read_text()} for t in TARGETS},
        "settings": {
            "evmVersion": "cancun",
            "optimizer": {"enabled": True, "runs": 200},
            "remappings": ["@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/"],
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode", "evm.deployedBytecode"], "": ["ast"]}},
        },
    }
    path = tmp_path / "input.json"
    path.write_text(json.dumps(source))
    return path


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    if not SLITHER.exists():
        pytest.fail("Slither is not installed: run ./dev setup")
    tmp = tmp_path_factory.mktemp("slither")
    out = tmp / "out.json"
    result = subprocess.run(
        [
            str(SLITHER),
            str(_standard_json(tmp)),
            "--compile-force-framework",
            "solc-json",
            "--solc",
            str(SOLC),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(out.read_text())
    assert report["success"], result.stderr[-2000:]
    return report["results"].get("detectors", [])


def _in_our_contracts(finding) -> bool:
    files = {e.get("source_mapping", {}).get("filename_relative", "") for e in finding["elements"]}
    return any(f.startswith("contracts/") and not f.startswith("contracts/test/") for f in files)


def test_slither__no_unexplained_high_or_medium_findings(findings):
    ours = [f for f in findings if _in_our_contracts(f)]
    serious = [f for f in ours if f["impact"] in ("High", "Medium")]
    unexplained = [f"{f['check']} ({f['impact']}): {f['description'].strip()}" for f in serious if not _accepted(f)]
    counts = {}
    for f in ours:
        counts[f["impact"]] = counts.get(f["impact"], 0) + 1
    print(
        f"\nslither: {len(findings)} results, {len(ours)} in our contracts {counts}; "
        f"{len(serious)} High/Medium, all accepted: {not unexplained}"
    )
    for f in serious:
        print(f"  {f['check']}: {f['description'].strip()[:300]}")
    assert not unexplained, "\n".join(unexplained)


def test_slither__ran_on_every_target(findings):
    # A detector that always fires on these files (naming of P/S, or the loops over gain tokens)
    # shows Slither really analysed them, so an empty list above cannot pass by accident.
    files = {e.get("source_mapping", {}).get("filename_relative", "") for f in findings for e in f["elements"]}
    assert set(TARGETS) <= files
