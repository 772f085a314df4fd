"""Benchmark of the caseload forecast (issue 7, item 8). Prints measured figures; asserts nothing.

1. A synthetic panel of about 3.000.000 person-weeks (2017-W01 … 2019-W52, six benefits, a stock
   running since before the panel, re-entries onto other benefits; seeded) is written as CSV.
2. Stage by stage, in this process: reading it (budgetmodel's reader, and pandas.read_csv for
   scale), the refund engine's count and state kroner per row, the estimation, the 4-year
   projection with pricing, the bootstrap, the backtest; wall time of each and peak memory.
3. `budgetmodel forecast FILE --years 4 --json` end to end in a fresh process (wall time).
4. Baselines measured in this run: the plain-Python reference (tests/forecast_reference.py) on a
   sample of persons for the estimation (rows/s against the vectorised code on the whole panel;
   the two must agree on the sample), and for the 4-year projection of every benefit.

    python bench/forecast.py                  # ~3 million rows
    python bench/forecast.py --scale 0.1      # small, quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the plain-Python reference lives with the tests

import forecast_reference as ref  # noqa: E402

from budgetmodel import fmt  # noqa: E402
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, read_panel  # noqa: E402
from budgetmodel.forecast import synthetic as sy  # noqa: E402
from budgetmodel.forecast.assumptions import load_assumptions  # noqa: E402
from budgetmodel.forecast.backtest import backtest  # noqa: E402
from budgetmodel.forecast.bootstrap import bootstrap  # noqa: E402
from budgetmodel.forecast.engine import Horizon, PricedPanel, build_pricing, estimate_panel, simulate, yearly  # noqa: E402
from budgetmodel.forecast.estimate import estimate  # noqa: E402
from budgetmodel.forecast.project import inflow_path, level_path  # noqa: E402
from budgetmodel.forecast.report import helaarspersoner  # noqa: E402
from budgetmodel.forecast.spells import week_number  # noqa: E402
from budgetmodel.rates import load_rates  # noqa: E402

ACTS = {"none": 0.6, "virksomhedspraktik": 0.15, "loentilskud": 0.1, "vejledning_opkvalificering": 0.15}


def specs(scale: float) -> dict[str, sy.BenefitSpec]:
    """Weekly inflow and exit hazards giving about 3 million rows over 156 weeks at scale 1."""
    return {
        "kontanthjaelp": sy.BenefitSpec(90 * scale, (0.02,), 3000.0, ACTS),
        "sygedagpenge": sy.BenefitSpec(230 * scale, (0.12,) * 8 + (0.04,), 4000.0, {"none": 0.8, "delvis_raskmelding": 0.2}),
        "dagpenge": sy.BenefitSpec(190 * scale, (0.06,), 4300.0, ACTS),
        "uddannelseshjaelp": sy.BenefitSpec(60 * scale, (0.03,), 2500.0, ACTS),
        "ressourceforloeb": sy.BenefitSpec(8 * scale, (0.01,), 3200.0, ACTS),
        "ledighedsydelse": sy.BenefitSpec(15 * scale, (0.02,), 3800.0, ACTS),
    }


def timed(label: str, fn, figures: dict):
    t = time.perf_counter()
    out = fn()
    figures[label] = time.perf_counter() - t
    print(f"  {label:<44} {figures[label]:8.2f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="inflow scale (1 ≈ 3 million rows)")
    ap.add_argument("--sample", type=float, default=0.01, help="share of persons for the Python reference")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()

    book = load_rates()
    loaded = load_assumptions()
    cap = loaded.model.duration_cap_weeks
    reps = loaded.model.bootstrap.replicates
    figures: dict[str, float] = {}

    print("1. synthetic panel")
    panel = timed(
        "simulate",
        lambda: sy.simulate(
            specs(args.scale), week_number(dt.date(2017, 1, 2)), 156, benefits=BENEFITS, activations=ACTIVATIONS, seed=args.seed,
            burn_in_weeks=300, reentry=sy.Reentry(0.3, 10, {"kontanthjaelp": 0.4, "dagpenge": 0.3, "sygedagpenge": 0.3}),
        ),
        figures,
    )
    rows = panel.n_rows
    print(f"  {fmt.number(rows)} rows, {fmt.number(panel.n_persons)} persons")
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "panel.csv"
        timed("write CSV", lambda: sy.to_frame(panel).to_csv(csv, index=False), figures)

        print("2. stages (this process)")
        timed("pandas.read_csv (for scale)", lambda: pd.read_csv(csv), figures)
        df = timed("read_panel (read + validate)", lambda: read_panel(csv), figures)
        pp = timed("refund engine (count, state kr. per row)", lambda: PricedPanel.from_frame(df, book), figures)
        data, est = timed("estimation", lambda: estimate_panel(pp, loaded), figures)

        def project_and_price():
            hz = Horizon.after(est.first_week, est.last_week, 4)
            pr = build_pricing(book, est, loaded, hz)
            w = simulate(pr, est.stock, inflow_path(est, loaded, hz.start, hz.weeks), est.life.hazard, level_path(est, loaded, hz.start, hz.weeks), est.entry_offset)
            return hz, pr, yearly(hz, w)

        hz, pr, years = timed("4-year projection + pricing", project_and_price, figures)
        timed(f"bootstrap ({reps} replicates)", lambda: bootstrap(data, est, pr, loaded, hz, reps, loaded.model.bootstrap.seed), figures)
        timed("backtest (estimate 2017-18, forecast 2019)", lambda: backtest(pp, book, loaded), figures)
        peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        core = figures["estimation"] + figures["4-year projection + pricing"]
        print(f"  estimation + 4-year projection: {core:.2f} s; with the refund engine's count: {core + figures['refund engine (count, state kr. per row)']:.2f} s")
        print(f"  peak memory of this process: {peak_gb:.2f} GB")
        for y, v in years.items():
            print(f"  {y}: {fmt.number(float(helaarspersoner(y, v['person_weeks'].sum())))} helårspersoner, brutto {fmt.mio(float(v['gross'].sum()))}")

        print("3. CLI end to end (fresh process, bootstrap included)")
        exe = Path(sys.executable).with_name("budgetmodel")
        t = time.perf_counter()
        done = subprocess.run([str(exe), "forecast", str(csv), "--years", "4", "--json"], capture_output=True, text=True)
        figures["cli"] = time.perf_counter() - t
        print(f"  budgetmodel forecast --years 4 --json       {figures['cli']:8.2f} s (exit {done.returncode})")

    print("4. baselines (plain Python, tests/forecast_reference.py)")
    rng = np.random.default_rng(args.seed)
    persons = np.flatnonzero(rng.random(panel.n_persons) < args.sample)
    keep = np.isin(panel.person, persons)
    sub = panel.select(keep)
    sample_rows = list(zip(sub.person.tolist(), sub.week.tolist(), sub.benefit.tolist()))
    t = time.perf_counter()
    r = ref.estimate(sample_rows, panel.first_week, panel.last_week, cap)
    t_ref = time.perf_counter() - t
    mine = estimate(sub, cap, loaded.model.inflow.window_weeks)
    agree = all(mine.life.at_risk[b, c - 1] == v for (b, c), v in r["at_risk"].items()) and all(
        mine.life.exits[b, c - 1] == v for (b, c), v in r["exits"].items()
    )
    ref_rate = sub.n_rows / t_ref
    vec_rate = rows / figures["estimation"]
    print(f"  estimation, reference on {fmt.number(sub.n_rows)} rows: {fmt.number(float(ref_rate))} rows/s; vectorised on {fmt.number(rows)} rows: {fmt.number(float(vec_rate))} rows/s")
    print(f"  ratio {fmt.number(float(vec_rate / ref_rate))}x; life tables agree on the sample: {agree}")
    T = hz.weeks
    nb = len(BENEFITS)
    inflow = inflow_path(est, loaded, hz.start, T)
    t = time.perf_counter()
    ref.project(est.stock.tolist(), inflow.tolist(), est.life.hazard.tolist(), T)
    t_refp = time.perf_counter() - t
    print(f"  4-year projection ({T} weeks × {nb} benefits × {cap} weeks of duration): reference {t_refp:.2f} s, "
          f"vectorised with pricing {figures['4-year projection + pricing']:.2f} s, ratio {t_refp / figures['4-year projection + pricing']:.1f}x")


if __name__ == "__main__":
    main()
