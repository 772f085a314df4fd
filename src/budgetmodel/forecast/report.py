"""A forecast as plain data (the CLI's JSON) and as a Danish table; no engine objects leak out.

Yearly figures are by calendar year (``year_convention: calendar_year_days``, as ``refund``'s
``by_calendar_year``): a week across New Year is split by its days; ``helaarspersoner`` = person-days
on benefit in the year / the year's days (365 or 366), so a person on benefit all year is one
helårsperson and a year of 53 ISO weeks is not a dearer year at the same caseload; kroner rounded
half up to whole kroner, helårspersoner to two decimals; ``municipal_dkk`` = gross − state. A person
on two benefits in one week counts on each (the figures are by benefit, like the refund engine's).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from budgetmodel import fmt
from budgetmodel.forecast.backtest import BacktestResult
from budgetmodel.forecast.bootstrap import METHOD
from budgetmodel.forecast.engine import ForecastResult, PanelInfo, PricedPanel
from budgetmodel.forecast.estimate import Estimate
from budgetmodel.financing.calendar import CONVENTION, CONVENTION_NOTE, days_in_year
from budgetmodel.forecast.spells import iso_label
from budgetmodel.rates.book import RateBook

KEYS = ("helaarspersoner", "gross_dkk", "state_dkk", "municipal_dkk")


def _kr(x: float) -> int:
    return int(fmt.round_half_up(float(x), 0))


def _hp(x: float) -> float:
    return fmt.round_half_up(float(x), 2) + 0.0


def figures(year: int, person_weeks: float, gross: float, state: float) -> dict[str, float]:
    """The four yearly figures from sums over the year's days (``person_weeks`` = person-days / 7)."""
    return {
        "helaarspersoner": _hp(helaarspersoner(year, person_weeks)),
        "gross_dkk": _kr(gross),
        "state_dkk": _kr(state),
        "municipal_dkk": _kr(gross - state),
    }


def helaarspersoner(year: int, person_weeks):
    """Person-days on benefit in the calendar year / the year's days."""
    return person_weeks * 7.0 / days_in_year(year)


def _raw(year: int, pw: np.ndarray, gross: np.ndarray, state: np.ndarray) -> dict[str, np.ndarray]:
    return {"helaarspersoner": helaarspersoner(year, pw), "gross_dkk": gross, "state_dkk": state, "municipal_dkk": gross - state}


def expected_duration(est: Estimate) -> list[float | None]:
    """E[weeks on benefit] per benefit from the curve: 1 + Σ_{s<cap} S(s) + S(cap)/h(cap) (geometric tail)."""
    s = est.life.survival
    h = est.life.hazard[:, -1]
    out: list[float | None] = []
    for j in range(len(est.benefits)):
        if not est.life.estimable[j] or h[j] <= 0:
            out.append(None)
        else:
            out.append(float(1.0 + s[j, :-1].sum() + s[j, -1] / h[j]))
    return out


def estimation_json(est: Estimate, curves: bool) -> dict[str, Any]:
    present = [j for j in range(len(est.benefits)) if est.person_weeks[j] > 0]
    window = min(est.offset_window_weeks, est.inflow.shape[1])
    mean_in = est.mean_inflow(est.offset_window_weeks)
    dur = expected_duration(est)
    out: dict[str, Any] = {}
    for j in present:
        life = est.life
        d: dict[str, Any] = {
            "inflow_per_week": round(float(mean_in[j]), 4),
            "inflow_weeks": int(window),
            "new_spells": int(round(float(est.inflow[j].sum()))),
            "expected_duration_weeks": None if dur[j] is None else round(dur[j], 2),
            "level_dkk_per_week": round(float(est.level_dkk_per_week[j]), 2),
            "person_weeks": int(round(float(est.person_weeks[j]))),
            "stock_at_end": int(round(float(est.stock[j].sum()))),
            "stock_at_end_running_since_panel_start": int(round(float(est.stock_left_censored[j]))),
            "weeks_extrapolated": int(life.extrapolated[j].sum()),
        }
        if curves:
            surv = life.survival[j]
            d["exit_curve"] = [
                {
                    "week": f"{s + 1}+" if s == est.cap - 1 else s + 1,
                    "at_risk": round(float(life.at_risk[j, s]), 4),
                    "exits": round(float(life.exits[j, s]), 4),
                    "hazard": round(float(life.hazard[j, s]), 6),
                    "survival": round(float(surv[s]), 6),
                    "extrapolated": bool(life.extrapolated[j, s]),
                }
                for s in range(est.cap)
            ]
        out[est.benefits[j]] = d
    return out


