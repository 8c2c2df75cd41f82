"""Seed 000's smoketest on a fresh local deployment, side by side with the exact model.

    ape run smoketest --network ethereum:local:foundry        (or: ./dev demo)

Alice deposits 100 BSD, Bob 50; Bob withdraws 15; liquidations of 50 and 25 BSD for 0.01 SBTC each;
Bob deposits 100; a liquidation of 10 BSD for 0.01 SBTC. Every step goes through the Harness, so
the contract, the integer mirror and the exact Fraction model move in step. Exits non-zero if the
contract disagrees with the mirror, falls outside the exact model's bounds, or the exact model
disagrees with seed 000's published results.
"""

import sys
from fractions import Fraction

import click
from ape.cli import ConnectedProviderCommand, ape_cli_context, network_option

from spmodel.amounts import E18
from spmodel.chain.deploy import create_pool, deploy_tokens, make_harness, roles_from_test_accounts
from spmodel.chain.harness import Mismatch
from spmodel.chain.seed000 import replay
from spmodel.report import print_table, short, significant, units
from spmodel.seed000 import EXPECTED, EXPECTED_POOL, ideal_exact

DEBT, COLL = "BSD", "SBTC"


def tokens(amount: Fraction) -> str:
    """100 -> '100', 1/100 -> '0.01'."""
    return significant(amount, 30).rstrip("0").rstrip(".") if amount.denominator != 1 else str(amount)


@click.command(cls=ConnectedProviderCommand)
@ape_cli_context(default_log_level="WARNING")
@network_option(default="ethereum:local:foundry")
def cli(cli_ctx, network):
    """Replay seed 000 on a fresh pool and compare with the exact model."""
    from ape import accounts, chain, project

    roles = roles_from_test_accounts(accounts)
    people = {"Alice": roles.depositors[0], "Bob": roles.depositors[1]}
    debt, (coll,) = deploy_tokens(project, roles.owner, DEBT, [(COLL, 18)])
    pool = create_pool(project, roles, debt, [coll], depositors=list(people.values()))
    h = make_harness(project, chain, roles, pool, debt, [coll])

    print(
        f"Seed 000 on {network.choice}:{chain.provider.name}: {DEBT} {debt.address}, {COLL} {coll.address}, "
        f"StabilityPool {pool.address}"
    )
    print()

    actions, seen = [], set()
    balances = [units(pool.totalDeposits(), 18), units(coll.balanceOf(pool), 18)]  # before the step
    for step, _ in replay(h, people, coll):
        if step.action == "deposit" and step.who not in seen:
            seen.add(step.who)
            actions.append([len(actions) + 1, f"Added provider: {step.who}", *balances])
        if step.action == "deposit":
            text = f"Deposited {tokens(step.amount)} {DEBT} for provider: {step.who}"
        elif step.action == "withdraw":
            text = f"Withdrew {tokens(step.amount)} {DEBT} for provider: {step.who}"
        else:
            text = f"Liquidated {tokens(step.amount)} {DEBT} for {tokens(step.collateral)} {COLL}"
        balances = [units(pool.totalDeposits(), 18), units(coll.balanceOf(pool), 18)]
        actions.append([len(actions) + 1, text, *balances])

    print_table(
        ["#", "action", f"pool balance ({DEBT})", f"pool rewards ({COLL})"],
        actions,
        align=[">", "<", ">", ">"],
        title="Actions",
    )

    # Providers: each contract value, the exact value (20 significant digits) and the difference in wei.
    # rewards/balance: getDepositorGain / getCompoundedDeposit; poolRewards: the SBTC the pool holds
    # to pay rewards (exact: the rewards still owed); poolBalance: totalDeposits.
    ideal = ideal_exact({name: who.address for name, who in people.items()}, coll.address)
    pool_row = [coll.balanceOf(pool), pool.totalDeposits()]
    ideal_pool = [
        sum((ideal.gain_owed(w.address, coll.address) for w in people.values()), Fraction(0)),
        Fraction(ideal.total_deposits),
    ]
    rows, failures = [], []
    for name, who in people.items():
        got = [pool.getDepositorGain(who, coll), pool.getCompoundedDeposit(who), *pool_row]
        want = [ideal.gain_owed(who.address, coll.address), ideal.compounded(who.address), *ideal_pool]
        rows.append([name, "contract", *(units(g, 18) for g in got)])
        rows.append(["", "exact", *(significant(w / E18) for w in want)])
        rows.append(["", "contract - exact (wei)", *(short(g - w) for g, w in zip(got, want, strict=True))])
        published = [*EXPECTED[name], *EXPECTED_POOL]
        for column, model, seed in zip(
            ["rewards", "balance", "poolRewards", "poolBalance"], want, published, strict=True
        ):
            if model != seed * E18:
                failures.append(f"exact model: {name} {column} = {model / E18}, seed 000 says {seed}")
            if column in ("rewards", "balance") and got[0 if column == "rewards" else 1] > model:
                failures.append(f"contract: {name} {column} above the exact value")
    print_table(
        [
            "provider",
            "value",
            f"rewards ({COLL})",
            f"balance ({DEBT})",
            f"poolRewards ({COLL})",
            f"poolBalance ({DEBT})",
        ],
        rows,
        align=["<", "<", ">", ">", ">", ">"],
        title="Providers",
    )
    print(
        "exact (seed 000): "
        + "; ".join(f"{name} rewards {rewards}, balance {balance}" for name, (rewards, balance) in EXPECTED.items())
        + f"; poolRewards {EXPECTED_POOL[0]} (rewards still owed), poolBalance {EXPECTED_POOL[1]}"
    )
    print(
        f"the depositors' claims on poolRewards (sum of getDepositorGain): "
        f"{units(sum(pool.getDepositorGain(w, coll) for w in people.values()), 18)} {COLL}"
    )
    print()

    try:
        h.check()
    except Mismatch as err:
        failures.append(f"cross-check failed: {err}")
    else:
        print(
            "cross-check: contract == integer mirror, at or below exact model "
            f"(worst shortfall: deposit {short(h.worst.deposit)} wei, gain {short(h.worst.gain)} wei)"
        )

    if failures:
        for failure in failures:
            click.echo(f"FAIL: {failure}", err=True)
        sys.exit(1)
    print("seed 000: OK")
