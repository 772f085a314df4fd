"""Benchmark the allocation optimiser: build + solve time for one municipality and for all 98
municipalities × 8 target groups × 4 years in one model (synthetic, seeded profiles).

Goals (issue 5): under 1 s for one municipality; under 10 s for the national model.
Baseline, measured in the same run: the same 98 municipalities built and solved one at a time
(98 separate models); the ratio says what one national model costs against that loop.

    .venv/bin/python bench/optimiser.py [--seed 2014] [--municipalities 98]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pyomo.environ as pyo

from budgetmodel.optimise.build import build_model, build_national
from budgetmodel.optimise.data import FAMILIES, OptimiserInput
from budgetmodel.optimise.solve import check_solver, solve

GROUPS = [  # (id, segment hours: conversation, placement; legal conversations per helårsperson-year)
    ("kh_jobparat_30plus", 1.6, 10.2, 4.0),
    ("kh_jobparat_u30", 1.6, 10.2, 4.0),
    ("kh_aktivitetsparat_30plus", 2.4, 33.2, 4.0),
    ("uh_aktivitetsparat", 2.4, 33.2, 6.0),
    ("uh_uddannelsesparat", 1.6, 10.2, 0.0),
    ("dagpenge", 1.6, 10.2, 4.0),
    ("sygedagpenge", 2.0, 17.2, 4.0),
    ("ledighedsydelse", 2.4, 33.2, 4.0),
]
YEARS = ["2014", "2015", "2016", "2017"]
SOURCES = {"objective": "syntetisk", **{f: "syntetisk" for f in FAMILIES}}


def synthetic(rng: np.random.Generator, name: str) -> OptimiserInput:
    """A seeded, internally consistent municipality (today's allocation meets every constraint)."""
    size = float(rng.lognormal(mean=0.0, sigma=0.7))
    periods = []
    for year in YEARS:
        groups, offers, spend, staff = [], [], 0.0, 0.0
        for gid, h_conv, h_plac, cadence in GROUPS:
            n = float(rng.uniform(40, 400)) * size
            placeable = n * float(rng.uniform(0.1, 0.6))
            x0 = placeable * float(rng.uniform(0.0, 0.6))
            c0 = cadence * n * h_conv / 1428.0 * float(rng.uniform(1.0, 1.4))
            p0 = x0 / 60.0
            staff += c0
            spend += 500_000.0 * (c0 + p0)
            groups.append(dict(
                id=gid, label=gid, helaarspersoner=n, benefit_dkk_per_helaarsperson=float(rng.uniform(90_000, 200_000)),
                refund_share_passive=0.3, refund_share_company=0.5, min_conversations_per_helaarsperson=cadence,
                hours_per_conversation=h_conv, hours_per_placement=h_plac, placements_per_helaarsperson=4.0,
                placeable_helaarspersoner=placeable, activatable_helaarspersoner=0.8 * n,
                effect_company=float(rng.choice([0.0, 0.05])), current_conversation_aarsvaerk=c0,
                current_placement_aarsvaerk=p0, current_in_company_offers=x0,
            ))
            y0 = n * float(rng.uniform(0.05, 0.2))
            price = float(rng.uniform(50_000, 75_000))
            offers.append(dict(id=f"vo_{gid}", label=f"V&O {gid}", group=gid, price_dkk_per_helaarstilbud=price,
                               refund=str(rng.choice(["driftsloft", "none"])), current_helaarstilbud=y0))
            spend += price * y0
        duties = [dict(id=g["id"], label=g["id"], groups=[g["id"]],
                       min_helaarspersoner=0.8 * (g["current_in_company_offers"] + offers[i]["current_helaarstilbud"]))
                  for i, g in enumerate(groups)]
        pool = dict(id="loft", label="driftsloft", refund_share=0.5, loft_dkk_per_helaarsperson=11_835.0,
                    groups=[g["id"] for g in groups], other_expenses_dkk=float(rng.uniform(0, 5e6)))
        periods.append(dict(
            id=year, weight=0.5 if year in ("2014", "2017") else 1.0, rates_date=dt.date(2014, 1, 1), groups=groups, offers=offers,
            wage_conversation_dkk_per_aarsvaerk=500_000.0, wage_placement_dkk_per_aarsvaerk=500_000.0, hours_per_aarsvaerk=1428.0,
            persons_per_broker=25.0, budget_dkk=spend * 1.05, keep_current_staff=True, activation_duties=duties, driftsloft=[pool],
        ))
    return OptimiserInput.model_validate(dict(municipality=name, regime="syntetisk", periods=periods, sources=SOURCES))


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--municipalities", type=int, default=98)
    args = ap.parse_args()
    check_solver()
    rng = np.random.default_rng(args.seed)
    inputs = [synthetic(rng, f"kommune {i + 1}") for i in range(args.municipalities)]

    # warm-up (imports, solver load) outside the measurements
    solve(build_model(inputs[0]))

    m1, b1 = timed(lambda: build_model(inputs[0]))
    r1, s1 = timed(lambda: solve(m1))
    assert r1.optimal, r1
    print(f"Én kommune ({len(GROUPS)} målgrupper × {len(YEARS)} år): {m1.nvariables()} variable, {m1.nconstraints()} begrænsninger")
    print(f"  opbygning {b1:.3f} s, løsning {s1:.3f} s, i alt {b1 + s1:.3f} s (mål < 1 s)")

    def loop() -> float:
        total = 0.0
        for inp in inputs:
            m = build_model(inp)
            r = solve(m)
            assert r.optimal, r
            total += pyo.value(m.net_cost)
        return total

    # the baseline first, so neither measurement walks the other's objects in garbage collection
    loop_total, sl = timed(loop)

    mn, bn = timed(lambda: build_national(inputs))
    rn, sn = timed(lambda: solve(mn))
    assert rn.optimal, rn
    print(f"Hele landet i én model ({args.municipalities} kommuner × {len(GROUPS)} målgrupper × {len(YEARS)} år): "
          f"{mn.nvariables()} variable, {mn.nconstraints()} begrænsninger")
    print(f"  opbygning {bn:.3f} s, løsning {sn:.3f} s, i alt {bn + sn:.3f} s (mål < 10 s); termination {rn.termination}")
    national_total = pyo.value(mn.obj)
    print(f"Basislinje: {args.municipalities} separate modeller bygget og løst én ad gangen: {sl:.3f} s")
    print(f"  samme samlede nettoudgift: {abs(loop_total - national_total) <= 1e-6 * abs(national_total)} "
          f"({national_total:,.0f} kr. mod {loop_total:,.0f} kr.)")
    print(f"Forhold én national model / separate modeller: {(bn + sn) / sl:.2f}")


if __name__ == "__main__":
    main()