def intervals(result: ForecastResult, year: int) -> dict[str, dict[str, float]]:
    """Percentile interval of the yearly totals over the bootstrap replicates (observed part fixed)."""
    reps = result.replicates[year]
    obs = result.observed[year]
    level = float(result.assumptions.model.bootstrap.level_pct)
    raw = _raw(
        year,
        reps["person_weeks"].sum(axis=1) + obs["person_weeks"].sum(),
        reps["gross"].sum(axis=1) + obs["gross"].sum(),
        reps["state"].sum(axis=1) + obs["state"].sum(),
    )
    lo, hi = (100.0 - level) / 2.0, (100.0 + level) / 2.0
    rnd = {"helaarspersoner": _hp}
    return {k: {"low": rnd.get(k, _kr)(np.percentile(v, lo)), "high": rnd.get(k, _kr)(np.percentile(v, hi))} for k, v in raw.items()}


def years_json(result: ForecastResult) -> list[dict[str, Any]]:
    out = []
    benefits = result.estimate.benefits
    for y in result.horizon.years:
        t = result.totals(y)
        entry: dict[str, Any] = {"year": y, **figures(y, t["person_weeks"].sum(), t["gross"].sum(), t["state"].sum())}
        entry["observed_days"] = result.observed_days[y]
        entry["projected_days"] = days_in_year(y) - result.observed_days[y]
        entry["by_benefit"] = {
            b: figures(y, t["person_weeks"][j], t["gross"][j], t["state"][j]) for j, b in enumerate(benefits) if t["person_weeks"][j] > 0
        }
        if result.replicates is not None:
            entry["intervals"] = intervals(result, y)
        out.append(entry)
    return out


def backtest_json(bt: BacktestResult) -> dict[str, Any]:
    def compare(y: int, f: dict[str, float], a: dict[str, float]) -> dict[str, Any]:
        err = {k: (_hp if k == "helaarspersoner" else _kr)(f[k] - a[k]) for k in KEYS}
        pct = {k: (None if a[k] == 0 else round(100.0 * (f[k] - a[k]) / a[k], 2)) for k in KEYS}
        return {"forecast": f, "actual": a, "error": err, "error_pct": pct}

    years = []
    for y in bt.horizon.years:
        f, a = bt.forecast[y], bt.actual[y]
        tot = compare(y, figures(y, f["person_weeks"].sum(), f["gross"].sum(), f["state"].sum()), figures(y, a["person_weeks"].sum(), a["gross"].sum(), a["state"].sum()))
        by = {
            b: compare(y, figures(y, f["person_weeks"][j], f["gross"][j], f["state"][j]), figures(y, a["person_weeks"][j], a["gross"][j], a["state"][j]))
            for j, b in enumerate(bt.benefits)
            if f["person_weeks"][j] > 0 or a["person_weeks"][j] > 0
        }
        years.append({"year": y, "days": bt.days[y], **tot, "by_benefit": by})
    return {
        "estimated_through": iso_label(bt.cutoff),
        "forecast_weeks": {"first": iso_label(bt.horizon.start), "last": iso_label(bt.horizon.start + bt.horizon.weeks - 1)},
        "note": "helårspersoner i et delvist år = persondage i de sammenlignede dage / årets dage (begge sider ens)",
        "years": years,
    }


