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
# midlertidig arbejdsmarkedsydelse (MA-ydelse, 30.12.2013 -): before 2016-01-04 the municipality
# contributes to the state's expense (rates/medfinansiering_arbejdsmarkedsydelse.yaml), from then it
# is co-financed on the count like dagpenge (LBK 221/2021 § 3, stk. 1, nr. 2; § 5, stk. 3)
MA = "midlertidig_arbejdsmarkedsydelse"
BENEFITS_ALL = BENEFITS_2027 + [MA]  # every benefit a panel can carry (bench/make_panel.py draws them all)
# "Under deltagelse i tilbud udgør bidraget 50%" (seed 002, pkt. 334, l. 433). CHOICE: a tilbud is an
# offer of LAB afsnit IV "Tilbud m.v." as it stood from 1 January 2014: vejledning og opkvalificering
# incl. ordinær uddannelse (kap. 10, § 32), virksomhedspraktik and nytteindsats (kap. 11, § 42 a),
# løntilskud (kap. 12) and mentorstøtte (kap. 9 b, § 31 b, moved into afsnit IV by the 2014
# kontanthjælpsreform). Delvis raskmelding (sygedagpengeloven § 7) is no LAB tilbud: such a week is a
# week without an offer.
MA_OFFERS = frozenset({"vejledning_opkvalificering", "ordinaer_uddannelse", "virksomhedspraktik", "nytteindsats", "loentilskud", "mentor"})


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
        elif r["benefit"] == MA:  # before the staircase: the municipality's contribution, by offer
            at = m + dt.timedelta(days=3)
            share = (100 - book.value("medfinansiering_arbejdsmarkedsydelse", at, situation=ma_situation(book, at, r["activation"], spell[i]))) / 100
        else:  # every week before the staircase follows the 2014 rules, looked up at the week's Thursday
            at = max(m + dt.timedelta(days=3), dt.date(2014, 1, 1))
            share = book.value("refusion_forsoergelse", at, benefit=r["benefit"], activation=r["activation"], spell_week=spell[i]) / 100
        state = r["amount_dkk"] * share
        out.append(r | {"spell_week": spell[i], "count_week": count[i], "state_share": share, "state_dkk": state, "municipal_dkk": r["amount_dkk"] - state})
    return out


def ma_situation(book, at: dt.date, activation: str, spell_week: int) -> str:
    """The row of rates/medfinansiering_arbejdsmarkedsydelse a week of MA-ydelse before 2016 is in:
    during an offer (MA_OFFERS) 'i_tilbud' (50 pct.); without one in the first weeks of the spell,
    up to the deadline in rates/midlertidig_arbejdsmarkedsydelse_regler ('senest efter en måned',
    l. 397, read as 4 weeks), 'uden_tilbud' (70 pct.); without one after it, 'tilbud_for_sent' (the
    offer was not started in time: 100 pct. from 2015, 70 pct. in 2014, l. 435). CHOICE (the rate
    file's note): weeks between two offers after the deadline are read the same way, and the spell
    week is the week of the run on MA-ydelse (the benefit the offer deadline runs from)."""
    if activation in MA_OFFERS:
        return "i_tilbud"
    deadline = book.value("midlertidig_arbejdsmarkedsydelse_regler", at, parameter="tilbudsfrist_uger")
    return "uden_tilbud" if spell_week <= int(deadline) else "tilbud_for_sent"


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
