"""Weekly refund engine: what the state refunds of each person-week's benefit, in both regimes.

Orchestrates: validated panel (:mod:`panel`) → integer codes, sorted by person and week (only sorted
when the input is not already; checked in O(n)) → one compiled pass for the spell week (2014 rules)
and the staircase count week (one count per person across benefits, with the restart and the
transitional rule) → the share per row from the rate tables (:mod:`shares`) → amounts and sums.

Counting rules (rates/refusionstrappe_regler.yaml, LBK nr. 221 af 12/02/2021):

* spell week: consecutive ISO weeks on the same benefit form a spell; its first week is 1.
* count week: a week with one or more benefits counts once. Weeks before the week containing the
  transitional origin (§ 30, stk. 1: 1 July 2014 → 2014-W27) do not count (count_week 0). At a benefit
  week t of a count that started in week s, the self-support weeks (weeks with no row) in
  max(s+1, t-156) … t-1 are counted; with ≥ 52 the count starts over at 1 in week t (§ 6, stk. 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numba
import numpy as np
import pandas as pd

from budgetmodel.errors import InputError
from budgetmodel.financing.panel import BENEFITS, ProblemCollector, parse_week, validate_panel, week_label, week_number, where_of
from budgetmodel.financing.shares import REGIME_2014, REGIME_NAMES, REGIME_NONE, REGIME_TRAPPE, share_kernel, share_tables
from budgetmodel.fmt import round_half_up
from budgetmodel.rates.book import RateBook

Stage = Callable[[str], None]
MAX_DUPLICATES_SHOWN = 100


# ------------------------------------------------------------------------------------ kernels


@numba.njit(cache=True, nogil=True)
def is_grouped(person, week):  # pragma: no cover - compiled
    """True when rows are grouped by person (key non-decreasing) with weeks non-decreasing inside."""
    for i in range(1, person.shape[0]):
        if person[i] < person[i - 1] or (person[i] == person[i - 1] and week[i] < week[i - 1]):
            return False
    return True


@numba.njit(cache=True, nogil=True)
def durations_kernel(person, week, benefit, origin, window, need, span, max_dups):  # pragma: no cover - compiled
    """Spell week and count week per row (rows grouped by person, weeks ascending).

    Returns (spell, count, persons, number of duplicate rows, indices of the first duplicates)."""
    n = person.shape[0]
    spell = np.empty(n, np.int32)
    count = np.empty(n, np.int32)
    dup_idx = np.empty(max_dups, np.int64)
    ndup = 0
    persons = 0
    last_week = np.empty(64, np.int64)
    run = np.zeros(64, np.int32)
    buf = np.empty(span + 1, np.int64)  # the distinct benefit weeks of the current count
    i = 0
    while i < n:
        p = person[i]
        persons += 1
        last_week[:] = -(1 << 40)
        run[:] = 0
        start = -1
        m = 0
        j = 0
        c = 0
        while i < n and person[i] == p:
            w = week[i]
            if w < origin:
                c_now = 0
            else:
                if start < 0:
                    start = w
                    m = 0
                    j = 0
                    c = 1
                else:
                    lo = max(start + 1, w - window)
                    while j < m and buf[j] < lo:
                        j += 1
                    selfsupport = (w - lo) - (m - j)
                    if selfsupport >= need:  # § 6, stk. 1: the count starts over
                        start = w
                        m = 0
                        j = 0
                        c = 1
                    else:
                        c += 1
                buf[m] = w
                m += 1
                c_now = c
            mask = np.int64(0)
            while i < n and person[i] == p and week[i] == w:
                b = benefit[i]
                bit = np.int64(1) << b
                if mask & bit:
                    if ndup < max_dups:
                        dup_idx[ndup] = i
                    ndup += 1
                mask |= bit
                if last_week[b] == w - 1:
                    run[b] += 1
                elif last_week[b] != w:
                    run[b] = 1
                last_week[b] = w
                spell[i] = run[b]
                count[i] = c_now
                i += 1
    return spell, count, persons, ndup, dup_idx[: min(ndup, max_dups)]


@numba.njit(cache=True, nogil=True)
def _neumaier_add(sums, comp, k, x):  # pragma: no cover - compiled
    t = sums[k] + x
    if abs(sums[k]) >= abs(x):
        comp[k] += (sums[k] - t) + x
    else:
        comp[k] += (x - t) + sums[k]
    sums[k] = t


@numba.njit(cache=True, nogil=True)
def sums_from_share(group, ngroups, amount, share):  # pragma: no cover - compiled
    """Compensated sums per group of gross, state (= amount x share) and municipal amounts; row counts."""
    sums = np.zeros(3 * ngroups)
    comp = np.zeros(3 * ngroups)
    rows = np.zeros(ngroups, np.int64)
    for i in range(amount.shape[0]):
        g = group[i]
        a = amount[i]
        s = a * share[i]
        _neumaier_add(sums, comp, 3 * g, a)
        _neumaier_add(sums, comp, 3 * g + 1, s)
        _neumaier_add(sums, comp, 3 * g + 2, a - s)
        rows[g] += 1
    return (sums + comp).reshape(ngroups, 3), rows


@numba.njit(cache=True, nogil=True)
def sums_of_columns(group, ngroups, gross, state, municipal):  # pragma: no cover - compiled
    sums = np.zeros(3 * ngroups)
    comp = np.zeros(3 * ngroups)
    rows = np.zeros(ngroups, np.int64)
    for i in range(gross.shape[0]):
        g = group[i]
        _neumaier_add(sums, comp, 3 * g, gross[i])
        _neumaier_add(sums, comp, 3 * g + 1, state[i])
        _neumaier_add(sums, comp, 3 * g + 2, municipal[i])
        rows[g] += 1
    return (sums + comp).reshape(ngroups, 3), rows


@numba.njit(cache=True, nogil=True)
def _groups(benefit, regime_of_slot, slot):  # pragma: no cover - compiled
    out = np.empty(benefit.shape[0], np.int16)
    for i in range(benefit.shape[0]):
        out[i] = benefit[i] * 2 + regime_of_slot[slot[i]]
    return out


def warm_up() -> None:
    """Load every kernel from numba's cache (or compile it) with the dtypes the engine uses.

    The CLI runs this in a background thread while it reads the panel, so the JIT start-up
    overlaps the file reading."""
    i64, i32, i8 = np.zeros(2, np.int64), np.zeros(2, np.int32), np.zeros(2, np.int8)
    f8 = np.zeros(2)
    is_grouped(i64, i32)
    durations_kernel(i64, i32, i8, 0, 1, 1, 2, 1)
    t14, t1 = np.zeros((1, 1, 1, 2)), np.zeros((1, 2))
    share_kernel(i32, i8, i8, i32, i32, i8, i32, i32, i32, t14, t1, t1, np.zeros(1, np.bool_))
    g = _groups(i8, i8, i32)
    sums_from_share(g, 1, f8, f8)
    sums_of_columns(g, 1, f8, f8, f8)


# ------------------------------------------------------------------------------------ orchestration


@dataclass
class EngineResult:
    """Per-row results in the engine's (sorted) order, and how to map them back to the input."""

    order: np.ndarray | None  # input row of each sorted row; None when the input was already grouped
    benefit: np.ndarray
    slot: np.ndarray  # week - first week: index into the per-week arrays
    first_week: int
    regime_of_slot: np.ndarray
    amount: np.ndarray
    spell: np.ndarray
    count: np.ndarray
    share: np.ndarray
    persons: int

    def to_input_order(self, values: np.ndarray) -> np.ndarray:
        if self.order is None:
            return values
        out = np.empty_like(values)
        out[self.order] = values
        return out


