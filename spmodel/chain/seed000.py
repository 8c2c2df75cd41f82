"""Seed 000's scenario (spmodel.seed000) replayed on a deployed pool through the Harness."""

from collections.abc import Iterator

from ape.api import AccountAPI, ReceiptAPI
from ape.contracts import ContractInstance

from ..seed000 import SCENARIO, Step, wei
from .harness import Harness


def replay(h: Harness, people: dict[str, AccountAPI], coll: ContractInstance) -> Iterator[tuple[Step, ReceiptAPI]]:
    """Sends each step of SCENARIO (`people`: each provider's name -> account; `coll`: the collateral)
    and yields it with its receipt."""
    for step in SCENARIO:
        if step.who is None:
            receipt = h.offset(wei(step.amount), coll, wei(step.collateral))
        elif step.action == "deposit":
            receipt = h.deposit(people[step.who], wei(step.amount))
        else:
            receipt = h.withdraw(people[step.who], wei(step.amount))
        yield step, receipt
