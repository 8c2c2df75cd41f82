"""SumStaking: the Sum (Batog) algorithm for stakes that never shrink, with rate-based reward
streams that pause while nothing is staked, and reward payouts that a failing token cannot block.

Time is set explicitly before every transaction that matters (`chain.pending_timestamp = t`;
Anvil accepts the same timestamp for consecutive blocks), always relative to the chain's own
clock at the start of the test, so the tests do not depend on wall time or on test order.

Expected amounts are computed from the contract's formulas (helpers below), with its roundings:
rate = floor(amount * 1e18 / duration); a release of `rate * seconds` (scaled by 1e18) into
stakes T adds floor(rate * seconds * 1e27 / (1e18 * T)) to S; a zero-duration credit adds
floor(amount * 1e27 / T); a stake s is paid floor(s * (S - S_t) / 1e27).
"""


import ape
import pytest

from _reverts import assert_deploy_reverts, reverts_with

E18 = 10**18
PRECISION = 10**27
MAX_TOTAL_STAKED = 10**27
MAX_REWARD_AMOUNT = 10**36
RATE_PRECISION = 10**18
MAX_STREAM_DURATION = 10 * 365 * 24 * 3600
MAX_UINT = 2**256 - 1
ZERO = "0x0000000000000000000000000000000000000000"
GAS_CEILING = 150_000
NORMAL, REVERT_ALL, RETURN_FALSE, BURN_GAS = range(4)  # HostileERC20.Mode


# ---------------------------------------------------------------- fixtures
# Roles (owner, distributor, alice, bob, carol) come from tests/conftest.py.


@pytest.fixture(scope="module")
def stk(project, owner):
    return project.MockERC20.deploy("Stake", "STK", 18, sender=owner)


@pytest.fixture(scope="module")
def rwd(project, owner):
    return project.MockERC20.deploy("Reward", "RWD", 18, sender=owner)


@pytest.fixture(scope="module")
def rwd2(project, owner):
    return project.MockERC20.deploy("Reward Two", "RW2", 6, sender=owner)


@pytest.fixture(scope="module")
def staking(project, owner, alice, bob, carol, distributor, stk, rwd, rwd2):
    """SumStaking with one registered reward token (`rwd`), `distributor` authorised, and every
    account funded and approved. `rwd2` is funded but registered only by the tests that need it."""
    contract = project.SumStaking.deploy(stk, owner, sender=owner)
    contract.registerRewardToken(rwd, sender=owner)
    contract.setRewardDistributor(distributor, True, sender=owner)
    for staker in (alice, bob, carol):
        stk.mint(staker, 10**24, sender=staker)
        stk.approve(contract, MAX_UINT, sender=staker)
    for token in (rwd, rwd2):
        token.mint(distributor, 10**30, sender=distributor)
        token.approve(contract, MAX_UINT, sender=distributor)
    return contract


@pytest.fixture
def hostile(project, owner, distributor, staking):
    """A HostileERC20 registered as the second reward token, the distributor funded and approved."""
    token = project.HostileERC20.deploy(sender=owner)
    staking.registerRewardToken(token, sender=owner)
    token.mint(distributor, 10**30, sender=distributor)
    token.approve(staking, MAX_UINT, sender=distributor)
    return token


@pytest.fixture
def t0(chain):
    """A start time safely after every block so far."""
    return chain.pending_timestamp + 100


# ---------------------------------------------------------------- helpers


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


# ---------------------------------------------------------------- deployment and owner


def test_deploy__initial_state(staking, owner, stk, rwd):
    assert staking.stakingToken() == stk.address
    assert staking.owner() == owner.address
    assert staking.rewardTokens() == [rwd.address]
    assert staking.totalStaked() == 0
    assert staking.PRECISION() == PRECISION
    assert staking.MAX_TOTAL_STAKED() == MAX_TOTAL_STAKED
    assert staking.MAX_REWARD_AMOUNT() == MAX_REWARD_AMOUNT
    assert staking.getStream(rwd) == (0, 0, 0, 0)


def test_constructor__zero_addresses_revert(project, owner):
    container = project.SumStaking
    assert_deploy_reverts(container, container.ZeroAddress, ZERO, owner, sender=owner)
    assert_deploy_reverts(container, container.OwnableInvalidOwner, owner, ZERO, sender=owner, owner=ZERO)