def forecast_json(result: ForecastResult, pp: "PricedPanel | PanelInfo", book: RateBook, *, curves: bool = False, bt: BacktestResult | None = None) -> dict[str, Any]:
    """The forecast as JSON; ``pp`` the panel (or, out of core, what is known of it)."""
    info = pp.info if isinstance(pp, PricedPanel) else pp
    est = result.estimate
    m = result.assumptions.model
    out: dict[str, Any] = {
        "panel": {
            "file": info.file,
            "rows": info.rows,
            "persons": info.persons,
            "first_week": iso_label(est.first_week),
            "last_week": iso_label(est.last_week),
        },
        "year_convention": CONVENTION,
        "year_convention_note": CONVENTION_NOTE,
        "years": years_json(result),
    }
    if result.replicates is not None:
        out["intervals"] = {"method": METHOD, "level_pct": m.bootstrap.level_pct, "replicates": int(next(iter(result.replicates.values()))["gross"].shape[0]), "seed": m.bootstrap.seed}
    if bt is not None:
        out["backtest"] = backtest_json(bt)
    out["estimation"] = estimation_json(est, curves)
    out["staircase_count"] = (
        "optællingsuge = forløbsuge + forskydning; forskydningen er refusionsmotorens optælling på panelet "
        f"(nye forløb: fordelingen blandt forløb startet i panelets sidste {est.offset_window_weeks} uger; slutbestanden: hvert forløbs egen)"
    )
    out["assumptions"] = {"files": result.assumptions.sources, "duration_cap_weeks": m.duration_cap_weeks, "effects": [e.name for e in m.effects]}
    out["rates_fingerprint"] = book.fingerprint
    return out


def render_text(doc: dict[str, Any]) -> str:
    """A short Danish table of the yearly figures (and backtest errors) for the terminal."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buf = StringIO()
    con = Console(file=buf, width=140)
    p = doc["panel"]
    con.print(f"Prognose fra {p['file']} ({fmt.number(p['rows'])} rækker, {fmt.number(p['persons'])} personer, {p['first_week']}–{p['last_week']})")
    t = Table(title="Helårspersoner og udgifter (kr.) pr. kalenderår", caption="En uge over nytår fordeles efter dage; helårspersoner = persondage på ydelse i året / årets dage.")
    for col in ("År", "Helårspersoner", "Brutto", "Stat", "Kommune"):
        t.add_column(col, justify="right")
    for y in doc["years"]:
        iv = y.get("intervals")

        def cell(k: str, digits: int = 0) -> str:
            s = fmt.number(y[k], digits)
            if iv:
                s += f"\n({fmt.number(iv[k]['low'], digits)}–{fmt.number(iv[k]['high'], digits)})"
            return s

        t.add_row(str(y["year"]) + (f"\n({y['observed_days']} dage faktisk)" if y["observed_days"] else ""), cell("helaarspersoner", 1), cell("gross_dkk"), cell("state_dkk"), cell("municipal_dkk"))
    con.print(t)
    if "intervals" in doc:
        con.print(f"Intervaller: {fmt.number(doc['intervals']['level_pct'])} pct. bootstrap, {doc['intervals']['replicates']} gentagelser, frø {doc['intervals']['seed']}.")
    if "backtest" in doc:
        bt = doc["backtest"]
        b = Table(title=f"Backtest: estimeret til og med {bt['estimated_through']}, prognose {bt['forecast_weeks']['first']}–{bt['forecast_weeks']['last']}")
        for col in ("År", "Ydelse", "Dage", "Helårspersoner prognose / faktisk", "Fejl pct.", "Kommune prognose / faktisk", "Fejl pct."):
            b.add_column(col, justify="right")

        def pct(v: float | None) -> str:
            return "–" if v is None else fmt.number(v, 1)

        for y in bt["years"]:
            rows = [("i alt", y)] + sorted(y["by_benefit"].items())
            for name, r in rows:
                b.add_row(
                    str(y["year"]),
                    name,
                    str(y["days"]),
                    f"{fmt.number(r['forecast']['helaarspersoner'], 1)} / {fmt.number(r['actual']['helaarspersoner'], 1)}",
                    pct(r["error_pct"]["helaarspersoner"]),
                    f"{fmt.number(r['forecast']['municipal_dkk'])} / {fmt.number(r['actual']['municipal_dkk'])}",
                    pct(r["error_pct"]["municipal_dkk"]),
                )
        con.print(b)
    if doc.get("passive_share"):  # the panel's own passive share (STAR 2018), added by the forecast command
        from budgetmodel.unitcost.passivity_view import passivity_renderables

        for r in passivity_renderables(doc["passive_share"]):
            con.print(r)
    return buf.getvalue()