def _noop(_: str) -> None:
    return None


def run_engine(df: pd.DataFrame, book: RateBook, on_stage: Stage = _noop) -> EngineResult:
    """The engine on a validated (canonical) panel frame. Raises InputError for rows it cannot price."""
    where = where_of(df)
    st = share_tables(book)
    rules = st.rules
    n = len(df)

    on_stage("koder")
    benefit = df["benefit"].cat.codes.to_numpy().astype(np.int8, copy=False)
    activation = df["activation"].cat.codes.to_numpy().astype(np.int8, copy=False)
    week_cats = df["week"].cat.categories
    cat_weeks = np.array([week_number(parse_week(c)) for c in week_cats], dtype=np.int32)
    wcodes = df["week"].cat.codes.to_numpy()
    amount = df["amount_dkk"].to_numpy(dtype=np.float64)

    # weeks the rate tables do not cover: one problem per row, named by line
    regime_of_cat = st.week_rules(cat_weeks)[0] if len(cat_weeks) else np.zeros(0, np.int8)
    if (regime_of_cat == REGIME_NONE).any():
        problems = ProblemCollector(where)
        bad = np.flatnonzero(regime_of_cat == REGIME_NONE)
        problems.add(
            np.flatnonzero(np.isin(wcodes, bad)),
            "week",
            lambda i: f"no refund rules in force for week {week_cats[wcodes[i]]} (the rate tables cover {st.coverage()})",
        )
        problems.raise_if_any()

    first_week = int(cat_weeks.min()) if n else 0
    span = int(cat_weeks.max()) - first_week + 1 if n else 1
    week = (cat_weeks[wcodes] if n else np.zeros(0, np.int32)).astype(np.int32, copy=False)

    person_col = df["person_id"]
    categorical = isinstance(person_col.dtype, pd.CategoricalDtype)
    if categorical:
        person = person_col.cat.codes.to_numpy()
    else:
        person = person_col.to_numpy()
        if person.dtype.kind not in "iu":
            person = pd.factorize(person_col)[0]
    person = person.astype(np.int64, copy=False)  # one compiled signature for every input

    on_stage("sortering")
    order = None
    if not is_grouped(person, week):
        pcodes = person if categorical else pd.factorize(person)[0].astype(np.int64)
        key = pcodes * span + (week - first_week)
        order = np.argsort(key, kind="stable")
        person, week, benefit, activation, amount = person[order], week[order], benefit[order], activation[order], amount[order]

    on_stage("varighed")
    spell, count, persons, ndup, dups = durations_kernel(
        person, week, benefit, rules.origin_week, rules.restart_window_weeks, rules.restart_selfsupport_weeks, span, MAX_DUPLICATES_SHOWN
    )
    if ndup:
        _raise_duplicates(df, where, order, dups, ndup)

    on_stage("refusion")
    weeks_range = np.arange(first_week, first_week + span, dtype=np.int64)
    regime, p14, ps, pc = st.week_rules(weeks_range)
    slot = (week - first_week).astype(np.int32, copy=False)
    share = share_kernel(slot, benefit, activation, spell, count, regime, p14, ps, pc, st.t2014.values, st.trappe.values, st.cofinancing.values, st.cofinanced)
    if n and np.isnan(share).any():  # guarded by the table checks; kept so no NaN can reach a person
        i = int(np.flatnonzero(np.isnan(share))[0])
        raise ValueError(f"no share for benefit {BENEFITS[benefit[i]]} in week {week_label(int(week[i]))} (spell {spell[i]}, count {count[i]})")
    return EngineResult(order, benefit, slot, first_week, regime, amount, spell, count, share, persons)


