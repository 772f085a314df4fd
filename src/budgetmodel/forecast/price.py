"""Pricing the projected stock through the financing engine's share rules.

Every projected week is priced like the weekly refund engine prices a panel row: gross = persons
× the benefit level per week; the state's share comes from
:func:`budgetmodel.financing.shares.state_share` at that week's Monday, for the cell's benefit,
activation (through the estimated activation mix), spell week (the 2014 rules) and count week
(the staircase). Nothing here knows a rate.

**The staircase count.** The projection tracks the week of duration on the current benefit (the
spell). The staircase counts one run per person across benefits that only starts over after 52
weeks of self-support within 156. Within a spell both advance one week per week, so a spell's
*offset* (count week − spell week) is fixed from its first week on: count = spell week + offset.
The offsets come from the refund engine's own count on the panel:

* spells that start in the projection take the offset distribution of the spells that started
  in the panel's last ``window_weeks`` (``entry_offset``), held fixed;
* the stock at the panel's end keeps each spell's own offset (``stock_offset``).

Without the engine's counts (``offsets=None``) every offset is 0, i.e. count ≈ spell week; the
gap between the two is measured in ``tests/test_forecast_pricing.py``. Offsets and spell weeks
from the pooled cell on price with the pooled cell's share, which is why the duration cap must
lie at or beyond the week where the share rules stop changing (checked here on the rate tables).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS
from budgetmodel.financing.shares import state_share
from budgetmodel.forecast.spells import monday_of
from budgetmodel.rates.book import RateBook


def rate_periods(book: RateBook, weeks: np.ndarray) -> np.ndarray:
    """An id per week; weeks with the same id have every rate table's values unchanged between them."""
    bounds: set[dt.date] = set()
    for t in book.tables.values():
        for start, end in t.periods():
            bounds.add(start)
            if end is not None:
                bounds.add(end + dt.timedelta(days=1))
    edges = np.array(sorted(bounds), dtype="datetime64[D]")
    mondays = np.array([monday_of(int(w)) for w in weeks], dtype="datetime64[D]")
    return np.searchsorted(edges, mondays, side="right")


def _codes(names: tuple[str, ...], codes: tuple[str, ...]) -> np.ndarray:
    """The engine's integer codes of ``names`` (passing integers spares it a string lookup per cell)."""
    return np.array([codes.index(n) for n in names], dtype=np.int8)


def share_cube(book: RateBook, week: int, benefits: tuple[str, ...], activations: tuple[str, ...], cap: int) -> np.ndarray:
    """(B, A, cap, cap) state share by benefit, activation, spell week 1..cap, count week 1..cap."""
    wk = np.arange(1, cap + 1)
    return state_share(
        book,
        np.datetime64(monday_of(week), "D"),
        _codes(benefits, BENEFITS)[:, None, None, None],
        _codes(activations, ACTIVATIONS)[None, :, None, None],
        wk[None, None, :, None],
        wk[None, None, None, :],
    )


def cap_problem(book: RateBook, week: int, benefits: tuple[str, ...], activations: tuple[str, ...], cap: int) -> str | None:
    """Why the cap is too short for the share rules at ``week``, or None.

    Weeks of duration from the cap on are priced as the cap's week; that is exact only if the
    share is the same for every later spell week and count week (checked out to twice the cap).
    """
    later = np.arange(cap, 2 * cap + 1)
    b = _codes(benefits, BENEFITS)[:, None, None]
    a = _codes(activations, ACTIVATIONS)[None, :, None]
    at = np.datetime64(monday_of(week), "D")
    by_spell = state_share(book, at, b, a, later[None, None, :], cap)
    by_count = state_share(book, at, b, a, cap, later[None, None, :])
    for name, arr in (("forløbsuge", by_spell), ("tælleuge", by_count)):
        moved = np.flatnonzero(np.any(arr != arr[..., :1], axis=(0, 1)))
        if moved.size:
            return f"refusionsandelen ændrer sig stadig i {name} {int(later[moved[0]])} (satserne i kraft {monday_of(week)}); duration_cap_weeks skal være mindst {int(later[moved[-1]])}"
    return None


@dataclass(frozen=True)
class Weights:
    """State kroner per gross krone, per projected week, for the stock of the two origins."""

    new: np.ndarray  # (T, ..., B, cap): spells started in the projection
    initial: np.ndarray  # (T, B, cap): the panel's end stock as it ages


def offset_index(cap: int) -> np.ndarray:
    """(cap, cap) count-week cell (0-based) for spell cell s and offset o: min(s + o, cap − 1)."""
    s = np.arange(cap)[:, None]
    o = np.arange(cap)[None, :]
    return np.minimum(s + o, cap - 1)


def mix_collapse(cube: np.ndarray, mix: np.ndarray) -> np.ndarray:
    """(B, cap_spell, cap_count): the share averaged over the activation mix of each spell cell."""
    return np.einsum("bsa,basc->bsc", mix, cube)


def by_offset(m: np.ndarray) -> np.ndarray:
    """(B, s, o): M[b, s, min(s+o, cap)], the share by spell cell and offset."""
    cap = m.shape[1]
    return np.take_along_axis(m, np.broadcast_to(offset_index(cap)[None], m.shape), axis=2)


def new_weights(m: np.ndarray, entry_offset: np.ndarray) -> np.ndarray:
    """(..., B, cap): Σ_o π(o) · M[b, s, min(s+o, cap)] for spells started in the projection."""
    return np.einsum("...bo,bso->...bs", entry_offset, by_offset(m))


def initial_weights(m: np.ndarray, stock_offset: np.ndarray, k: int, gathered: np.ndarray | None = None) -> np.ndarray:
    """(B, cap) for the end stock in projected week ``k`` (0 = first): cell s came from s − k − 1."""
    nb, cap, _ = m.shape
    out = np.zeros((nb, cap))
    gathered = by_offset(m) if gathered is None else gathered
    src = np.arange(cap) - k - 1
    ok = src >= 0
    if ok.any():
        s = np.flatnonzero(ok)
        out[:, s] = np.einsum("bso,bso->bs", stock_offset[:, src[ok], :], gathered[:, s, :])
    out[:, cap - 1] = m[:, cap - 1, cap - 1]  # pooled cell: any origin, any offset
    return out


def normalise(counts: np.ndarray) -> np.ndarray:
    """Offset counts → distribution over the last axis; no mass → everything at offset 0."""
    tot = counts.sum(axis=-1, keepdims=True)
    zero = np.zeros_like(counts)
    zero[..., 0] = 1.0
    return np.where(tot > 0, counts / np.where(tot > 0, tot, 1.0), zero)
