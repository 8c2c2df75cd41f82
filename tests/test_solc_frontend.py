"""The compiler front end (tools/solc-frontend.js) that stands in for a native `solc` binary.

py-solc-x only ever calls it with `--version` and with `--standard-json` plus path options, JSON on
stdin. These tests call it exactly that way, through a pipe, as py-solc-x does.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
import solcx

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "tools" / "solc-frontend.js"
SOLC_VERSION = "0.8.24"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(FRONTEND), *args], input=stdin, capture_output=True, text=True, timeout=120)


def standard_json(sources: dict[str, str], outputs=("abi", "evm.bytecode.object")) -> str:
    return json.dumps(
        {
            "language": "Solidity",
            "sources": {name: {"content": text} for name, text in sources.items()},
            "settings": {"outputSelection": {"*": {"*": list(outputs)}}},
        }
    )


def errors_of(output: dict) -> list[dict]:
    return [e for e in output.get("errors", []) if e["severity"] == "error"]


def test_version__answers_like_native_solc():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].startswith(f"Version: {SOLC_VERSION}+commit.")
    # The executable py-solc-x finds is ours, and it parses our answer to the pinned version.
    binary = ROOT / ".solcx" / f"solc-v{SOLC_VERSION}"
    assert str(solcx.wrapper.get_solc_version(binary)) == SOLC_VERSION


def test_standard_json__large_output_arrives_intact_through_a_pipe():
    # 60 contracts with full bytecode, assembly and metadata: several MiB, far past the 64 KiB
    # at which the solcjs command line truncates piped output.
    body = "\n".join(
        f"contract C{i} {{ uint256 public v{i}; function f(uint256 x) external {{ v{i} += x * {i}; }} }}"
        for i in range(60)
    )
    source = f"// SPDX-License-Identifier: MIT\npragma solidity {SOLC_VERSION};\n{body}\n"
    result = run(
        "--standard-json",
        stdin=standard_json({"Big.sol": source}, ("abi", "evm.bytecode", "evm.legacyAssembly", "metadata")),
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 1_000_000
    output = json.loads(result.stdout)  # raises if truncated
    assert errors_of(output) == []
    assert sorted(output["contracts"]["Big.sol"]) == sorted(f"C{i}" for i in range(60))
    assert all(
        re.fullmatch(r"[0-9a-f]+", c["evm"]["bytecode"]["object"]) for c in output["contracts"]["Big.sol"].values()
    )


def test_standard_json__compile_error_is_reported_as_an_error():
    source = f"pragma solidity {SOLC_VERSION};\ncontract Broken {{ function f() external {{ undefinedName = 1; }} }}\n"
    result = run("--standard-json", stdin=standard_json({"Broken.sol": source}))
    # Native solc also exits 0 in standard-json mode and reports errors in the JSON.
    assert result.returncode == 0
    errors = errors_of(json.loads(result.stdout))
    assert [e["type"] for e in errors] == ["DeclarationError"]
    assert errors[0]["message"] == "Undeclared identifier."
    assert "undefinedName" in errors[0]["formattedMessage"]


def test_standard_json__imports_resolve_from_base_and_include_paths_only(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "Lib.sol").write_text(
        f"// SPDX-License-Identifier: MIT\npragma solidity {SOLC_VERSION};\n"
        "library Lib { function one() internal pure returns (uint256) { return 1; } }\n"
    )
    main = (
        f'pragma solidity {SOLC_VERSION};\nimport "lib/Lib.sol";\n'
        "contract Main { function f() external pure returns (uint256) { return Lib.one(); } }\n"
    )
    ok = run("--standard-json", "--base-path", str(tmp_path), stdin=standard_json({"Main.sol": main}))
    assert "Main" in json.loads(ok.stdout)["contracts"]["Main.sol"]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    missing = run("--standard-json", "--base-path", str(elsewhere), stdin=standard_json({"Main.sol": main}))
    errors = errors_of(json.loads(missing.stdout))
    assert [e["type"] for e in errors] == ["ParserError"]
    assert "lib/Lib.sol" in errors[0]["message"]


@pytest.mark.parametrize("args", [["--bogus"], []])
def test_bad_command_line__fails_with_a_message(args):
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.startswith("solc-frontend: ")
