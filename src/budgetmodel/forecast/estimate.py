"""Estimation from a person-week panel: weekly inflow, exit curves (life table), activation mix,
benefit levels and the stock at the panel's end, with the counts behind every estimate.

Exit curves are discrete-time life tables (the Kaplan-Meier estimator on weekly data) by benefit
and week of duration 1..cap, where the last cell ``cap`` pools every week from ``cap`` on (one
constant hazard, so the curve has a geometric tail). For week ``s``:

- *exits* = spells whose last week is ``s`` and which ended before the panel's last week;
  *at risk* = spells seen in week ``s`` whose outcome after week ``s`` is known. A spell still
  running in the panel's last week is right-censored: it is at risk in every week before that
  one and never counted as an exit (whether it would have left after its last observed week is
  unknown, so counting that week as survived would bias the curve up);
- hazard = exits / at risk, survival S(s) = Π_{k≤s} (1 − hazard(k)).

Spells already running in the panel's first week (left-censored) have an unknown start, so they
are left out of the weeks 1..cap−1 and of the inflow; their weeks whose position counted from the
panel's start is ≥ cap are certainly in the pooled cell and enter its risk set (delayed entry,
valid because that cell's hazard is constant). A week of duration with nobody at risk (a panel
shorter than the cap) takes the hazard of the last week that has a risk set; such cells are
flagged ``extrapolated``.

Every function takes optional weights per spell so the bootstrap reuses them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from budgetmodel.financing import exact
from budgetmodel.forecast.spells import Spells, WeekPanel, build_spells


@dataclass(frozen=True)
class LifeTable:
    """Exit curves by benefit (rows) and week of duration 1..cap (columns; the last pools cap+)."""

    at_risk: np.ndarray  # (B, cap) person-weeks at risk (weighted spell counts)
    exits: np.ndarray  # (B, cap)
    hazard: np.ndarray  # (B, cap) exit probability in the week, given on benefit at its start
    extrapolated: np.ndarray  # (B, cap) bool: no one at risk; hazard carried from the last estimated week
    estimable: np.ndarray  # (B,) bool: at least one week has a risk set

    @property
    def survival(self) -> np.ndarray:
        """S(s): the share of a cohort still on benefit after its week s."""
        return np.cumprod(1.0 - self.hazard, axis=1)


@dataclass(frozen=True)
class Estimate:
    """What the projection needs, estimated on one panel (or one bootstrap resample of it)."""

    benefits: tuple[str, ...]
    activations: tuple[str, ...]
    cap: int
    first_week: int  # week numbers of the panel's first and last week
    last_week: int
    inflow: np.ndarray  # (B, last-first) new spells per week, weeks first+1..last
    life: LifeTable
    mix_weeks: np.ndarray  # (B, cap, A) person-weeks by benefit, week of duration and activation
    person_weeks: np.ndarray  # (B,) person-weeks on each benefit
    amount_dkk: np.ndarray  # (B,) gross amount paid on each benefit
    stock: np.ndarray  # (B, cap) persons on benefit in the panel's last week, by week of duration
    stock_left_censored: np.ndarray  # (B,) of which: spells running since the panel's first week
    entry_offset: np.ndarray  # (B, cap) spells started in the offset window, by count week − 1 at their first week
    stock_offset: np.ndarray  # (B, cap, cap) the end stock by week of duration and offset (count week − spell week)
    offset_window_weeks: int  # the window of spell starts behind ``entry_offset``
    counted: bool  # offsets come from the refund engine's count (False: all 0, count ≈ spell week)

    @property
    def level_dkk_per_week(self) -> np.ndarray:
        """Gross benefit per person-week on each benefit (0 where the panel has no weeks)."""
        return np.divide(self.amount_dkk, self.person_weeks, out=np.zeros_like(self.amount_dkk), where=self.person_weeks > 0)

    @property
    def activation_mix(self) -> np.ndarray:
        """(B, cap, A) share of the weeks at each benefit and duration spent in each activation.

        A cell with no weeks takes the benefit's mix over all its weeks; a benefit with no weeks
        at all takes 'none' (the first activation code) — it has no stock to price anyway.
        """
        by_cell = self.mix_weeks
        overall = by_cell.sum(axis=1, keepdims=True)  # (B, 1, A)
        fallback = np.zeros_like(overall)
        fallback[..., 0] = 1.0
        tot = overall.sum(axis=2, keepdims=True)
        overall_share = np.divide(overall, tot, out=fallback, where=tot > 0)
        cell_tot = by_cell.sum(axis=2, keepdims=True)
        return np.where(cell_tot > 0, by_cell / np.where(cell_tot > 0, cell_tot, 1.0), overall_share)

    def mean_inflow(self, window_weeks: int) -> np.ndarray:
        """(B,) average new spells per week over the last ``window_weeks`` weeks with a known inflow."""
        n = self.inflow.shape[1]
        if n == 0:
            return np.zeros(len(self.benefits))
        k = min(window_weeks, n)
        return self.inflow[:, n - k :].sum(axis=1) / k


@dataclass(frozen=True)
class SpellData:
    """A panel's spells plus what every resample needs from them, computed once."""

    panel_first: int
    panel_last: int
    benefits: tuple[str, ...]
    activations: tuple[str, ...]
    spells: Spells
    amount: np.ndarray  # per spell: gross amount over its weeks
    n_persons: int
    entry_offset: np.ndarray  # per spell: staircase count week − 1 in its first week (−1: not counted)
    last_offset: np.ndarray  # per spell: count week − spell week in its last week (≥ 0)
    counted: bool
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # tallies per (cap, window)
    person_key: np.ndarray | None = None  # per person: a hash of its id (bootstrap weights)


