#!/usr/bin/env python3
"""Independent check of `budgetmodel refund PANEL --json`.

A second implementation of the refund rules, written only from the issue
text (not from src/budgetmodel/financing/ or tests/refund_reference.py), plus a
generator of random and targeted person-week panels and a comparison with the
CLI's JSON, to the krone.  Not collected by pytest (name does not match
test_*.py); run it as a script:

    .venv/bin/python tools/independent_refund_check.py [--seed N] [--panels N]
        [--big-persons N] [--keep DIR] [--variant NAME=VALUE ...]

Reading of the rules (choice points marked CHOICE, alternatives selectable with
--variant, see VARIANTS):

* Weeks whose Monday is before 2016-01-04 (i.e. up to 2015-W53), including
  weeks before 2014, follow the 2014 rules.  A spell is a run of consecutive
  ISO weeks in which the person has a row with that benefit; a missing week
  (self-support) or a week without that benefit ends it.  CHOICE: spells are
  tracked per (person, benefit), so a second benefit in the same week neither
  breaks nor restarts the first benefit's spell.
  - kontanthjaelp, uddannelseshjaelp, ledighedsydelse: 50 pct in
    virksomhedspraktik / loentilskud / ordinaer_uddannelse, else 30 pct.
  - CHOICE integrationsydelse, ressourceforloeb, jobafklaring: same as
    kontanthjaelp (variant other=flat30: always 30 pct).
  - sygedagpenge: spell weeks 1-4 100, 5-8 50, 9-52 50 pct in
    virksomhedspraktik / loentilskud / delvis_raskmelding else 30, 53+ 0.
    CHOICE: ordinaer_uddannelse is not 'virksomhedsrettet'
    (variant syg_ord=1 counts it).
  - dagpenge: spell weeks 1-4 100 pct (state carries the karens), then 50 pct
    in virksomhedspraktik / loentilskud / ordinaer_uddannelse, else 30.
  - revalidering: 65 in praktik/loentilskud, 50 in ordinaer_uddannelse, else 30.
  - fleksjob: 65 pct whatever the activation.
* Weeks from 2016-01-04: staircase, one count per person over all benefits.
  The count advances by one for each week in which the person has at least one
  benefit row (CHOICE: a week with two benefits counts once; variant
  count=rows counts rows).  Share 80/40/30/20 for count weeks 1-4/5-26/27-52/
  53+, for every benefit (dagpenge: 100 minus co-financing 20/60/70/80 = same).
  Restart: at a benefit week w, if the number of self-support weeks (weeks
  without any row) in the 156 weeks w-156..w-1 that lie after the first week
  of the current count is >= 52, w is week 1 of a new count.  CHOICE: window
  w-156..w-1 (variant window=incl: w-155..w, i.e. 155 earlier weeks).
* Transition (LBK nr. 221 af 12/02/2021 § 30, stk. 1, as given by the
  developers): benefit and self-support weeks from 1 July 2014 count toward
  the staircase count and the restart rule; weeks before do not.  CHOICE: the
  first counted week is 2014-W27 (Mon 30 June - Sun 6 July, the week that
  contains 1 July; variant t0=W28 starts with the first whole week,
  Monday 7 July).
* foertidspension (tilkendt fra 1 July 2014): before 2016-01-04 the state
  pays 35 pct (pensionsloven § 52, the general pension refund; CHOICE, the
  2014 seed has no line for it); from 2016-01-04 co-financed 20/60/70/80 by
  the count (LBK 221/2021 § 3, stk. 1, nr. 11, § 5, stk. 3), i.e. the
  state's share is 80/40/30/20 like the staircase.
* midlertidig_arbejdsmarkedsydelse (from 30.12.2013; seed 002, Varde
  11.12.2013, pkt. 334): before 2016-01-04 the municipality contributes 70 pct
  of the expense, 50 pct 'under deltagelse i tilbud', 100 pct if the offer is
  not started in time - 'dette gælder dog ikke for 2014' (so 70 pct in 2014).
  The offer is due 'senest efter en måned' on the ydelse: CHOICE, a month =
  the first 4 weeks of the spell on the ydelse; a week without an offer from
  spell week 5 is a late offer (also between two offers).  CHOICE: a tilbud
  is an offer of LAB afsnit IV (vejledning_opkvalificering,
  ordinaer_uddannelse, virksomhedspraktik, nytteindsats, loentilskud, and
  mentor, LAB § 31 b, in afsnit IV from 2014); delvis_raskmelding
  (sygedagpengeloven § 7) is no tilbud.  State share = 100 - the
  contribution.  From 2016-01-04 it is co-financed by the count like
  dagpenge (§ 3, stk. 1, nr. 2, § 5, stk. 3).
* The 2025 kontanthjælp reform (uddannelseshjælp, integrationsydelse paid as
  kontanthjælp from 1 July 2025), ressourceforløb/revalidering closed to new
  cases (running ones stay on the staircase), jobafklaring priced as
  sygedagpenge from 2027: each stays on the staircase, so the share is
  80/40/30/20 by the person's count whatever the code.
* ansat_med_loentilskud: a week in subsidised employment without a benefit
  (amount 0): share 0; it neither advances the count (no 'uge med ydelser',
  § 5, stk. 2) nor is it self-support (§ 6, stk. 2).
* A row with amount 0 is still a benefit week.  Duplicate rows for the same
  person/week/benefit are two payments in the same week (same spell week).
* state = amount * share per row, exact decimal; totals rounded to øre at
  the end; municipal = gross - state.
* person_id is an identifier compared as text: '007' and '7', or '1' and
  '1.0', are different persons.

Known results against the engine: all rule choice points above agree. Two
divergences found at f496a7e (duplicate person/week/benefit rows rejected; CSV
person ids inferred as numbers) were fixed in the engine; 162 panels (346.271
rows, seed 3) then matched to the krone.  With midlertidig arbejdsmarkedsydelse
added (issue 17): the engine counted a week of delvis_raskmelding as a tilbud
(50 pct. contribution instead of 70/100); fixed in the engine (rule cases in
tests/rules/midlertidig_arbejdsmarkedsydelse.yaml).  Then `--panels 30
--big-persons 1000` (default seed): 176 of 179 panels (200.658 rows, every
benefit, subsidised weeks) matched to the krone, the other 3 (weeks of 2013)
refused by the engine as before the law's first day, as they should be.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

BENEFITS = [
    "kontanthjaelp", "uddannelseshjaelp", "integrationsydelse", "dagpenge",
    "sygedagpenge", "ledighedsydelse", "revalidering", "fleksjob",
    "ressourceforloeb", "jobafklaring", "foertidspension",
    "midlertidig_arbejdsmarkedsydelse",
]
SUBSIDISED = "ansat_med_loentilskud"
MA = "midlertidig_arbejdsmarkedsydelse"
MA_OFFERS = {"vejledning_opkvalificering", "ordinaer_uddannelse", "virksomhedspraktik",
             "nytteindsats", "loentilskud", "mentor"}
ACTIVATIONS = [
    "none", "virksomhedspraktik", "loentilskud", "ordinaer_uddannelse",
    "vejledning_opkvalificering", "nytteindsats", "delvis_raskmelding", "mentor",
]
KH_GROUP = {"kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse"}
OTHER_GROUP = {"integrationsydelse", "ressourceforloeb", "jobafklaring"}
VR = {"virksomhedspraktik", "loentilskud"}

EPOCH = dt.date(1970, 1, 5)  # a Monday
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")

VARIANTS = {
    "other": ("kh", "flat30"),
    "syg_ord": ("0", "1"),
    "window": ("prev156", "incl"),
    "t0": ("W27", "W28"),
    "count": ("weeks", "rows"),
}
DEFAULT = {k: v[0] for k, v in VARIANTS.items()}


def week_index(s: str) -> int:
    m = WEEK_RE.match(s)
    if not m:
        raise ValueError(f"bad week {s!r}")
    monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    return (monday - EPOCH).days // 7


def week_label(i: int) -> str:
    d = EPOCH + dt.timedelta(weeks=i)
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


STAIR = week_index("2016-W01")
LAW_FIRST = week_index("2014-W01")  # the first week whose Thursday the rules price (2 January 2014)
MA_LATE_FROM = dt.date(2015, 1, 1)  # the 100 pct. rule "gælder dog ikke for 2014"
MA_DEADLINE_WEEKS = 4  # "senest efter en måned"
assert EPOCH + dt.timedelta(weeks=STAIR) == dt.date(2016, 1, 4)

D = Decimal


def share_ma(act: str, sw: int, w: int) -> Decimal:
    """Midlertidig arbejdsmarkedsydelse before 2016: 100 minus the municipality's contribution."""
    if act in MA_OFFERS:
        return D("0.5")
    thursday = EPOCH + dt.timedelta(weeks=w, days=3)
    if sw > MA_DEADLINE_WEEKS and thursday >= MA_LATE_FROM:
        return D("0")
    return D("0.3")


