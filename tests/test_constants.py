"""Every constant the mirror uses equals the deployed pool's, read from the contract itself.
(SumStaking has no Python model; test_sum_staking.py checks its constants on deployment.)"""

import pytest

from spmodel import mirror
from spmodel.chain.deploy import stream_threshold

POOL_CONSTANTS = [
    "P_PRECISION",
    "P_MIN",
    "SCALE_FACTOR",
    "MAX_SCALE_SPAN",
    "EPOCH_SCALE_GAP",
    "MAX_TOTAL_DEPOSITS",
    "MAX_GAIN_AMOUNT",
    "MAX_GAIN_TOKENS",
    "MAX_STREAM_DURATION",
]


@pytest.mark.parametrize("name", POOL_CONSTANTS)
def test_mirror_constant__equals_the_pools(pool, name):
    assert getattr(mirror, name) == getattr(pool, name)()


def test_rate_precision__equals_the_streams_scaling(harness, pool, weth):
    """RewardStream.RATE_PRECISION is an internal library constant, not readable on-chain: a fresh
    stream of 1 wei over 1 second has rate 1 * RATE_PRECISION / 1, which getStream returns."""
    harness.notify(weth, 1, 1)
    assert pool.getStream(weth)[1] == mirror.RATE_PRECISION


def test_default_stream_threshold__is_the_mirrors_default():
    """The deployments' minStreamDeposits for an 18-decimal debt token is the models' default."""
    assert stream_threshold(18) == mirror.DEFAULT_MIN_STREAM_DEPOSITS