def prepare(panel: WeekPanel, count_week: np.ndarray | None = None, weeks: tuple[int, int] | None = None) -> SpellData:
    """Spells and their per-spell sums; ``count_week`` is the refund engine's staircase count
    per panel row (0 = not counted), from which each spell's offset is read. ``weeks``: the whole
    panel's first and last week when ``panel`` is one partition of it (censoring and the inflow's
    weeks are the whole panel's)."""
    spells = build_spells(panel, weeks)
    n = spells.n_spells
    starts = np.flatnonzero(np.r_[True, spells.spell[1:] != spells.spell[:-1]]) if n else np.zeros(0, dtype=np.int64)
    amount = np.add.reduceat(panel.amount[spells.order], starts) if n else np.zeros(0)
    if count_week is None or n == 0:
        entry, last_off = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    else:
        c = np.asarray(count_week, dtype=np.int64)[spells.order]
        ends = np.append(starts[1:], c.shape[0]) - 1
        entry = np.where(c[starts] >= 1, c[starts] - 1, -1)
        # a spell that began before the count's origin has a count below its spell week
        last_off = np.maximum(c[ends] - spells.length, 0)
    first, last = weeks if weeks is not None else ((panel.first_week, panel.last_week) if n else (0, 0))
    return SpellData(first, last, panel.benefits, panel.activations, spells, amount, panel.n_persons, entry, last_off, count_week is not None, person_key=panel.person_key)


@dataclass(frozen=True)
class Tally:
    """A weighted count over a fixed subset of spells into fixed bins: the part of an estimate
    that does not depend on the weights, built once and reused by every bootstrap replicate."""

    sel: np.ndarray | None  # spell indices counted (None: all)
    bins: np.ndarray  # bin of each counted spell
    factor: np.ndarray | None  # per counted spell, multiplies its weight (e.g. its weeks)
    size: int

    @classmethod
    def of(cls, mask: np.ndarray | None, bins: np.ndarray, size: int, factor: np.ndarray | None = None) -> "Tally":
        sel = None if mask is None else np.flatnonzero(mask)
        pick = (lambda a: a) if sel is None else (lambda a: a[sel])
        return cls(sel, pick(bins).astype(np.int64), None if factor is None else pick(factor).astype(float), size)

    def count_exact(self, w: np.ndarray | None) -> np.ndarray:
        """Kroner (``factor``) × integer weights summed exactly by bin: (size, 2) integers (financing.exact)."""
        values = self.factor if self.factor is not None else np.ones(len(self.bins))
        ww = None if w is None else (w if self.sel is None else w[self.sel])
        return exact.bincount(self.bins, values, self.size, ww)

    def count(self, w: np.ndarray | None) -> np.ndarray:
        if w is None:
            ww = self.factor if self.factor is not None else None
        else:
            ww = w if self.sel is None else w[self.sel]
            if self.factor is not None:
                ww = ww * self.factor
        return np.bincount(self.bins, weights=ww, minlength=self.size).astype(float)