def share_2014(benefit: str, act: str, sw: int, v: dict) -> Decimal:
    if benefit in KH_GROUP or (benefit in OTHER_GROUP and v["other"] == "kh"):
        return D("0.5") if act in VR | {"ordinaer_uddannelse"} else D("0.3")
    if benefit in OTHER_GROUP:
        return D("0.3")
    if benefit == "sygedagpenge":
        if sw <= 4:
            return D("1")
        if sw <= 8:
            return D("0.5")
        if sw <= 52:
            good = VR | {"delvis_raskmelding"}
            if v["syg_ord"] == "1":
                good = good | {"ordinaer_uddannelse"}
            return D("0.5") if act in good else D("0.3")
        return D("0")
    if benefit == "dagpenge":
        if sw <= 4:
            return D("1")
        return D("0.5") if act in VR | {"ordinaer_uddannelse"} else D("0.3")
    if benefit == "revalidering":
        if act in VR:
            return D("0.65")
        if act == "ordinaer_uddannelse":
            return D("0.5")
        return D("0.3")
    if benefit == "fleksjob":
        return D("0.65")
    if benefit == "foertidspension":
        return D("0.35")
    raise ValueError(benefit)


def share_stair(count: int) -> Decimal:
    if count <= 4:
        return D("0.8")
    if count <= 26:
        return D("0.4")
    if count <= 52:
        return D("0.3")
    return D("0.2")


