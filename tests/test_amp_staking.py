"""AmpStaking (contracts/AmpStaking.sol): AMP-weighted positions sharing reward lumps.

The article's AMP (tokens staked * min(42 days, today - date staked) / 42) with hand-computed
weights and re-ratioed shares, every error path with its inputs, a Hypothesis state machine
against the exact O(n) model (spmodel/amp.py), gas at 1, 100 and 1,000 positions, and the real
RewardSplitter paying the contract as a staking destination.
"""

from collections import Counter
from fractions import Fraction
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, Phase, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from _reverts import assert_deploy_reverts, reverts_with
from constants import E18, MAX_UINT, ZERO_ADDRESS
from spmodel.amp import COVERAGE_SCALE, DAY, PRECISION, ExactAmp, NoWeightError, shortfall_bound
from spmodel.chain.anvil import RawSender
from spmodel.chain.engine import AnvilEngine, view
from spmodel.chain.simulation import HostileMode

RAMP = 42
FUNDS = 10**30


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pivot(make_token):
    return make_token("PIVOT")


@pytest.fixture(scope="module")
def undead(make_token):
    return make_token("UNDEAD")


@pytest.fixture(scope="module")
def eth(make_token):
    return make_token("WETH")


@pytest.fixture(scope="module")
def stakers(depositors):
    return depositors[:4]


def add_reward_token(amp, token, owner, distributor, funds=FUNDS):
    """Registers `token` and gives the distributor `funds` of it, approved to the contract."""
    amp.registerRewardToken(token, sender=owner)
    token.mint(distributor, funds, sender=owner)
    token.approve(amp, MAX_UINT, sender=distributor)


def deploy_amp(project, owner, distributor, pivot, reward_tokens):
    """An AmpStaking on `pivot` with RAMP days, the reward tokens registered, `distributor` authorised."""
    amp = project.AmpStaking.deploy(pivot, RAMP, owner, sender=owner)
    for token in reward_tokens:
        add_reward_token(amp, token, owner, distributor)
    amp.setRewardDistributor(distributor, True, sender=owner)
    return amp


@pytest.fixture(scope="module")
def amp(project, owner, distributor, stakers, pivot, undead, eth):
    amp = deploy_amp(project, owner, distributor, pivot, (undead, eth))
    for staker in stakers:
        pivot.mint(staker, FUNDS, sender=owner)
        pivot.approve(amp, MAX_UINT, sender=staker)
    return amp


def day_now(chain):
    return chain.pending_timestamp // DAY


def go_to_day(chain, day):
    """Moves the chain to one hour into `day` (so views read that day too); already there (a
    wait of 0 days), it stays: time never goes back."""
    target = day * DAY + 3600
    if target > chain.blocks.head.timestamp:
        chain.pending_timestamp = target
        chain.mine()
    assert chain.blocks.head.timestamp // DAY == day


def stake(amp, staker, amount):
    return amp.stake(amount, sender=staker).return_value


def paid(receipt, amp, token=None):
    """RewardPaid amounts in `receipt`, by token (or the one for `token`)."""
    out = {log.token: log.amount for log in receipt.decode_logs(amp.RewardPaid)}
    return out if token is None else out.get(token.address, 0)


# ---------------------------------------------------------------- the article's AMP


def test_weights__before_at_and_after_42_days(amp, chain, alice):
    """A stake of 42 tokens weighs 0 on its own day, 1 a day later, 41 at 41 days, 42 at and after."""
    start = day_now(chain) + 1
    go_to_day(chain, start)
    pid = stake(amp, alice, 42 * E18)
    assert amp.positionInfo(pid) == (alice.address, 42 * E18, start)
    for age, weight in [(0, 0), (1, 1), (20, 20), (41, 41), (42, 42), (43, 42), (100, 42)]:
        go_to_day(chain, start + age)
        assert amp.weightOf(pid) == weight * E18, age
        assert amp.totalWeight() == weight * E18
        assert amp.totalWeightTimesRamp() == weight * RAMP * E18
        assert amp.coverage() == weight * E18 // 42  # weight / 42 of the stake, 1e18 scale


