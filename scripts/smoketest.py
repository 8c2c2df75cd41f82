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

from spmodel import ExactPool
from spmodel.harness import Mismatch
from scripts._common import (
    E18,
    create_pool,
    deploy_tokens,
    make_harness,
    print_table,
    roles_from_test_accounts,
    short,
    significant,
    units,
)

DEBT, COLL = "BSD", "SBTC"

# (action, who, amount) in whole tokens; offsets are (debt, collateral).
SCENARIO = [
    ("deposit", "Alice", Fraction(100)),
    ("deposit", "Bob", Fraction(50)),
    ("withdraw", "Bob", Fraction(15)),
    ("offset", None, (Fraction(50), Fraction(1, 100))),
    ("offset", None, (Fraction(25), Fraction(1, 100))),
    ("deposit", "Bob", Fraction(100)),
    ("offset", None, (Fraction(10), Fraction(1, 100))),
]

# Seed 000's exact results: (rewards in SBTC, balance in BSD) per provider, and the pool's totals.
EXPECTED = {
    "Alice": (Fraction(19, 1080), Fraction(125, 3)),
    "Bob": (Fraction(13, 1800), Fraction(325, 3)),
}
EXPECTED_POOL = (Fraction(67, 2700), Fraction(150))


def wei(amount: Fraction) -> int:
    value = amount * E18
    assert value.denominator == 1, amount
    return int(value)


def tokens(amount: Fraction) -> str:
    """100 -> '100', 1/100 -> '0.01'."""
    return significant(amount, 30).rstrip("0").rstrip(".") if amount.denominator != 1 else str(amount)


def ideal_exact(people, coll: str) -> ExactPool:
    """Seed 000 in the exact model alone, every gain paid exactly (no contract integers): the
    published exact results."""
    model = ExactPool()
    model.register(coll)
    for now, (kind, name, amount) in enumerate(SCENARIO):
        who = people[name].address if name else None
        if kind == "offset":
            model.do_offset(amount[0] * E18, coll, amount[1] * E18, now)
            continue
        if kind == "deposit":
            model.do_deposit(who, amount * E18, now)
        else:
            model.do_withdraw(who, amount * E18, now)
        model.pay(who, coll, model.gain_owed(who, coll))  # a deposit or withdrawal pays every gain
    return model


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

    print(f"Seed 000 on {network.choice}:{chain.provider.name}: {DEBT} {debt.address}, {COLL} {coll.address}, "
          f"StabilityPool {pool.address}")
    print()

    actions, seen = [], set()

    def log(text):
        actions.append([len(actions) + 1, text, units(pool.totalDeposits(), 18), units(coll.balanceOf(pool), 18)])

    for kind, name, amount in SCENARIO:
        if kind == "deposit":
            if name not in seen:
                seen.add(name)
                log(f"Added provider: {name}")
            h.deposit(people[name], wei(amount))
            log(f"Deposited {tokens(amount)} {DEBT} for provider: {name}")
        elif kind == "withdraw":
            h.withdraw(people[name], wei(amount))
            log(f"Withdrew {tokens(amount)} {DEBT} for provider: {name}")
        else:
            debt_amount, coll_amount = amount
            h.offset(wei(debt_amount), coll, wei(coll_amount))
            log(f"Liquidated {tokens(debt_amount)} {DEBT} for {tokens(coll_amount)} {COLL}")

    print_table(["#", "action", f"pool balance ({DEBT})", f"pool rewards ({COLL})"], actions,
                align=[">", "<", ">", ">"], title="Actions")

    # Providers: each contract value, the exact value (20 significant digits) and the difference in wei.
    # rewards/balance: getDepositorGain / getCompoundedDeposit; poolRewards: the SBTC the pool holds
    # to pay rewards (exact: the rewards still owed); poolBalance: totalDeposits.
    ideal = ideal_exact(people, coll.address)
    pool_row = [coll.balanceOf(pool), pool.totalDeposits()]
    ideal_pool = [sum((ideal.gain_owed(w.address, coll.address) for w in people.values()), Fraction(0)),
                  Fraction(ideal.total_deposits)]
    rows, failures = [], []
    for name, who in people.items():
        got = [pool.getDepositorGain(who, coll), pool.getCompoundedDeposit(who), *pool_row]
        want = [ideal.gain_owed(who.address, coll.address), ideal.deposit(who.address), *ideal_pool]
        rows.append([name, "contract", *(units(g, 18) for g in got)])
        rows.append(["", "exact", *(significant(w / E18) for w in want)])
        rows.append(["", "contract - exact (wei)", *(short(g - w) for g, w in zip(got, want))])
        published = [*EXPECTED[name], *EXPECTED_POOL]
        for column, model, seed in zip(["rewards", "balance", "poolRewards", "poolBalance"], want, published):
            if model != seed * E18:
                failures.append(f"exact model: {name} {column} = {model / E18}, seed 000 says {seed}")
            if column in ("rewards", "balance") and got[0 if column == "rewards" else 1] > model:
                failures.append(f"contract: {name} {column} above the exact value")
    print_table(["provider", "value", f"rewards ({COLL})", f"balance ({DEBT})", f"poolRewards ({COLL})",
                 f"poolBalance ({DEBT})"], rows, align=["<", "<", ">", ">", ">", ">"], title="Providers")
    print("exact (seed 000): Alice rewards 19/1080, balance 125/3; Bob rewards 13/1800, balance 325/3; "
          "poolRewards 67/2700 (rewards still owed), poolBalance 150")
    print(f"the depositors' claims on poolRewards (sum of getDepositorGain): "
          f"{units(sum(pool.getDepositorGain(w, coll) for w in people.values()), 18)} {COLL}")
    print()

    try:
        h.check()
    except Mismatch as err:
        failures.append(f"cross-check failed: {err}")
    else:
        print("cross-check: contract == integer mirror, at or below exact model "
              f"(worst shortfall: deposit {short(h.worst.deposit)} wei, gain {short(h.worst.gain)} wei)")

    if failures:
        for failure in failures:
            click.echo(f"FAIL: {failure}", err=True)
        sys.exit(1)
    print("seed 000: OK")
