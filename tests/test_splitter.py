"""RewardSplitter: the article's Echo pool close end to end (both tokens, to the wei, against the
planner spmodel.split), every registration and distribution error with its inputs, events, and
the gas of the pre-computed distribution against the naive hop-by-hop transfers."""

import json
from fractions import Fraction
from pathlib import Path

import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from _reverts import reverts_with
from constants import E18, MAX_UINT, ZERO_ADDRESS
from spmodel import split
from spmodel.chain.splitter import DISTRIBUTOR, deploy_plan, measure_gas, naive_transfers, table_lines
from spmodel.split import COVERAGE_SCALE, KINDS, SHARE_SCALE

PLAN_PATH = Path(__file__).resolve().parent.parent / "plans" / "seed001.json"
PLAN = split.load_plan(PLAN_PATH)
KEEP, STAKE, FORWARD = range(3)  # the contract's Kind values
FUNDS = 10**30


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def echo_pool(depositors):
    return depositors[0]


@pytest.fixture(scope="module")
def treasury(depositors):
    return depositors[1]


@pytest.fixture(scope="module")
def payer(depositors):
    return depositors[2]


@pytest.fixture(scope="module")
def splitter(project, owner):
    return project.RewardSplitter.deploy(owner, sender=owner)


@pytest.fixture(scope="module")
def deployment(project, owner, echo_pool, treasury, payer):
    """The article's plan on chain (spmodel.chain.splitter.deploy_plan): UNDEAD and ETH
    (18-decimal MockERC20s) minted to the Echo pool and the payer, one mock staking destination per
    staking of the plan reporting its coverage, and a splitter with the article's tables (the
    forward target, the treasury, first), approved by the Echo pool and the payer."""
    return deploy_plan(project, owner, PLAN, [echo_pool, treasury], payers=[echo_pool, payer], funds=FUNDS)


@pytest.fixture(scope="module")
def stakings(deployment):
    return deployment.stakings


@pytest.fixture(scope="module")
def address_of(deployment):
    """The plan's account names -> the accounts standing for them on chain."""
    return deployment.address_of


@pytest.fixture(scope="module")
def gain_tokens(deployment):
    return deployment.tokens


@pytest.fixture(scope="module")
def registered(deployment):
    """The registered splitter (`splitter` stays empty: module fixtures keep their state)."""
    return deployment.splitter


def table(source, address_of, plan=PLAN):
    """A plan source's table as the contract takes it: (account, share in basis points, kind)."""
    return table_lines(plan, source, address_of)


def balances(token, accounts):
    return {name: token.balanceOf(account) for name, account in accounts.items()}


# ---------------------------------------------------------------- the article's example


# What the exact computation gives (the plan's weights: Echo pool 0.47114, treasury 0.374364,
# treasury stakers 0.025636, Echo stakers 0.12886); every one a whole number of wei.
EXAMPLE = {
    "UNDEAD": {
        "echo_pool": 1_287_625_620_000_000_000_000,
        "treasury": 1_023_136_812_000_000_000_000,
        "treasury_stakers": 70_063_188_000_000_000_000,
        "echo_stakers": 352_174_380_000_000_000_000,
    },
    "ETH": {
        "echo_pool": 4_461_695_800_000_000,
        "treasury": 3_545_227_080_000_000,
        "treasury_stakers": 242_772_920_000_000,
        "echo_stakers": 1_220_304_200_000_000,
    },
}


def test_planner__article_example__exact_and_integer_split():
    for gain in PLAN.gains:
        exact = split.exact_split(PLAN, PLAN.source, gain.amount)
        assert exact == EXAMPLE[gain.token]  # Fractions equal to whole wei: no rounding at all
        assert split.integer_split(PLAN, PLAN.source, gain.amount) == EXAMPLE[gain.token]
        assert sum(exact.values()) == gain.amount
    assert [g.amount for g in PLAN.gains] == [2733 * E18, 9_470_000_000_000_000]
    assert split.final_weights(PLAN, "echo_pool") == {
        "echo_pool": Fraction("0.47114"),
        "treasury": Fraction("0.374364"),
        "treasury_stakers": Fraction("0.025636"),
        "echo_stakers": Fraction("0.12886"),
    }


def test_planner__article_figures__which_match_and_why_two_differ():
    """The article's Echo pool figure is right; its treasury figure adds the returned 39 UNDEAD to
    the whole 40% (1,093), forgetting the 10% of it forwarded to stakers (109.32), and its stakers'
    figure is what is left of 2,733 after those two."""
    for gain in PLAN.gains:
        article = {name: Fraction(value) for name, value in PLAN.article[gain.token].items()}
        tokens = {name: Fraction(value, 10**gain.decimals) for name, value in EXAMPLE[gain.token].items()}
        total = Fraction(gain.amount, 10**gain.decimals)
        digits = 0 if gain.token == "UNDEAD" else 4  # the article's rounding
        assert round(tokens["echo_pool"], digits) == article["echo_pool"]
        stakers = tokens["echo_stakers"] + tokens["treasury_stakers"]
        assert round(tokens["treasury"], digits) != article["treasury"]
        assert round(stakers, digits) != article["stakers"]
        double_counted = total * Fraction("0.40") + total * Fraction("0.40") * Fraction("0.10") * Fraction("0.3591")
        assert round(double_counted, digits) == article["treasury"]
        assert tokens["treasury"] == double_counted - total * Fraction("0.40") * Fraction("0.10")
        assert round(total - round(tokens["echo_pool"], digits) - article["treasury"], digits) == article["stakers"]
    assert EXAMPLE["UNDEAD"]["echo_stakers"] + EXAMPLE["UNDEAD"]["treasury_stakers"] == 422_237_568 * 10**12


