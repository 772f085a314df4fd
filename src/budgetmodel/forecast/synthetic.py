"""Synthetic person-week panels with a known inflow and known exit curves (tests and benchmarks).

Spells enter each week in every benefit (a Poisson number with the given mean, or exactly the
mean when ``exact_inflow``), last a duration drawn from the given weekly exit hazards, and may be
followed — after a gap of self-support — by a new spell of the same person (``reentry``), which
is what makes the staircase's one count per person differ from the spell on the current benefit.
A burn-in before the panel's first week gives the panel a stock already running at its start.
Everything is drawn from one seeded generator: the same arguments give the same panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from budgetmodel.forecast.spells import WeekPanel, iso_label


@dataclass(frozen=True)
class BenefitSpec:
    inflow_per_week: float
    hazard: tuple[float, ...]  # exit hazard in weeks of duration 1, 2, …; the last value holds on
    amount_dkk_per_week: float
    activation_probs: dict[str, float] = field(default_factory=lambda: {"none": 1.0})


@dataclass(frozen=True)
class Reentry:
    probability: float  # a spell that ends is followed by another of the same person with this probability
    mean_gap_weeks: float  # weeks of self-support in between (geometric, at least 1)
    to: dict[str, float] | None = None  # the next spell's benefit (default: the same benefit)


def _durations(rng: np.random.Generator, hazard: tuple[float, ...], n: int, longest: int) -> np.ndarray:
    """Draw ``n`` spell lengths (weeks ≥ 1) from the weekly exit hazards, capped at ``longest``."""
    h = np.array(hazard + (hazard[-1],) * max(0, longest - len(hazard)), dtype=float)[:longest]
    surv = np.cumprod(1.0 - h)  # S(s) after week s
    u = rng.random(n)
    # length = the first week s with S(s) < u (exit in week s); never exited → the longest
    return np.minimum(np.searchsorted(-surv, -u, side="right") + 1, longest)


def simulate(
    specs: dict[str, BenefitSpec],
    first_week: int,
    n_weeks: int,
    *,
    benefits: tuple[str, ...],
    activations: tuple[str, ...],
    seed: int,
    burn_in_weeks: int = 0,
    exact_inflow: bool = False,
    reentry: Reentry | None = None,
) -> WeekPanel:
    """A panel of weeks ``first_week``..``first_week + n_weeks − 1`` (week numbers)."""
    rng = np.random.default_rng(seed)
    start0 = first_week - burn_in_weeks
    horizon = burn_in_weeks + n_weeks
    end = first_week + n_weeks  # exclusive
    sp_person, sp_benefit, sp_start, sp_len = [], [], [], []
    next_person = 0
    for bname, spec in specs.items():
        b = benefits.index(bname)
        counts = np.full(horizon, int(round(spec.inflow_per_week))) if exact_inflow else rng.poisson(spec.inflow_per_week, horizon)
        starts = np.repeat(np.arange(start0, end), counts)
        n = starts.shape[0]
        sp_person.append(np.arange(next_person, next_person + n))
        next_person += n
        sp_benefit.append(np.full(n, b))
        sp_start.append(starts)
        sp_len.append(_durations(rng, spec.hazard, n, horizon + 1))
    person, benefit, start, length = (np.concatenate(x) for x in (sp_person, sp_benefit, sp_start, sp_len))
    if reentry is not None:
        gen = (person, benefit, start, length)
        while gen[0].shape[0]:
            p, b, s, ln = gen
            ended = s + ln < end  # the spell ended inside the window
            back = ended & (rng.random(p.shape[0]) < reentry.probability)
            gap = rng.geometric(1.0 / max(reentry.mean_gap_weeks, 1.0), back.sum())
            ns = (s + ln)[back] + gap
            keep = ns < end
            p2 = p[back][keep]
            if reentry.to:
                names = list(reentry.to)
                probs = np.array([reentry.to[k] for k in names], dtype=float)
                b2 = np.array([benefits.index(k) for k in names])[rng.choice(len(names), p2.shape[0], p=probs / probs.sum())]
            else:
                b2 = b[back][keep]
            ln2 = _durations_mixed(rng, specs, benefits, b2, horizon + 1)
            gen = (p2, b2, ns[keep], ln2)
            person, benefit, start, length = (np.concatenate([x, y]) for x, y in zip((person, benefit, start, length), gen))
    # rows: every week of every spell, cut to the panel window
    length = np.minimum(length, end - start)
    row_spell = np.repeat(np.arange(person.shape[0]), length)
    offset = np.arange(row_spell.shape[0]) - np.repeat(np.cumsum(length) - length, length)
    week = start[row_spell] + offset
    keep = week >= first_week
    row_spell, week = row_spell[keep], week[keep]
    b_row = benefit[row_spell]
    act = np.zeros(week.shape[0], dtype=np.int16)
    amount = np.zeros(week.shape[0])
    for bname, spec in specs.items():
        j = benefits.index(bname)
        rows = np.flatnonzero(b_row == j)
        names = list(spec.activation_probs)
        probs = np.array([spec.activation_probs[k] for k in names], dtype=float)
        act[rows] = np.array([activations.index(k) for k in names])[rng.choice(len(names), rows.shape[0], p=probs / probs.sum())]
        amount[rows] = spec.amount_dkk_per_week
    p_row = person[row_spell]
    _, dense = np.unique(p_row, return_inverse=True)
    order = np.lexsort((week, b_row, dense))
    return WeekPanel(dense[order], week[order], b_row[order].astype(np.int16), act[order], amount[order], benefits, activations)


def _durations_mixed(rng: np.random.Generator, specs: dict[str, BenefitSpec], benefits: tuple[str, ...], b: np.ndarray, longest: int) -> np.ndarray:
    out = np.empty(b.shape[0], dtype=np.int64)
    for j in np.unique(b):
        rows = np.flatnonzero(b == j)
        out[rows] = _durations(rng, specs[benefits[j]].hazard, rows.shape[0], longest)
    return out


def to_frame(panel: WeekPanel) -> pd.DataFrame:
    """The panel as the CSV columns of `budgetmodel refund`: person_id,week,benefit,activation,amount_dkk."""
    uw, inv = np.unique(panel.week, return_inverse=True)
    labels = np.array([iso_label(int(w)) for w in uw])
    return pd.DataFrame(
        {
            "person_id": np.char.add("P", panel.person.astype(str)),
            "week": labels[inv],
            "benefit": np.array(panel.benefits)[panel.benefit],
            "activation": np.array(panel.activations)[panel.activation],
            "amount_dkk": panel.amount,
        }
    )
