"""The draws of a random history, shared by `ape run simulate` (spmodel.chain.simulation, from a
seeded `random.Random`) and the Hypothesis stateful test (as strategies over the same values)."""

import bisect
import random

from .amounts import E18

# Amounts across magnitudes, in wei of an 18-decimal token: a few wei, dust, ordinary and huge.
AMOUNT_RANGES = [(1, 10), (10**9, 10**12), (10**18, 10**24), (10**24, 10**26)]
AMOUNT_ODDS = [0.1, 0.25, 0.9]  # cumulative: P(a few wei), P(dust or less), P(ordinary or less)
# Reward stream durations in seconds (0: at once), and how far time jumps between blocks.
DURATIONS = [0, 0, 1, 60, 3600, 86_400, 7 * 86_400, 30 * 86_400]
TIME_STEPS = [1, 13, 600, 3600, 86_400, 30 * 86_400]
# How much of the pool an offset takes: a share in millionths, all but 1 to 3 wei, or everything.
SHARE_DENOMINATOR = 1_000_000
LEFT_WEI = (1, 3)


def draw_amount(rng: random.Random, unit: int = E18) -> int:
    """An amount from AMOUNT_RANGES, in wei of a token whose whole unit is `unit`: a few wei as they
    are, the larger magnitudes drawn for 18 decimals and scaled to the token's."""
    kind = bisect.bisect_right(AMOUNT_ODDS, rng.random())
    low, high = AMOUNT_RANGES[kind]
    if kind == 0:
        return rng.randint(low, high)
    return max(1, rng.randint(low, high) * unit // E18)