def test_distribute__article_example__both_tokens_to_the_wei(registered, gain_tokens, address_of, stakings, echo_pool):
    for gain in PLAN.gains:
        token = gain_tokens[gain.token]
        before = balances(token, address_of)
        receipt = registered.distribute(echo_pool, token, gain.amount, sender=echo_pool)
        after = balances(token, address_of)
        received = {name: after[name] - before[name] for name in address_of}
        # The Echo pool paid only what leaves it: 2,733 less its own 1,287.62562.
        received["echo_pool"] += gain.amount
        expected = EXAMPLE[gain.token]
        assert received == expected
        assert sum(received.values()) == gain.amount  # conservation
        assert token.balanceOf(registered) == 0
        assert token.allowance(registered, stakings["echo_stakers"]) == MAX_UINT  # standing, set once
        [distributed] = registered.Distributed.from_receipt(receipt)
        assert (distributed.source, distributed.token, distributed.payer, distributed.amount) == (
            echo_pool.address,
            token.address,
            echo_pool.address,
            gain.amount,
        )
        paid = [
            (log.source, log.token, log.account, log.staked, log.amount)
            for log in registered.DestinationPaid.from_receipt(receipt)
        ]
        assert paid == [
            (echo_pool.address, token.address, address_of[name].address, name in stakings, expected[name])
            for name in ("echo_pool", "treasury", "treasury_stakers", "echo_stakers")
        ]
        # One transfer to the treasury and one pull by each staking destination; the pull from the
        # Echo pool is the only other move.
        transfers = token.Transfer.from_receipt(receipt)
        assert [(t.event_arguments["from"], t.to, t.value) for t in transfers] == [
            (echo_pool.address, registered.address, gain.amount - expected["echo_pool"]),
            (registered.address, address_of["treasury"].address, expected["treasury"]),
            (registered.address, stakings["treasury_stakers"].address, expected["treasury_stakers"]),
            (registered.address, stakings["echo_stakers"].address, expected["echo_stakers"]),
        ]


def test_preview__article_example__lines_in_walk_order(registered, gain_tokens, address_of, echo_pool):
    accounts, staked, amounts = registered.previewDistribution(echo_pool, 2733 * E18)
    names = ["echo_pool", "treasury", "treasury_stakers", "echo_stakers"]
    assert list(accounts) == [address_of[name].address for name in names]
    assert list(staked) == [False, False, True, True]
    assert list(amounts) == [EXAMPLE["UNDEAD"][name] for name in names]