def test_shares__stakes_of_different_ages_re_ratioed(amp, chain, distributor, stakers, undead, eth):
    """Day D + 50: Alice's 420 (50 days old: 420 AMP), Bob's 420 (exactly 42 days: 420), Carol's
    630 (20 days: 630 * 20 / 42 = 300), Dave's 100 (staked that day: 0). Total AMP 1,140 of 1,570
    staked (coverage 72.61%); re-ratioed, each share is its AMP over 1,140: 7/19, 7/19, 5/19, 0."""
    alice, bob, carol, dave = stakers
    d = day_now(chain) + 1
    ids = {}
    for who, amount, day in [(alice, 420, d), (bob, 420, d + 8), (carol, 630, d + 30), (dave, 100, d + 50)]:
        go_to_day(chain, day)
        ids[who.address] = stake(amp, who, amount * E18)
    weights = [amp.weightOf(ids[w.address]) for w in stakers]
    assert weights == [420 * E18, 420 * E18, 300 * E18, 0]
    assert amp.totalWeight() == 1140 * E18
    assert amp.totalStaked() == 1570 * E18
    assert amp.coverage() == 1140 * E18 * E18 // (1570 * E18) == 726_114_649_681_528_662

    amp.distribute(undead, 1140 * E18, sender=distributor)
    amp.distribute(eth, 1140, sender=distributor)  # 1,140 wei: 1 wei per 1e18 AMP, exactly
    expected = {alice: 420, bob: 420, carol: 300, dave: 0}
    for who, share in expected.items():
        assert amp.pendingReward(ids[who.address], undead) == share * E18
        assert amp.pendingReward(ids[who.address], eth) == share
    receipt = amp.claim(sender=carol)
    assert paid(receipt, amp) == {undead.address: 300 * E18, eth.address: 300}
    assert undead.balanceOf(carol) == 300 * E18
    assert amp.pendingReward(ids[carol.address], undead) == 0


def test_worked_example__crossing_maturity(amp, chain, distributor, alice, bob, undead):
    """The header's example: A stakes 420 on day 100, a lump of 63 on day 121 (A alone: 63), B
    stakes 420 that day; day 142 A has matured (420) and B weighs 210: a lump of 63 pays A 42, B 21."""
    base = day_now(chain) + 1 - 100
    go_to_day(chain, base + 100)
    a = stake(amp, alice, 420 * E18)
    go_to_day(chain, base + 121)
    assert amp.totalWeightTimesRamp() == 8820 * E18
    amp.distribute(undead, 63 * E18, sender=distributor)
    b = stake(amp, bob, 420 * E18)
    assert amp.pendingReward(a, undead) == 63 * E18
    assert amp.pendingReward(b, undead) == 0
    go_to_day(chain, base + 142)  # A's bucket not moved yet: the views move it themselves
    assert amp.totalWeightTimesRamp() == 26460 * E18
    assert amp.pendingReward(a, undead) == 63 * E18
    assert amp.coverage() == 75 * E18 // 100
    amp.distribute(undead, 63 * E18, sender=distributor)
    assert amp.pendingReward(a, undead) == 105 * E18
    assert amp.pendingReward(b, undead) == 21 * E18
    assert paid(amp.unstake(a, sender=alice), amp, undead) == 105 * E18
    assert paid(amp.claim(sender=bob), amp, undead) == 21 * E18
    assert undead.balanceOf(amp) == 0


def test_rounding__a_lump_on_the_first_day_pays_nothing(amp, chain, distributor, alice, bob, undead):
    """Bob stakes on day s (about 20,800 here) and a lump that does not divide evenly arrives the
    same day: his growing formula (A1 - A1') - s (A0 - A0') adds d q - s q = 0 exactly (A1 is not
    floored on its own, so s times a floor error cannot show up). Alice's share is rounded down."""
    d = day_now(chain) + 1
    go_to_day(chain, d)
    a_amount = 7 * E18 + 3
    a = stake(amp, alice, a_amount)
    go_to_day(chain, d + 3)  # Alice weighs a_amount * 3 / 42
    b = stake(amp, bob, 11 * E18)
    amount = 10**18 + 7
    amp.distribute(undead, amount, sender=distributor)
    q = amount * RAMP * PRECISION // (3 * a_amount)  # X / W scaled, rounded down (not exact here)
    assert q * 3 * a_amount < amount * RAMP * PRECISION
    assert amp.pendingReward(b, undead) == 0
    alice_reward = a_amount * 3 * q // (RAMP * PRECISION)
    assert amp.pendingReward(a, undead) == alice_reward == amount - 1  # her exact share: all of it
    assert paid(amp.claim(sender=bob), amp) == {}


