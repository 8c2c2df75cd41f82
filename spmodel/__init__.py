"""Reference models of the StabilityPool.

- `exact.ExactPool`: the naive O(n) pool of seed 002 in `fractions.Fraction`. At every liquidation and
  every reward release it updates every depositor's deposit and gains exactly. Ground truth.
- `mirror.MirrorPool`: the contract's own fixed-point arithmetic, line for line (same constants,
  same floors, same scale/epoch logic). The contract must equal it exactly.

Both take the same operations with the same arguments, so a test or script drives them in step
with the contract. Amounts are integers in the tokens' smallest units; `now` is a block timestamp.
"""

from .exact import ExactPool
from .mirror import MirrorPool, PoolLimitError

__all__ = ["ExactPool", "MirrorPool", "PoolLimitError"]