def test_register_reward_token__event_and_every_error(project, staking, owner, alice, stk, rwd):
    token = project.MockERC20.deploy("X", "X", 18, sender=owner)
    receipt = staking.registerRewardToken(token, sender=owner)
    [log] = logs(receipt, staking.RewardTokenRegistered)
    assert (log.token, log.index) == (token.address, 1)
    assert staking.rewardTokens() == [rwd.address, token.address]

    with reverts_with(staking.ZeroAddress):
        staking.registerRewardToken(ZERO, sender=owner)
    with reverts_with(staking.InvalidRewardToken, token=stk.address):
        staking.registerRewardToken(stk, sender=owner)
    with reverts_with(staking.InvalidRewardToken, token=token.address):
        staking.registerRewardToken(token, sender=owner)
    with reverts_with(staking.OwnableUnauthorizedAccount, account=alice.address):
        staking.registerRewardToken(alice, sender=alice)

    for _ in range(6):  # up to 8
        staking.registerRewardToken(project.MockERC20.deploy("Y", "Y", 18, sender=owner), sender=owner)
    assert len(staking.rewardTokens()) == 8
    extra = project.MockERC20.deploy("Z", "Z", 18, sender=owner)
    with reverts_with(staking.TooManyRewardTokens, cap=8):
        staking.registerRewardToken(extra, sender=owner)


def test_set_reward_distributor__event_and_errors(staking, owner, alice):
    receipt = staking.setRewardDistributor(alice, True, sender=owner)
    [log] = logs(receipt, staking.RewardDistributorSet)
    assert (log.account, log.authorised) == (alice.address, True)
    assert staking.isRewardDistributor(alice)

    staking.setRewardDistributor(alice, False, sender=owner)
    assert not staking.isRewardDistributor(alice)
    with reverts_with(staking.NotRewardDistributor, caller=alice.address):
        staking.notifyReward(ZERO, 1, 0, sender=alice)

    with reverts_with(staking.ZeroAddress):
        staking.setRewardDistributor(ZERO, True, sender=owner)
    with reverts_with(staking.OwnableUnauthorizedAccount, account=alice.address):
        staking.setRewardDistributor(alice, True, sender=alice)


# ---------------------------------------------------------------- error paths


def test_stake_unstake_claim__errors(staking, alice, bob, stk, rwd):
    with reverts_with(staking.ZeroAmount):
        staking.stake(0, sender=alice)
    with reverts_with(staking.NoStake, staker=alice.address):
        staking.unstake(1, sender=alice)
    with reverts_with(staking.NoStake, staker=alice.address):
        staking.claim(sender=alice)

    staking.stake(E18, sender=alice)
    with reverts_with(staking.ZeroAmount):
        staking.unstake(0, sender=alice)
    with reverts_with(staking.NoStake, staker=bob.address):
        staking.claim(sender=bob)

    with reverts_with(staking.UnknownToken, token=stk.address):
        staking.earned(alice, stk)
    with reverts_with(staking.UnknownToken, token=stk.address):
        staking.getStream(stk)


def test_stake__total_cap(staking, alice, bob, stk):
    stk.mint(alice, MAX_TOTAL_STAKED, sender=alice)
    staking.stake(E18, sender=bob)
    available = MAX_TOTAL_STAKED - E18
    with reverts_with(staking.TotalStakedCapExceeded, amount=available + 1, available=available):
        staking.stake(available + 1, sender=alice)
    # A huge amount gets the named error too, not an arithmetic Panic.
    with reverts_with(staking.TotalStakedCapExceeded, amount=MAX_UINT, available=available):
        staking.stake(MAX_UINT, sender=alice)
    staking.stake(MAX_TOTAL_STAKED - E18, sender=alice)  # exactly at the cap is fine
    assert staking.totalStaked() == MAX_TOTAL_STAKED