def test_claim__settles_every_position_and_restarts(amp, chain, distributor, alice, bob, undead):
    """Alice's two positions (84 and 42, both matured) and Bob's 42: a lump of 168 pays Alice 126
    in one claim; a second claim right after pays nothing; a later lump of 84 pays her 63."""
    d = day_now(chain) + 1
    go_to_day(chain, d)
    stake(amp, alice, 84 * E18)
    stake(amp, alice, 42 * E18)
    stake(amp, bob, 42 * E18)
    go_to_day(chain, d + 42)
    amp.distribute(undead, 168 * E18, sender=distributor)
    assert paid(amp.claim(sender=alice), amp, undead) == 126 * E18
    assert paid(amp.claim(sender=alice), amp) == {}
    go_to_day(chain, d + 60)
    amp.distribute(undead, 84 * E18, sender=distributor)
    assert paid(amp.claim(sender=alice), amp, undead) == 63 * E18
    assert paid(amp.claim(sender=bob), amp, undead) == 63 * E18


def test_unstake__growing_position_leaves_the_schedule(amp, chain, distributor, alice, bob, undead):
    """A growing position closed before maturity leaves G, B and its bucket: on what would have
    been its maturity day the total weight is Bob's alone."""
    d = day_now(chain) + 1
    go_to_day(chain, d)
    a = stake(amp, alice, 42 * E18)
    b = stake(amp, bob, 42 * E18)
    go_to_day(chain, d + 21)
    amp.distribute(undead, 42 * E18, sender=distributor)  # 21 : 21
    receipt = amp.unstake(a, sender=alice)
    assert paid(receipt, amp, undead) == 21 * E18
    assert [(log.positionId, log.amount) for log in receipt.decode_logs(amp.PositionClosed)] == [(a, 42 * E18)]
    assert amp.positionsOf(alice) == []
    go_to_day(chain, d + 42)
    assert amp.totalWeight() == 42 * E18
    assert amp.coverage() == E18
    amp.distribute(undead, 42 * E18, sender=distributor)
    assert amp.pendingReward(b, undead) == 63 * E18


def test_reward_token_registered_later(project, amp, chain, owner, distributor, alice, bob):
    """A token registered after positions opened (and after a maturity checkpoint was written)
    starts its accumulators at 0 for everyone."""
    d = day_now(chain) + 1
    go_to_day(chain, d)
    a = stake(amp, alice, 42 * E18)
    go_to_day(chain, d + 10)
    b = stake(amp, bob, 42 * E18)
    go_to_day(chain, d + 50)  # a matured on d + 42 (checkpointed by this stake)
    stake(amp, bob, 1)
    late = project.MockERC20.deploy("LATE", "LATE", 18, sender=owner)
    add_reward_token(amp, late, owner, distributor, 100 * E18)
    amp.distribute(late, 82 * E18, sender=distributor)  # weights 42 and 40
    assert amp.pendingReward(a, late) == 42 * E18
    assert amp.pendingReward(b, late) == 40 * E18


def test_deferred_reward__hostile_token(project, amp, chain, owner, distributor, alice, pivot):
    """A reward token that reverts cannot stop an unstake: the reward is deferred, paid later."""
    hostile = project.HostileERC20.deploy(sender=owner)
    add_reward_token(amp, hostile, owner, distributor, 10 * E18)
    d = day_now(chain) + 1
    go_to_day(chain, d)
    a = stake(amp, alice, 42 * E18)
    go_to_day(chain, d + 1)
    amp.distribute(hostile, 10 * E18, sender=distributor)
    hostile.setMode(HostileMode.RevertAll, sender=owner)
    before = pivot.balanceOf(alice)
    receipt = amp.unstake(a, sender=alice)
    assert pivot.balanceOf(alice) == before + 42 * E18
    assert [(log.token, log.amount) for log in receipt.decode_logs(amp.RewardDeferred)] == [(hostile.address, 10 * E18)]
    assert amp.deferredRewards(alice, hostile) == 10 * E18
    hostile.setMode(HostileMode.Normal, sender=owner)
    amp.claimDeferred(hostile, alice, sender=alice)
    assert hostile.balanceOf(alice) == 10 * E18
    with reverts_with(amp.NothingDeferred, account=alice, token=hostile):
        amp.claimDeferred(hostile, alice, sender=alice)
    with reverts_with(amp.ZeroAddress):
        amp.claimDeferred(hostile, ZERO_ADDRESS, sender=alice)


