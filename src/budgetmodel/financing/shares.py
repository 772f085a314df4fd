"""The state's share of a week's benefit, vectorised: the refund gateway on a grid.

The law lives in :mod:`budgetmodel.financing.refund_rules` (the ONE route to a share: the 2014
activation rules before the staircase, then the refusionstrappe / co-financing by the coverage table
in force, subsidised-employment weeks at 0). This module evaluates that gateway once per rate book
on a grid — law period (between two dates on which any refund table changes) × benefit × activation
× week (spell week under the 2014 rules, count week under the staircase; band representatives only,
then spread over the band) — and a compiled kernel reads one cell per row. No percentage and no
rule lives here.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass

import numpy as np

from budgetmodel.codes import ACTIVATIONS, BENEFITS, SUBSIDISED_EMPLOYMENT
from budgetmodel.financing import refund_rules as rr
from budgetmodel.jit import kernel
from budgetmodel.financing.weeks import week_label, week_number
from budgetmodel.rates.book import RateBook
from budgetmodel.rates.schema import ANY, parse_band

StaircaseRules = rr.StaircaseRules
staircase_rules = rr.staircase_rules
REFUND_TABLES = rr.BENEFIT_TABLES

REGIME_NONE, REGIME_2014, REGIME_TRAPPE = -1, 0, 1
REGIME_NAMES = {REGIME_2014: "2014", REGIME_TRAPPE: "trappe"}
WEEK_BAND_DIMS = (("refusion_forsoergelse", "spell_week"), ("refusionstrappe", "count_week"), ("dagpenge_medfinansiering", "count_week"))


def _week_breaks(book: RateBook) -> tuple[list[int], int]:
    """(first week of every band piece, top): weeks from ``top`` on share the value at ``top``."""
    breaks = {1}
    for tid, dim in WEEK_BAND_DIMS:
        if tid not in book.tables:
            continue
        t = book.table(tid)
        for e, _, _ in t._all():
            code = e.where.get(dim, ANY)
            if code != ANY:
                lo, hi = parse_band(code)
                breaks.add(lo)
                if hi is not None:
                    breaks.add(hi + 1)
    breaks.update(rr.extra_week_breaks(book))
    top = max(breaks)
    return sorted(breaks), top


@dataclass(frozen=True)
class ShareTables:
    """The gateway's answers on a grid, built once per rate book."""

    starts: np.ndarray  # datetime64[D], first day of each law period
    ends: np.ndarray  # datetime64[D], last day (inclusive)
    regime: np.ndarray  # int8 per period: REGIME_2014 | REGIME_TRAPPE
    values: np.ndarray  # (periods, benefit, activation, week 0..top) float64; NaN = the law has no value
    is_benefit: np.ndarray  # bool per benefit code (False: subsidised employment, share 0)
    rules: StaircaseRules
    span: rr.LawSpan  # the days the law prices; the periods cover exactly these

    def week_rules(self, weeks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For week numbers: (regime, law period); (REGIME_NONE, -1) for a week outside the law's
        span (:meth:`refund_rules.LawSpan.why_not_week`). A week is looked up at its Thursday, the
        day ISO 8601 dates a week by (2014-W01 is the week of Thursday 2 January 2014); the
        staircase starts on a Monday, so the week's regime is that of its Monday too."""
        thursday = thursday_of(weeks)
        p = np.searchsorted(self.starts, thursday, side="right") - 1
        outside = (thursday < np.datetime64(self.span.first, "D")) | (thursday - 3 > np.datetime64(self.span.last, "D"))
        p = np.where(outside, -1, p).astype(np.int32)
        return np.where(p >= 0, self.regime[np.maximum(p, 0)], REGIME_NONE).astype(np.int8), p

    def outside(self, week: int, label: str | None = None) -> str | None:
        """Why a week number has no rule ("ingen regel for 1990-W01: …"), or None."""
        monday = dt.date.fromisoformat(str(thursday_of(np.int64(week)) - 3))
        return self.span.why_not_week(monday, label or week_label(int(week)))

    def coverage(self) -> str:
        return f"{self.span.first.isoformat()} – {self.span.last.isoformat()} ({rr.TABLE_2014} før {self.rules.start}, {rr.TABLE_TRAPPE} fra den dag)"


def thursday_of(weeks):
    """The Thursday (datetime64[D]) of week numbers: the day a week is looked up at."""
    return np.datetime64("1970-01-05", "D") + np.asarray(weeks, dtype=np.int64) * 7 + 3


def load_refund_rates(root=None) -> RateBook:
    """Only the tables the benefit gateway reads (faster than the whole book); its fingerprint is the whole folder's."""
    from pathlib import Path

    from budgetmodel.errors import InputError
    from budgetmodel.paths import rates_dir
    from budgetmodel.rates.book import fingerprint_of, load_table, missing_tables, rate_files

    root = Path(root) if root is not None else rates_dir()
    files = {p.stem: p for p in rate_files([root])}
    missing = missing_tables(root, files, REFUND_TABLES)
    if missing:
        raise InputError(missing)
    problems, tables = [], {}
    for t in REFUND_TABLES:
        try:
            tables[t] = load_table(files[t])
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return RateBook(tables, root, fingerprint=fingerprint_of(root))  # the same as load_rates(root) prints


_CACHE: "weakref.WeakKeyDictionary[RateBook, ShareTables]" = weakref.WeakKeyDictionary()


def build_share_tables(book: RateBook) -> ShareTables:
    """Evaluate :func:`refund_rules.benefit_share` on the grid (see module doc)."""
    rules = staircase_rules(book)
    span = rr.law_span(book)
    first = span.first
    bounds = [d for d in rr.law_boundaries(book) if first <= d <= span.last] or [first]
    if bounds[0] != first:
        bounds.insert(0, first)
    breaks, top = _week_breaks(book)
    pieces = list(zip(breaks, breaks[1:] + [top + 1]))
    values = np.full((len(bounds), len(BENEFITS), len(ACTIVATIONS), top + 1), np.nan)
    regime = np.empty(len(bounds), np.int8)
    for p, day in enumerate(bounds):
        regime[p] = REGIME_2014 if day < rules.start else REGIME_TRAPPE
        for b, benefit in enumerate(BENEFITS):
            for a, activation in enumerate(ACTIVATIONS):
                for lo, hi in pieces:
                    try:
                        s = rr.benefit_share(book, benefit=benefit, activation=activation, spell_week=lo, count_week=lo, at=day).state_share
                    except (KeyError, ValueError):
                        continue
                    values[p, b, a, lo : hi if hi <= top else top + 1] = s
    starts = np.array(bounds, dtype="datetime64[D]")
    ends = np.append(starts[1:] - np.timedelta64(1, "D"), np.datetime64(span.last, "D"))
    return ShareTables(starts, ends, regime, values, np.array([b not in SUBSIDISED_EMPLOYMENT for b in BENEFITS]), rules, span)


# the modules whose code decides the grid (a change to any of them builds it again)
GRID_CODE = ("financing/shares.py", "financing/refund_rules.py", "codes.py", "rates/book.py", "rates/schema.py")


def share_tables(book: RateBook) -> ShareTables:
    """The grid of a rate book, built once per book; for the law as filed (no overrides) kept
    between runs by the tables' bytes (:mod:`budgetmodel.compiled`), as the tables themselves are."""
    st = _CACHE.get(book)
    if st is None:
        before = dict(book.past_known_through)
        if book.overrides:
            st = build_share_tables(book)
        else:
            import hashlib

            from budgetmodel.compiled import cached

            read = "".join(f"{tid}:{book.tables[tid].sha256 if tid in book.tables else '-'}\n" for tid in REFUND_TABLES)  # the tables the gateway reads
            tables = hashlib.sha256(read.encode()).hexdigest()
            st = cached("grid", tables[:16], tables, GRID_CODE, lambda: build_share_tables(book))
        book.past_known_through.clear()
        book.past_known_through.update(before)  # the grid covers every period; only priced weeks count
        _CACHE[book] = st
    return st


def note_weeks(book: RateBook, first_week: int, last_week: int) -> None:
    """Record the refund tables as read for the weeks priced (for 'lov antaget uændret efter …')."""
    last = dt.date.fromisoformat(str(np.datetime64("1970-01-05", "D") + int(last_week) * 7 + 3))
    for tid in REFUND_TABLES:
        if tid in book.tables:
            book.note_lookup(tid, last)


@kernel
def share_kernel(week, offset, benefit, activation, spell, count, regime, period, values, is_benefit):  # pragma: no cover - compiled
    """State share and regime per row. ``week[i] - offset`` indexes the per-week arrays (regime and
    law period of that week). NaN = no rate, or a week outside the law's span (regime < 0): the
    caller turns it into an error."""
    n = week.shape[0]
    out = np.empty(n, np.float64)
    reg = np.empty(n, np.int8)
    k = values.shape[3] - 1
    for i in range(n):
        s = week[i] - offset
        r = regime[s]
        reg[i] = r
        b = benefit[i]
        if r < 0:
            out[i] = np.nan
            continue
        if not is_benefit[b]:
            out[i] = 0.0
            continue
        w = spell[i] if r == 0 else count[i]
        if w < 1:
            out[i] = np.nan
        else:
            out[i] = values[period[s], b, activation[i], min(w, k)]
    return out, reg


WEEK_MAX = np.iinfo(np.int16).max  # spell and count weeks are stored as int16 (630 years)


def as_codes(values, codes: tuple[str, ...], field: str) -> np.ndarray:
    """Code strings (or integer codes, or a categorical) → int8 codes; ValueError naming unknown ones."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        if arr.size and (arr.min() < 0 or arr.max() >= len(codes)):
            raise ValueError(f"{field}-kode uden for 0-{len(codes) - 1}")
        return arr.astype(np.int8)
    uniq, inv = np.unique(arr.astype(str), return_inverse=True)
    unknown = [u for u in uniq if u not in codes]
    if unknown:
        raise ValueError(f"ukendt {field} {unknown[:5]} (forventede en af: {', '.join(codes)})")
    return np.array([codes.index(u) for u in uniq], dtype=np.int8)[inv.reshape(arr.shape)]


def check_weeks(book: RateBook, weeks) -> None:
    """OutsideLawError naming the first of ``weeks`` (week numbers) outside the law's span."""
    st = share_tables(book)
    w = np.asarray(weeks, dtype=np.int64).ravel()
    bad = np.flatnonzero(st.week_rules(w)[0] == REGIME_NONE)
    if bad.size:
        raise rr.OutsideLawError(st.outside(int(w[bad[0]])))


def state_share(book: RateBook, monday, benefit, activation, spell_week, count_week) -> np.ndarray:
    """The state's share (0-1) of each week's benefit, from the rate tables in force at ``monday``.

    Arrays of equal length (scalars broadcast). ``monday``: datetime64[D] (a date inside the week is
    floored to its Monday); ``benefit``/``activation``: codes or integer codes; ``spell_week`` is used
    under the 2014 rules, ``count_week`` under the staircase (both 1-based)."""
    st = share_tables(book)
    monday, benefit, activation, spell_week, count_week = np.broadcast_arrays(
        np.asarray(monday, dtype="datetime64[D]"), np.asarray(benefit), np.asarray(activation), np.asarray(spell_week), np.asarray(count_week)
    )
    shape = monday.shape
    weeks = week_number(monday.ravel())
    uniq, slot = np.unique(weeks, return_inverse=True)
    check_weeks(book, uniq)
    regime, period = st.week_rules(uniq)
    if uniq.size:
        note_weeks(book, int(uniq.min()), int(uniq.max()))
    out, _ = share_kernel(
        slot.astype(np.int32),
        0,
        as_codes(benefit.ravel(), BENEFITS, "benefit"),
        as_codes(activation.ravel(), ACTIVATIONS, "activation"),
        np.clip(spell_week.ravel(), -1, WEEK_MAX).astype(np.int16),
        np.clip(count_week.ravel(), -1, WEEK_MAX).astype(np.int16),
        regime,
        period,
        st.values,
        st.is_benefit,
    )
    bad = np.isnan(out)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"ingen andel for ugen med {monday.ravel()[i]}, ydelse {BENEFITS[int(as_codes(benefit.ravel()[i:i+1], BENEFITS, 'benefit')[0])]}, "
            f"aktivering {ACTIVATIONS[int(as_codes(activation.ravel()[i:i+1], ACTIVATIONS, 'activation')[0])]}, "
            f"spell_week {spell_week.ravel()[i]}, count_week {count_week.ravel()[i]} (uger tælles fra 1; rates/ har måske ingen regel for tilfældet)"
        )
    return out.reshape(shape)
