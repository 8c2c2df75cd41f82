"""Every constant the models use equals the deployed contract's, read from the contract itself."""

import pytest
from constants import (
    SUM_MAX_REWARD_AMOUNT,
    SUM_MAX_REWARD_TOKENS,
    SUM_MAX_STREAM_DURATION,
    SUM_MAX_TOTAL_STAKED,
    SUM_PRECISION,
)

from spmodel import mirror
from spmodel.chain.deploy import stream_threshold

POOL_CONSTANTS = ["P_PRECISION", "P_MIN", "SCALE_FACTOR", "MAX_SCALE_SPAN", "EPOCH_SCALE_GAP", "MAX_TOTAL_DEPOSITS",
                  "MAX_GAIN_AMOUNT", "MAX_GAIN_TOKENS", "MAX_STREAM_DURATION"]


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


def test_sum_staking_constants__equal_the_contracts(project, owner, debt_token):
    staking = project.SumStaking.deploy(debt_token, owner, sender=owner)
    assert (staking.PRECISION(), staking.MAX_TOTAL_STAKED(), staking.MAX_REWARD_AMOUNT(), staking.MAX_REWARD_TOKENS(),
            staking.MAX_STREAM_DURATION()) == (SUM_PRECISION, SUM_MAX_TOTAL_STAKED, SUM_MAX_REWARD_AMOUNT,
                                               SUM_MAX_REWARD_TOKENS, SUM_MAX_STREAM_DURATION)