def test_notify__errors(staking, project, owner, distributor, alice, rwd, stk):
    with reverts_with(staking.NotRewardDistributor, caller=alice.address):
        staking.notifyReward(rwd, E18, 100, sender=alice)
    with reverts_with(staking.ZeroAmount):
        staking.notifyReward(rwd, 0, 100, sender=distributor)
    with reverts_with(staking.DurationTooLong, duration=MAX_STREAM_DURATION + 1, cap=MAX_STREAM_DURATION):
        staking.notifyReward(rwd, E18, MAX_STREAM_DURATION + 1, sender=distributor)
    with reverts_with(staking.UnknownToken, token=stk.address):
        staking.notifyReward(stk, E18, 100, sender=distributor)
    with reverts_with(staking.RewardAmountTooLarge, amount=MAX_REWARD_AMOUNT + 1, cap=MAX_REWARD_AMOUNT):
        staking.notifyReward(rwd, MAX_REWARD_AMOUNT + 1, 100, sender=distributor)
    # Duration 0: the cap is checked before the stakes (nothing is staked here).
    with reverts_with(staking.RewardAmountTooLarge, amount=MAX_REWARD_AMOUNT + 1, cap=MAX_REWARD_AMOUNT):
        staking.notifyReward(rwd, MAX_REWARD_AMOUNT + 1, 0, sender=distributor)

    # The cap counts what the running stream has not released yet (paused: nothing is staked).
    rwd.mint(distributor, MAX_REWARD_AMOUNT, sender=distributor)
    staking.notifyReward(rwd, MAX_REWARD_AMOUNT - 5, MAX_STREAM_DURATION, sender=distributor)
    rate = rate_of(MAX_REWARD_AMOUNT - 5, MAX_STREAM_DURATION)
    unreleased = rate * MAX_STREAM_DURATION // RATE_PRECISION
    assert staking.getStream(rwd)[:2] == (unreleased, rate)
    room = MAX_REWARD_AMOUNT - unreleased
    assert room == 6  # the rate's floor keeps back under 1 wei: (1e36 - 5) * 1e18 is not a multiple
    with reverts_with(staking.RewardAmountTooLarge, amount=room + 1, cap=room):
        staking.notifyReward(rwd, room + 1, 100, sender=distributor)
    # A huge amount gets the named error too, not an arithmetic Panic.
    with reverts_with(staking.RewardAmountTooLarge, amount=MAX_UINT, cap=room):
        staking.notifyReward(rwd, MAX_UINT, 100, sender=distributor)

    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)
    staking.registerRewardToken(fot, sender=owner)
    fot.mint(distributor, 10_000, sender=distributor)
    fot.approve(staking, 10_000, sender=distributor)
    with reverts_with(staking.TransferShortfall, token=fot.address, expected=10_000, received=9_900):
        staking.notifyReward(fot, 10_000, 100, sender=distributor)


def test_stake__fee_on_transfer_staking_token_reverts(project, owner, alice):
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)
    contract = project.SumStaking.deploy(fot, owner, sender=owner)
    fot.mint(alice, 10_000, sender=alice)
    fot.approve(contract, 10_000, sender=alice)
    with reverts_with(contract.TransferShortfall, token=fot.address, expected=10_000, received=9_900):
        contract.stake(10_000, sender=alice)


def test_payout__negative_rebase_defers_the_reward(chain, project, staking, owner, distributor, alice, t0):
    """The contract holds less than it owes in a reward token: the claim goes through, the reward
    is deferred, and claiming it strictly refuses with PoolShortfall."""
    reb = project.RebasingERC20.deploy(18, sender=owner)
    staking.registerRewardToken(reb, sender=owner)
    reb.mint(distributor, 100 * E18, sender=distributor)
    reb.approve(staking, MAX_UINT, sender=distributor)
    at(chain, t0)
    staking.stake(10 * E18, sender=alice)
    staking.notifyReward(reb, 100 * E18, 0, sender=distributor)  # nobody else: alice is owed it all
    reb.rebase(1, 2, sender=owner)  # the contract now holds 50

    receipt = staking.claim(sender=alice)
    assert paid(receipt, staking, reb) == 0
    [log] = logs(receipt, staking.RewardDeferred)
    assert (log.staker, log.token, log.amount) == (alice.address, reb.address, 100 * E18)
    assert staking.deferredRewards(alice, reb) == 100 * E18
    with reverts_with(staking.PoolShortfall, token=reb.address, owed=100 * E18, balance=50 * E18):
        staking.claimDeferred(reb, alice, sender=alice)


# ---------------------------------------------------------------- distribution