def compute(rows: list[dict], variant: dict | None = None, stats: dict | None = None) -> tuple[dict, list]:
    """rows: dicts with person_id, week, benefit, activation, amount_dkk (str).
    Returns (summary, per-row details)."""
    v = dict(DEFAULT, **(variant or {}))
    t0 = week_index("2014-" + v["t0"])
    by_person: dict[str, list[int]] = defaultdict(list)
    parsed = []
    for i, r in enumerate(rows):
        w = week_index(r["week"])
        parsed.append((r["person_id"], w, r["benefit"], r["activation"], D(r["amount_dkk"])))
        by_person[r["person_id"]].append(i)

    share = [None] * len(rows)
    detail = [None] * len(rows)
    for pid, idxs in by_person.items():
        # --- 2014 rules: spell week per (person, benefit)
        spell_week: dict[tuple[str, int], int] = {}
        per_benefit: dict[str, set[int]] = defaultdict(set)
        for i in idxs:
            per_benefit[parsed[i][2]].add(parsed[i][1])
        for b, ws in per_benefit.items():
            prev, sw = None, 0
            for w in sorted(ws):
                sw = sw + 1 if prev is not None and w == prev + 1 else 1
                spell_week[(b, w)] = sw
                prev = w
        # --- staircase count (weeks from t0)
        weeks_on = sorted({parsed[i][1] for i in idxs if parsed[i][1] >= t0 and parsed[i][2] != SUBSIDISED})
        # weeks that are not self-support: any row, a benefit or subsidised employment
        weeks_any = sorted({parsed[i][1] for i in idxs if parsed[i][1] >= t0})
        rows_in_week = defaultdict(int)
        for i in idxs:
            rows_in_week[parsed[i][1]] += 1
        count_of: dict[int, int] = {}
        start_of: dict[int, int] = {}
        start, count = None, 0
        for w in weeks_on:
            if start is None:
                start, count = w, 1
            else:
                if v["window"] == "prev156":
                    lo, hi = w - 156, w - 1
                else:
                    lo, hi = w - 155, w  # w itself is a benefit week
                lo = max(lo, start + 1)
                n_on = bisect.bisect_right(weeks_any, hi) - bisect.bisect_left(weeks_any, lo)
                ss = (hi - lo + 1) - n_on if hi >= lo else 0
                if ss >= 52:
                    start, count = w, 1
                    if stats is not None:
                        stats["restarts"] = stats.get("restarts", 0) + 1
                        if w < STAIR:
                            stats["restarts before 2016"] = stats.get("restarts before 2016", 0) + 1
                        if ss == 52:
                            stats["restarts with exactly 52 SS in window"] = stats.get("restarts with exactly 52 SS in window", 0) + 1
                else:
                    count += 1
                    if ss == 51 and stats is not None:
                        stats["no restart with 51 SS in window"] = stats.get("no restart with 51 SS in window", 0) + 1
            if v["count"] == "rows":
                # each row advances the count; all rows of the week share the
                # last count (simple stand-in for the alternative reading)
                count += rows_in_week[w] - 1
            count_of[w] = count
            start_of[w] = start
        for i in idxs:
            _, w, b, a, amt = parsed[i]
            if b == SUBSIDISED:
                s = D(0)
                detail[i] = ("stoettet", None, 0, s)
            elif w < STAIR:
                sw = spell_week[(b, w)]
                s = share_ma(a, sw, w) if b == MA else share_2014(b, a, sw, v)
                detail[i] = ("2014", sw, None, s)
            else:
                c = count_of[w]
                s = share_stair(c)
                detail[i] = ("trappe", None, c, s)
            share[i] = s
            if stats is not None:
                if b == SUBSIDISED:
                    stats["subsidised weeks"] = stats.get("subsidised weeks", 0) + 1
                elif w < STAIR:
                    band = ("1-4" if sw <= 4 else "5-8" if sw <= 8 else "9-52" if sw <= 52 else "53+")
                    key = f"2014 {b} spell {band}"
                else:
                    band = ("1-4" if c <= 4 else "5-26" if c <= 26 else "27-52" if c <= 52 else "53+")
                    key = f"trappe count {band}"
                    if start_of[w] < STAIR:
                        stats["trappe rows whose count started before 2016"] = stats.get(
                            "trappe rows whose count started before 2016", 0) + 1
                stats[key] = stats.get(key, 0) + 1
                if rows_in_week[w] > 1:
                    stats["rows in weeks with 2+ benefits"] = stats.get("rows in weeks with 2+ benefits", 0) + 1
                if w < week_index("2014-W27"):
                    stats["rows before 2014-W27"] = stats.get("rows before 2014-W27", 0) + 1
    tot = {"gross": D(0), "state": D(0)}
    byb: dict[str, dict] = defaultdict(lambda: {"gross": D(0), "state": D(0), "rows": 0})
    for i, (pid, w, b, a, amt) in enumerate(parsed):
        st = amt * share[i]
        tot["gross"] += amt
        tot["state"] += st
        byb[b]["gross"] += amt
        byb[b]["state"] += st
        byb[b]["rows"] += 1
    q = D("0.01")

    def fin(d):
        g, s = d["gross"], d["state"]
        return {"gross_dkk": g.quantize(q, ROUND_HALF_UP),
                "state_dkk": s.quantize(q, ROUND_HALF_UP),
                "municipal_dkk": (g - s).quantize(q, ROUND_HALF_UP)}

    summary = fin(tot)
    summary["by_benefit"] = {b: dict(fin(d), rows=d["rows"]) for b, d in byb.items()}
    return summary, detail


# ---------------------------------------------------------------- CLI side
ROOT = Path(__file__).resolve().parents[1]
CLI = os.environ.get("BUDGETMODEL", str(ROOT / ".venv" / "bin" / "budgetmodel"))
FIELDS = ["person_id", "week", "benefit", "activation", "amount_dkk"]


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=FIELDS)
        wr.writeheader()
        wr.writerows(rows)


