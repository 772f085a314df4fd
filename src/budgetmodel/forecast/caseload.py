"""A forecast as a municipality's caseload: helårspersoner per year by benefit × activation ×
duration band, in the cells of the aggregate refund path (:func:`budgetmodel.financing.aggregate.price_cells`).

The bands are where the refund rules change: the spell-week bands of the 2014 rules and the
count-week bands of the staircase, read off the share rules for the forecast's years (e.g.
1-4, 5-8, 9-52, 53+ and 1-4, 5-26, 27-52, 53+), so every cell has one share and pricing the cells
gives the forecast's own money. Each cell carries both bands; a regime reads the one it uses.

Projected weeks: the stock by week of duration, split by the estimated activation mix and, for
the count, by the staircase offsets (see :mod:`budgetmodel.forecast.price`). Weeks of a reported
year that lie inside the panel come from the panel's rows (their own activation, spell week and
the refund engine's count; a week before the count's origin, count 0, is put in the first count
band, which the 2014 rules that price such weeks do not read).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from budgetmodel.forecast.engine import ForecastResult, PricedPanel, week_of_new_year
from budgetmodel.forecast.price import normalise, rate_periods, share_cube
from budgetmodel.forecast.report import helaarspersoner
from budgetmodel.forecast.spells import build_spells
from budgetmodel.financing.calendar import year_day_shares
from budgetmodel.rates.book import RateBook


def _edges(changes: np.ndarray) -> list[int]:
    """0-based cells where a new band starts (always 0)."""
    return [0] + [int(i) for i in np.flatnonzero(changes) + 1]


def band_labels(starts: list[int], cap: int) -> list[str]:
    out = []
    for i, lo in enumerate(starts):
        hi = starts[i + 1] - 1 if i + 1 < len(starts) else None
        out.append(f"{lo + 1}+" if hi is None else (f"{lo + 1}" if hi == lo else f"{lo + 1}-{hi + 1}"))
    return out


@dataclass(frozen=True)
class Bands:
    spell: list[int]  # 0-based first cell of each band
    count: list[int]
    cap: int

    def index(self, starts: list[int]) -> np.ndarray:
        """(cap,) band number of each cell."""
        return np.searchsorted(np.array(starts), np.arange(self.cap), side="right") - 1

    @property
    def spell_labels(self) -> list[str]:
        return band_labels(self.spell, self.cap)

    @property
    def count_labels(self) -> list[str]:
        return band_labels(self.count, self.cap)


def rule_bands(book: RateBook, result: ForecastResult) -> Bands:
    """The bands of spell and count weeks within which no share rule changes, over the horizon."""
    est = result.estimate
    weeks = np.array([week_of_new_year(y) for y in result.horizon.years] + list(result.horizon.week_numbers))
    pid = rate_periods(book, weeks)
    _, first = np.unique(pid, return_index=True)
    ds = np.zeros(est.cap - 1, dtype=bool)
    dc = np.zeros(est.cap - 1, dtype=bool)
    for j in first:
        cube = share_cube(book, int(weeks[j]), est.benefits, est.activations, est.cap)  # (B, A, s, c)
        ds |= np.any(cube[:, :, 1:, :] != cube[:, :, :-1, :], axis=(0, 1, 3))
        dc |= np.any(cube[:, :, :, 1:] != cube[:, :, :, :-1], axis=(0, 1, 2))
    return Bands(_edges(ds), _edges(dc), est.cap)


def _offset_matrix(dist: np.ndarray, shift: np.ndarray, cap: int) -> np.ndarray:
    """(B, len(shift), cap): for rows with spell cell s = shift (0-based) and an offset
    distribution ``dist`` (B, len(shift), cap), the distribution of the count cell min(s+o, cap−1)."""
    nb, n, _ = dist.shape
    wide = np.zeros((nb, n, 2 * cap))
    rows = np.arange(n)[:, None]
    cols = shift[:, None] + np.arange(cap)[None, :]
    wide[:, rows, cols] = dist
    out = wide[:, :, :cap].copy()
    out[:, :, cap - 1] += wide[:, :, cap:].sum(axis=2)
    return out


def projected_joint(result: ForecastResult, year: int) -> np.ndarray:
    """(B, cap spell, cap count) projected person-weeks of one reported calendar year (a week
    across New Year by the share of its days in the year)."""
    est, w = result.estimate, result.weekly
    if w.stock_new is None:
        raise ValueError("the forecast was run without keep_stock; the caseload needs the weekly stock")
    cap = est.cap
    cells = np.arange(cap)
    p_new = _offset_matrix(np.broadcast_to(normalise(est.entry_offset)[:, None, :], (len(est.benefits), cap, cap)), cells, cap)
    phi = result.pricing.stock_offset  # (B, s0, o)
    share = result.horizon.day_shares[:, result.horizon.years.index(year)]
    sel = np.flatnonzero(share > 0)
    joint = np.einsum("bs,bsc->bsc", np.tensordot(share[sel], w.stock_new[sel], axes=(0, 0)), p_new)
    for k in sel:
        xi = w.stock_initial[k] * share[k]
        src = cells - k - 1
        ok = (src >= 0) & (cells < cap - 1)
        if ok.any():
            s = cells[ok]
            joint[:, s, :] += xi[:, s, None] * _offset_matrix(phi[:, src[ok], :], s, cap)
        joint[:, cap - 1, cap - 1] += xi[:, cap - 1]
    return joint


def caseload_cells(result: ForecastResult, pp: PricedPanel, book: RateBook) -> pd.DataFrame:
    """One row per year × benefit × activation × spell band × count band with helårspersoner > 0.

    Columns: year, benefit, activation, spell_week, count_week (band labels), helaarspersoner,
    level_dkk_per_helaarsperson (the benefit's gross per helårsperson in that year, observed and
    projected weeks together), ready for ``price_cells``.
    """
    est = result.estimate
    bands = rule_bands(book, result)
    sb, cb = bands.index(bands.spell), bands.index(bands.count)
    ns, nc = len(bands.spell), len(bands.count)
    nb, na = len(est.benefits), len(est.activations)
    mix = est.activation_mix
    p = pp.panel
    spells = build_spells(p)
    position = np.empty(p.n_rows, dtype=np.int64)
    position[spells.order] = spells.position
    frames = []
    for y in result.horizon.years:
        joint = projected_joint(result, y)  # (B, s, c)
        # → (B, A, spell band, count band)
        by_s = np.einsum("bsc,bsa->basc", joint, mix)
        cells = np.zeros((nb, na, ns, nc))
        np.add.at(cells, (slice(None), slice(None), sb[:, None], cb[None, :]), by_s)
        if result.observed_days[y]:
            r = (p.week >= week_of_new_year(y)) & (p.week < result.horizon.start)
            uniq, inv = np.unique(p.week[r], return_inverse=True)
            weight = year_day_shares(uniq, (y,))[inv, 0]
            s_idx = sb[np.minimum(position[r], est.cap) - 1]
            c_idx = cb[np.minimum(np.maximum(pp.count_week[r], 1), est.cap) - 1]
            np.add.at(cells, (p.benefit[r], p.activation[r], s_idx, c_idx), weight)
        t = result.totals(y)
        hp_b = helaarspersoner(y, t["person_weeks"])
        level = np.divide(t["gross"], hp_b, out=np.zeros(nb), where=hp_b > 0)
        b, a, s, c = np.nonzero(cells > 0)
        frames.append(
            pd.DataFrame(
                {
                    "year": y,
                    "benefit": np.array(est.benefits)[b],
                    "activation": np.array(est.activations)[a],
                    "spell_week": np.array(bands.spell_labels)[s],
                    "count_week": np.array(bands.count_labels)[c],
                    "helaarspersoner": helaarspersoner(y, cells[b, a, s, c]),
                    "level_dkk_per_helaarsperson": level[b],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def caseload_summary(cells: pd.DataFrame, by: str = "count_week") -> dict[int, dict[str, dict]]:
    """year → benefit → {helaarspersoner, level_dkk_per_helaarsperson, duration: {band: share},
    activation: {code: share}}: the shape of a scenario's caseload group (``duration`` over the
    count bands by default; ``by="spell_week"`` for the 2014 rules)."""
    out: dict[int, dict[str, dict]] = {}
    for (year, benefit), g in cells.groupby(["year", "benefit"], sort=True):
        hp = float(g["helaarspersoner"].sum())
        dur = g.groupby(by, sort=False)["helaarspersoner"].sum() / hp
        act = g.groupby("activation", sort=False)["helaarspersoner"].sum() / hp
        out.setdefault(int(year), {})[str(benefit)] = {
            "helaarspersoner": hp,
            "level_dkk_per_helaarsperson": float(g["level_dkk_per_helaarsperson"].iloc[0]),
            "duration": {str(k): float(v) for k, v in dur.items()},
            "activation": {str(k): float(v) for k, v in act.items() if v > 0},
        }
    return out


@dataclass(frozen=True)
class ForecastCaseload:
    """What a scenario takes from a forecast: cells for ``price_cells``, a per-group summary, the
    forecast's own JSON document (years, intervals, estimation) and the result object."""

    cells: pd.DataFrame
    summary: dict[int, dict[str, dict]]
    document: dict
    result: ForecastResult


