"""SumStaking: the Sum (Batog) algorithm for stakes that never shrink, with linear reward streams.

Time is set explicitly before every transaction that matters (`chain.pending_timestamp = t`;
Anvil accepts the same timestamp for consecutive blocks), always relative to the chain's own
clock at the start of the test, so the tests do not depend on wall time or on test order.
"""


import ape
import pytest

from _reverts import assert_deploy_reverts, reverts_with

E18 = 10**18
PRECISION = 10**27
MAX_TOTAL_STAKED = 10**27
MAX_GAIN_AMOUNT = 10**36
MAX_STREAM_DURATION = 10 * 365 * 24 * 3600
MAX_UINT = 2**256 - 1
ZERO = "0x0000000000000000000000000000000000000000"
GAS_CEILING = 150_000


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


# ---------------------------------------------------------------- deployment and owner


def test_deploy__initial_state(staking, owner, stk, rwd):
    assert staking.stakingToken() == stk.address
    assert staking.owner() == owner.address
    assert staking.rewardTokens() == [rwd.address]
    assert staking.totalStaked() == 0
    assert staking.PRECISION() == PRECISION
    assert staking.MAX_TOTAL_STAKED() == MAX_TOTAL_STAKED
    assert staking.getStream(rwd) == (0, 0, 0)


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
        staking.getReward(alice, stk)
    with reverts_with(staking.UnknownToken, token=stk.address):
        staking.getStream(stk)


def test_stake__total_cap(staking, alice, bob, stk):
    stk.mint(alice, MAX_TOTAL_STAKED, sender=alice)
    staking.stake(E18, sender=bob)
    with reverts_with(staking.TotalStakedCapExceeded, totalStaked=MAX_TOTAL_STAKED + 1, cap=MAX_TOTAL_STAKED):
        staking.stake(MAX_TOTAL_STAKED - E18 + 1, sender=alice)
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
    with reverts_with(staking.GainAmountTooLarge, amount=MAX_GAIN_AMOUNT + 1, cap=MAX_GAIN_AMOUNT):
        staking.notifyReward(rwd, MAX_GAIN_AMOUNT + 1, 100, sender=distributor)

    # The cap counts what the running stream has not released yet.
    rwd.mint(distributor, MAX_GAIN_AMOUNT, sender=distributor)
    staking.notifyReward(rwd, MAX_GAIN_AMOUNT - 5, MAX_STREAM_DURATION, sender=distributor)
    with reverts_with(staking.GainAmountTooLarge, amount=MAX_GAIN_AMOUNT + 1, cap=MAX_GAIN_AMOUNT):
        staking.notifyReward(rwd, 6, 100, sender=distributor)

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


def test_payout__pool_shortfall_after_negative_rebase(chain, project, staking, owner, distributor, alice, t0):
    reb = project.RebasingERC20.deploy(18, sender=owner)
    staking.registerRewardToken(reb, sender=owner)
    reb.mint(distributor, 100 * E18, sender=distributor)
    reb.approve(staking, MAX_UINT, sender=distributor)
    at(chain, t0)
    staking.stake(10 * E18, sender=alice)
    staking.notifyReward(reb, 100 * E18, 0, sender=distributor)  # nobody else: alice is owed it all
    reb.rebase(1, 2, sender=owner)  # the contract now holds 50

    with reverts_with(staking.PoolShortfall, token=reb.address, owed=100 * E18, balance=50 * E18):
        staking.claim(sender=alice)
    with reverts_with(staking.PoolShortfall, token=reb.address):
        staking.unstake(MAX_UINT, sender=alice)


# ---------------------------------------------------------------- distribution