def write_parquet(path: Path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    tbl = pa.table({
        "person_id": [r["person_id"] for r in rows],
        "week": [r["week"] for r in rows],
        "benefit": [r["benefit"] for r in rows],
        "activation": [r["activation"] for r in rows],
        "amount_dkk": [float(r["amount_dkk"]) for r in rows],
    })
    pq.write_table(tbl, path)


def run_cli(path: Path, extra=()) -> tuple[int, str, str]:
    p = subprocess.run([CLI, "refund", str(path), "--json", *extra],
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def compare(mine: dict, theirs: dict, tol=D("0.5")) -> list[str]:
    """Differences beyond tol kroner (0.5 = 'to the krone')."""
    out = []
    for k in ("gross_dkk", "state_dkk", "municipal_dkk"):
        d = D(str(theirs[k])) - mine[k]
        if abs(d) > tol:
            out.append(f"total {k}: mine {mine[k]} engine {theirs[k]} (diff {d})")
    tb = theirs.get("by_benefit", {})
    for b in sorted(set(mine["by_benefit"]) | set(tb)):
        m = mine["by_benefit"].get(b)
        t = tb.get(b)
        if m is None or t is None:
            out.append(f"{b}: present only in {'engine' if m is None else 'mine'}")
            continue
        for k in ("gross_dkk", "state_dkk", "municipal_dkk"):
            d = D(str(t[k])) - m[k]
            if abs(d) > tol:
                out.append(f"{b} {k}: mine {m[k]} engine {t[k]} (diff {d})")
    return out


def max_abs_diff(mine: dict, theirs: dict) -> Decimal:
    best = D(0)
    for k in ("gross_dkk", "state_dkk", "municipal_dkk"):
        best = max(best, abs(D(str(theirs[k])) - mine[k]))
        for b, m in mine["by_benefit"].items():
            t = theirs.get("by_benefit", {}).get(b)
            if t:
                best = max(best, abs(D(str(t[k])) - m[k]))
    return best


def engine_rows(rows: list[dict], tmp: Path) -> list[dict]:
    """Per-row output of the engine (--out), for diagnosis only."""
    p, o = tmp / "diag.csv", tmp / "diag_out.csv"
    write_csv(p, rows)
    subprocess.run([CLI, "refund", str(p), "--out", str(o)], capture_output=True, text=True)
    with open(o) as f:
        return list(csv.DictReader(f))


def diagnose(rows: list[dict], tmp: Path, variant=None, limit=8) -> list[str]:
    _, det = compute(rows, variant)
    eng = engine_rows(rows, tmp)
    key = lambda r: (str(r["person_id"]), r["week"], r["benefit"], r["activation"],
                     f'{D(str(r["amount_dkk"])):.2f}')
    bucket = defaultdict(list)
    for r in eng:
        bucket[key(r)].append(r)
    out = []
    for r, d in zip(rows, det):
        e = bucket[key(r)].pop(0) if bucket[key(r)] else None
        es = D(str(e["state_share"])).quantize(D("0.0001")) if e else None
        if e is None or es != d[3]:
            out.append(f"  {r['person_id']} {r['week']} {r['benefit']}/{r['activation']}: "
                       f"mine {d[0]} spell={d[1]} count={d[2]} share={d[3]}; engine "
                       + (f"{e['regime']} spell={e['spell_week']} count={e['count_week']} share={e['state_share']}"
                          if e else "row missing"))
            if len(out) >= limit:
                break
    return out


def minimise(rows: list[dict], tmp: Path, variant=None, budget=150) -> list[dict]:
    """Greedy delta-debugging: drop persons, then single rows, while the CLI
    still disagrees with this implementation."""
    calls = [0]

    def bad(rs):
        if not rs or calls[0] >= budget:
            return False
        calls[0] += 1
        p = tmp / "min.csv"
        write_csv(p, rs)
        rc, out, _ = run_cli(p)
        if rc != 0:
            return False
        return bool(compare(compute(rs, variant)[0], json.loads(out), tol=D("0.009")))

    persons = list(dict.fromkeys(r["person_id"] for r in rows))
    # halve the person set first
    while len(persons) > 1:
        half = persons[: len(persons) // 2]
        rest = persons[len(persons) // 2:]
        if bad([r for r in rows if r["person_id"] in set(half)]):
            persons = half
        elif bad([r for r in rows if r["person_id"] in set(rest)]):
            persons = rest
        else:
            break
    rows = [r for r in rows if r["person_id"] in set(persons)]
    for pid in list(persons):
        cand = [r for r in rows if r["person_id"] != pid]
        if bad(cand):
            rows = cand
    # drop leading/trailing chunks of rows, then single rows
    for size in (64, 16, 4, 1):
        i = 0
        while i < len(rows):
            cand = rows[:i] + rows[i + size:]
            if bad(cand):
                rows = cand
            else:
                i += size
    return rows


# ---------------------------------------------------------------- generators
def money(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return f"{rng.randint(500, 6000)}.{rng.randint(0, 99):02d}"
    if kind < 0.8:
        return str(rng.randint(100, 5000))
    if kind < 0.95:
        return f"{rng.randint(0, 30)}.{rng.randint(0, 99):02d}"
    return f"{rng.randint(1000, 99999)}.{rng.choice([5, 1, 99, 33]):02d}"


EDGE_LENGTHS = [1, 3, 4, 5, 7, 8, 9, 26, 27, 51, 52, 53, 54, 60]
GAPS = [0, 1, 1, 1, 2, 51, 52, 53, 3, 10, 104, 155, 156, 157]


def random_person(rng: random.Random, pid: str, lo: int, hi: int) -> list[dict]:
    rows = []
    w = rng.randint(lo, hi)
    end = week_index("2019-W52")
    benefit = rng.choice(BENEFITS)
    for _ in range(rng.randint(1, 6)):
        n = rng.choice(EDGE_LENGTHS) if rng.random() < 0.6 else rng.randint(1, 120)
        act_mode = rng.random()
        act = rng.choice(ACTIVATIONS)
        for k in range(n):
            if w > end:
                break
            a = rng.choice(ACTIVATIONS) if act_mode < 0.4 else act
            rows.append({"person_id": pid, "week": week_label(w), "benefit": benefit,
                         "activation": a, "amount_dkk": money(rng)})
            if rng.random() < 0.03:  # second benefit in the same week
                b2 = rng.choice([b for b in BENEFITS if b != benefit])
                rows.append({"person_id": pid, "week": week_label(w), "benefit": b2,
                             "activation": rng.choice(ACTIVATIONS), "amount_dkk": money(rng)})
            w += 1
        gap = rng.choice(GAPS)
        if gap > 0 and rng.random() < 0.2:  # part of the gap in subsidised employment (amount 0)
            for k in range(rng.randint(1, gap)):
                if w + k <= end:
                    rows.append({"person_id": pid, "week": week_label(w + k), "benefit": SUBSIDISED,
                                 "activation": "none", "amount_dkk": "0.00"})
        w += gap
        if rng.random() < 0.6:
            benefit = rng.choice(BENEFITS)
    return rows


def random_panel(rng: random.Random, n_persons: int, tag: str) -> list[dict]:
    lo_hi = rng.choice([
        (week_index("2014-W01"), week_index("2017-W52")),  # the law in rates/ prices weeks from 2014-01-01
        (week_index("2014-W01"), week_index("2014-W52")),
        (week_index("2014-W20"), week_index("2014-W35")),   # around 1 July 2014
        (week_index("2015-W30"), week_index("2016-W10")),   # around the staircase
        (week_index("2016-W01"), week_index("2018-W52")),
    ])
    rows = []
    for p in range(n_persons):
        pid = f"{tag}{p}" if rng.random() < 0.5 else str(rng.randint(1, 10**9))
        rows += random_person(rng, pid, *lo_hi)
    # dedupe (person, week, benefit): keep the engine's input unambiguous
    seen, out = set(), []
    for r in rows:
        k = (r["person_id"], r["week"], r["benefit"])
        if k not in seen:
            seen.add(k)
            out.append(r)
    if rng.random() < 0.5:
        rng.shuffle(out)
    else:  # grouped by person (first appearance), weeks ascending: the engine's no-sort path
        first = {}
        for r in out:
            first.setdefault(r["person_id"], len(first))
        out.sort(key=lambda r: (first[r["person_id"]], week_index(r["week"])))
    return out


def run_weeks(pid, benefit, start, n, act="none", amount="1000.00"):
    s = week_index(start)
    return [{"person_id": pid, "week": week_label(s + k), "benefit": benefit,
             "activation": act if isinstance(act, str) else act[k % len(act)],
             "amount_dkk": amount} for k in range(n)]


def targeted_panels() -> dict[str, list[dict]]:
    P = {}
    # 2014 band edges per benefit / activation
    for b in BENEFITS:
        for a in ACTIVATIONS:
            P[f"spell60_{b}_{a}"] = run_weeks("1", b, "2014-W01", 60, a, "700.25")  # the law in rates/ starts 2014-01-01
    # midlertidig arbejdsmarkedsydelse: offer deadline in 2014 and 2015, across the staircase start
    for a in ACTIVATIONS:
        P[f"ma_2014_2016_{a}"] = run_weeks("1", MA, "2014-W40", 70, ["none"] * 6 + [a] * 3 + ["none"] * 3, "812.40")
    P["ma_gap_restarts_deadline"] = run_weeks("1", MA, "2015-W01", 6) + run_weeks("1", MA, "2015-W08", 6)
    P["foertidspension_2015_2017"] = run_weeks("1", "foertidspension", "2015-W40", 30, "none", "4321.09")
    P["subsidised_bridge"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 10)
                              + run_weeks("1", SUBSIDISED, "2016-W11", 60, "none", "0")
                              + run_weeks("1", "kontanthjaelp", "2017-W19", 10))
    # dagpenge karens: two spells split by a 1-week gap, and benefit switch
    P["dp_gap1"] = run_weeks("1", "dagpenge", "2014-W01", 6) + run_weeks("1", "dagpenge", "2014-W08", 6)
    P["dp_switch"] = (run_weeks("1", "dagpenge", "2014-W01", 6) + run_weeks("1", "kontanthjaelp", "2014-W07", 2)
                      + run_weeks("1", "dagpenge", "2014-W09", 6))
    P["syg_gap1"] = run_weeks("1", "sygedagpenge", "2014-W01", 10) + run_weeks("1", "sygedagpenge", "2014-W12", 10)
    # spell across the year end 2014/2015 and 2015-W53 -> 2016-W01
    P["syg_yearend"] = run_weeks("1", "sygedagpenge", "2014-W40", 70, "delvis_raskmelding")
    P["boundary_w53"] = run_weeks("1", "kontanthjaelp", "2015-W50", 8, "virksomhedspraktik", "1234.56")
    P["boundary_w53_dp"] = run_weeks("1", "dagpenge", "2015-W52", 6)
    # staircase bands 4/5, 26/27, 52/53
    P["stair_60"] = run_weeks("1", "kontanthjaelp", "2016-W01", 60, "none", "999.99")
    P["stair_dp_60"] = run_weeks("1", "dagpenge", "2016-W10", 60, "none", "999.99")
    # restart after 51/52/53 self-support weeks
    for g in (50, 51, 52, 53, 54):
        s = week_index("2016-W01")
        P[f"restart_gap{g}"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 10)
                                + run_weeks("1", "kontanthjaelp", week_label(s + 10 + g), 6))
    # restart at the 156-week window edge: 26 SS, 104 on, 26 SS, then benefit
    s = week_index("2016-W01")
    P["window_edge"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 1)
                        + run_weeks("1", "kontanthjaelp", week_label(s + 27), 104)
                        + run_weeks("1", "sygedagpenge", week_label(s + 157), 6))
    P["window_edge_m1"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 1)
                           + run_weeks("1", "kontanthjaelp", week_label(s + 26), 104)
                           + run_weeks("1", "sygedagpenge", week_label(s + 156), 6))
    # scattered self-support: alternate on/off weeks
    P["alternate"] = [r for k, r in enumerate(run_weeks("1", "kontanthjaelp", "2016-W01", 300)) if k % 2 == 0]
    # transition: histories from 2013/2014
    for st in ("2013-W01", "2014-W20", "2014-W26", "2014-W27", "2014-W28", "2014-W29", "2015-W20"):
        P[f"hist_{st}"] = run_weeks("1", "kontanthjaelp", st, week_index("2016-W10") - week_index(st))
    P["hist_gap_before_july"] = (run_weeks("1", "kontanthjaelp", "2013-W01", 20)
                                 + run_weeks("1", "kontanthjaelp", "2014-W20", 90))
    # 52 SS weeks partly before 1 July 2014
    P["ss_straddle_july"] = (run_weeks("1", "kontanthjaelp", "2014-W10", 5)
                             + run_weeks("1", "kontanthjaelp", week_label(week_index("2014-W15") + 52), 80))
    P["ss_after_july"] = (run_weeks("1", "kontanthjaelp", "2014-W27", 3)
                          + run_weeks("1", "kontanthjaelp", week_label(week_index("2014-W30") + 52), 80))
    # first counted week: 2014-W27 (contains 1 July) or W28
    for st in ("2014-W26", "2014-W27", "2014-W28"):
        P[f"t0_edge_{st}"] = (run_weeks("1", "dagpenge", st, 1)
                              + run_weeks("1", "kontanthjaelp", week_label(week_index(st) + 52), 60))
    # two benefits in the same week
    P["two_benefits"] = (run_weeks("1", "kontanthjaelp", "2015-W40", 20)
                         + run_weeks("1", "sygedagpenge", "2015-W45", 10)
                         + run_weeks("1", "fleksjob", "2016-W20", 30)
                         + run_weeks("1", "revalidering", "2016-W30", 10, "loentilskud"))
    P["two_benefits_2014_dp"] = (run_weeks("1", "dagpenge", "2014-W01", 8)
                                 + run_weeks("1", "sygedagpenge", "2014-W03", 3))
    # tiny amounts (rounding)
    P["tiny_amounts"] = [dict(r, person_id=str(i)) for i, r in enumerate(
        run_weeks("x", "kontanthjaelp", "2015-W01", 1, "none", "0.01") * 1)]
    P["tiny_many"] = [{"person_id": str(i), "week": "2015-W10", "benefit": "kontanthjaelp",
                       "activation": "none", "amount_dkk": "0.01"} for i in range(2000)]
    P["zero_amount_week"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 3)
                             + run_weeks("1", "kontanthjaelp", "2016-W04", 1, "none", "0")
                             + run_weeks("1", "kontanthjaelp", "2016-W05", 3))
    # duplicate rows (same person/week/benefit) and ids that differ only as strings
    P["dup_row"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 6)
                    + run_weeks("1", "kontanthjaelp", "2016-W04", 1, "none", "555.55"))
    P["dup_row_2014_dp"] = (run_weeks("1", "dagpenge", "2015-W01", 6)
                            + run_weeks("1", "dagpenge", "2015-W04", 2, "loentilskud", "555.55"))
    P["pid_leading_zero"] = (run_weeks("007", "kontanthjaelp", "2016-W01", 5)
                             + run_weeks("7", "kontanthjaelp", "2016-W06", 5))
    P["pid_float_like"] = (run_weeks("1", "kontanthjaelp", "2016-W01", 5)
                           + run_weeks("1.0", "kontanthjaelp", "2016-W06", 5))
    P["long_2013_2018"] = run_weeks("1", "sygedagpenge", "2013-W01", 330, ["none", "delvis_raskmelding", "loentilskud"])
    P["leap_2020_w53"] = run_weeks("1", "kontanthjaelp", "2020-W50", 8, "none", "10.10")
    return P


