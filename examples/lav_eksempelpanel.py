"""Write the bundled sample panels in examples/ (deterministic: the same files every run).

    python examples/lav_eksempelpanel.py [--persons-per-week 0.12] [--seed 14] [--start 2023-W01] [--out examples]

A synthetic world (budgetmodel.forecast.synthetic.simulate) from the staircase's origin week
2014-W27 to 2025-W52, with ILLUSTRATIVE inflows, exit hazards and weekly amounts (not
statistics: they only make a panel of plausible shape). The refund engine prices the full history;
the sample is the part from --start on, and the count at start is each person's count in the last
week before --start (what Ydelsesrefusion reports as weeks on the staircase). It writes

* panel-eksempel.csv          the model's columns and codes, comma-separated (standard CSV)
* panel-eksempel-dansk.csv    the same rows as a Danish extract: semicolons, decimal comma, a
                              source system's column names and codes (kortlaegning-dst.yaml)
* optaelling-ved-start.csv    person_id,count_weeks at the panel's start

Other panels: call ``simulate`` with your own BenefitSpec (inflow per week, hazard by week of
duration, amount per week, activation mix) and ``to_frame`` for the CSV columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np

from budgetmodel.codes import ACTIVATIONS, BENEFITS
from budgetmodel.financing.panel import week_number
from budgetmodel.financing.refund import compute_refunds
from budgetmodel.financing.shares import load_refund_rates
from budgetmodel.forecast.synthetic import BenefitSpec, Reentry, simulate, to_frame

# illustrative only: weekly inflow of new spells, exit hazard by week, kroner a week, activation mix
SPECS = {
    "kontanthjaelp": BenefitSpec(0.05, (0.04,) * 26 + (0.02,), 3512.37, {"none": 0.8, "loentilskud": 0.2}),
    "ressourceforloeb": BenefitSpec(0.02, (0.01,), 3498.15, {"none": 0.9, "loentilskud": 0.1}),
    "ledighedsydelse": BenefitSpec(0.03, (0.05,) * 20 + (0.03,), 4120.50, {"none": 1.0}),
    "jobafklaring": BenefitSpec(0.02, (0.03,), 3310.05, {"none": 1.0}),
}
TO_SOURCE_BENEFIT = {"kontanthjaelp": "318", "ressourceforloeb": "321", "ledighedsydelse": "314", "jobafklaring": "322"}
TO_SOURCE_ACTIVATION = {"none": "00", "loentilskud": "12"}


def monday(label: str) -> dt.date:
    y, w = label.split("-W")
    return dt.date.fromisocalendar(int(y), int(w), 1)


def build(seed: int, scale: float, start: str) -> tuple:
    first = week_number(monday("2014-W27"))
    last = week_number(monday("2025-W52"))
    specs = {k: BenefitSpec(v.inflow_per_week * scale / 0.12, v.hazard, v.amount_dkk_per_week, v.activation_probs) for k, v in SPECS.items()}
    panel = simulate(specs, first, last - first + 1, benefits=BENEFITS, activations=ACTIVATIONS, seed=seed, reentry=Reentry(0.4, 30.0))
    full = to_frame(panel)
    rows = compute_refunds(full, load_refund_rates())
    cut = week_number(monday(start))
    wk = np.array([week_number(monday(w)) for w in rows["week"].astype(str)])
    before = rows.loc[wk < cut]
    counts = before.groupby(before["person_id"].astype(str), observed=True)["count_week"].last()
    sample = full.loc[wk >= cut].reset_index(drop=True)
    persons = sorted(set(sample["person_id"].astype(str)))
    start_counts = [(p, int(counts.get(p, 0))) for p in persons]
    return sample, start_counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--persons-per-week", type=float, default=0.4, help="new spells a week, all benefits together")
    ap.add_argument("--start", default="2023-W01", help="the sample's first week")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    a = ap.parse_args()
    sample, start_counts = build(a.seed, a.persons_per_week, a.start)
    a.out.mkdir(parents=True, exist_ok=True)
    sample.to_csv(a.out / "panel-eksempel.csv", index=False, float_format="%.2f", lineterminator="\n")
    dk = sample.rename(columns={"person_id": "cpr", "week": "uge", "benefit": "ydelseskode", "activation": "aktiveringskode", "amount_dkk": "beloeb"})
    dk["ydelseskode"] = dk["ydelseskode"].map(TO_SOURCE_BENEFIT)
    dk["aktiveringskode"] = dk["aktiveringskode"].map(TO_SOURCE_ACTIVATION)
    dk["beloeb"] = [f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") for v in dk["beloeb"]]
    dk.to_csv(a.out / "panel-eksempel-dansk.csv", index=False, sep=";", lineterminator="\n")
    with open(a.out / "optaelling-ved-start.csv", "w", encoding="utf-8") as fh:
        fh.write("person_id,count_weeks\n" + "".join(f"{p},{c}\n" for p, c in start_counts))
    print(f"{len(sample)} rækker, {len(start_counts)} personer, fra {a.start}; skrevet i {a.out}")


if __name__ == "__main__":
    main()