def _raise_duplicates(df: pd.DataFrame, where, order, dups: np.ndarray, ndup: int) -> None:
    rows = dups if order is None else order[dups]
    problems = ProblemCollector(where)
    person, week, benefit = df["person_id"], df["week"], df["benefit"]
    problems.add(
        np.sort(rows),
        "benefit",
        lambda i: f"duplicate row: person {person.iat[i]} already has a {benefit.iat[i]} row in week {week.iat[i]} (one row per person, week and benefit)",
    )
    if ndup > len(dups):
        from budgetmodel.errors import Problem

        problems.extra.append(Problem(where.file, None, "", f"… and {ndup - len(dups)} more duplicate rows not shown"))
    problems.raise_if_any()


def compute_refunds(panel_df: pd.DataFrame, book: RateBook, on_stage: Stage = _noop) -> pd.DataFrame:
    """Every panel row (input order) with regime, spell_week, count_week, state_share, state_dkk, municipal_dkk."""
    df = validate_panel(panel_df)
    res = run_engine(df, book, on_stage)
    on_stage("rækker")
    share = res.to_input_order(res.share)
    amount = df["amount_dkk"].to_numpy(dtype=np.float64)
    state = amount * share
    regime = res.to_input_order(res.regime_of_slot[res.slot])
    out = df.copy()
    out["regime"] = pd.Categorical.from_codes(regime.astype(np.int8), categories=[REGIME_NAMES[REGIME_2014], REGIME_NAMES[REGIME_TRAPPE]])
    out["spell_week"] = res.to_input_order(res.spell)
    out["count_week"] = res.to_input_order(res.count)
    out["state_share"] = share
    out["state_dkk"] = state
    out["municipal_dkk"] = amount - state
    out.attrs["persons"] = res.persons
    return out


