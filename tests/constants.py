"""Constants the tests share, in one module (`from constants import ...`: tests/ is on sys.path).

Amounts the scripts also use come from the package, defined once there; the pool's own constants
are the mirror's (spmodel.mirror), checked against the deployed contract by test_constants.py.
SumStaking has no Python model: its constants are stated here and checked there the same way.
"""

from spmodel.amounts import E18, MAX_UINT
from spmodel.chain.deploy import FUNDS, GAIN_FUNDS

ZERO_ADDRESS = "0x" + "00" * 20

# SumStaking's public constants.
SUM_PRECISION = 10**27
SUM_MAX_TOTAL_STAKED = 10**27
SUM_MAX_REWARD_AMOUNT = 10**36
SUM_MAX_REWARD_TOKENS = 8
SUM_MAX_STREAM_DURATION = 10 * 365 * 24 * 3600

__all__ = ["E18", "FUNDS", "GAIN_FUNDS", "MAX_UINT", "SUM_MAX_REWARD_AMOUNT", "SUM_MAX_REWARD_TOKENS",
           "SUM_MAX_STREAM_DURATION", "SUM_MAX_TOTAL_STAKED", "SUM_PRECISION", "ZERO_ADDRESS"]
