"""The state's share of a week's benefit: pure rules over the rate tables, vectorised.

Two regimes, chosen by which table is in force at the week's Monday:

* ``refusion_forsoergelse`` (weeks before 2016-01-04): share by benefit × activation ×
  spell week (the week's place in the run of consecutive weeks on the same benefit).
* ``refusionstrappe`` (from 2016-01-04, LBK nr. 221 af 12/02/2021 § 5, stk. 2): share by the
  person's count week across all benefits. Dagpenge are co-financed instead (§ 5, stk. 3): the
  state's share is 100 pct. minus ``dagpenge_medfinansiering``.

The tables are turned into dense lookup arrays once per rate book and validity period (never per
row); a compiled kernel then reads one cell per row. No percentage lives in this module.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass

import numpy as np

from budgetmodel.jit import kernel
from budgetmodel.financing.panel import ACTIVATIONS, BENEFITS, week_number
from budgetmodel.rates.book import RateBook, RateTable
from budgetmodel.rates.schema import ANY, parse_band

TABLE_2014 = "refusion_forsoergelse"
TABLE_TRAPPE = "refusionstrappe"
TABLE_COFINANCING = "dagpenge_medfinansiering"
TABLE_RULES = "refusionstrappe_regler"

# § 5, stk. 3 with § 3, stk. 1, nr. 1: arbejdsløshedsdagpenge are co-financed by the municipality
# (the state's share is the complement); every other benefit here is refunded (§ 5, stk. 2).
COFINANCED_BENEFITS: tuple[str, ...] = ("dagpenge",)

REFUND_TABLES = (TABLE_2014, TABLE_TRAPPE, TABLE_COFINANCING, TABLE_RULES)

REGIME_NONE, REGIME_2014, REGIME_TRAPPE = -1, 0, 1
REGIME_NAMES = {REGIME_2014: "2014", REGIME_TRAPPE: "trappe"}


@dataclass(frozen=True)
class StaircaseRules:
    """The counting rules of the staircase (rates/refusionstrappe_regler.yaml)."""

    start: dt.date  # first Monday under the staircase (§ 29, stk. 1)
    count_origin: dt.date  # § 30, stk. 1: weeks from the week containing this date count
    restart_selfsupport_weeks: int  # § 6, stk. 1: 52 whole weeks of self-support …
    restart_window_weeks: int  # … within the last 3 years = 156 weeks

    @property
    def start_week(self) -> int:
        return week_number(self.start)

    @property
    def origin_week(self) -> int:
        return week_number(self.count_origin)


@dataclass(frozen=True)
class DenseTable:
    """A rate table as arrays: one slab per validity period, shares as fractions (NaN = no value)."""

    table_id: str
    starts: np.ndarray  # datetime64[D], first day of each period
    ends: np.ndarray  # datetime64[D], last day (inclusive)
    values: np.ndarray  # (periods, *axes) float64

    def period_of(self, dates: np.ndarray) -> np.ndarray:
        """Period index for each date, -1 where the table has no value in force."""
        p = np.searchsorted(self.starts, dates, side="right") - 1
        ok = (p >= 0) & (dates <= self.ends[np.maximum(p, 0)])
        return np.where(ok, p, -1).astype(np.int32)


def _band_size(table: RateTable, dim: str) -> int:
    """Last index of a band axis: one past the largest finite bound; higher weeks are clipped to it."""
    top = 1
    for e in table.spec.values:
        code = e.where.get(dim, ANY)
        if code != ANY:
            lo, hi = parse_band(code)
            top = max(top, lo, hi or 0)
    return top + 1


def dense_table(table: RateTable, axes: list[tuple[str, tuple[str, ...] | None]], complement: bool = False) -> DenseTable:
    """Lay a table out on ``axes`` (category dims with the engine's code order, or None for a band).

    ``complement`` stores 1 - value (the state's share of a co-financed benefit)."""
    names = [a for a, _ in axes]
    if sorted(names) != sorted(table.dims):
        raise ValueError(f"{table.id}: expected dimensions {sorted(names)}, the table has {sorted(table.dims)}")
    if table.unit not in ("pct", "share"):
        raise ValueError(f"{table.id}: unit '{table.unit}' is not a share (expected pct or share)")
    scale = 100.0 if table.unit == "pct" else 1.0
    shape = [len(codes) if codes is not None else _band_size(table, name) + 1 for name, codes in axes]
    bounds = sorted({d for start, end in table.periods() for d in (start, (end + dt.timedelta(days=1)) if end else None) if d})
    open_ended = any(end is None for _, end in table.periods())
    starts, ends, slabs = [], [], []
    for k, start in enumerate(bounds):
        end = bounds[k + 1] - dt.timedelta(days=1) if k + 1 < len(bounds) else (dt.date.max if open_ended else None)
        if end is None:
            break
        in_force = table.in_force(start)
        if not in_force:
            continue
        slab = np.full(shape, np.nan)
        for v in in_force:
            index = []
            for (name, codes), size in zip(axes, shape):
                code = v.where.get(name, ANY)
                if code == ANY:
                    index.append(slice(None))
                elif codes is not None:
                    if code not in codes:
                        break  # a code the engine does not use
                    index.append(codes.index(code))
                else:
                    lo, hi = parse_band(code)
                    index.append(slice(lo, (hi if hi is not None else size - 1) + 1))
            else:
                x = float(v.value)
                slab[tuple(index)] = (scale - x) / scale if complement else x / scale
        starts.append(np.datetime64(start, "D"))
        ends.append(np.datetime64(min(end, dt.date(9999, 12, 31)), "D"))
        slabs.append(slab)
    if not slabs:
        raise ValueError(f"{table.id}: no values")
    return DenseTable(table.id, np.array(starts), np.array(ends), np.stack(slabs))


def staircase_rules(book: RateBook) -> StaircaseRules:
    """The staircase's counting rules, looked up at its first day (the refusionstrappe table's start)."""
    start = min(e.valid_from for e in book.table(TABLE_TRAPPE).spec.values)
    rules = book.table(TABLE_RULES)

    def value(name: str):
        return rules.value(start, parameter=name)

    stated = dt.date.fromisoformat(str(value("staircase_start")))
    if stated != start:
        raise ValueError(f"{TABLE_RULES}: staircase_start {stated} disagrees with {TABLE_TRAPPE}, which starts {start}")
    return StaircaseRules(
        start=start,
        count_origin=dt.date.fromisoformat(str(value("count_origin"))),
        restart_selfsupport_weeks=int(value("restart_selfsupport_weeks")),
        restart_window_weeks=int(value("restart_window_weeks")),
    )


@dataclass(frozen=True)
class ShareTables:
    """Everything the share kernel needs, built once per rate book."""

    t2014: DenseTable  # (P, benefit, activation, spell_week)
    trappe: DenseTable  # (P, count_week)
    cofinancing: DenseTable  # (P, count_week), already the state's share (1 - co-financing)
    cofinanced: np.ndarray  # bool per benefit code
    rules: StaircaseRules

    def week_rules(self, weeks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For week numbers: (regime, period in 2014 table, in staircase table, in co-financing table).

        The regime follows the week's Monday: before the staircase start (§ 29, stk. 1: 4 January
        2016) every week follows the 2014 rules (issue 3; seed 004 documents them for 2014, and the
        same activation-based rules applied before). A rate table is looked up at the week's
        Thursday, the day ISO 8601 dates a week by (2014-W01 is the week of Thursday 2 January
        2014); a week before the 2014 table's first date takes its first period.
        """
        mondays = np.datetime64("1970-01-05", "D") + np.asarray(weeks, dtype=np.int64) * 7
        thursdays = mondays + 3
        before = mondays < np.datetime64(self.rules.start, "D")
        p14 = np.where(before, self.t2014.period_of(np.maximum(thursdays, self.t2014.starts[0])), -1).astype(np.int32)
        ps = np.where(before, -1, self.trappe.period_of(thursdays)).astype(np.int32)
        pc = np.where(before, -1, self.cofinancing.period_of(thursdays)).astype(np.int32)
        if ((ps >= 0) & (pc < 0)).any():
            raise ValueError(f"{TABLE_COFINANCING} has no value in force on {thursdays[(ps >= 0) & (pc < 0)][0]}")
        regime = np.where(p14 >= 0, REGIME_2014, np.where(ps >= 0, REGIME_TRAPPE, REGIME_NONE)).astype(np.int8)
        return regime, p14, ps, pc

    def coverage(self) -> str:
        return f"{self.t2014.starts[0]} – {self.t2014.ends[-1]} ({TABLE_2014}) and from {self.trappe.starts[0]} ({TABLE_TRAPPE})"


def load_refund_rates(root=None) -> RateBook:
    """Only the refund tables (faster than the whole book; its fingerprint covers just these)."""
    from pathlib import Path

    from budgetmodel.errors import InputError, Problem
    from budgetmodel.paths import rates_dir
    from budgetmodel.rates.book import load_table, rate_files

    root = Path(root) if root is not None else rates_dir()
    files = {p.stem: p for p in rate_files([root])}
    missing = [t for t in REFUND_TABLES if t not in files]
    if missing:
        raise InputError([Problem(str(root), None, "", f"no rate table '{t}' (needed for refunds)") for t in missing])
    problems, tables = [], {}
    for t in REFUND_TABLES:
        try:
            tables[t] = load_table(files[t])
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return RateBook(tables, root)


_CACHE: "weakref.WeakKeyDictionary[RateBook, ShareTables]" = weakref.WeakKeyDictionary()


def share_tables(book: RateBook) -> ShareTables:
    st = _CACHE.get(book)
    if st is None:
        st = ShareTables(
            t2014=dense_table(book.table(TABLE_2014), [("benefit", BENEFITS), ("activation", ACTIVATIONS), ("spell_week", None)]),
            trappe=dense_table(book.table(TABLE_TRAPPE), [("count_week", None)]),
            cofinancing=dense_table(book.table(TABLE_COFINANCING), [("count_week", None)], complement=True),
            cofinanced=np.array([b in COFINANCED_BENEFITS for b in BENEFITS]),
            rules=staircase_rules(book),
        )
        _CACHE[book] = st
    return st


@kernel
def share_kernel(week, offset, benefit, activation, spell, count, regime, p14, ps, pc, t14, trappe, cofin_share, cofinanced):  # pragma: no cover - compiled
    """State share and regime per row. ``week[i] - offset`` indexes the per-week arrays (regime and
    the period of each table in force that week). NaN = no rate (the caller turns it into an error)."""
    n = week.shape[0]
    out = np.empty(n, np.float64)
    reg = np.empty(n, np.int8)
    k14 = t14.shape[3] - 1
    ks = trappe.shape[1] - 1
    kc = cofin_share.shape[1] - 1
    for i in range(n):
        s = week[i] - offset
        r = regime[s]
        reg[i] = r
        if r == 0:
            w = spell[i]
            if w < 1:
                out[i] = np.nan
            else:
                out[i] = t14[p14[s], benefit[i], activation[i], min(w, k14)]
        elif r == 1:
            c = count[i]
            if c < 1:
                out[i] = np.nan
            elif cofinanced[benefit[i]]:
                out[i] = cofin_share[pc[s], min(c, kc)]
            else:
                out[i] = trappe[ps[s], min(c, ks)]
        else:
            out[i] = np.nan
    return out, reg


WEEK_MAX = np.iinfo(np.int16).max  # spell and count weeks are stored as int16 (630 years)


def as_codes(values, codes: tuple[str, ...], field: str) -> np.ndarray:
    """Code strings (or integer codes, or a categorical) → int8 codes; ValueError naming unknown ones."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        if arr.size and (arr.min() < 0 or arr.max() >= len(codes)):
            raise ValueError(f"{field} code out of range 0-{len(codes) - 1}")
        return arr.astype(np.int8)
    uniq, inv = np.unique(arr.astype(str), return_inverse=True)
    unknown = [u for u in uniq if u not in codes]
    if unknown:
        raise ValueError(f"unknown {field} {unknown[:5]} (expected one of: {', '.join(codes)})")
    return np.array([codes.index(u) for u in uniq], dtype=np.int8)[inv.reshape(arr.shape)]


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
    regime, p14, ps, pc = st.week_rules(uniq)
    if (regime == REGIME_NONE).any():
        first = np.datetime64("1970-01-05", "D") + int(uniq[regime == REGIME_NONE][0]) * 7
        raise ValueError(f"no refund rules in force for the week of {first} (rates cover {st.coverage()})")
    out, _ = share_kernel(
        slot.astype(np.int32),
        0,
        as_codes(benefit.ravel(), BENEFITS, "benefit"),
        as_codes(activation.ravel(), ACTIVATIONS, "activation"),
        np.clip(spell_week.ravel(), -1, WEEK_MAX).astype(np.int16),
        np.clip(count_week.ravel(), -1, WEEK_MAX).astype(np.int16),
        regime,
        p14,
        ps,
        pc,
        st.t2014.values,
        st.trappe.values,
        st.cofinancing.values,
        st.cofinanced,
    )
    bad = np.isnan(out)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"no share for week of {monday.ravel()[i]}, benefit {BENEFITS[int(as_codes(benefit.ravel()[i:i+1], BENEFITS, 'benefit')[0])]}, "
            f"spell_week {spell_week.ravel()[i]}, count_week {count_week.ravel()[i]} (weeks are counted from 1)"
        )
    return out.reshape(shape)