SPECIAL_FILES = {
    # name: (file text, rows as the rules see them)
    "reordered_columns": ("amount_dkk,benefit,activation,week,person_id\n100.50,kontanthjaelp,none,2016-W01,1\n"
                          "200.25,dagpenge,none,2015-W02,2\n",
                          [{"person_id": "1", "week": "2016-W01", "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": "100.50"},
                           {"person_id": "2", "week": "2015-W02", "benefit": "dagpenge", "activation": "none", "amount_dkk": "200.25"}]),
    "extra_column": ("person_id,week,benefit,activation,amount_dkk,note\n1,2016-W01,kontanthjaelp,none,100.50,x\n",
                     [{"person_id": "1", "week": "2016-W01", "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": "100.50"}]),
    "crlf_bom": ("\ufeffperson_id,week,benefit,activation,amount_dkk\r\n1,2016-W01,kontanthjaelp,none,100.50\r\n",
                 [{"person_id": "1", "week": "2016-W01", "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": "100.50"}]),
    "header_only": ("person_id,week,benefit,activation,amount_dkk\n", []),
    "quoted_fields": ('"person_id","week","benefit","activation","amount_dkk"\n"A 1","2016-W01","kontanthjaelp","none","100.50"\n',
                      [{"person_id": "A 1", "week": "2016-W01", "benefit": "kontanthjaelp", "activation": "none", "amount_dkk": "100.50"}]),
    "leading_zero_ids": ("person_id,week,benefit,activation,amount_dkk\n"
                         + "".join(f"0101701234,2016-W0{k},kontanthjaelp,none,100\n" for k in range(1, 5))
                         + "101701234,2016-W05,kontanthjaelp,none,100\n",
                         [{"person_id": "0101701234", "week": f"2016-W0{k}", "benefit": "kontanthjaelp",
                           "activation": "none", "amount_dkk": "100"} for k in range(1, 5)]
                         + [{"person_id": "101701234", "week": "2016-W05", "benefit": "kontanthjaelp",
                             "activation": "none", "amount_dkk": "100"}]),
}