@pytest.mark.parametrize(
    ("amount", "echo_coverage", "treasury_coverage"),
    [
        (1_000_000_007, COVERAGE_SCALE // 3, 2 * COVERAGE_SCALE // 3),  # thirds: every weight is inexact
        (2733 * E18 + 1, 644_300_000_000_000_001, 640_899_999_999_999_999),
        (10**59 + 3, 1, COVERAGE_SCALE - 1),  # a huge amount: mulDiv's 512-bit product
    ],
)
def test_distribute__rounding__equals_planner_and_within_one_wei(
    registered, gain_tokens, address_of, stakings, echo_pool, payer, amount, echo_coverage, treasury_coverage
):
    stakings["echo_stakers"].setCoverage(echo_coverage, sender=payer)
    stakings["treasury_stakers"].setCoverage(treasury_coverage, sender=payer)
    plan = split.plan_from_dict(
        {
            "source": "echo_pool",
            "sources": {
                name: [{"account": line.account, "share": str(line.share), "kind": line.kind} for line in lines]
                for name, lines in PLAN.sources.items()
            },
            "stakings": {
                "echo_stakers": {"coverage": str(Fraction(echo_coverage, COVERAGE_SCALE))},
                "treasury_stakers": {"coverage": str(Fraction(treasury_coverage, COVERAGE_SCALE))},
            },
        }
    )
    token = gain_tokens["UNDEAD"]
    token.mint(payer, amount, sender=payer)
    before = balances(token, address_of)
    registered.distribute(echo_pool, token, amount, sender=payer)
    after = balances(token, address_of)
    received = {name: after[name] - before[name] for name in address_of}
    assert received == split.integer_split(plan, "echo_pool", amount)
    exact = split.exact_split(plan, "echo_pool", amount)
    for name in ("treasury", "treasury_stakers", "echo_stakers"):
        assert exact[name] - 1 < received[name] <= exact[name]  # rounded down, by less than 1 wei
    assert exact["echo_pool"] <= received["echo_pool"] < exact["echo_pool"] + 3  # + the remainder
    assert sum(received.values()) == amount
    assert token.balanceOf(registered) == 0


def test_preview__coverage_in_thirds__to_the_wei(registered, address_of, stakings, echo_pool):
    """Coverage 1/3 and 2/3 (rounded down to 1e-18) on 1,000,000,007 wei. Weights: treasury
    0.36 + 0.04 * 0.333333333333333334, treasury stakers 0.04 * 0.666666666666666666, Echo stakers
    0.2 * 0.333333333333333333; each amount rounded down, the Echo pool takes the rest (its exact
    533,333,337.07 plus 1.93 wei of remainders)."""
    stakings["echo_stakers"].setCoverage(COVERAGE_SCALE // 3, sender=echo_pool)
    stakings["treasury_stakers"].setCoverage(2 * COVERAGE_SCALE // 3, sender=echo_pool)
    _, _, amounts = registered.previewDistribution(echo_pool, 1_000_000_007)
    assert list(amounts) == [533_333_339, 373_333_335, 26_666_666, 66_666_667]


def test_distribute__by_another_payer__pays_the_source_its_line(registered, gain_tokens, address_of, echo_pool, payer):
    token = gain_tokens["ETH"]
    echo_before, payer_before = token.balanceOf(echo_pool), token.balanceOf(payer)
    receipt = registered.distribute(echo_pool, token, 9_470_000_000_000_000, sender=payer)
    assert token.balanceOf(echo_pool) - echo_before == 4_461_695_800_000_000
    assert payer_before - token.balanceOf(payer) == 9_470_000_000_000_000
    [distributed] = registered.Distributed.from_receipt(receipt)
    assert distributed.payer == payer.address
    transfers = token.Transfer.from_receipt(receipt)
    assert [(t.event_arguments["from"], t.to, t.value) for t in transfers[:2]] == [
        (payer.address, registered.address, 9_470_000_000_000_000),
        (registered.address, echo_pool.address, 4_461_695_800_000_000),
    ]
    assert len(transfers) == 5


def test_distribute__full_and_zero_coverage__skip_empty_lines(
    registered, gain_tokens, address_of, stakings, echo_pool, payer
):
    """Coverage 100%: nothing returns from the Echo stakers. Coverage 0: the treasury stakers get
    nothing, are not called, and their whole 10% stays with the treasury."""
    stakings["echo_stakers"].setCoverage(COVERAGE_SCALE, sender=payer)
    stakings["treasury_stakers"].setCoverage(0, sender=payer)
    token = gain_tokens["UNDEAD"]
    accounts, _staked, amounts = registered.previewDistribution(echo_pool, 10_000)
    assert list(accounts) == [address_of[n].address for n in ("echo_pool", "treasury", "echo_stakers")]
    assert list(amounts) == [4_000, 4_000, 2_000]
    receipt = registered.distribute(echo_pool, token, 10_000, sender=echo_pool)
    assert [log.amount for log in registered.DestinationPaid.from_receipt(receipt)] == [4_000, 4_000, 2_000]
    assert stakings["treasury_stakers"].Received.from_receipt(receipt) == []
    assert token.balanceOf(stakings["treasury_stakers"]) == 0


def test_distribute__one_wei__stays_with_the_source(registered, gain_tokens, address_of, echo_pool):
    token = gain_tokens["UNDEAD"]
    before = token.balanceOf(echo_pool)
    receipt = registered.distribute(echo_pool, token, 1, sender=echo_pool)
    assert token.balanceOf(echo_pool) == before
    assert [(log.account, log.amount) for log in registered.DestinationPaid.from_receipt(receipt)] == [
        (echo_pool.address, 1)
    ]
    assert token.Transfer.from_receipt(receipt) == []  # nothing leaves the Echo pool: no pull at all


# ---------------------------------------------------------------- registration


def test_register__article_tables__stored_with_events(splitter, owner, address_of):
    receipt = splitter.setSplitTable(address_of["treasury"], table("treasury", address_of), sender=owner)
    [log] = splitter.SplitTableSet.from_receipt(receipt)
    assert log.source == address_of["treasury"].address
    assert [(line[0].lower(), line[1], line[2]) for line in log.destinations] == [
        (account.lower(), share, kind) for account, share, kind in table("treasury", address_of)
    ]
    splitter.setSplitTable(address_of["echo_pool"], table("echo_pool", address_of), sender=owner)
    assert [tuple(line) for line in splitter.getSplitTable(address_of["echo_pool"])] == [
        (address_of["echo_pool"].address, 4_000, KEEP),
        (address_of["treasury"].address, 4_000, FORWARD),
        (address_of["echo_stakers"].address, 2_000, STAKE),
    ]
    assert list(splitter.getSources()) == [address_of["treasury"].address, address_of["echo_pool"].address]
    assert (
        splitter.SHARE_SCALE(),
        splitter.COVERAGE_SCALE(),
        splitter.MAX_DEPTH(),
        splitter.MAX_DESTINATIONS(),
        splitter.MAX_SOURCES(),
        splitter.WEIGHT_SCALE(),
    ) == (
        split.SHARE_SCALE,
        split.COVERAGE_SCALE,
        split.MAX_DEPTH,
        split.MAX_DESTINATIONS,
        split.MAX_SOURCES,
        split.WEIGHT_SCALE,
    )
    assert split.WEIGHT_SCALE == 10**34


def test_register__replacing_a_table_keeps_one_source_entry(registered, owner, address_of, treasury):
    registered.setSplitTable(treasury, [(treasury.address, 10_000, KEEP)], sender=owner)
    assert [tuple(line) for line in registered.getSplitTable(treasury)] == [(treasury.address, 10_000, KEEP)]
    assert len(registered.getSources()) == 2
    accounts, _, amounts = registered.previewDistribution(address_of["echo_pool"], 10_000)
    assert list(zip(accounts, amounts, strict=False)) == [
        (address_of["echo_pool"].address, 4_712),
        (treasury.address, 4_000),
        (address_of["echo_stakers"].address, 1_288),
    ]  # 2,000 * 0.6443 = 1,288.6, rounded down; the Echo
    # pool: 4,000 + 2,000 * 0.3557 = 4,711.4, and the 0.6 wei remainder


def test_register__only_owner(splitter, treasury):
    with reverts_with(splitter.OwnableUnauthorizedAccount, account=treasury):
        splitter.setSplitTable(treasury, [(treasury.address, 10_000, KEEP)], sender=treasury)


def test_register__invalid_source(splitter, owner, treasury):
    for source in (ZERO_ADDRESS, splitter.address):
        with reverts_with(splitter.InvalidSource, source=source):
            splitter.setSplitTable(source, [(treasury.address, 10_000, KEEP)], sender=owner)


def test_register__no_destinations(splitter, owner, treasury):
    with reverts_with(splitter.NoDestinations, source=treasury):
        splitter.setSplitTable(treasury, [], sender=owner)


def test_register__invalid_destination(splitter, owner, treasury):
    for account in (ZERO_ADDRESS, splitter.address):
        with reverts_with(splitter.InvalidDestination, source=treasury, index=1, account=account):
            splitter.setSplitTable(treasury, [(treasury.address, 5_000, KEEP), (account, 5_000, KEEP)], sender=owner)


def test_register__zero_share(splitter, owner, treasury, echo_pool):
    with reverts_with(splitter.ZeroShare, source=treasury, index=1):
        splitter.setSplitTable(treasury, [(treasury.address, 10_000, KEEP), (echo_pool.address, 0, KEEP)], sender=owner)


@pytest.mark.parametrize("second", [4_999, 5_001, 60_000])
def test_register__shares_not_summing_to_one(splitter, owner, treasury, echo_pool, second):
    with reverts_with(splitter.SharesDoNotSumToOne, source=treasury, total=5_000 + second):
        splitter.setSplitTable(
            treasury, [(treasury.address, 5_000, KEEP), (echo_pool.address, second, KEEP)], sender=owner
        )


def test_register__forward_to_unknown_source(splitter, owner, treasury, echo_pool):
    with reverts_with(splitter.UnknownSource, source=treasury):
        splitter.setSplitTable(echo_pool, [(treasury.address, 10_000, FORWARD)], sender=owner)


def test_register__cycles(registered, owner, echo_pool, treasury):
    # A source forwarding to itself.
    with reverts_with(registered.CycleDetected, source=treasury, forwarder=treasury):
        registered.setSplitTable(
            treasury, [(treasury.address, 9_000, KEEP), (treasury.address, 1_000, FORWARD)], sender=owner
        )
    # The treasury forwarding back to the Echo pool, which forwards to the treasury.
    with reverts_with(registered.CycleDetected, source=treasury, forwarder=echo_pool):
        registered.setSplitTable(
            treasury, [(treasury.address, 9_000, KEEP), (echo_pool.address, 1_000, FORWARD)], sender=owner
        )


def test_register__flow_too_deep(splitter, owner, depositors):
    """A chain of forwards through MAX_DEPTH = 4 tables is fine; a fifth refuses the deepest
    registration, and a replacement that deepens another source's flow names that source."""
    chain_ = depositors[10:15]
    splitter.setSplitTable(chain_[0], [(chain_[0].address, 10_000, KEEP)], sender=owner)
    for upstream, downstream in zip(chain_[1:4], chain_[0:3], strict=False):
        splitter.setSplitTable(upstream, [(downstream.address, 10_000, FORWARD)], sender=owner)
    with reverts_with(splitter.FlowTooDeep, source=chain_[4], maxDepth=4):
        splitter.setSplitTable(chain_[4], [(chain_[3].address, 10_000, FORWARD)], sender=owner)
    splitter.setSplitTable(chain_[4], [(chain_[4].address, 10_000, KEEP)], sender=owner)
    with reverts_with(splitter.FlowTooDeep, source=chain_[3], maxDepth=4):
        splitter.setSplitTable(chain_[0], [(chain_[4].address, 10_000, FORWARD)], sender=owner)


def test_register__too_many_destinations(splitter, owner, depositors):
    accounts = depositors[5:22]
    lines = [(a.address, 625, KEEP) for a in accounts[:16]]  # 16 * 6.25% = 100%
    splitter.setSplitTable(accounts[0], lines, sender=owner)
    with reverts_with(splitter.TooManyDestinations, source=accounts[1], maxDestinations=16):
        splitter.setSplitTable(
            accounts[1],
            [*lines[:15], (accounts[16].address, 312, KEEP), (accounts[15].address, 313, KEEP)],
            sender=owner,
        )
    # A flow grows past the bound when a table it forwards to is replaced: the upstream source is named.
    splitter.setSplitTable(accounts[2], [(accounts[2].address, 10_000, KEEP)], sender=owner)
    splitter.setSplitTable(
        accounts[1], [(accounts[1].address, 5_000, KEEP), (accounts[2].address, 5_000, FORWARD)], sender=owner
    )
    with reverts_with(splitter.TooManyDestinations, source=accounts[1], maxDestinations=16):
        splitter.setSplitTable(accounts[2], [*lines[:14], (accounts[16].address, 1250, KEEP)], sender=owner)


def test_register__too_many_sources(splitter, owner, accounts):
    for account in [accounts[i] for i in range(10, 26)]:
        splitter.setSplitTable(account, [(account.address, 10_000, KEEP)], sender=owner)
    extra = accounts[26]
    with reverts_with(splitter.TooManySources, maxSources=16):
        splitter.setSplitTable(extra, [(extra.address, 10_000, KEEP)], sender=owner)


# ---------------------------------------------------------------- distribution errors


def test_distribute__zero_amount(registered, gain_tokens, echo_pool):
    token = gain_tokens["UNDEAD"]
    with reverts_with(registered.ZeroAmount, source=echo_pool, token=token):
        registered.distribute(echo_pool, token, 0, sender=echo_pool)


def test_distribute__invalid_token(registered, echo_pool, treasury):
    with reverts_with(registered.InvalidToken, token=treasury):
        registered.distribute(echo_pool, treasury, E18, sender=echo_pool)


def test_distribute__unknown_source(registered, gain_tokens, payer):
    with reverts_with(registered.UnknownSource, source=payer):
        registered.distribute(payer, gain_tokens["UNDEAD"], E18, sender=payer)


def test_distribute__invalid_coverage(registered, gain_tokens, stakings, echo_pool):
    stakings["treasury_stakers"].setCoverage(COVERAGE_SCALE + 1, sender=echo_pool)
    with reverts_with(registered.InvalidCoverage, stake=stakings["treasury_stakers"], coverage=COVERAGE_SCALE + 1):
        registered.distribute(echo_pool, gain_tokens["UNDEAD"], E18, sender=echo_pool)


def test_distribute__stake_pull_mismatch(registered, gain_tokens, stakings, echo_pool):
    """The Echo stakers, paid last, pull 1 wei less than their 352.17438 UNDEAD: the splitter would
    keep 1 wei."""
    stakings["echo_stakers"].setPullShortfall(1, sender=echo_pool)
    token = gain_tokens["UNDEAD"]
    with reverts_with(
        registered.StakePullMismatch, stake=stakings["echo_stakers"], token=token, expectedBalance=0, balance=1
    ):
        registered.distribute(echo_pool, token, 2733 * E18, sender=echo_pool)


def test_distribute__fee_on_transfer_token_refused(project, registered, owner, echo_pool):
    fot = project.FeeOnTransferERC20.deploy(100, 18, sender=owner)  # 1% burnt per transfer
    fot.mint(echo_pool, 2733 * E18, sender=echo_pool)
    fot.approve(registered, MAX_UINT, sender=echo_pool)
    pulled = 2733 * E18 - EXAMPLE["UNDEAD"]["echo_pool"]
    with reverts_with(registered.TransferShortfall, token=fot, expected=pulled, received=pulled - pulled // 100):
        registered.distribute(echo_pool, fot, 2733 * E18, sender=echo_pool)


# ---------------------------------------------------------------- gas


def test_gas__precomputed_vs_naive_hops(project, deployment, depositors):
    """The article's flow for both tokens (spmodel.chain.splitter.measure_gas, as `ape run gas`
    prints it): one `distribute` per token against the naive hop-by-hop transfers (Echo pool ->
    distributor; distributor -> Echo pool, treasury, Echo stakers; treasury -> distributor (10%);
    distributor -> treasury stakers; each staking destination -> its source (uncovered)), sent as
    8 transactions and, as a lower bound for any naive contract, as 8 transferFroms in one
    transaction (HopByHop); measured in a second round, approvals left out."""
    distributor, echo_stakers_app, treasury_stakers_app = depositors[4:7]
    stand_ins = {DISTRIBUTOR: distributor, "echo_stakers": echo_stakers_app, "treasury_stakers": treasury_stakers_app}
    hops = naive_transfers(PLAN, PLAN.gains[0].amount)
    assert [(a, b) for a, b, _ in hops] == [
        ("echo_pool", DISTRIBUTOR),
        (DISTRIBUTOR, "echo_pool"),
        (DISTRIBUTOR, "treasury"),
        ("treasury", DISTRIBUTOR),
        (DISTRIBUTOR, "treasury_stakers"),
        ("treasury_stakers", "treasury"),
        (DISTRIBUTOR, "echo_stakers"),
        ("echo_stakers", "echo_pool"),
    ]
    # Each hop rounded down at its own step: 2,733 UNDEAD, 40/40/20, 10% on, 35.57% and 35.91% back.
    assert [value for _, _, value in hops] == [
        2733 * E18,
        1093_200000000000000000,
        1093_200000000000000000,
        109_320000000000000000,
        109_320000000000000000,
        39_256812000000000000,
        546_600000000000000000,
        194_425620000000000000,
    ]
    gas = measure_gas(project, deployment, PLAN, stand_ins)
    print()
    for way, used in gas.items():
        print(f"{way:>22}: {used}")
    for gain in PLAN.gains:
        # About 52% of the 8 transactions (in this order the distributor's balance never empties
        # midway, so no hop writes a zero balance afresh); above the bare transfers in one
        # transaction, which read no table, no coverage, call no staking destination and log no
        # distribution (about 48k gas).
        assert 100 * gas["precomputed"][gain.token] < 53 * gas["naive, 8 transactions"][gain.token]
        assert gas["naive, 1 transaction"][gain.token] < gas["precomputed"][gain.token] <= 150_000


def test_distribute__reentrancy_refused(project, registered, owner, echo_pool):
    """A token whose transfer hook calls back into `distribute` (during the pull) is refused by
    the guard; the outer distribution completes."""
    hook = project.HookERC20.deploy(sender=owner)
    hook.mint(echo_pool, 2 * E18, sender=echo_pool)
    hook.approve(registered, MAX_UINT, sender=echo_pool)
    hook.setHook(registered, registered.distribute.encode_input(echo_pool, hook, 1), sender=echo_pool)
    registered.distribute(echo_pool, hook, E18, sender=echo_pool)
    assert hook.lastHookSuccess() is False
    assert bytes(hook.lastHookReturn()) == keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert hook.balanceOf(registered) == 0


# ---------------------------------------------------------------- the planner alone


def plan_with(sources=None, stakings=None, source="echo_pool"):
    """The article's plan with some of its parts replaced (as plan-file contents)."""
    raw = json.loads(PLAN_PATH.read_text())
    raw["source"] = source
    raw["sources"].update(sources or {})
    raw["stakings"].update(stakings or {})
    return split.plan_from_dict(raw)


STAKES = {
    "today": "2024-11-17",
    "stakes": [
        {"staker": "alice", "amount": "1000", "start": "2024-09-01"},  # 77 days: AMP 1000
        {"staker": "bob", "amount": "500", "start": "2024-10-27"},  # 21 days: AMP 250
        {"staker": "alice", "amount": "300", "start": "2024-11-17"},  # today: AMP 0
    ],
}


def test_planner__stakes__coverage_and_re_ratio():
    staking = plan_with(stakings={"echo_stakers": STAKES}).stakings["echo_stakers"]
    assert [staking.amp(stake) for stake in staking.stakes] == [1000, 250, 0]
    assert staking.coverage == Fraction(694_444_444_444_444_444, COVERAGE_SCALE)  # 1250 / 1800, rounded down
    assert split.staker_shares(staking) == {"alice": Fraction(4, 5), "bob": Fraction(1, 5)}


def test_distribute__coverage_from_stakes__equals_planner(registered, gain_tokens, address_of, stakings, echo_pool):
    plan = plan_with(stakings={"echo_stakers": STAKES})
    stakings["echo_stakers"].setCoverage(694_444_444_444_444_444, sender=echo_pool)
    token = gain_tokens["UNDEAD"]
    before = balances(token, address_of)
    registered.distribute(echo_pool, token, 2733 * E18, sender=echo_pool)
    received = {name: balance - before[name] for name, balance in balances(token, address_of).items()}
    received["echo_pool"] += 2733 * E18
    assert received == split.integer_split(plan, "echo_pool", 2733 * E18)
    # 2,733 * 20% = 546.6 UNDEAD, times 0.694444444444444444 = 379.5833333333333330904, rounded down
    assert received["echo_stakers"] == 379_583_333_333_333_333_090
    exact = split.exact_split(plan, "echo_pool", 2733 * E18)
    assert exact["echo_stakers"] - 1 < received["echo_stakers"] <= exact["echo_stakers"]
    shares = split.staker_shares(plan.stakings["echo_stakers"])
    assert {staker: exact["echo_stakers"] * share for staker, share in shares.items()} == {
        "alice": Fraction("303666666666666666472.32"),
        "bob": Fraction("75916666666666666618.08"),
    }


@pytest.mark.parametrize(
    ("change", "error", "inputs"),
    [
        (
            {"sources": {"treasury": [{"account": "treasury", "share": "0.9", "kind": "keep"}]}},
            split.SharesDoNotSumToOne,
            {"source": "treasury", "total": Fraction(9, 10)},
        ),
        (
            {
                "sources": {
                    "treasury": [
                        {"account": "treasury", "share": "1", "kind": "keep"},
                        {"account": "echo_pool", "share": "0", "kind": "keep"},
                    ]
                }
            },
            split.ZeroShare,
            {"source": "treasury", "index": 1},
        ),
        (
            {
                "sources": {
                    "treasury": [
                        {"account": "treasury", "share": "0.99995", "kind": "keep"},
                        {"account": "treasury_stakers", "share": "0.00005", "kind": "stake"},
                    ]
                }
            },
            split.ShareNotInBasisPoints,
            {"source": "treasury", "index": 0, "share": Fraction("0.99995")},
        ),
        (
            {"sources": {"treasury": [{"account": "echo_stakers", "share": "1", "kind": "keep"}]}},
            split.InvalidDestination,
            {"source": "treasury", "index": 0, "account": "echo_stakers"},
        ),
        (
            {"sources": {"treasury": [{"account": "treasury", "share": "1", "kind": "stake"}]}},
            split.InvalidDestination,
            {"source": "treasury", "index": 0, "account": "treasury"},
        ),
        (
            {"sources": {"treasury": [{"account": "dao", "share": "1", "kind": "forward"}]}},
            split.UnknownSource,
            {"source": "dao"},
        ),
        (
            {"sources": {"treasury": [{"account": "echo_pool", "share": "1", "kind": "forward"}]}},
            split.CycleDetected,
            {"source": "echo_pool", "forwarder": "treasury"},
        ),
        (
            {
                "sources": {f"s{i}": [{"account": f"s{i + 1}", "share": "1", "kind": "forward"}] for i in range(4)}
                | {"s4": [{"account": "s4", "share": "1", "kind": "keep"}]}
            },
            split.FlowTooDeep,
            {"source": "s0", "max_depth": 4},
        ),
        (
            {"sources": {"treasury": [{"account": f"a{i}", "share": "0.0625", "kind": "keep"} for i in range(16)]}},
            split.TooManyDestinations,
            {"source": "echo_pool", "max_destinations": 16},
        ),
        (
            {"sources": {f"s{i}": [{"account": "x", "share": "1", "kind": "keep"}] for i in range(15)}},
            split.TooManySources,
            {"max_sources": 16},
        ),
        (
            {"stakings": {"echo_stakers": {"coverage": "1.000000000000000001"}}},
            split.InvalidCoverage,
            {"stake": "echo_stakers", "coverage": Fraction("1.000000000000000001")},
        ),
        (
            {"stakings": {"echo_stakers": {"today": "2024-11-17", "stakes": []}}},
            split.NoStakes,
            {"staking": "echo_stakers"},
        ),
        (
            {
                "stakings": {
                    "echo_stakers": {
                        "today": "2024-11-17",
                        "stakes": [{"staker": "alice", "amount": "1", "start": "2024-11-18"}],
                    }
                }
            },
            split.InvalidStake,
            {"staking": "echo_stakers", "staker": "alice"},
        ),
    ],
)
def test_planner__errors__named_as_the_contract(change, error, inputs):
    with pytest.raises(error) as info:
        plan_with(**change)
    assert {name: getattr(info.value, name) for name in inputs} == inputs


def test_planner__report__the_article_table():
    assert split.report(PLAN).splitlines() == [
        "UNDEAD: 2733 from echo_pool",
        "  echo_pool          exact                     1287.62562   on chain     1287625620000000000000 wei",
        "  treasury           exact                    1023.136812   on chain     1023136812000000000000 wei",
        "  treasury_stakers   exact                      70.063188   on chain       70063188000000000000 wei",
        "  echo_stakers       exact                      352.17438   on chain      352174380000000000000 wei",
        "ETH: 0.00947 from echo_pool",
        "  echo_pool          exact                   0.0044616958   on chain           4461695800000000 wei",
        "  treasury           exact                  0.00354522708   on chain           3545227080000000 wei",
        "  treasury_stakers   exact                  0.00024277292   on chain            242772920000000 wei",
        "  echo_stakers       exact                   0.0012203042   on chain           1220304200000000 wei",
    ]


def test_planner__too_many_decimals():
    raw = json.loads(PLAN_PATH.read_text())
    raw["gains"][0]["decimals"] = 2
    raw["gains"][1]["decimals"] = 2  # 0.00947 has 5 decimals
    with pytest.raises(split.PlanError, match=r"0\.00947 has more than 2 decimals"):
        split.plan_from_dict(raw)


# ---------------------------------------------------------------- random flows


@st.composite
def random_plans(draw):
    """Plan-file contents: up to 4 sources s0..s3 (s0 distributes; a source forwards only to later
    ones, so there is no loop), 1-6 lines each to sources, two plain accounts a0, a1 and three
    staking destinations k0..k2 with random coverage (1e18 fixed point), and an amount."""
    count = draw(st.integers(1, 4))
    sources = {}
    for index in range(count):
        targets = [("keep", f"s{i}") for i in range(count)] + [("keep", "a0"), ("keep", "a1")]
        targets += [("stake", f"k{i}") for i in range(3)] + [("forward", f"s{i}") for i in range(index + 1, count)]
        lines = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=6))
        cuts = sorted(
            draw(
                st.lists(st.integers(1, SHARE_SCALE - 1), min_size=len(lines) - 1, max_size=len(lines) - 1, unique=True)
            )
        )
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, SHARE_SCALE], strict=False)]
        sources[f"s{index}"] = [
            {"account": account, "share": str(Fraction(share, SHARE_SCALE)), "kind": kind}
            for (kind, account), share in zip(lines, shares, strict=False)
        ]
    coverage = [
        draw(st.sampled_from([0, 1, COVERAGE_SCALE - 1, COVERAGE_SCALE]) | st.integers(0, COVERAGE_SCALE))
        for _ in range(3)
    ]
    stakings = {f"k{i}": {"coverage": str(Fraction(c, COVERAGE_SCALE))} for i, c in enumerate(coverage)}
    amount = draw(st.integers(1, 10) | st.integers(1, 10**30) | st.just(2**200 + 1))
    return {"source": "s0", "sources": sources, "stakings": stakings}, coverage, amount, draw(st.booleans())


