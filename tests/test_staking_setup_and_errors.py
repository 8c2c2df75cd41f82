"""SumStaking deployment, owner functions and every error path: the initial state, reward token
registration and distributor authorisation (events and errors), each operation's named errors
with their exact inputs, the total-stake and reward-amount caps to the wei, and fee-on-transfer
tokens refused with TransferShortfall.
"""

from _reverts import assert_deploy_reverts, reverts_with
from _staking import MAX_REWARD_AMOUNT, MAX_STREAM_DURATION, MAX_TOTAL_STAKED, PRECISION, logs, rate_of
from constants import E18, MAX_UINT, ZERO_ADDRESS
from spmodel.mirror import RATE_PRECISION

pytest_plugins = ["_staking_fixtures"]


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
    assert_deploy_reverts(container, container.ZeroAddress, ZERO_ADDRESS, owner, sender=owner)
    assert_deploy_reverts(
        container, container.OwnableInvalidOwner, owner, ZERO_ADDRESS, sender=owner, owner=ZERO_ADDRESS
    )


def test_register_reward_token__event_and_every_error(project, staking, owner, alice, stk, rwd):
    token = project.MockERC20.deploy("X", "X", 18, sender=owner)
    receipt = staking.registerRewardToken(token, sender=owner)
    [log] = logs(receipt, staking.RewardTokenRegistered)
    assert (log.token, log.index) == (token.address, 1)
    assert staking.rewardTokens() == [rwd.address, token.address]

    with reverts_with(staking.ZeroAddress):
        staking.registerRewardToken(ZERO_ADDRESS, sender=owner)
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
        staking.notifyReward(ZERO_ADDRESS, 1, 0, sender=alice)

    with reverts_with(staking.ZeroAddress):
        staking.setRewardDistributor(ZERO_ADDRESS, True, sender=owner)
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
