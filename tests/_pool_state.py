"""`unchanged`: a rejected call must change nothing. Used by the security test files
(test_nonstandard_tokens, test_access_control, test_extreme_amounts): every rejected call there
reverts with its named error and exact inputs inside `with unchanged(...)`, which reads the pool's
views, its balances and the callers' balances before and after.
"""

from contextlib import contextmanager


def pool_state(lens, pool, debt, tokens, people):
    """Everything a rejected call could have changed: globals, every depositor's snapshot, deposit,
    gains and sums, each stream, the pool's balances and the balances of `people` in every token."""
    people = [getattr(p, "address", p) for p in people]
    addresses = [t.address for t in tokens]
    globals_, compounded, gains, deferred, balances, unreleased = lens.read(pool, people, addresses)
    scale = pool.currentScale()
    return {
        "globals": tuple(globals_),
        "owner": (pool.owner(), pool.pendingOwner()),
        "compounded": tuple(compounded),
        "gains": tuple(gains),
        "deferred": tuple(deferred),
        "unreleased": tuple(unreleased),
        "pool_balances": tuple(balances),
        "deposits": [tuple(pool.getDeposit(p)) for p in people],
        "snapshots": [pool.snapshotS(p, t) for p in people for t in addresses],
        "sums": [pool.S(t, scale) for t in addresses],
        "streams": [tuple(pool.getStream(t)) for t in addresses],
        "gain_tokens": tuple(pool.gainTokens()),
        "roles": [(pool.isLiquidator(p), pool.isRewardDistributor(p)) for p in people],
        "holders": [t.balanceOf(p) for t in [debt, *tokens] for p in people],
    }


@contextmanager
def unchanged(lens, pool, debt, tokens, people):
    """The block changes nothing `pool_state(lens, pool, debt, tokens, people)` reads."""
    before = pool_state(lens, pool, debt, tokens, people)
    yield
    after = pool_state(lens, pool, debt, tokens, people)
    for key in before:
        assert after[key] == before[key], f"{key} changed: {before[key]} -> {after[key]}"