def parquet_variants(tmp: Path) -> list[tuple[str, Path, list[dict]]]:
    """Parquet files with other column types than plain strings/float64."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    base = (run_weeks("1", "kontanthjaelp", "2015-W40", 20, "loentilskud", "1234.56")
            + run_weeks("2", "dagpenge", "2015-W50", 10, "none", "0.07"))
    out = []
    cols = lambda rows, f: [r[f] for r in rows]

    def tbl(rows, pid_type="str", amt_type="float", dict_enc=False):
        pid = cols(rows, "person_id")
        pid_arr = pa.array([int(x) for x in pid], pa.int64()) if pid_type == "int" else pa.array(pid, pa.string())
        amts = cols(rows, "amount_dkk")
        if amt_type == "decimal":
            amt_arr = pa.array([D(a) for a in amts], pa.decimal128(12, 2))
        elif amt_type == "int":
            amt_arr = pa.array([int(D(a)) for a in amts], pa.int64())
        elif amt_type == "float32":
            amt_arr = pa.array([float(a) for a in amts], pa.float32())
        else:
            amt_arr = pa.array([float(a) for a in amts], pa.float64())
        strs = {f: pa.array(cols(rows, f), pa.string()) for f in ("week", "benefit", "activation")}
        if dict_enc:
            strs = {f: a.dictionary_encode() for f, a in strs.items()}
        return pa.table({"person_id": pid_arr, "week": strs["week"], "benefit": strs["benefit"],
                         "activation": strs["activation"], "amount_dkk": amt_arr})

    int_rows = [dict(r, amount_dkk=str(int(D(r["amount_dkk"])))) for r in base]
    for name, rows, kw in [
        ("pq_int_pid", base, {"pid_type": "int"}),
        ("pq_decimal_amount", base, {"amt_type": "decimal"}),
        ("pq_int_amount", int_rows, {"amt_type": "int"}),
        ("pq_dictionary", base, {"dict_enc": True}),
        ("pq_leading_zero_pid", [dict(r, person_id="0" + r["person_id"]) for r in base[:20]] + base[:20], {}),
    ]:
        path = tmp / f"{name}.parquet"
        pq.write_table(tbl(rows, **kw), path)
        out.append((name, path, rows))
    return out


def check_special_files(tmp: Path) -> list[str]:
    problems = []
    for name, path, rows in parquet_variants(tmp):
        rc, out, err = run_cli(path)
        if rc != 0:
            problems.append(f"{name}: engine exit {rc}: {(out + err).strip()[:200]!r}")
            continue
        diffs = compare(compute(rows)[0], json.loads(out), tol=D("0.009"))
        if diffs:
            problems.append(f"{name}: {diffs[:3]}")
        else:
            print(f"  ok {name}")
    for name, (text, rows) in SPECIAL_FILES.items():
        p = tmp / f"{name}.csv"
        p.write_text(text, encoding="utf-8")
        rc, out, err = run_cli(p)
        if rc != 0:
            problems.append(f"{name}: engine exit {rc}: {(out + err).strip()[:200]!r}")
            continue
        theirs = json.loads(out)
        mine = compute(rows)[0]
        diffs = compare(mine, theirs, tol=D("0.009"))
        if diffs:
            problems.append(f"{name}: {diffs[:3]}")
        else:
            print(f"  ok {name}")
    return problems


BAD_INPUTS = {
    "bad_benefit": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,10\n2,2016-W02,pension,none,10\n",
    "bad_activation": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,jobrotation,10\n",
    "bad_week_w54": "person_id,week,benefit,activation,amount_dkk\n1,2016-W54,kontanthjaelp,none,10\n",
    "bad_week_2014w53": "person_id,week,benefit,activation,amount_dkk\n1,2014-W53,kontanthjaelp,none,10\n",
    "bad_week_w00": "person_id,week,benefit,activation,amount_dkk\n1,2016-W00,kontanthjaelp,none,10\n",
    "bad_week_format": "person_id,week,benefit,activation,amount_dkk\n1,2016W01,kontanthjaelp,none,10\n",
    "bad_week_date": "person_id,week,benefit,activation,amount_dkk\n1,2016-01-04,kontanthjaelp,none,10\n",
    "negative_amount": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,10\n1,2016-W02,kontanthjaelp,none,-0.01\n",
    "nonnumeric_amount": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,12,50\n",
    "missing_column": "person_id,week,benefit,amount_dkk\n1,2016-W01,kontanthjaelp,10\n",
    "empty_amount": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,\n",
    "text_amount": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,abc\n",
    "comma_amount": 'person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,"12,50"\n',
    "nan_amount": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,nan\n",
    "inf_amount": "person_id,week,benefit,activation,amount_dkk\n1,2016-W01,kontanthjaelp,none,inf\n",
    "empty_person": "person_id,week,benefit,activation,amount_dkk\n,2016-W01,kontanthjaelp,none,10\n",
    "empty_week": "person_id,week,benefit,activation,amount_dkk\n1,,kontanthjaelp,none,10\n",
    "bad_later_line": "person_id,week,benefit,activation,amount_dkk\n"
                      + "".join(f"{k},2016-W01,kontanthjaelp,none,10\n" for k in range(40))
                      + "1,2016-W02,Kontanthjaelp,none,10\n",
}
FIELD_OF = {"bad_benefit": "benefit", "bad_activation": "activation", "bad_week_w54": "week",
            "bad_week_2014w53": "week", "bad_week_w00": "week", "bad_week_format": "week",
            "bad_week_date": "week", "negative_amount": "amount_dkk", "missing_column": "activation",
            "empty_amount": "amount_dkk", "text_amount": "amount_dkk", "comma_amount": "amount_dkk",
            "nan_amount": "amount_dkk", "inf_amount": "amount_dkk", "empty_person": "person_id",
            "empty_week": "week", "bad_later_line": "benefit"}
EXPECT_LINE = {"bad_benefit": 3, "negative_amount": 3, "bad_later_line": 42}


def check_bad_inputs(tmp: Path) -> list[str]:
    problems = []
    for name, text in BAD_INPUTS.items():
        p = tmp / f"{name}.csv"
        p.write_text(text)
        rc, out, err = run_cli(p)
        msg = (out + err).strip().replace("\n", " ")
        line_ok = bool(re.search(re.escape(p.name) + r":\d+", msg)) or bool(
            re.search(r"\b(line|linje|række|row) \d+", msg, re.I))
        file_ok = p.name in msg
        field = FIELD_OF.get(name)
        field_ok = field is None or field in msg
        if name in EXPECT_LINE:
            line_ok = line_ok and f"{p.name}:{EXPECT_LINE[name]}:" in msg
        if rc == 0 or not (line_ok and file_ok and field_ok):
            problems.append(f"{name}: rc={rc} file_named={file_ok} line_named={line_ok} "
                            f"field_named={field_ok} msg={msg[:200]!r}")
        else:
            print(f"  ok {name}: rc={rc} {msg[:140]}")
    # negative amount in Parquet
    rows = run_weeks("1", "kontanthjaelp", "2016-W01", 3)
    rows[2]["amount_dkk"] = "-5"
    p = tmp / "negative.parquet"
    write_parquet(p, rows)
    rc, out, err = run_cli(p)
    msg = (out + err).strip().replace("\n", " ")
    if rc == 0 or p.name not in msg:
        problems.append(f"negative.parquet: rc={rc} msg={msg[:200]!r}")
    else:
        print(f"  ok negative.parquet: rc={rc} {msg[:140]}")
    return problems


# ---------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--panels", type=int, default=60)
    ap.add_argument("--big-persons", type=int, default=3000)
    ap.add_argument("--keep", type=Path, help="keep panels and minimal panels here")
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME=VALUE, see VARIANTS: " + str(VARIANTS))
    ap.add_argument("--no-minimise", action="store_true")
    ap.add_argument("--only", help="regex: run only targeted panels matching")
    ap.add_argument("--no-targeted", action="store_true", help="random panels only")
    a = ap.parse_args()
    variant = dict(s.split("=", 1) for s in a.variant)
    for k, val in variant.items():
        assert k in VARIANTS and val in VARIANTS[k], (k, val)
    rng = random.Random(a.seed)
    tmp = Path(tempfile.mkdtemp(prefix="refundcheck_"))
    keep = a.keep
    if keep:
        keep.mkdir(parents=True, exist_ok=True)

    panels: list[tuple[str, list[dict], str]] = []
    for name, rows in targeted_panels().items():
        if a.no_targeted or (a.only and not re.search(a.only, name)):
            continue
        panels.append((name, rows, "csv"))
    if not a.only:
        for k in range(a.panels):
            n = rng.choice([1, 2, 3, 5, 10, 30, 100])
            panels.append((f"random{k:03d}", random_panel(rng, n, f"r{k}_"),
                           "parquet" if k % 7 == 3 else "csv"))
        panels.append(("big", random_panel(rng, a.big_persons, "big"), "csv"))
        panels.append(("big_parquet", random_panel(rng, a.big_persons // 3, "bp"), "parquet"))

    n_ok = n_rows = refused = 0
    stats: dict = {}
    failures = []
    worst = D(0)
    for name, rows, fmt in panels:
        p = tmp / f"{name}.{fmt}"
        (write_parquet if fmt == "parquet" else write_csv)(p, rows)
        rc, out, err = run_cli(p)
        if rc != 0 and any(week_index(r["week"]) < LAW_FIRST for r in rows) and "ingen regel for" in err:
            refused += 1  # weeks before the law in rates/ (2014-01-01): one clear error, never a price
            continue
        mine, _ = compute(rows, variant, stats)
        if rc != 0:
            failures.append((name, rows, [f"engine exit {rc}: {err.strip()[-300:]}"]))
            continue
        theirs = json.loads(out)
        worst = max(worst, max_abs_diff(mine, theirs))
        diffs = compare(mine, theirs)
        if diffs:
            failures.append((name, rows, diffs))
        else:
            n_ok += 1
            n_rows += len(rows)
        if keep:
            (write_parquet if fmt == "parquet" else write_csv)(keep / p.name, rows)

    print(f"panels: {len(panels)}  matched to the krone: {n_ok} ({n_rows} rows)  "
          f"largest |diff| in matching and non-matching panels: {worst} kr; "
          f"refused as before the law's first day (2014-01-01): {refused}")
    print("coverage (rows unless stated):")
    for k in sorted(stats):
        print(f"  {k}: {stats[k]}")
    for name, rows, diffs in failures:
        print(f"\nDIVERGENCE {name} ({len(rows)} rows):")
        for d in diffs[:6]:
            print("  " + d)
        if not a.no_minimise and len(rows) > 0 and not diffs[0].startswith("engine exit"):
            small = minimise(rows, tmp, variant)
            print(f"  minimal panel ({len(small)} rows):")
            print("    " + ",".join(FIELDS))
            for r in small[:40]:
                print("    " + ",".join(str(r[f]) for f in FIELDS))
            for line in diagnose(small, tmp, variant):
                print(line)
            if keep:
                write_csv(keep / f"min_{name}.csv", small)
    print("\nspecial files:")
    bad = check_special_files(tmp)
    for b in bad:
        print("  PROBLEM " + b)
    print("\nbad inputs:")
    bad2 = check_bad_inputs(tmp)
    for b in bad2:
        print("  PROBLEM " + b)
    bad += bad2
    return 1 if failures or bad else 0


if __name__ == "__main__":
    sys.exit(main())
