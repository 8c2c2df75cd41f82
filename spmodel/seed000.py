"""Seed 000's smoketest scenario and its published exact results (cipherzzz/product-sum-distribution).

Alice deposits 100 BSD, Bob 50; Bob withdraws 15; liquidations of 50 and 25 BSD for 0.01 SBTC each;
Bob deposits 100; a liquidation of 10 BSD for 0.01 SBTC.
"""

from dataclasses import dataclass
from fractions import Fraction

from .amounts import E18
from .exact import ExactPool


@dataclass(frozen=True)
class Step:
    """One action of the scenario, in whole tokens."""

    action: str  # "deposit", "withdraw" or "offset"
    who: str | None  # the provider; None for an offset
    amount: Fraction  # debt tokens deposited, withdrawn or offset
    collateral: Fraction = Fraction(0)  # an offset's collateral


SCENARIO = [
    Step("deposit", "Alice", Fraction(100)),
    Step("deposit", "Bob", Fraction(50)),
    Step("withdraw", "Bob", Fraction(15)),
    Step("offset", None, Fraction(50), Fraction(1, 100)),
    Step("offset", None, Fraction(25), Fraction(1, 100)),
    Step("deposit", "Bob", Fraction(100)),
    Step("offset", None, Fraction(10), Fraction(1, 100)),
]

# Seed 000's exact results, in whole tokens: (rewards in SBTC, balance in BSD) per provider, and the
# pool's (rewards still owed, total deposits).
EXPECTED = {
    "Alice": (Fraction(19, 1080), Fraction(125, 3)),
    "Bob": (Fraction(13, 1800), Fraction(325, 3)),
}
EXPECTED_POOL = (Fraction(67, 2700), Fraction(150))


def wei(amount: Fraction) -> int:
    """Whole tokens (18 decimals) in wei; the scenario's amounts are all whole wei."""
    value = amount * E18
    assert value.denominator == 1, amount
    return int(value)


def ideal_exact(addresses: dict[str, str], coll: str) -> ExactPool:
    """Seed 000 in the exact model alone, every gain paid exactly (no contract integers): the
    published exact results. `addresses`: each provider's name -> address."""
    model = ExactPool()
    model.register(coll)
    for now, step in enumerate(SCENARIO):
        if step.who is None:
            model.offset(wei(step.amount), coll, wei(step.collateral), now)
            continue
        who = addresses[step.who]
        if step.action == "deposit":
            model.deposit(who, wei(step.amount), now)
        else:
            model.withdraw(who, wei(step.amount), now)
        model.pay(who, coll, model.gain_owed(who, coll))  # a deposit or withdrawal pays every gain
    return model
