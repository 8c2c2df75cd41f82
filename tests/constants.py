"""Constants the tests share, in one module (`from constants import ...`: tests/ is on sys.path).

The amounts the scripts also use are the package's, defined once there; the pool's own constants
are the mirror's (spmodel.mirror), checked against the deployed contract by test_constants.py.
"""

from spmodel.amounts import E18, MAX_UINT
from spmodel.chain.deploy import FUNDS, GAIN_FUNDS

ZERO_ADDRESS = "0x" + "00" * 20

__all__ = ["E18", "FUNDS", "GAIN_FUNDS", "MAX_UINT", "ZERO_ADDRESS"]
