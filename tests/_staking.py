"""Constants and formula helpers shared by the SumStaking test files (test_staking_*.py); their
fixtures are in _staking_fixtures.py.

SumStaking: the Sum (Batog) algorithm for stakes that never shrink, with rate-based reward
streams that pause while nothing is staked, and reward payouts that a failing token cannot block.

Time is set explicitly before every transaction that matters (`chain.pending_timestamp = t`;
Anvil accepts the same timestamp for consecutive blocks), always relative to the chain's own
clock at the start of the test, so the tests do not depend on wall time or on test order.

Expected amounts are computed from the contract's formulas (helpers below), with its roundings:
rate = floor(amount * 1e18 / duration); a release of `rate * seconds` (scaled by 1e18) into
stakes T adds floor(rate * seconds * 1e27 / (1e18 * T)) to S; a zero-duration credit adds
floor(amount * 1e27 / T); a stake s is paid floor(s * (S - S_t) / 1e27).
"""

from spmodel.mirror import RATE_PRECISION

PRECISION = 10**27
MAX_TOTAL_STAKED = 10**27
MAX_REWARD_AMOUNT = 10**36
MAX_STREAM_DURATION = 10 * 365 * 24 * 3600
GAS_CEILING = 150_000


def at(chain, t):
    """The next block (the next transaction) gets timestamp `t`."""
    chain.pending_timestamp = t


def logs(receipt, event):
    return list(receipt.decode_logs(event))


def paid(receipt, staking, token) -> int:
    """Total `token` paid out as rewards in `receipt`."""
    return sum(log.amount for log in logs(receipt, staking.RewardPaid) if log.token == token.address)


def rate_of(amount, duration, unreleased_scaled=0):
    """RewardStream.renew: the new rate, wei per second times 1e18, rounded down."""
    return (unreleased_scaled + amount * RATE_PRECISION) // duration


def released_dS(released_scaled, total):
    """The S increment for a stream release (scaled by 1e18) into stakes `total`."""
    return released_scaled * PRECISION // (RATE_PRECISION * total)


def credit_dS(amount, total):
    """The S increment for a zero-duration credit of `amount` wei into stakes `total`."""
    return amount * PRECISION // total


def share(stake, dS):
    """What a stake earns over an S increase of dS."""
    return stake * dS // PRECISION
