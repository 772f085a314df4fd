"""A plain-Python reference for the forecast's estimation and projection (no numpy tricks).

Written from the rules in the module docs, one person and one week at a time, so the vectorised
code can be checked against it (tests) and timed against it (bench/forecast.py).
"""

from __future__ import annotations

from collections import defaultdict


def runs(weeks: list[int]) -> list[tuple[int, int]]:
    """Consecutive weeks → (first, last) runs."""
    weeks = sorted(weeks)
    out = []
    start = prev = weeks[0]
    for w in weeks[1:]:
        if w == prev + 1:
            prev = w
            continue
        out.append((start, prev))
        start = prev = w
    out.append((start, prev))
    return out


def estimate(rows, first: int, last: int, cap: int) -> dict:
    """rows: iterable of (person, week, benefit). Life table, inflow by week and end stock.

    A spell = a run of consecutive weeks of one person on one benefit. A spell running in the
    panel's first week (left-censored) is left out of weeks 1..cap−1 and of the inflow; a spell
    running in the last week (right-censored) is not at risk in that week. Week cap pools cap+.
    """
    weeks_of = defaultdict(list)
    for person, week, benefit in rows:
        weeks_of[(person, benefit)].append(week)
    at_risk, exits, inflow, stock = defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(float)
    for (_, benefit), weeks in weeks_of.items():
        for start, end in runs(weeks):
            length = end - start + 1
            left, right = start == first, end == last
            for k in range(1, length + 1):
                if right and k == length:
                    continue  # outcome after the panel's last week unknown
                cell = min(k, cap)
                if left and cell < cap:
                    continue
                at_risk[(benefit, cell)] += 1
                if k == length:
                    exits[(benefit, cell)] += 1
            if not left:
                inflow[(benefit, start)] += 1
            if right:
                stock[(benefit, min(length, cap))] += 1
    return {"at_risk": at_risk, "exits": exits, "inflow": inflow, "stock": stock}


def project(stock: list[list[float]], inflow: list[list[float]], hazard: list[list[float]], weeks: int) -> list[list[list[float]]]:
    """Week by week, cell by cell: stock[b][s] (s = 0..cap−1), inflow[t][b], hazard[b][s]."""
    nb, cap = len(stock), len(stock[0])
    x = [row[:] for row in stock]
    out = []
    for t in range(weeks):
        nxt = [[0.0] * cap for _ in range(nb)]
        for b in range(nb):
            nxt[b][0] = inflow[t][b]
            for s in range(cap):
                stay = x[b][s] * (1.0 - hazard[b][s])
                nxt[b][min(s + 1, cap - 1)] += stay
        x = nxt
        out.append([row[:] for row in x])
    return out