# ---------------------------------------------------------------- errors


def test_errors__deployment(project, owner, pivot):
    assert_deploy_reverts(project.AmpStaking, project.AmpStaking.ZeroAddress, ZERO_ADDRESS, RAMP, owner, sender=owner)
    for ramp in (0, 3651):
        assert_deploy_reverts(
            project.AmpStaking, project.AmpStaking.InvalidRampDays, pivot, ramp, owner, sender=owner,
            rampDays=ramp, cap=3650,
        )  # fmt: skip


def test_errors__stake(project, amp, owner, alice, pivot):
    with reverts_with(amp.ZeroAmount):
        amp.stake(0, sender=alice)
    amp.stake(10**27 - 5, sender=alice)
    with reverts_with(amp.TotalStakedCapExceeded, amount=6, available=5):
        amp.stake(6, sender=alice)
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)  # 1% burnt per transfer
    fot_amp = project.AmpStaking.deploy(fot, RAMP, owner, sender=owner)
    fot.mint(alice, 1000, sender=owner)
    fot.approve(fot_amp, MAX_UINT, sender=alice)
    with reverts_with(fot_amp.TransferShortfall, token=fot, expected=1000, received=990):
        fot_amp.stake(1000, sender=alice)


def test_errors__positions(amp, chain, alice, bob):
    with reverts_with(amp.UnknownPosition, positionId=7):
        amp.unstake(7, sender=alice)
    with reverts_with(amp.NoPositions, staker=alice):
        amp.claim(sender=alice)
    pid = stake(amp, alice, E18)
    with reverts_with(amp.NotPositionOwner, positionId=pid, caller=bob, owner=alice):
        amp.unstake(pid, sender=bob)
    amp.unstake(pid, sender=alice)
    with reverts_with(amp.UnknownPosition, positionId=pid):
        amp.unstake(pid, sender=alice)
    with reverts_with(amp.UnknownPosition, positionId=pid):
        amp.weightOf.transact(pid, sender=alice)  # as a transaction, so ape decodes the error
    with reverts_with(amp.NoPositions, staker=alice):
        amp.claim(sender=alice)


def test_errors__distribute(project, amp, chain, owner, distributor, alice, undead):
    with reverts_with(amp.NotRewardDistributor, caller=alice):
        amp.distribute(undead, E18, sender=alice)
    with reverts_with(amp.ZeroAmount):
        amp.distribute(undead, 0, sender=distributor)
    with reverts_with(amp.UnknownToken, token=alice):
        amp.distribute(alice, E18, sender=distributor)
    with reverts_with(amp.RewardAmountTooLarge, amount=10**36 + 1, cap=10**36):
        amp.distribute(undead, 10**36 + 1, sender=distributor)
    day = day_now(chain)
    with reverts_with(amp.NoWeight, day=day):  # nothing staked
        amp.distribute(undead, E18, sender=distributor)
    pid = stake(amp, alice, E18)
    with reverts_with(amp.NoWeight, day=day):  # staked today: weight 0
        amp.distribute(undead, E18, sender=distributor)
    with reverts_with(amp.UnknownToken, token=alice):
        amp.pendingReward.transact(pid, alice, sender=alice)  # as a transaction (decoded)
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)
    add_reward_token(amp, fot, owner, distributor, 1000)
    go_to_day(chain, day + 1)
    with reverts_with(amp.TransferShortfall, token=fot, expected=1000, received=990):
        amp.distribute(fot, 1000, sender=distributor)
    amp.setRewardDistributor(distributor, False, sender=owner)
    with reverts_with(amp.NotRewardDistributor, caller=distributor):
        amp.distribute(undead, E18, sender=distributor)