def test_two_stakers__late_staker_gets_a_quarter(chain, staking, alice, bob, distributor, rwd, t0):
    """A stakes 100 at t0, R = 4e18 streams over T = 1000 s from t0, B stakes 100 at t0 + T/2:
    A earns R/2 + R/4 = 3R/4, B earns R/4 (every division is exact here)."""
    R, T = 4 * E18, 1000
    rate = rate_of(R, T)
    assert rate == 4 * 10**33
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + T // 2)
    staking.stake(100 * E18, sender=bob)
    assert staking.getStream(rwd) == (R // 2, rate, t0 + T // 2, t0 + T)

    at(chain, t0 + T + 7)
    got_a = paid(staking.claim(sender=alice), staking, rwd)
    at(chain, t0 + T + 9)
    got_b = paid(staking.claim(sender=bob), staking, rwd)

    assert got_a == 3 * R // 4
    assert got_b == R // 4
    assert rwd.balanceOf(alice) == got_a and rwd.balanceOf(bob) == got_b
    assert staking.getStream(rwd) == (0, rate, t0 + T + 7, 0)  # finished
    assert rwd.balanceOf(staking) == 0


def test_two_stakers__awkward_numbers_stay_within_a_wei_per_release_and_payout(
    chain, staking, alice, bob, distributor, rwd, t0
):
    """Amounts and times that make every division round: each payout is exactly what the formulas
    give, and the total stays within one wei per release and payout below R, never above."""
    R, T = 10**18 + 12_345, 997
    a, b = 3 * E18 + 1, 7 * E18 + 3
    rate = rate_of(R, T)
    at(chain, t0)
    staking.stake(a, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 331)
    staking.stake(b, sender=bob)
    at(chain, t0 + 600)
    r1 = staking.claim(sender=alice)
    at(chain, t0 + T + 1)
    r2 = staking.claim(sender=alice)
    r3 = staking.claim(sender=bob)

    s1 = released_dS(rate * 331, a)
    s2 = s1 + released_dS(rate * (600 - 331), a + b)
    s3 = s2 + released_dS(rate * (T - 600), a + b)
    assert staking.S(rwd) == s3
    assert paid(r1, staking, rwd) == share(a, s2)
    assert paid(r2, staking, rwd) == share(a, s3 - s2)
    assert paid(r3, staking, rwd) == share(b, s3 - s1)

    total_paid = sum(paid(r, staking, rwd) for r in (r1, r2, r3))
    releases = 3  # at t0 + 331, t0 + 600, t0 + T + 1 (the second claim there releases nothing)
    payouts = 3
    assert R - (releases + payouts) <= total_paid <= R
    assert rwd.balanceOf(staking) == R - total_paid


def test_stream_while_nobody_staked__pauses_until_someone_stakes(chain, staking, alice, distributor, rwd, t0):
    """Nothing is released while nothing is staked: the stream's end moves later by the time held,
    and the first staker earns it second by second from when they arrive."""
    R, T = 10**18 + 1, 1000
    rate = rate_of(R, T)
    unreleased = rate * T // RATE_PRECISION
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + T // 2)
    staking.stake(3 * E18, sender=alice)  # paused for T/2: finish moves from t0 + T to t0 + 3T/2
    assert staking.getStream(rwd) == (unreleased, rate, t0 + T // 2, t0 + T + T // 2)

    at(chain, t0 + 2 * T)
    got = paid(staking.claim(sender=alice), staking, rwd)
    assert got == share(3 * E18, released_dS(rate * T, 3 * E18))
    assert R - 2 <= got <= R  # the rate floor (< 1e-15 wei), one release and one payout
    assert staking.getStream(rwd) == (0, rate, t0 + 2 * T, 0)


def test_stream_notified_while_nobody_staked__starts_when_the_first_staker_comes(
    chain, staking, alice, distributor, rwd, t0
):
    """A stream whose original end passed before anyone staked is not released as a lump to the
    first staker: it runs its whole duration from their arrival."""
    R, T = 5 * E18 + 7, 100
    a = 3 * E18
    rate = rate_of(R, T)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 1000)
    staking.stake(a, sender=alice)
    assert staking.getStream(rwd) == (rate * T // RATE_PRECISION, rate, t0 + 1000, t0 + 1000 + T)
    assert staking.earned(alice, rwd) == 0  # view at the head block (t0 + 1000): nothing yet
    chain.mine(timestamp=t0 + 1040)
    assert staking.earned(alice, rwd) == share(a, released_dS(rate * 40, a))
    at(chain, t0 + 1101)
    got = paid(staking.claim(sender=alice), staking, rwd)
    assert got == share(a, released_dS(rate * T, a))
    assert R - 2 <= got <= R


def test_duration_zero__pays_at_once(chain, staking, alice, bob, distributor, rwd, t0):
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    staking.stake(300 * E18, sender=bob)
    at(chain, t0 + 1)
    receipt = staking.notifyReward(rwd, 4 * E18, 0, sender=distributor)
    [s_log] = logs(receipt, staking.S_Updated)
    assert (s_log.token, s_log.S) == (rwd.address, credit_dS(4 * E18, 400 * E18))
    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.duration, log.rate, log.finish) == (rwd.address, 4 * E18, 0, 0, 0)
    assert staking.getStream(rwd) == (0, 0, 0, 0)  # no stream was started or touched
    assert staking.earned(alice, rwd) == E18
    assert staking.earned(bob, rwd) == 3 * E18
    assert paid(staking.claim(sender=bob), staking, rwd) == 3 * E18


def test_duration_zero_during_a_stream__credits_exactly_and_leaves_the_stream(
    chain, staking, alice, bob, distributor, rwd, t0
):
    """A zero-duration notification credits exactly its amount (nothing joins the stream, nothing
    is held), and with nothing staked it is refused with NothingStaked."""
    R, T = 4 * E18 + 3, 1000
    a, b = 100 * E18, 300 * E18
    rate = rate_of(R, T)
    at(chain, t0)
    staking.stake(a, sender=alice)
    staking.stake(b, sender=bob)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 100)
    staking.claim(sender=bob)  # advances the stream to t0 + 100
    stream = staking.getStream(rwd)
    assert stream == (rate * (T - 100) // RATE_PRECISION, rate, t0 + 100, t0 + T)
    s_before = staking.S(rwd)
    assert s_before == released_dS(rate * 100, a + b)
    earned_a = staking.earned(alice, rwd)
    assert earned_a == share(a, s_before)

    at(chain, t0 + 100)
    receipt = staking.notifyReward(rwd, 2 * E18, 0, sender=distributor)
    assert staking.getStream(rwd) == stream  # untouched
    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.duration, log.rate, log.finish) == (rwd.address, 2 * E18, 0, rate, t0 + T)
    [s_log] = logs(receipt, staking.S_Updated)  # only the credit: the stream had nothing to release
    assert s_log.S == s_before + credit_dS(2 * E18, a + b) == s_before + 5 * 10**24
    # Exactly 2e18 more, split 1 : 3 (the stream adds nothing within the same second).
    assert staking.earned(alice, rwd) - earned_a == E18 // 2
    assert staking.earned(bob, rwd) == 3 * E18 // 2
    assert rwd.balanceOf(staking) == R + 2 * E18 - share(b, s_before)  # bob claimed at t0 + 100

    at(chain, t0 + 200)
    staking.unstake(MAX_UINT, sender=alice)
    staking.unstake(MAX_UINT, sender=bob)
    with reverts_with(staking.NothingStaked):
        staking.notifyReward(rwd, E18, 0, sender=distributor)