def forecast_caseload(
    panel: str | Path,
    years: int,
    book: RateBook,
    *,
    assumptions: str | Path | None = None,
    inflow_growth_pct_per_year: float | None = None,
    replicates: int | None = 0,
) -> ForecastCaseload:
    """Forecast a panel ``years`` calendar years ahead and return it as a municipality's caseload.

    ``assumptions``: a file with a ``forecast:`` section (default: the standard assumptions);
    ``inflow_growth_pct_per_year`` (pct. per year, all benefits) overrides its inflow growth, as
    a scenario's ``caseload.forecast.inflow_growth`` does. Bad input raises InputError.
    """
    from budgetmodel.financing.panel import read_panel
    from budgetmodel.forecast.assumptions import load_assumptions, with_inflow_growth
    from budgetmodel.forecast.engine import run_forecast
    from budgetmodel.forecast.report import forecast_json

    loaded = load_assumptions(assumptions)
    if inflow_growth_pct_per_year is not None:
        loaded = with_inflow_growth(loaded, inflow_growth_pct_per_year)
    pp = PricedPanel.from_frame(read_panel(panel), book)
    result = run_forecast(pp, book, loaded, years, replicates=replicates)
    cells = caseload_cells(result, pp, book)
    return ForecastCaseload(cells, caseload_summary(cells), forecast_json(result, pp, book), result)