def test_two_stakers__late_staker_gets_a_quarter(chain, staking, alice, bob, distributor, rwd, t0):
    """A stakes 100 at t0, R = 4e18 streams over T = 1000 s from t0, B stakes 100 at t0 + T/2:
    A earns R/2 + R/4 = 3R/4, B earns R/4."""
    R, T = 4 * E18, 1000
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + T // 2)
    staking.stake(100 * E18, sender=bob)
    assert staking.getStream(rwd) == (R // 2, t0 + T // 2, t0 + T)

    at(chain, t0 + T + 7)
    got_a = paid(staking.claim(sender=alice), staking, rwd)
    at(chain, t0 + T + 9)
    got_b = paid(staking.claim(sender=bob), staking, rwd)

    assert 3 * R // 4 - 2 <= got_a <= 3 * R // 4
    assert R // 4 - 2 <= got_b <= R // 4
    assert rwd.balanceOf(alice) == got_a and rwd.balanceOf(bob) == got_b
    assert staking.getStream(rwd) == (0, t0 + T + 7, 0)  # finished
    assert rwd.balanceOf(staking) == R - got_a - got_b <= 4


def test_two_stakers__awkward_numbers_stay_within_a_wei_per_release_and_payout(
    chain, staking, alice, bob, distributor, rwd, t0
):
    """Amounts and times that make every division round: totals stay within the bound, never above."""
    R, T = 10**18 + 12_345, 997
    at(chain, t0)
    staking.stake(3 * E18 + 1, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + 331)
    staking.stake(7 * E18 + 3, sender=bob)
    at(chain, t0 + 600)
    r1 = staking.claim(sender=alice)
    at(chain, t0 + T + 1)
    r2 = staking.claim(sender=alice)
    r3 = staking.claim(sender=bob)

    total_paid = sum(paid(r, staking, rwd) for r in (r1, r2, r3))
    releases = 3  # at t0 + 331, t0 + 600, t0 + T + 1 (the second claim there releases nothing)
    payouts = 3
    assert R - (releases + payouts) <= total_paid <= R
    assert rwd.balanceOf(staking) == R - total_paid


def test_stream_while_nobody_staked__held_for_the_first_staker(chain, staking, alice, distributor, rwd, t0):
    R, T = 10**18 + 1, 1000
    at(chain, t0)
    staking.notifyReward(rwd, R, T, sender=distributor)
    at(chain, t0 + T // 2)
    staking.stake(3 * E18, sender=alice)  # nothing was released meanwhile: lastUpdate stays at t0
    assert staking.getStream(rwd) == (R, t0, t0 + T)

    at(chain, t0 + 2 * T)
    got = paid(staking.claim(sender=alice), staking, rwd)
    assert R - 2 <= got <= R  # one release and one payout, each below 1 wei
    assert staking.getStream(rwd) == (0, t0 + 2 * T, 0)


def test_stream_finished_before_anyone_staked__paid_to_the_first_staker(
    chain, staking, alice, distributor, rwd, t0
):
    R = 5 * E18 + 7
    at(chain, t0)
    staking.notifyReward(rwd, R, 100, sender=distributor)
    at(chain, t0 + 1000)
    staking.stake(3 * E18, sender=alice)
    assert staking.getReward(alice, rwd) <= R  # view sees the whole held stream pending
    at(chain, t0 + 1001)
    got = paid(staking.claim(sender=alice), staking, rwd)
    assert R - 2 <= got <= R


def test_duration_zero__pays_at_once(chain, staking, alice, bob, distributor, rwd, t0):
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    staking.stake(300 * E18, sender=bob)
    at(chain, t0 + 1)
    receipt = staking.notifyReward(rwd, 4 * E18, 0, sender=distributor)
    [s_log] = logs(receipt, staking.S_Updated)
    assert (s_log.token, s_log.S) == (rwd.address, 4 * E18 * PRECISION // (400 * E18))
    assert staking.getStream(rwd) == (0, t0 + 1, 0)
    assert staking.getReward(alice, rwd) == E18
    assert staking.getReward(bob, rwd) == 3 * E18
    assert paid(staking.claim(sender=bob), staking, rwd) == 3 * E18


def test_duration_zero_with_nobody_staked__held(chain, staking, alice, distributor, rwd, t0):
    at(chain, t0)
    receipt = staking.notifyReward(rwd, 4 * E18, 0, sender=distributor)
    assert logs(receipt, staking.S_Updated) == []
    assert staking.getStream(rwd) == (4 * E18, t0, t0)
    at(chain, t0 + 5)
    staking.stake(E18, sender=alice)
    at(chain, t0 + 6)
    assert paid(staking.claim(sender=alice), staking, rwd) == 4 * E18


def test_second_notify_mid_stream__carries_the_remainder(chain, staking, alice, distributor, rwd, t0):
    R1, R2, T = 4 * E18, 6 * E18, 1000
    at(chain, t0)
    staking.stake(100 * E18, sender=alice)
    at(chain, t0)
    staking.notifyReward(rwd, R1, T, sender=distributor)
    at(chain, t0 + 250)
    receipt = staking.notifyReward(rwd, R2, T, sender=distributor)

    [log] = logs(receipt, staking.RewardNotified)
    assert (log.token, log.amount, log.remaining, log.finish) == (rwd.address, R2, R1 * 3 // 4 + R2, t0 + 250 + T)
    assert staking.getStream(rwd) == (R1 * 3 // 4 + R2, t0 + 250, t0 + 250 + T)
    [s_log] = logs(receipt, staking.S_Updated)  # the first quarter of R1 was released first
    assert s_log.S == (R1 // 4) * PRECISION // (100 * E18)

    at(chain, t0 + 250 + T // 2)  # half of the combined stream
    assert paid(staking.claim(sender=alice), staking, rwd) == R1 // 4 + (R1 * 3 // 4 + R2) // 2
    at(chain, t0 + 250 + T)
    staking.claim(sender=alice)
    assert R1 + R2 - 6 <= rwd.balanceOf(alice) <= R1 + R2


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
    assert (log.token, log.amount, log.remaining, log.finish) == (rwd.address, 4 * E18, 4 * E18, t0 + 1010)
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


def test_get_reward__view_matches_the_payout(chain, staking, project, owner, alice, bob, distributor, rwd, rwd2, t0):
    staking.registerRewardToken(rwd2, sender=owner)
    at(chain, t0)
    staking.stake(3 * E18 + 1, sender=alice)
    staking.stake(7 * E18, sender=bob)
    staking.notifyReward(rwd, 10**18 + 3, 777, sender=distributor)
    staking.notifyReward(rwd2, 10**6 + 1, 333, sender=distributor)
    for dt in (101, 313, 500, 900):
        chain.mine(timestamp=t0 + dt)  # views at the head block see its timestamp
        views = {t: staking.getReward(alice, t) for t in (rwd, rwd2)}
        at(chain, t0 + dt)  # the claim runs at the very same timestamp
        receipt = staking.claim(sender=alice)
        assert {t: paid(receipt, staking, t) for t in (rwd, rwd2)} == views
        assert all(staking.getReward(alice, t) == 0 for t in (rwd, rwd2))


def test_solvency__rewards_owed_never_exceed_the_balance(
    chain, staking, owner, alice, bob, carol, distributor, rwd, rwd2, t0
):
    """Several stakers and two streams, every action at an awkward time: after each step the sum of
    everyone's getReward is at most the contract's balance, and at the end everything but
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
            owed = sum(staking.getReward(s, token) for s in stakers)
            assert owed <= token.balanceOf(staking)
        return receipt

    def notify(dt, token, amount, duration):
        notified[token] += amount
        act(dt, staking.notifyReward, token, amount, duration, sender=distributor)

    notify(0, rwd, 3 * E18 + 17, 700)  # nobody staked yet: held
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