def test_second_notify_mid_stream__carries_the_remainder(chain, staking, alice, distributor, rwd, t0):
    R1, R2, T = 4 * E18, 6 * E18, 1000
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R1, T, sender=distributor)
    at(chain, t0 + 250)
    receipt = staking.notifyReward(rwd, R2, T, sender=distributor)

    rate = rate_of(R2, T, unreleased_scaled=rate_of(R1, T) * 750)  # (3e36 + 6e36) / 1000
    assert rate == 9 * 10**33
    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.duration, log.rate, log.finish) == (rwd.address, R2, T, rate, t0 + 250 + T)
    assert staking.getStream(rwd) == (R1 * 3 // 4 + R2, rate, t0 + 250, t0 + 250 + T)
    [s_log] = logs(receipt, staking.S_Updated)  # the first quarter of R1 was released first
    assert s_log.S == (R1 // 4) * PRECISION // (100 * E18)

    at(chain, t0 + 250 + T // 2)  # half of the combined stream
    assert paid(staking.claim(sender=alice), staking, rwd) == R1 // 4 + (R1 * 3 // 4 + R2) // 2
    at(chain, t0 + 250 + T)
    staking.claim(sender=alice)
    assert rwd.balanceOf(alice) == R1 + R2  # every division is exact here


def test_unstake__capped_at_stake_then_max_closes(chain, staking, alice, bob, stk, rwd, distributor, t0):
    at(chain, t0)
    staking.stake(10 * E18, sender=alice)
    staking.stake(5 * E18, sender=bob)
    staking.notifyReward(rwd, 3 * E18, 0, sender=distributor)
    before = stk.balanceOf(bob)

    staking.unstake(6 * E18, sender=bob)  # more than the stake: pays the stake
    assert stk.balanceOf(bob) == before + 5 * E18
    assert staking.stakeOf(bob) == 0 and staking.totalStaked() == 10 * E18
    assert staking.snapshotS(bob, rwd) == 0  # cleared with the stake
    assert rwd.balanceOf(bob) == E18

    before = stk.balanceOf(alice)
    staking.unstake(4 * E18, sender=alice)
    assert stk.balanceOf(alice) == before + 4 * E18 and staking.stakeOf(alice) == 6 * E18
    assert staking.snapshotS(alice, rwd) == staking.S(rwd)
    receipt = staking.unstake(MAX_UINT, sender=alice)
    assert stk.balanceOf(alice) == before + 10 * E18
    assert staking.stakeOf(alice) == 0 and staking.totalStaked() == 0
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (alice.address, 0, 0)
    assert rwd.balanceOf(alice) == 2 * E18  # paid at the first unstake; nothing more accrued
    with reverts_with(staking.NoStake, staker=alice.address):
        staking.unstake(MAX_UINT, sender=alice)


# ---------------------------------------------------------------- events and views


def test_events__stake_and_notify_field_by_field(chain, staking, alice, bob, distributor, rwd, stk, t0):
    at(chain, t0)
    receipt = staking.stake(100 * E18, sender=alice)
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (alice.address, 100 * E18, 100 * E18)
    assert logs(receipt, staking.RewardPaid) == []

    at(chain, t0 + 10)
    receipt = staking.notifyReward(rwd, 4 * E18, 1000, sender=distributor)
    [log] = logs(receipt, staking.RewardNotified)
    fields = (log.token, log.amount, log.duration, log.rate, log.finish)
    assert fields == (rwd.address, 4 * E18, 1000, 4 * 10**33, t0 + 1010)
    assert logs(receipt, staking.S_Updated) == []  # nothing to release yet
    assert rwd.balanceOf(staking) == 4 * E18

    at(chain, t0 + 510)  # half the stream: 2e18 to alice alone
    receipt = staking.stake(100 * E18, sender=alice)
    [s_log] = logs(receipt, staking.S_Updated)
    assert (s_log.token, s_log.S) == (rwd.address, 2 * E18 * PRECISION // (100 * E18))
    [paid_log] = logs(receipt, staking.RewardPaid)
    assert (paid_log.staker, paid_log.token, paid_log.amount) == (alice.address, rwd.address, 2 * E18)
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (alice.address, 200 * E18, 200 * E18)
    assert staking.snapshotS(alice, rwd) == s_log.S == staking.S(rwd)

    at(chain, t0 + 510)
    receipt = staking.stake(50 * E18, sender=bob)
    [log] = logs(receipt, staking.StakeUpdated)
    assert (log.staker, log.stake, log.totalStaked) == (bob.address, 50 * E18, 250 * E18)
    assert logs(receipt, staking.S_Updated) == []  # already released up to now
    assert staking.stakeOf(bob) == 50 * E18


def test_earned__view_matches_the_payout(chain, staking, project, owner, alice, bob, distributor, rwd, rwd2, t0):
    staking.registerRewardToken(rwd2, sender=owner)
    at(chain, t0)
    staking.stake(3 * E18 + 1, sender=alice)
    staking.stake(7 * E18, sender=bob)
    staking.notifyReward(rwd, 10**18 + 3, 777, sender=distributor)
    staking.notifyReward(rwd2, 10**6 + 1, 333, sender=distributor)
    for dt in (101, 313, 500, 900):
        chain.mine(timestamp=t0 + dt)  # views at the head block see its timestamp
        views = {t: staking.earned(alice, t) for t in (rwd, rwd2)}
        at(chain, t0 + dt)  # the claim runs at the very same timestamp
        receipt = staking.claim(sender=alice)
        assert {t: paid(receipt, staking, t) for t in (rwd, rwd2)} == views
        assert all(staking.earned(alice, t) == 0 for t in (rwd, rwd2))


def test_solvency__rewards_owed_never_exceed_the_balance(
    chain, staking, owner, alice, bob, carol, distributor, rwd, rwd2, t0
):
    """Several stakers and two streams, every action at an awkward time: after each step the sum of
    everyone's earned is at most the contract's balance, and at the end everything but
    sub-wei dust (at most one wei per release plus one per payout) has been paid out."""
    staking.registerRewardToken(rwd2, sender=owner)
    stakers = (alice, bob, carol)
    notified = {rwd: 0, rwd2: 0}
    receipts = []

    def act(dt, fn, *args, sender):
        at(chain, t0 + dt)
        receipt = fn(*args, sender=sender)
        receipts.append(receipt)
        chain.mine(timestamp=t0 + dt)
        for token in (rwd, rwd2):
            owed = sum(staking.earned(s, token) for s in stakers)
            assert owed <= token.balanceOf(staking)
        return receipt

    def notify(dt, token, amount, duration):
        notified[token] += amount
        act(dt, staking.notifyReward, token, amount, duration, sender=distributor)

    notify(0, rwd, 3 * E18 + 17, 700)  # nobody staked yet: paused until alice stakes
    act(13, staking.stake, 1 * E18 + 7, sender=alice)
    notify(29, rwd2, 5 * 10**6 + 3, 401)
    act(97, staking.stake, 333 * 10**15, sender=bob)
    act(151, staking.stake, 2, sender=carol)  # a 2-wei stake
    act(211, staking.claim, sender=alice)
    notify(307, rwd, 10**17 + 1, 0)
    act(389, staking.unstake, 10**15 + 1, sender=bob)
    act(401, staking.stake, 5 * E18, sender=carol)
    notify(499, rwd2, 7 * 10**6, 977)
    act(613, staking.unstake, MAX_UINT, sender=alice)
    act(777, staking.claim, sender=carol)
    act(1500, staking.unstake, MAX_UINT, sender=bob)
    act(1500, staking.unstake, MAX_UINT, sender=carol)

    assert staking.totalStaked() == 0
    releases = sum(len(logs(r, staking.S_Updated)) for r in receipts)
    for token in (rwd, rwd2):
        assert staking.getStream(token)[0] == 0  # everything released
        received = sum(token.balanceOf(s) for s in stakers)
        payouts = sum(1 for r in receipts for log in logs(r, staking.RewardPaid) if log.token == token.address)
        dust = token.balanceOf(staking)
        assert received + dust == notified[token]
        assert dust <= releases + payouts, (token.symbol(), dust, releases, payouts)


# ---------------------------------------------------------------- flash capture (stream pause)


def test_flash_capture__same_transaction_staker_gets_nothing_and_the_stream_resumes(
    chain, project, staking, owner, alice, bob, carol, distributor, stk, rwd, t0
):
    """A stream runs with one staker, who leaves; nothing is staked past the stream's original end.
    A contract that stakes, claims and unstakes in one transaction then gets 0 (the paused stream
    has released nothing to take), and the stream resumes second by second for whoever stays."""
    R, T = 10**18 + 7, 997
    a, b = 10 * E18, 3 * E18 + 1
    rate = rate_of(R, T)
    at(chain, t0)
    staking.stake(a, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 250)
    receipt = staking.unstake(MAX_UINT, sender=alice)
    assert paid(receipt, staking, rwd) == share(a, released_dS(rate * 250, a))
    unreleased = rate * (T - 250) // RATE_PRECISION
    assert staking.getStream(rwd) == (unreleased, rate, t0 + 250, t0 + T)

    batcher = project.Batcher.deploy(sender=owner)
    X = 50 * E18
    stk.mint(batcher, X, sender=owner)
    targets = [stk.address, staking.address, staking.address, staking.address]
    calls = [
        stk.approve.encode_input(staking.address, X),
        staking.stake.encode_input(X),
        staking.claim.encode_input(),
        staking.unstake.encode_input(MAX_UINT),
    ]
    t_flash = t0 + 2 * T  # long past the stream's original end (t0 + T)
    at(chain, t_flash)
    receipt = batcher.run(targets, calls, sender=carol)
    assert logs(receipt, staking.RewardPaid) == [] and logs(receipt, staking.S_Updated) == []
    assert rwd.balanceOf(batcher) == 0
    assert stk.balanceOf(batcher) == X and staking.totalStaked() == 0
    # Paused from t0 + 250 to t_flash: the end moved later by exactly that hold.
    assert staking.getStream(rwd) == (unreleased, rate, t_flash, t_flash + T - 250)

    t1, k = t0 + 3000, 100
    at(chain, t1)
    staking.stake(b, sender=bob)
    assert staking.getStream(rwd) == (unreleased, rate, t1, t1 + T - 250)
    at(chain, t1 + k)
    got = paid(staking.unstake(MAX_UINT, sender=bob), staking, rwd)
    assert got == share(b, released_dS(rate * k, b))
    assert rate * k // RATE_PRECISION - 1 <= got <= rate * k // RATE_PRECISION  # k seconds' worth
    assert staking.getStream(rwd) == (rate * (T - 250 - k) // RATE_PRECISION, rate, t1 + k, t1 + T - 250)


# ---------------------------------------------------------------- failing reward tokens


def test_blocklisted_staker__unstake_completes_reward_deferred_then_claimed_to_another_address(
    chain, staking, alice, carol, distributor, stk, rwd, hostile, t0
):
    a = 10 * E18
    at(chain, t0)
    staking.stake(a, sender=alice)
    staking.notifyReward(rwd, 3 * E18, 0, sender=distributor)
    staking.notifyReward(hostile, 5 * E18, 0, sender=distributor)
    hostile.setBlocked(alice, True, sender=carol)
    before = stk.balanceOf(alice)

    receipt = staking.unstake(MAX_UINT, sender=alice)
    assert stk.balanceOf(alice) == before + a and staking.stakeOf(alice) == 0
    assert paid(receipt, staking, rwd) == 3 * E18 and rwd.balanceOf(alice) == 3 * E18  # still paid
    assert paid(receipt, staking, hostile) == 0
    [log] = logs(receipt, staking.RewardDeferred)
    assert (log.staker, log.token, log.amount) == (alice.address, hostile.address, 5 * E18)
    assert staking.deferredRewards(alice, hostile) == 5 * E18
    assert staking.earned(alice, hostile) == 0  # the view does not count deferred rewards
    assert hostile.balanceOf(alice) == 0 and hostile.balanceOf(staking) == 5 * E18

    receipt = staking.claimDeferred(hostile, carol, sender=alice)
    [log] = logs(receipt, staking.DeferredRewardClaimed)
    assert (log.staker, log.token, log.recipient, log.amount) == (
        alice.address, hostile.address, carol.address, 5 * E18
    )
    assert hostile.balanceOf(carol) == 5 * E18 and hostile.balanceOf(staking) == 0
    assert staking.deferredRewards(alice, hostile) == 0

    with reverts_with(staking.NothingDeferred, account=alice.address, token=hostile.address):
        staking.claimDeferred(hostile, carol, sender=alice)
    with reverts_with(staking.ZeroAddress):
        staking.claimDeferred(hostile, ZERO, sender=alice)


@pytest.mark.parametrize("mode", [REVERT_ALL, RETURN_FALSE, BURN_GAS], ids=["RevertAll", "ReturnFalse", "BurnGas"])
def test_failing_reward_token__unstake_completes_reward_deferred_then_claimed(
    chain, staking, alice, carol, distributor, stk, rwd, hostile, t0, mode
):
    """The token reverts, returns false, or burns all the gas it is given: unstake still returns
    the stake and pays the other reward token, within a gas limit set here; the reward is deferred
    and paid by claimDeferred once the token works again."""
    a = 10 * E18
    at(chain, t0)
    staking.stake(a, sender=alice)
    staking.notifyReward(rwd, 3 * E18, 0, sender=distributor)
    staking.notifyReward(hostile, 5 * E18, 0, sender=distributor)
    hostile.setMode(mode, sender=carol)
    before = stk.balanceOf(alice)

    receipt = staking.unstake(MAX_UINT, sender=alice, gas=1_500_000)
    assert stk.balanceOf(alice) == before + a and staking.totalStaked() == 0
    assert paid(receipt, staking, rwd) == 3 * E18
    [log] = logs(receipt, staking.RewardDeferred)
    assert (log.staker, log.token, log.amount) == (alice.address, hostile.address, 5 * E18)
    assert staking.deferredRewards(alice, hostile) == 5 * E18
    if mode == BURN_GAS:  # the token's 200,000 gas allowance was burnt, and no more
        assert 200_000 < receipt.gas_used < 200_000 + GAS_CEILING

    hostile.setMode(NORMAL, sender=carol)
    receipt = staking.claimDeferred(hostile, alice, sender=alice)
    [log] = logs(receipt, staking.DeferredRewardClaimed)
    assert (log.staker, log.recipient, log.amount) == (alice.address, alice.address, 5 * E18)
    assert hostile.balanceOf(alice) == 5 * E18 and staking.deferredRewards(alice, hostile) == 0


# ---------------------------------------------------------------- gas


def test_gas__each_operation_below_ceiling(chain, staking, alice, bob, distributor, rwd, t0):
    """One reward token with a running stream, and another staker present, so every call accrues."""
    gas = {}
    at(chain, t0)
    staking.stake(100 * E18, sender=bob)
    at(chain, t0)
    gas["notifyReward (new stream)"] = staking.notifyReward(
        rwd, 4 * E18, 10_000, sender=distributor
    ).gas_used
    at(chain, t0 + 100)
    gas["stake (first)"] = staking.stake(50 * E18, sender=alice).gas_used
    at(chain, t0 + 200)
    receipt = staking.stake(50 * E18, sender=alice)
    assert paid(receipt, staking, rwd) > 0
    gas["stake (top-up, reward paid)"] = receipt.gas_used
    at(chain, t0 + 300)
    gas["claim"] = staking.claim(sender=alice).gas_used
    at(chain, t0 + 400)
    gas["notifyReward (mid-stream)"] = staking.notifyReward(rwd, E18, 10_000, sender=distributor).gas_used
    at(chain, t0 + 500)
    gas["unstake (partial)"] = staking.unstake(30 * E18, sender=alice).gas_used
    at(chain, t0 + 600)
    gas["unstake (all)"] = staking.unstake(MAX_UINT, sender=alice).gas_used

    print("\nSumStaking gas (1 reward token, stream running):")
    for name, used in gas.items():
        print(f"  {name:<48} {used:>8,}")
    for name, used in gas.items():
        assert used < GAS_CEILING, (name, used)
