"""House rules (issue 11): the tree is formatted and lint-clean, so `./dev test` (and CI) fails otherwise.

The checks are `./dev lint` itself (ruff check, ruff format --diff, forge fmt --check), run as a
command so there is one definition of what is checked: the rules live in ruff.toml and tools/foundry.toml's
[fmt], the commands in `dev`. `./dev fmt` applies everything that can be fixed automatically; a
failure here prints the findings and diffs.
"""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def test_house_rules__dev_lint_finds_nothing():
    result = _run(str(ROOT / "dev"), "lint")
    if result.returncode != 0:
        pytest.fail(
            f"./dev lint exited {result.returncode}; run ./dev fmt, then fix what it leaves by hand.\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def test_house_rules__ruff_covers_every_tracked_python_file():
    """ruff's excludes (ruff.toml, .gitignore) must not hide any of the project's own Python files."""
    tracked = set(_run("git", "ls-files", "*.py").stdout.split())
    if not tracked:
        pytest.skip("not a git checkout")
    shown = _run(str(ROOT / ".venv" / "bin" / "ruff"), "check", "--show-files", ".").stdout.split()
    covered = {str(Path(p).resolve().relative_to(ROOT)) for p in shown if p.endswith(".py")}
    assert tracked <= covered, f"tracked but not checked by ruff: {sorted(tracked - covered)}"
