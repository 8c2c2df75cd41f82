"""`ape run distribute` (scripts/distribute.py): its core, spmodel.chain.splitter.run_local, on
the seed 001 plan and on one `--amount/--token` gain, deployed on the test network and distributed,
every printed row and result to the wei; a chain that disagrees with the plan is reported; the
dry run (the planner's table alone) and the option checks."""

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from spmodel import split
from spmodel.chain.splitter import Row, attach_plan, deploy_plan, naive_hops, plan_with_gain, run, run_local

PLAN = split.load_plan(Path(__file__).resolve().parent.parent / "plans" / "seed001.json")

UNDEAD_TABLE = [
    "UNDEAD: 2733 (2733000000000000000000 wei) from echo_pool",
    "final destination |   weight | exact (UNDEAD) |          planner (wei) |         on chain (wei) | = planner",
    "------------------+----------+----------------+------------------------+------------------------+----------",
    "echo_pool         |  0.47114 |     1287.62562 | 1287625620000000000000 | 1287625620000000000000 | yes",
    "treasury          | 0.374364 |    1023.136812 | 1023136812000000000000 | 1023136812000000000000 | yes",
    "treasury_stakers  | 0.025636 |      70.063188 |   70063188000000000000 |   70063188000000000000 | yes",
    "echo_stakers      |  0.12886 |      352.17438 |  352174380000000000000 |  352174380000000000000 | yes",
    "transfers: naive 8 hops vs pre-computed 3 payments",
]
ETH_TABLE = [
    "ETH: 0.00947 (9470000000000000 wei) from echo_pool",
    "final destination |   weight |   exact (ETH) |    planner (wei) |   on chain (wei) | = planner",
    "------------------+----------+---------------+------------------+------------------+----------",
    "echo_pool         |  0.47114 |  0.0044616958 | 4461695800000000 | 4461695800000000 | yes",
    "treasury          | 0.374364 | 0.00354522708 | 3545227080000000 | 3545227080000000 | yes",
    "treasury_stakers  | 0.025636 | 0.00024277292 |  242772920000000 |  242772920000000 | yes",
    "echo_stakers      |  0.12886 |  0.0012203042 | 1220304200000000 | 1220304200000000 | yes",
    "transfers: naive 8 hops vs pre-computed 3 payments",
]


def printed(lines):
    """What `run` echoed, one table line per entry (the blank separators dropped)."""
    return [line for text in lines for line in text.splitlines() if line]


def test_distribute__seed001__the_article_to_the_wei(project, accounts):
    lines = []
    deployment, results = run_local(project, list(accounts), PLAN, echo=lines.append)
    assert printed(lines) == [f"RewardSplitter {deployment.splitter.address}", *UNDEAD_TABLE, *ETH_TABLE]
    undead, eth = results
    assert [(row.destination, row.exact, row.planned, row.on_chain) for row in undead.rows] == [
        ("echo_pool", 1_287_625_620_000_000_000_000, 1_287_625_620_000_000_000_000, 1_287_625_620_000_000_000_000),
        ("treasury", 1_023_136_812_000_000_000_000, 1_023_136_812_000_000_000_000, 1_023_136_812_000_000_000_000),
        ("treasury_stakers", 70_063_188_000_000_000_000, 70_063_188_000_000_000_000, 70_063_188_000_000_000_000),
        ("echo_stakers", 352_174_380_000_000_000_000, 352_174_380_000_000_000_000, 352_174_380_000_000_000_000),
    ]
    eth_received = [4_461_695_800_000_000, 3_545_227_080_000_000, 242_772_920_000_000, 1_220_304_200_000_000]
    assert [row.on_chain for row in eth.rows] == eth_received
    for result in results:
        assert (result.naive_hops, result.payments, result.failures) == (8, 3, ())
        assert sum(row.on_chain for row in result.rows) == result.gain.amount
    # The Echo pool paid what leaves it and kept its own line; the splitter holds nothing.
    token = deployment.tokens["UNDEAD"]
    assert token.balanceOf(deployment.address_of["echo_pool"]) == 1_287_625_620_000_000_000_000
    assert token.balanceOf(deployment.splitter) == 0


def test_distribute__amount_and_token_override__rounded_down_within_one_wei(project, accounts):
    """--amount 1.000000000000000007 --token UNDEAD: no weight times the amount is whole; each
    destination is paid its floor, the Echo pool the rest (its exact 0.47114...3298 wei more)."""
    plan = plan_with_gain(PLAN, "1.000000000000000007", "UNDEAD")
    assert plan.gains == (split.Gain("UNDEAD", 18, 10**18 + 7),)
    lines = []
    _, [result] = run_local(project, list(accounts), plan, echo=lines.append)
    assert printed(lines)[1:] == [
        "UNDEAD: 1.000000000000000007 (1000000000000000007 wei) from echo_pool",
        "final destination |   weight |             exact (UNDEAD) |      planner (wei) |"
        "     on chain (wei) | = planner",
        "------------------+----------+----------------------------+--------------------+--------------------+----------",
        "echo_pool         |  0.47114 |  0.47114000000000000329798 | 471140000000000005 | 471140000000000005 | yes",
        "treasury          | 0.374364 | 0.374364000000000002620548 | 374364000000000002 | 374364000000000002 | yes",
        "treasury_stakers  | 0.025636 | 0.025636000000000000179452 |  25636000000000000 |  25636000000000000 | yes",
        "echo_stakers      |  0.12886 |  0.12886000000000000090202 | 128860000000000000 | 128860000000000000 | yes",
        "transfers: naive 8 hops vs pre-computed 3 payments",
    ]
    assert result.rows[1] == Row(
        "treasury",
        Fraction("0.374364"),
        Fraction("374364000000000002.620548"),
        374_364_000_000_000_002,
        374_364_000_000_000_002,
    )
    assert result.failures == ()


