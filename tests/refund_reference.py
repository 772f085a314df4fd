"""A plain per-row Python reference of the refund rules (independent of the engine's arrays and
kernels), and a seeded random panel generator. Used by the tests and by bench/refund_engine.py.

The reference reads each share with ``book.value`` at the week's Monday, one row at a time, and
counts weeks literally (sets of weeks, no sliding pointers)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

BENEFITS = [
    "kontanthjaelp",
    "uddannelseshjaelp",
    "integrationsydelse",
    "dagpenge",
    "sygedagpenge",
    "ledighedsydelse",
    "revalidering",
    "fleksjob",
    "ressourceforloeb",
    "jobafklaring",
]
ACTIVATIONS = [
    "none",
    "virksomhedspraktik",
    "loentilskud",
    "ordinaer_uddannelse",
    "vejledning_opkvalificering",
    "nytteindsats",
    "delvis_raskmelding",
    "mentor",
]


# the benefit column's codes added for the law after 2016: førtidspension (tilkendt fra 1. juli 2014)
# and a week in subsidised employment without a benefit (LBK 221/2021 § 6, stk. 2)
SUBSIDISED = "ansat_med_loentilskud"
BENEFITS_2027 = BENEFITS + ["foertidspension"]


def monday(week: str) -> dt.date:
    y, w = week.split("-W")
    return dt.date.fromisocalendar(int(y), int(w), 1)


def week_str(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def reference_rows(rows: list[dict], book, start_counts: dict | None = None) -> list[dict]:
    """rows: dicts with person_id, week, benefit, activation, amount_dkk → the same + spell_week,
    count_week, state_share, state_dkk, municipal_dkk (input order).

    ``start_counts``: {person_id: weeks counted on the staircase before the panel's first week}.
    Such a person's count goes on from there (k + 1 in the first counted week) and self-support is
    counted only from the panel's first week (the weeks before are not in the panel)."""
    trappe_start = min(e.valid_from for e in book.table("refusionstrappe").spec.values)
    rule = lambda p: book.value("refusionstrappe_regler", trappe_start, parameter=p)  # noqa: E731
    need = int(rule("restart_selfsupport_weeks"))
    window = int(rule("restart_window_weeks"))
    origin_date = dt.date.fromisoformat(rule("count_origin"))
    origin = origin_date - dt.timedelta(days=origin_date.weekday())  # Monday of the week containing it

    panel_first = min((monday(r["week"]) for r in rows), default=None)
    by_person: dict = {}
    for i, r in enumerate(rows):
        by_person.setdefault(r["person_id"], []).append(i)
    spell = [0] * len(rows)
    count = [0] * len(rows)
    for idx in by_person.values():
        idx.sort(key=lambda i: monday(rows[i]["week"]))
        # spells: consecutive weeks on the same benefit
        last: dict = {}
        run: dict = {}
        for i in idx:
            m, b = monday(rows[i]["week"]), rows[i]["benefit"]
            run[b] = run[b] + 1 if last.get(b) == m - dt.timedelta(weeks=1) else 1
            last[b] = m
            spell[i] = run[b]
        # staircase count: one count per person per week with a benefit (§ 5, stk. 2); a week with
        # only subsidised employment is not counted and not self-support (§ 6, stk. 2)
        weeks = sorted({monday(rows[i]["week"]) for i in idx if rows[i]["benefit"] != SUBSIDISED})
        on = {monday(rows[i]["week"]) for i in idx}
        start = None
        c = 0
        k0 = (start_counts or {}).get(rows[idx[0]]["person_id"], 0)
        if k0 > 0:
            start, c = panel_first - dt.timedelta(weeks=1), k0
        cw = {}
        for t in weeks:
            if t < origin:
                cw[t] = 0
                continue
            if start is None:
                start, c = t, 1
            else:
                lo = max(start + dt.timedelta(weeks=1), t - dt.timedelta(weeks=window))
                selfsupport = sum(1 for k in range((t - lo).days // 7) if lo + dt.timedelta(weeks=k) not in on)
                if selfsupport >= need:
                    start, c = t, 1
                else:
                    c += 1
            cw[t] = c
        for i in idx:
            count[i] = 0 if rows[i]["benefit"] == SUBSIDISED else cw[monday(rows[i]["week"])]

    out = []
    for i, r in enumerate(rows):
        m = monday(r["week"])
        thursday = m + dt.timedelta(days=3)
        if r["benefit"] == SUBSIDISED:
            share = 0.0
        elif m >= trappe_start:
            covered = book.value("refusionstrappe_omfattede_ydelser", thursday, benefit=r["benefit"])
            if covered == "medfinansiering":
                share = (100 - book.value("dagpenge_medfinansiering", thursday, count_week=count[i])) / 100
            elif covered == "refusion":
                share = book.value("refusionstrappe", thursday, count_week=count[i]) / 100
            else:
                share = 0.0
        else:  # every week before the staircase follows the 2014 rules, looked up at the week's Thursday
            at = max(m + dt.timedelta(days=3), dt.date(2014, 1, 1))
            share = book.value("refusion_forsoergelse", at, benefit=r["benefit"], activation=r["activation"], spell_week=spell[i]) / 100
        state = r["amount_dkk"] * share
        out.append(r | {"spell_week": spell[i], "count_week": count[i], "state_share": share, "state_dkk": state, "municipal_dkk": r["amount_dkk"] - state})
    return out


def random_panel(persons: int, seed: int, first: str = "2014-W01", weeks: int = 209, benefits: list[str] | None = None, subsidised: float = 0.0) -> pd.DataFrame:
    """A seeded panel with spells, gaps (some ≥ 52 weeks, so counts restart), benefit switches,
    two benefits in one week now and then, and amounts with øre. ``subsidised``: the chance that a
    gap is spent (partly) in subsidised employment without a benefit (rows with amount 0)."""
    BENEFITS = benefits or globals()["BENEFITS"]  # noqa: N806
    rng = np.random.default_rng(seed)
    start = monday(first)
    rows = []
    for p in range(persons):
        t = int(rng.integers(0, 30))
        benefit = BENEFITS[int(rng.integers(len(BENEFITS)))]
        while t < weeks:
            length = int(rng.geometric(1 / 25))
            for k in range(t, min(weeks, t + length)):
                week = week_str(start + dt.timedelta(weeks=k))
                act = ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))] if rng.random() < 0.5 else "none"
                rows.append({"person_id": 1000 + p, "week": week, "benefit": benefit, "activation": act, "amount_dkk": round(float(rng.uniform(500, 5000)), 2)})
                if rng.random() < 0.03:
                    other = BENEFITS[int(rng.integers(len(BENEFITS)))]
                    if other != benefit:
                        rows.append({"person_id": 1000 + p, "week": week, "benefit": other, "activation": "none", "amount_dkk": round(float(rng.uniform(100, 2000)), 2)})
            t += length
            gap = int(rng.choice([rng.integers(1, 10), rng.integers(40, 60), rng.integers(50, 54)]))
            if subsidised and rng.random() < subsidised:
                for k in range(t, min(weeks, t + int(rng.integers(1, gap + 1)))):
                    rows.append({"person_id": 1000 + p, "week": week_str(start + dt.timedelta(weeks=k)), "benefit": SUBSIDISED, "activation": "none", "amount_dkk": 0.0})
            t += gap
            if rng.random() < 0.5:
                benefit = BENEFITS[int(rng.integers(len(BENEFITS)))]
    return pd.DataFrame(rows)
