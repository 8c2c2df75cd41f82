"""Reference models of the StabilityPool, and (in `spmodel.chain`) the ape-bound code that drives a
deployed pool in step with them.

Pure, standard library only:
- `exact.ExactPool`: the naive O(n) pool of seed 002 in `fractions.Fraction`. At every liquidation and
  every reward release it updates every depositor's deposit and gains exactly. Ground truth.
- `mirror.MirrorPool`: the contract's own fixed-point arithmetic, line for line (same constants,
  same floors, same scale/epoch logic). The contract must equal it exactly.
- `seed000`: seed 000's smoketest scenario and its published exact results.
- `histories`: the draws of a random history (amounts across magnitudes, durations, time steps).
- `report`: plain text tables and number formatting for the scripts.

Both models take the same operations with the same arguments (`register(token)`,
`deposit(who, amount, now)`, `withdraw(who, amount, now)`, `claim(who, now)`,
`offset(debt, token, coll, now)`, `notify(token, amount, duration, now)`) and read a deposit with
`compounded(who)`, so a test or script drives them in step with the contract. Amounts are integers
in the tokens' smallest units; `now` is a block timestamp.
"""

from .exact import ExactPool
from .mirror import MirrorPool, PoolLimitError

__all__ = ["ExactPool", "MirrorPool", "PoolLimitError"]
