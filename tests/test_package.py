"""The package's pure half: it imports without ape, the two models take the same operations with the
same arguments, and the exact model alone gives seed 000's published results."""

import inspect
import subprocess
import sys
from fractions import Fraction

import pytest

from constants import E18
from spmodel import ExactPool, MirrorPool
from spmodel.seed000 import EXPECTED, EXPECTED_POOL, ideal_exact

PURE_MODULES = [
    "spmodel",
    "spmodel.amounts",
    "spmodel.exact",
    "spmodel.mirror",
    "spmodel.seed000",
    "spmodel.histories",
    "spmodel.split",
    "spmodel.report",
]


def test_pure_modules__import_without_ape():
    # A None entry in sys.modules makes any `import ape` in a fresh interpreter raise ImportError.
    code = "import sys\nsys.modules['ape'] = None\n" + "".join(f"import {name}\n" for name in PURE_MODULES)
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "name", ["register", "deposit", "withdraw", "claim", "offset", "notify", "accrue", "can_release", "compounded"]
)
def test_models__take_the_same_operations_with_the_same_arguments(name):
    def arguments(model):
        return list(inspect.signature(getattr(model, name)).parameters)

    assert arguments(ExactPool) == arguments(MirrorPool)


def test_seed000__exact_model_alone_gives_the_published_results():
    coll = "SBTC"
    model = ideal_exact({name: name for name in EXPECTED}, coll)
    for name, (rewards, balance) in EXPECTED.items():
        assert (model.gain_owed(name, coll), model.compounded(name)) == (rewards * E18, balance * E18), name
    owed, deposits = EXPECTED_POOL
    assert sum((model.gain_owed(name, coll) for name in EXPECTED), Fraction(0)) == owed * E18
    assert model.total_deposits == deposits * E18