def _tallies(data: SpellData, cap: int, window_weeks: int) -> dict[str, Tally]:
    key = (cap, window_weeks)
    if key in data.cache:
        return data.cache[key]
    s = data.spells
    nb = len(data.benefits)
    b = s.benefit.astype(np.int64)
    fresh = ~s.left_censored
    exited = ~s.right_censored
    running = s.right_censored
    # weeks whose outcome is known: a spell still running in the panel's last week has not
    # been seen to stay or leave after that week, so it is at risk only in its earlier weeks
    known = s.length - running
    beyond = np.maximum(known - cap + 1, 0)  # known weeks at position ≥ cap (fresh or left-censored)
    n_weeks = max(data.panel_last - data.panel_first, 1)  # inflow weeks first+1..last
    cell = np.minimum(s.length, cap) - 1
    # offsets of the spells that began in the window (fresh, counted, started inside the panel)
    in_window = fresh & (data.entry_offset >= 0) & (s.start > data.panel_last - window_weeks)
    t = {
        "known_upto": Tally.of(fresh, b * (cap + 1) + np.minimum(known, cap), nb * (cap + 1)),
        "beyond": Tally.of(beyond > 0, b, nb, beyond),
        "exits": Tally.of(fresh & exited, b * (cap + 1) + np.minimum(s.length, cap), nb * (cap + 1)),
        "exits_pooled": Tally.of(exited & (s.length >= cap), b, nb),
        "inflow": Tally.of(fresh, b * n_weeks + (s.start - data.panel_first - 1), nb * n_weeks),
        "stock": Tally.of(running, b * cap + cell, nb * cap),
        "stock_left_censored": Tally.of(running & s.left_censored, b, nb),
        "entry_offset": Tally.of(in_window, b * cap + np.clip(data.entry_offset, 0, cap - 1), nb * cap),
        "stock_offset": Tally.of(running, (b * cap + cell) * cap + np.minimum(data.last_offset, cap - 1), nb * cap * cap),
        "person_weeks": Tally.of(None, b, nb, s.length),
        "amount": Tally.of(None, b, nb, data.amount),
    }
    data.cache[key] = t
    return t


# Tallies a bootstrap replicate needs (the end stock's offsets and the mix stay the full panel's).
REPLICATE_TALLIES = ("known_upto", "beyond", "exits", "exits_pooled", "inflow", "stock", "stock_left_censored", "entry_offset", "person_weeks", "amount")