def test_errors__registry_and_roles(project, amp, owner, alice, pivot, undead):
    with reverts_with(amp.OwnableUnauthorizedAccount, account=alice):
        amp.registerRewardToken(alice, sender=alice)
    with reverts_with(amp.OwnableUnauthorizedAccount, account=alice):
        amp.setRewardDistributor(alice, True, sender=alice)
    with reverts_with(amp.ZeroAddress):
        amp.registerRewardToken(ZERO_ADDRESS, sender=owner)
    with reverts_with(amp.ZeroAddress):
        amp.setRewardDistributor(ZERO_ADDRESS, True, sender=owner)
    for token in (pivot, undead):
        with reverts_with(amp.InvalidRewardToken, token=token):
            amp.registerRewardToken(token, sender=owner)
    for i in range(6):  # 2 registered already: 8 in all
        amp.registerRewardToken(project.MockERC20.deploy(f"R{i}", f"R{i}", 18, sender=owner), sender=owner)
    assert len(amp.rewardTokens()) == 8
    ninth = project.MockERC20.deploy("R9", "R9", 18, sender=owner)
    with reverts_with(amp.TooManyRewardTokens, cap=8):
        amp.registerRewardToken(ninth, sender=owner)


# ---------------------------------------------------------------- the splitter


def test_splitter_pays_amp_staking(project, amp, chain, owner, stakers, undead):
    """The real RewardSplitter with the table Keep 80% / Stake 20% (this contract): at coverage
    0.75 (the worked example's day 142) a distribution of 1,000 sends the stakers 150 and keeps 850;
    the 150 are shared 420 : 210, i.e. 100 and 50 exactly, each paid 1 wei less: 150 / 630 is no
    multiple of 1e-27, so q = floor(150e27 / 630) and each reward is rounded down below the exact."""
    alice, bob, source, _ = stakers
    splitter = project.RewardSplitter.deploy(owner, sender=owner)
    splitter.setSplitTable(source, [(source.address, 8000, 0), (amp.address, 2000, 1)], sender=owner)
    amp.setRewardDistributor(splitter, True, sender=owner)
    undead.mint(source, 1000 * E18, sender=owner)
    undead.approve(splitter, MAX_UINT, sender=source)
    d = day_now(chain) + 1
    go_to_day(chain, d)
    a = stake(amp, alice, 420 * E18)
    go_to_day(chain, d + 21)
    b = stake(amp, bob, 420 * E18)
    go_to_day(chain, d + 42)
    assert amp.coverage() == 75 * E18 // 100
    splitter.distribute(source, undead, 1000 * E18, sender=source)
    assert undead.balanceOf(amp) == 150 * E18
    assert undead.balanceOf(source) == 850 * E18
    q = 150 * 10**27 // 630
    assert amp.pendingReward(a, undead) == 420 * E18 * q // PRECISION == 100 * E18 - 1
    assert amp.pendingReward(b, undead) == 210 * E18 * q // PRECISION == 50 * E18 - 1


# ---------------------------------------------------------------- gas


def _fill(chain, amp, pivot, owner, filler, count, first_day):
    """`count` positions of `filler` over days first_day .. first_day + 59 (position k on day
    (20 + k) % 60: day 20 always has one, so its bucket is crossed at every size), sent raw."""
    pivot.mint(filler, FUNDS, sender=owner)
    pivot.approve(amp, MAX_UINT, sender=filler)
    days = 60
    per_day = [sum(1 for k in range(count) if (20 + k) % days == i) for i in range(days)]
    with RawSender(chain.provider) as raw:
        for i, n in enumerate(per_day):
            if n == 0:
                continue
            chain.provider.make_request("evm_setNextBlockTimestamp", [(first_day + i) * DAY + 3600])
            for _ in range(n):
                raw.send(filler.address, amp, "stake", E18 + i)
            raw.mine_all()


GAS_SIZES = (1, 100, 1000)


def test_gas__flat_in_the_number_of_positions(
    project, owner, distributor, stakers, accounts, chain, pivot, undead, eth
):
    """distribute (crossing a day with a bucket), stake, claim and unstake (one position each),
    two reward tokens, with 1, 100 and 1,000 other positions open: the same gas at every size."""
    results = {}
    alice, bob = stakers[:2]
    filler = accounts[-1]
    for size in GAS_SIZES:
        snap = chain.snapshot()
        amp = deploy_amp(project, owner, distributor, pivot, (undead, eth))
        for who in (alice, bob):
            pivot.mint(who, 100 * E18, sender=owner)
            pivot.approve(amp, MAX_UINT, sender=who)
        d = day_now(chain) + 1
        _fill(chain, amp, pivot, owner, filler, size, d)
        go_to_day(chain, d + 60)
        a = stake(amp, alice, 7 * E18)  # matures on d + 102
        go_to_day(chain, d + 61)
        for token in (undead, eth):
            amp.distribute(token, E18, sender=distributor)  # both tokens' accumulators warm
        stake(amp, bob, 5 * E18)
        go_to_day(chain, d + 62)  # a filler bucket of day d + 20 matures today
        gas = {"distribute": amp.distribute(undead, E18, sender=distributor).gas_used}
        gas["stake"] = amp.stake(3 * E18, sender=bob).gas_used
        gas["claim"] = amp.claim(sender=alice).gas_used
        gas["unstake"] = amp.unstake(a, sender=alice).gas_used
        assert len(amp.positionsOf(filler)) == size
        results[size] = gas
        chain.restore(snap)
    print("\ngas by positions open:", results)
    for size in GAS_SIZES[1:]:
        for op, used in results[size].items():
            assert abs(used - results[GAS_SIZES[0]][op]) <= 100, (op, size, results)


