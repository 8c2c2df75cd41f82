"""`./dev prove` (issue 15): halmos proves every lemma in proofs/ and refutes the false variant."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROVED = [
    "ProductSumProofs.check_creditPaysAtMostAmount",
    "ProductSumProofs.check_lossStepNeverIncreasesP",
    "ProductSumProofs.check_remainingBoundsRescales",
    "RewardSplitterProofs.check_amountsSumToInput",
    "RewardStreamProofs.check_releaseWithinUnreleased",
]
REFUTED = ["ProductSumProofs.check_false_fourRescalesSuffice"]


def test_prove__every_lemma_proved_and_the_false_one_refuted():
    result = subprocess.run(
        [str(ROOT / "dev"), "prove"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()[1:]}
    assert table == {**dict.fromkeys(PROVED, "proved"), **dict.fromkeys(REFUTED, "counterexample")}
