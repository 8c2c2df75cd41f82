"""`reverts_with`: ape.reverts that always checks the custom error and its inputs.

ape 0.8.51's `ape.reverts(Error, **inputs)` checks the error only when it could decode the revert
(transactions to a known contract); for eth_calls and failed deployments it quietly skips the
check, so any revert would pass. This helper decodes and checks it in every case.
"""

import ast
import re
from contextlib import contextmanager

import ape
from ape.exceptions import CustomError
from eth_abi import decode as abi_decode
from eth_utils import keccak

_UNDECODED = re.compile(r"(?:custom error )?0x([0-9a-fA-F]{8})(?::\s*)?([0-9a-fA-F]*)")


def _error_name_and_inputs(err, expected) -> tuple[str, dict]:
    """The custom error in a revert. Ape decodes it for transactions to a known contract; for
    eth_calls and failed deployments (ape 0.8.51) it leaves `custom error 0x<selector>: <args>`
    or `0x<selector><args>` as the message, which is decoded here against the expected error's ABI."""
    if isinstance(err, CustomError):
        return type(err).__name__, dict(err.inputs)
    match = _UNDECODED.fullmatch(err.revert_message or "")
    assert match, f"expected {expected.__name__}, got an undecodable revert: {err.revert_message!r}"
    abi = expected.abi
    selector = keccak(text=abi.selector)[:4].hex()
    if match.group(1).lower() != selector:
        return f"<selector 0x{match.group(1)}>", {}
    values = abi_decode([i.canonical_type for i in abi.inputs], bytes.fromhex(match.group(2) or ""))
    return abi.name, {i.name: v for i, v in zip(abi.inputs, values, strict=True)}


def _norm(value):
    return value.lower() if isinstance(value, str) else value


@contextmanager
def reverts_with(error, **inputs):
    """`ape.reverts(error)` that also insists the revert is exactly `error` with `inputs`.

    ape.reverts skips its own type and input checks whenever it could not decode the revert to a
    custom error (eth_calls, deployments), so those checks are made here for every revert.
    """
    with ape.reverts(error) as info:
        yield info
    name, actual = _error_name_and_inputs(info.value, error)
    assert name == error.__name__, f"expected {error.__name__}, got {name}: {info.value}"
    for key, want in inputs.items():
        assert key in actual, f"{name} has no input {key!r} ({actual})"
        assert _norm(actual[key]) == _norm(getattr(want, "address", want)), (key, actual[key], want)


def assert_deploy_reverts(container, error, *args, sender, **inputs):
    """Deploying `container(*args)` reverts with `error(**inputs)`.

    Checked with an eth_call of the init code rather than `ape.reverts`: after a chain restore a
    new contract can land on an address ape has cached for another contract type, and ape then
    decodes the revert with the wrong ABI.
    """
    from ape import chain
    from eth_tester.exceptions import TransactionFailed
    from web3.exceptions import ContractCustomError

    contract_type = container.contract_type
    abi = contract_type.model_dump(mode="json", by_alias=True)["abi"]
    factory = chain.provider.web3.eth.contract(abi=abi, bytecode=contract_type.deployment_bytecode.bytecode)
    init_code = factory.constructor(*[getattr(a, "address", a) for a in args]).data_in_transaction
    try:
        chain.provider.web3.eth.call({"from": sender.address, "data": init_code})
    except ContractCustomError as err:  # Anvil
        data = bytes.fromhex(str(err.data).removeprefix("0x"))
    except TransactionFailed as err:  # the built-in ethereum:local:test provider (py-evm)
        data = ast.literal_eval(str(err).split("execution reverted: ", 1)[1])
    else:
        raise AssertionError(f"deployment did not revert (expected {error.__name__})")
    abi = error.abi
    assert data[:4] == keccak(text=abi.selector)[:4], f"expected {error.__name__}, got 0x{data[:4].hex()}"
    values = abi_decode([i.canonical_type for i in abi.inputs], data[4:])
    actual = {i.name: v for i, v in zip(abi.inputs, values, strict=True)}
    for key, want in inputs.items():
        assert _norm(actual[key]) == _norm(getattr(want, "address", want)), (key, actual[key], want)