def test_random_flows__contract_equals_planner(project, owner, payer, depositors, stakings, gain_tokens):
    """Random tables, coverage and amounts: the contract refuses what the planner refuses, with the
    same error, and otherwise pays each final destination the planner's integer split, rounded down
    within 1 wei of the exact split (the source: at or above it, by less than 1 wei per other
    destination), conserving the amount."""
    staking_list = [*list(stakings.values()), project.MockStakingDestination.deploy(0, sender=owner)]
    address_of = {f"s{i}": depositors[10 + i] for i in range(4)} | {"a0": depositors[14], "a1": depositors[15]}
    address_of |= {f"k{i}": staking for i, staking in enumerate(staking_list)}
    token = gain_tokens["UNDEAD"]

    too_large = {
        "source": "s0",
        "stakings": {f"k{i}": {"coverage": "0.5"} for i in range(3)},
        "sources": {
            "s0": [
                {"account": "s0", "share": "0.5", "kind": "keep"},
                {"account": "s1", "share": "0.5", "kind": "forward"},
            ],
            "s1": [{"account": "a0", "share": "0.0625", "kind": "keep"}] * 16,
        },
    }  # s0's flow: 2 + 16 lines

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(random_plans())
    @example((too_large, [COVERAGE_SCALE // 2] * 3, 10**18, False))
    def check(drawn):
        raw, coverage, amount, source_pays = drawn
        splitter = project.RewardSplitter.deploy(owner, sender=owner)
        for staking, value in zip(staking_list, coverage, strict=False):
            staking.setCoverage(value, sender=owner)
        names = list(raw["sources"])
        for position in reversed(range(len(names))):  # forward targets first
            name = names[position]
            lines = [
                (
                    address_of[line["account"]].address,
                    int(Fraction(line["share"]) * SHARE_SCALE),
                    KINDS.index(line["kind"]),
                )
                for line in raw["sources"][name]
            ]
            registered_so_far = {n: raw["sources"][n] for n in names[position:]}
            refused = None
            try:  # the planner on what is registered once this table is
                split.plan_from_dict(raw | {"source": name, "sources": registered_so_far})
            except split.TooManyDestinations as error:  # the only error these plans can hit
                refused = error
            if refused is not None:
                assert refused.source == name
                with reverts_with(splitter.TooManyDestinations, source=address_of[name], maxDestinations=16):
                    splitter.setSplitTable(address_of[name], lines, sender=owner)
                return
            splitter.setSplitTable(address_of[name], lines, sender=owner)
        plan = split.plan_from_dict(raw)
        sender = address_of["s0"] if source_pays else payer
        token.mint(sender, amount, sender=sender)
        token.approve(splitter, amount, sender=sender)
        before = balances(token, address_of)
        splitter.distribute(address_of["s0"], token, amount, sender=sender)
        received = {name: value - before[name] for name, value in balances(token, address_of).items()}
        if source_pays:
            received["s0"] += amount
        expected = split.integer_split(plan, "s0", amount)
        assert {name: value for name, value in received.items() if value} == {
            name: value for name, value in expected.items() if value
        }
        exact = split.exact_split(plan, "s0", amount)
        for name, value in expected.items():
            if name != "s0":
                assert exact[name] - 1 < value <= exact[name]
        assert exact["s0"] <= expected["s0"] < exact["s0"] + max(1, len(expected) - 1)
        assert sum(received.values()) == amount
        assert token.balanceOf(splitter) == 0

    check()