def test_gas__worst_catch_up(project, amp, chain, owner, distributor, alice, undead, eth):
    """The most work one call can meet: 8 reward tokens, a bucket on each of RAMP_DAYS = 42
    consecutive days, and nobody calling until all have matured. The next call moves 42 buckets
    and writes 42 one-slot checkpoints, whatever the time elapsed (the walk stops at lastDay +
    RAMP_DAYS) and whatever the number of reward tokens (a checkpoint holds lump counts)."""
    tokens = [undead, eth]
    for i in range(6):
        token = project.MockERC20.deploy(f"R{i}", f"R{i}", 18, sender=owner)
        add_reward_token(amp, token, owner, distributor)
        tokens.append(token)
    d = day_now(chain) + 1
    for i in range(RAMP):
        go_to_day(chain, d + i)
        stake(amp, alice, E18)
    for token in tokens:  # every accumulator nonzero, so every checkpoint is a fresh write
        amp.distribute(token, E18, sender=distributor)
    go_to_day(chain, d + 1000)
    gas = amp.distribute(undead, E18, sender=distributor).gas_used
    print(f"\nworst catch-up (42 buckets, 8 tokens) in one distribute: {gas} gas")
    assert amp.totalWeight() == RAMP * E18
    assert 42 * 22_100 < gas < 1_500_000


# ---------------------------------------------------------------- the state machine

STEPS = 40
EXAMPLES = 12
amounts = st.one_of(st.integers(1, 1000), st.integers(10**15, 10**24))
lumps = st.one_of(st.integers(1, 1000), st.integers(10**12, 10**24))