def tally_counts(data: SpellData, cap: int, window_weeks: int, weight: np.ndarray | None = None, names: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The weighted counts behind an estimate. They add over disjoint sets of persons (partitions of
    a panel): counts of whole spells (exact in floats) and kroner as exact integers (``amount``)."""
    t = _tallies(data, cap, window_weeks)
    return {k: (t[k].count_exact(weight) if k == "amount" else t[k].count(weight)) for k in (names or tuple(t))}


def add_counts(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Counts of disjoint sets of persons added (integers and integer-valued floats: exact in any order)."""
    out = {k: v.copy() for k, v in parts[0].items()}
    for p in parts[1:]:
        for k, v in p.items():
            out[k] += v
    if "amount" in out:
        out["amount"] = exact.exact(out["amount"][..., 0], out["amount"][..., 1])
    return out


def life_table_of(c: dict[str, np.ndarray], nb: int, cap: int) -> LifeTable:
    """Discrete-time life table by benefit and week of duration from :func:`tally_counts`."""
    known_upto = c["known_upto"].reshape(nb, cap + 1)[:, 1:]
    # at risk in week k < cap: fresh spells whose outcome is known in week k (reverse cumulative count)
    at_risk = np.cumsum(known_upto[:, ::-1], axis=1)[:, ::-1].copy()
    at_risk[:, cap - 1] = c["beyond"]
    exits = c["exits"].reshape(nb, cap + 1)[:, 1:].copy()
    exits[:, cap - 1] = c["exits_pooled"]
    observed = at_risk > 0
    hazard = np.divide(exits, at_risk, out=np.zeros_like(exits), where=observed)
    # carry the last estimated hazard into weeks with no one at risk
    last_seen = np.maximum.accumulate(np.where(observed, np.arange(cap), -1), axis=1)
    estimable = last_seen[:, -1] >= 0
    rows = np.arange(nb)[:, None]
    filled = np.where(last_seen >= 0, hazard[rows, np.maximum(last_seen, 0)], 0.0)
    first_seen = np.argmax(observed, axis=1)
    before_first = np.arange(cap)[None, :] < first_seen[:, None]  # e.g. only the pooled cell observed
    filled = np.where(before_first & estimable[:, None], hazard[rows[:, 0], first_seen][:, None], filled)
    return LifeTable(at_risk=at_risk, exits=exits, hazard=filled, extrapolated=~observed, estimable=estimable)


def life_table(data: SpellData, cap: int, weight: np.ndarray | None = None, window_weeks: int = 1) -> LifeTable:
    """Discrete-time life table by benefit and week of duration, right-censoring handled."""
    names = ("known_upto", "beyond", "exits", "exits_pooled")
    return life_table_of(tally_counts(data, cap, window_weeks, weight, names), len(data.benefits), cap)


def activation_mix_weeks(panel: WeekPanel, spells: Spells, cap: int) -> np.ndarray:
    """(B, cap, A) person-weeks by benefit, week of duration (capped) and activation."""
    nb, na = len(panel.benefits), len(panel.activations)
    b = panel.benefit[spells.order].astype(np.int64)
    a = panel.activation[spells.order].astype(np.int64)
    cell = np.minimum(spells.position, cap) - 1
    return np.bincount((b * cap + cell) * na + a, minlength=nb * cap * na).reshape(nb, cap, na).astype(float)


@dataclass(frozen=True)
class PanelFrame:
    """What an estimate needs to know about the whole panel besides its counts."""

    first_week: int
    last_week: int
    benefits: tuple[str, ...]
    activations: tuple[str, ...]
    counted: bool


def estimate_of_counts(c: dict[str, np.ndarray], frame: PanelFrame, cap: int, mix_weeks: np.ndarray, window_weeks: int, stock_offset: np.ndarray | None = None) -> Estimate:
    """An estimate from the (added) counts of :func:`tally_counts`; ``stock_offset`` when the counts
    leave it out (a bootstrap replicate keeps the full panel's)."""
    nb = len(frame.benefits)
    n_weeks = frame.last_week - frame.first_week
    return Estimate(
        benefits=frame.benefits,
        activations=frame.activations,
        cap=cap,
        first_week=frame.first_week,
        last_week=frame.last_week,
        inflow=c["inflow"].reshape(nb, max(n_weeks, 1))[:, :n_weeks],
        life=life_table_of(c, nb, cap),
        mix_weeks=mix_weeks,
        person_weeks=c["person_weeks"],
        amount_dkk=exact.kroner(c["amount"]),
        stock=c["stock"].reshape(nb, cap),
        stock_left_censored=c["stock_left_censored"],
        entry_offset=c["entry_offset"].reshape(nb, cap),
        stock_offset=c["stock_offset"].reshape(nb, cap, cap) if stock_offset is None else stock_offset,
        offset_window_weeks=window_weeks,
        counted=frame.counted,
    )


def frame_of(data: SpellData) -> PanelFrame:
    return PanelFrame(data.panel_first, data.panel_last, data.benefits, data.activations, data.counted)


def estimate_from(data: SpellData, cap: int, mix_weeks: np.ndarray, window_weeks: int, weight: np.ndarray | None = None) -> Estimate:
    """Everything but the activation mix from the spells (weighted for a bootstrap resample)."""
    return estimate_of_counts(tally_counts(data, cap, window_weeks, weight), frame_of(data), cap, mix_weeks, window_weeks)


def estimate(panel: WeekPanel, cap: int, window_weeks: int, count_week: np.ndarray | None = None) -> Estimate:
    """Estimate inflow, exit curves, activation mix, levels, offsets and the end stock from one panel."""
    if cap < 2:
        raise ValueError("the duration cap must be at least 2 weeks")
    data = prepare(panel, count_week)
    return estimate_from(data, cap, activation_mix_weeks(panel, data.spells, cap), window_weeks)
