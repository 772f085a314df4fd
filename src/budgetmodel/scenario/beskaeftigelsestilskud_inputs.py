"""budget.beskaeftigelsestilskud → the engine's inputs and the budget line (called from the step where
the scenario meets the law). ``inp`` is the run's recorder of scenario values (``.s`` the scenario,
``.book`` the rate book, ``.value(path, label, unit)``), so every figure used is recorded."""

from __future__ import annotations

from typing import Any


def grant_year_inputs(inp: Any) -> dict[int, Any]:
    """The grant years of budget.beskaeftigelsestilskud as the engine's inputs (every value recorded)."""
    from budgetmodel.financing.beskaeftigelsestilskud import GrantYearInput, LandsdelFigures, OwnFigures

    b = inp.s.budget.beskaeftigelsestilskud
    if b is None:
        return {}
    out = {}
    for year, y in b.years.items():
        p = f"budget.beskaeftigelsestilskud.years.{year}"

        def v(path: str, label: str, unit: str) -> float:
            return inp.value(f"{p}.{path}", f"Beskæftigelsestilskud {year}: {label}", unit)

        def opt(node: Any, path: str, label: str) -> float | None:
            return None if node is None else v(path, label, "dkk")

        own, ld = y.own, y.landsdel
        out[year] = GrantYearInput(
            grant_year=year,
            price_wage_factor=v("price_wage_factor", "P/L-faktor", "factor"),
            own=OwnFigures(
                grant_two_years_before_dkk=v("own.grant_two_years_before_dkk", "tilskud 2 år før", "dkk"),
                unemployed_key_year=v("own.unemployed_key_year", "ledige i nøgleåret", "count"),
                unemployed_grant_year=v("own.unemployed_grant_year", "ledige i tilskudsåret", "count"),
                net_expenses_dkk=opt(own.net_expenses_dkk, "own.net_expenses_dkk", "egne nettoudgifter"),
            ),
            landsdel=LandsdelFigures(
                name=ld.name,
                grundtilskud_dkk=v("landsdel.grundtilskud_dkk", f"{ld.name}: grundtilskud", "dkk"),
                net_expenses_foreloebig_dkk=v("landsdel.net_expenses_foreloebig_dkk", f"{ld.name}: forventede nettoudgifter", "dkk"),
                net_expenses_midtvejs_dkk=opt(ld.net_expenses_midtvejs_dkk, "landsdel.net_expenses_midtvejs_dkk", f"{ld.name}: nettoudgifter ved midtvejsreguleringen"),
                net_expenses_endelig_dkk=opt(ld.net_expenses_endelig_dkk, "landsdel.net_expenses_endelig_dkk", f"{ld.name}: faktiske nettoudgifter"),
                unemployed_key_year=v("landsdel.unemployed_key_year", f"{ld.name}: ledige i nøgleåret", "count"),
                unemployed_grant_year=v("landsdel.unemployed_grant_year", f"{ld.name}: ledige i tilskudsåret", "count"),
            ),
        )
    return out


def grants(inp: Any) -> dict[int, Any]:
    """Every grant year of budget.beskaeftigelsestilskud computed by the engine (LUL § 23 a-b), in
    grant-year order; empty without the section. Called once, by the compile step."""
    from budgetmodel.financing.beskaeftigelsestilskud import grant_year

    return {y: grant_year(g, inp.book) for y, g in sorted(grant_year_inputs(inp).items())}


def beskaeftigelsestilskud_line(inp: Any, grants: dict[int, Any]) -> Any:
    """The beskæftigelsestilskud's budget line: own net expenses − the grant (or − the grant)."""
    from budgetmodel.financing import inputs as fi

    b = inp.s.budget.beskaeftigelsestilskud
    if b is None:
        return None
    with_expenses = all(g.net_expenses_dkk is not None for g in grants.values())
    dkk = {y: (g.net_expenses_dkk - g.total_dkk) if with_expenses else -g.total_dkk for y, g in grants.items() if y in inp.s.years}
    label = f"{b.label}: nettoudgifter til forsikrede ledige minus tilskud" if with_expenses else f"{b.label} (indtægt)"
    source = "LUL § 23 a-b: grundtilskud + merudgiftsbehov (foreløbigt, midtvejs- og efterreguleret) + forsikringsordning (budgetmodel.financing.beskaeftigelsestilskud)"
    return fi.FixedLine(key="beskaeftigelsestilskud", label=label, dkk=dkk, source=source, status="derived")