class AmpMachine(RuleBasedStateMachine):
    """Random stakes, unstakes, claims, lumps and day jumps of 0 to 100 days; every payout at or
    below the exact model and short of it by less than the sum of `shortfall_bound` over the
    positions settled (1 wei + lumps * amount / 1e27 each); solvent in every token after every step."""

    ctx: ClassVar[dict] = {}  # set by the test before the run

    def __init__(self):
        super().__init__()
        c = self.ctx
        self.chain, self.amp, self.people = c["chain"], c["amp"], c["people"]
        self.engine = c["engine"]
        self.tokens, self.pivot, self.distributor = c["tokens"], c["pivot"], c["distributor"]
        self.snap = self.chain.snapshot()
        self.model = ExactAmp(RAMP)
        self.day = day_now(self.chain) + 1
        go_to_day(self.chain, self.day)
        self.ids = {}  # contract id -> model id
        self.settled = {}  # contract id -> day of its last settlement (opening counts)
        self.worst, self.stats = c["worst"], c["stats"]

    def teardown(self):
        self.chain.restore(self.snap)

    def _count_settled(self, pids):
        """Counts settlements whose span crosses the position's maturity day (both formulas)."""
        for pid in pids:
            p = self.model.positions[self.ids[pid]]
            if self.settled[pid] < p.start + RAMP <= self.day and any(p.lumps.values()):
                self.stats["settlements crossing maturity, with lumps"] += 1
            self.stats["settlements"] += 1
            self.settled[pid] = self.day

    def _check_payouts(self, receipt, exact):
        got = paid(receipt, self.amp)
        for token in self.tokens:
            want, amount = exact[token.address], got.get(token.address, 0)
            assert amount <= want.exact, (token, amount, want.exact)
            assert want.exact - amount < want.bound, (token, amount, want.exact, want.bound)
            self.worst[0] = max(self.worst[0], want.exact - amount)

    @rule(who=st.integers(0, 2), amount=amounts)
    def stake(self, who, amount):
        person = self.people[who]
        pid = stake(self.amp, person, amount)
        self.ids[pid] = self.model.stake(person.address, amount, self.day)
        self.settled[pid] = self.day
        note(f"day {self.day}: {who} stakes {amount} -> #{pid}")

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def unstake(self, data):
        pid = data.draw(st.sampled_from(sorted(self.ids)))
        owner = self.model.positions[self.ids[pid]].owner
        person = next(p for p in self.people if p.address == owner)
        self._count_settled([pid])
        exact = self.model.unstake(self.ids.pop(pid), [t.address for t in self.tokens])
        note(f"day {self.day}: unstake #{pid}")
        self._check_payouts(self.amp.unstake(pid, sender=person), exact)

    @precondition(lambda self: self.ids)
    @rule(who=st.integers(0, 2))
    def claim(self, who):
        person = self.people[who]
        if not self.model.owned(person.address):
            with reverts_with(self.amp.NoPositions, staker=person):
                self.amp.claim(sender=person)
            return
        owned = set(self.model.owned(person.address))
        self._count_settled([pid for pid, mid in self.ids.items() if mid in owned])
        exact = self.model.claim(person.address, [t.address for t in self.tokens])
        note(f"day {self.day}: {who} claims")
        self._check_payouts(self.amp.claim(sender=person), exact)

    @rule(which=st.integers(0, 1), amount=lumps)
    def distribute(self, which, amount):
        token = self.tokens[which]
        try:
            self.model.distribute(token.address, amount, self.day)
        except NoWeightError:
            with reverts_with(self.amp.NoWeight, day=self.day):
                self.amp.distribute(token, amount, sender=self.distributor)
            return
        note(f"day {self.day}: lump {amount} of token {which}")
        self.amp.distribute(token, amount, sender=self.distributor)

    @rule(days=st.one_of(st.integers(0, 3), st.integers(40, 44), st.integers(0, 100)))
    def wait(self, days):
        self.day += days
        note(f"wait {days} days -> day {self.day}")
        go_to_day(self.chain, self.day)

    @invariant()
    def views_and_solvency(self):
        """Every view equals the exact model (each read as one raw eth_call: `view`)."""
        amp, engine = self.amp, self.engine
        assert view(engine, amp, "totalStaked") == self.model.total_staked()
        assert view(engine, self.pivot, "balanceOf", amp.address) == self.model.total_staked()
        exact_w = self.model.total_weight(self.day)
        assert view(engine, amp, "totalWeightTimesRamp") == exact_w * RAMP
        assert view(engine, amp, "coverage") == self.model.coverage(self.day)
        for token in self.tokens:
            pending = 0
            for pid, mid in self.ids.items():
                reward = view(engine, amp, "pendingReward", pid, token.address)
                p = self.model.positions[mid]
                owed = p.owed.get(token.address, Fraction(0))
                assert 0 <= owed - reward < shortfall_bound(p.amount, p.lumps.get(token.address, 0)), (pid, token)
                pending += reward
            assert view(engine, token, "balanceOf", amp.address) >= pending  # solvent


def test_state_machine__against_the_exact_model(amp, chain, distributor, stakers, pivot, undead, eth):
    """Default: 12 examples of up to 40 steps. The largest shortfall seen is printed."""
    worst, stats = [Fraction(0)], Counter()
    AmpMachine.ctx = {
        "chain": chain,
        "engine": AnvilEngine(chain.provider),
        "amp": amp,
        "people": stakers[:3],
        "tokens": [undead, eth],
        "pivot": pivot,
        "distributor": distributor,
        "worst": worst,
        "stats": stats,
    }
    run_state_machine_as_test(
        AmpMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(f"\nlargest shortfall against the exact model: {float(worst[0]):.6g} wei; {dict(stats)}")


def test_constants__contract_and_model(amp, pivot):
    assert (amp.RAMP_DAYS(), amp.MAX_RAMP_DAYS(), amp.PRECISION()) == (RAMP, 3650, PRECISION)
    assert (amp.MAX_TOTAL_STAKED(), amp.MAX_REWARD_AMOUNT(), amp.MAX_REWARD_TOKENS()) == (10**27, 10**36, 8)
    assert amp.stakingToken() == pivot.address
    assert shortfall_bound(10**24, 3) == 1 + Fraction(3, 1000)
    assert COVERAGE_SCALE == 10**18