def _money(x: float) -> float:
    return round_half_up(float(x), 2) + 0.0  # + 0.0: no '-0.0'


def _block(v: np.ndarray) -> dict[str, float]:
    return {"gross_dkk": _money(v[0]), "state_dkk": _money(v[1]), "municipal_dkk": _money(v[2])}


def _summary(groups: np.ndarray, rows: np.ndarray, persons: int, weeks: tuple[str, str] | None) -> dict:
    g = groups.reshape(len(BENEFITS), 2, 3)
    r = rows.reshape(len(BENEFITS), 2)
    total = np.array([math.fsum(g[:, :, k].ravel()) for k in range(3)])
    out: dict = _block(total)
    out["by_benefit"] = {
        b: _block(np.array([math.fsum(g[k, :, j]) for j in range(3)])) | {"rows": int(r[k].sum())} for k, b in enumerate(BENEFITS) if r[k].sum()
    }
    out["by_regime"] = {
        REGIME_NAMES[reg]: _block(np.array([math.fsum(g[:, reg, j]) for j in range(3)])) | {"rows": int(r[:, reg].sum())}
        for reg in (REGIME_2014, REGIME_TRAPPE)
        if r[:, reg].sum()
    }
    out["rows"] = int(rows.sum())
    out["persons"] = int(persons)
    out["weeks"] = {"first": weeks[0], "last": weeks[1]} if weeks else None
    return out


def refund_summary(panel_df: pd.DataFrame, book: RateBook, on_stage: Stage = _noop) -> dict:
    """The JSON summary of a panel without materialising per-row columns (the CLI's fast path)."""
    df = validate_panel(panel_df)
    res = run_engine(df, book, on_stage)
    on_stage("summer")
    group = _groups(res.benefit, res.regime_of_slot, res.slot)
    sums, rows = sums_from_share(group, 2 * len(BENEFITS), res.amount, res.share)
    weeks = (week_label(int(res.first_week + res.slot.min())), week_label(int(res.first_week + res.slot.max()))) if len(res.slot) else None
    return _summary(sums, rows, res.persons, weeks)


def summarise(rows_df: pd.DataFrame) -> dict:
    """The JSON summary (totals, by_benefit, by_regime …) of compute_refunds' rows."""
    benefit = rows_df["benefit"].cat.codes.to_numpy().astype(np.int16)
    regime = rows_df["regime"].cat.codes.to_numpy().astype(np.int16)
    group = (benefit * 2 + regime).astype(np.int16)
    sums, rows = sums_of_columns(
        group,
        2 * len(BENEFITS),
        rows_df["amount_dkk"].to_numpy(dtype=np.float64),
        rows_df["state_dkk"].to_numpy(dtype=np.float64),
        rows_df["municipal_dkk"].to_numpy(dtype=np.float64),
    )
    persons = rows_df.attrs.get("persons")
    if persons is None:
        persons = rows_df["person_id"].nunique()
    weeks = None
    if len(rows_df):
        wk = rows_df["week"]
        present = wk.cat.remove_unused_categories().cat.categories if isinstance(wk.dtype, pd.CategoricalDtype) else sorted(set(wk))
        ordered = sorted(present, key=parse_week)
        weeks = (ordered[0], ordered[-1])
    return _summary(sums, rows, persons, weeks)


__all__ = ["compute_refunds", "summarise", "refund_summary", "run_engine", "EngineResult", "InputError"]
