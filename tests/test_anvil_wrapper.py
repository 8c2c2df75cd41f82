"""tools/bin/anvil: the project's pinned Anvil, first on PATH under `./dev`, with ANVIL_EXTRA_ARGS
appended to whatever ape-foundry passes (scripts/simulate.py uses it to bound Anvil's memory)."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = ROOT / "tools" / "bin" / "anvil"


def run(*args: str, extra: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ANVIL_EXTRA_ARGS"}
    if extra is not None:
        env["ANVIL_EXTRA_ARGS"] = extra
    return subprocess.run([str(WRAPPER), *args], env=env, capture_output=True, text=True, timeout=60)


def test_wrapper__is_the_anvil_ape_foundry_finds():
    # ape-foundry starts `shutil.which("anvil")`.
    assert Path(shutil.which("anvil")).resolve() == WRAPPER.resolve()


def test_wrapper__runs_the_pinned_anvil_with_its_arguments():
    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("anvil Version: 1.7.1\n")


def test_wrapper__passes_extra_args_on_to_anvil():
    # An unknown flag in ANVIL_EXTRA_ARGS reaches Anvil, which names it and fails.
    result = run("--accounts", "1", extra="--no-such-flag 5")
    assert result.returncode == 2
    assert "unexpected argument '--no-such-flag'" in result.stderr