def test_distribute__chain_differs_from_plan__reported(project, accounts):
    """The Echo stakers' coverage moved after deployment: the contract pays them less than the
    planner does, and the failures name every destination whose amount differs."""
    deployment, _ = run_local(project, list(accounts), replace(PLAN, gains=PLAN.gains[:1]), echo=lambda _: None)
    deployment.stakings["echo_stakers"].setCoverage(600_000_000_000_000_000, sender=accounts[0])
    echo_pool = deployment.address_of["echo_pool"]
    deployment.tokens["UNDEAD"].mint(echo_pool, 2733 * 10**18, sender=echo_pool)
    [result] = run(replace(PLAN, gains=PLAN.gains[:1]), deployment, echo=lambda _: None)
    assert result.failures == (
        "echo_pool: received 1311840000000000000000 wei, the planner pays 1287625620000000000000",
        "echo_stakers: received 327960000000000000000 wei, the planner pays 352174380000000000000",
    )


def test_distribute__send_to_a_deployed_splitter__another_payer(project, accounts):
    """`--send --splitter ADDRESS --address NAME=ADDRESS ...`: the plan attached to a splitter
    deployed earlier, checked against its tables and coverage, then distributed by an account that
    is not the source (it approves what is pulled, all of it: the Echo pool's line is a transfer too)."""
    deployed = deploy_plan(project, accounts[0], PLAN, accounts[1:3])
    addresses = {name: account.address for name, account in deployed.address_of.items()}
    addresses |= {symbol: token.address for symbol, token in deployed.tokens.items()}
    attached, differences = attach_plan(project, PLAN, deployed.splitter.address, addresses)
    assert differences == []
    payer = accounts[5]
    for gain in PLAN.gains:
        attached.tokens[gain.token].mint(payer, gain.amount, sender=payer)
    results = run(PLAN, attached, payer, echo=lambda _: None)
    assert [row.on_chain for row in results[0].rows] == [row.planned for row in results[0].rows]
    assert results[0].rows[1].on_chain == 1_023_136_812_000_000_000_000
    for result in results:
        assert (result.payments, result.failures) == (4, ())
        assert attached.tokens[result.gain.token].balanceOf(payer) == 0
    deployed.stakings["treasury_stakers"].setCoverage(0, sender=payer)
    _, differences = attach_plan(project, PLAN, deployed.splitter.address, addresses)
    assert differences == ["treasury_stakers reports coverage 0, the plan 640900000000000000 (1e18 = 100%)"]
    with pytest.raises(ValueError, match=r"^no address for UNDEAD, ETH$"):
        attach_plan(
            project,
            PLAN,
            deployed.splitter.address,
            {k: v for k, v in addresses.items() if k in PLAN.sources or k in PLAN.stakings},
        )


def test_distribute__dry_run__the_planner_table_only():
    lines = []
    [undead, _eth] = run(PLAN, echo=lines.append)
    assert printed(lines)[:4] == [
        "UNDEAD: 2733 (2733000000000000000000 wei) from echo_pool",
        "final destination |   weight | exact (UNDEAD) |          planner (wei)",
        "------------------+----------+----------------+-----------------------",
        "echo_pool         |  0.47114 |     1287.62562 | 1287625620000000000000",
    ]
    assert not undead.distributed and undead.failures == () and undead.payments == 3
    # Full coverage: the Echo stakers return nothing, one hop fewer.
    full = replace(PLAN, stakings={**PLAN.stakings, "echo_stakers": split.Staking(given_coverage=Fraction(1))})
    assert naive_hops(full) == 7


@pytest.mark.parametrize(
    ("amount", "token", "decimals", "message"),
    [
        ("1", None, None, "give both --amount and --token, or neither"),
        ("0.0000001", "USDC", 6, "0.0000001 is not a positive amount with at most 6 decimals"),
        ("0", "UNDEAD", None, "0 is not a positive amount with at most 18 decimals"),
        ("1", "UNDEAD", 6, "UNDEAD has 18 decimals in the plan, not 6"),
        ("one", "UNDEAD", None, "'one' is not an amount"),
    ],
)
def test_distribute__amount_and_token__checked(amount, token, decimals, message):
    with pytest.raises(split.PlanError, match=f"^{re.escape(message)}$"):
        plan_with_gain(PLAN, amount, token, decimals)
