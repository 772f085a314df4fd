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

pandas is imported inside the DataFrame functions only, so `budgetmodel refund --json` (arrays all
the way) starts without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from budgetmodel.errors import InputError, Problem
from budgetmodel.financing.calendar import CONVENTION, CONVENTION_NOTE, calendar_sums, days_in_year
from budgetmodel.jit import kernel
from budgetmodel.financing import exact
from budgetmodel.financing.exact import add_micro, micro_of
from budgetmodel.financing.panel import BENEFITS, PanelArrays, ProblemCollector, from_frame, parse_week, to_frame, validate_panel, week_label, week_number
from budgetmodel.financing.panel import ACTIVATIONS
from budgetmodel.financing.shares import REGIME_2014, REGIME_NAMES, REGIME_NONE, REGIME_TRAPPE, WEEK_MAX, ShareTables, note_weeks, share_kernel, share_tables
from budgetmodel.fmt import round_half_up
from budgetmodel.rates.book import RateBook

if TYPE_CHECKING:
    import pandas as pd

    from budgetmodel.financing.panel_input import StartCounts

Stage = Callable[[str], None]
MAX_DUPLICATES_SHOWN = 100


# ------------------------------------------------------------------------------------ kernels


@kernel
def is_grouped(person, week):  # pragma: no cover - compiled
    """True when rows are grouped by person (key non-decreasing) with weeks non-decreasing inside."""
    for i in range(1, person.shape[0]):
        if person[i] < person[i - 1] or (person[i] == person[i - 1] and week[i] < week[i - 1]):
            return False
    return True


@kernel
def durations_kernel(person, week, benefit, is_benefit, origin, window, need, span, max_dups, offset, first_week):  # pragma: no cover - compiled
    """Spell week and count week per row (rows grouped by person, weeks ascending).

    A week counts (§ 5, stk. 2: 'uger med ydelser') when one of its rows is a benefit. A week whose
    rows are all subsidised employment without a benefit (``is_benefit`` False) is neither counted
    nor self-support (§ 6, stk. 2); its rows get count week 0.

    ``offset`` (per row, or empty): the person's staircase count before ``first_week`` (the panel's
    first week). A person with an offset k carries a count begun before the panel: the first
    week counted in the panel is k + 1 unless the restart rule applies, and self-support is
    counted only from ``first_week`` (what came before is not in the panel).

    Returns (spell, count, persons, number of duplicate rows, indices of the first duplicates)."""
    n = person.shape[0]
    spell = np.empty(n, np.int16)  # span < 2**15 weeks is checked by the caller
    count = np.empty(n, np.int16)
    dup_idx = np.empty(max_dups, np.int64)
    ndup = 0
    persons = 0
    last_week = np.empty(64, np.int64)
    run = np.zeros(64, np.int16)
    buf = np.empty(span + 1, np.int64)  # the distinct non-self-support weeks of the current count
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
        if offset.shape[0] > 0 and offset[i] > 0:
            start = first_week - 1  # a count begun before the panel
            c = offset[i]
        while i < n and person[i] == p:
            w = week[i]
            k = i
            has_benefit = False
            while k < n and person[k] == p and week[k] == w:
                if is_benefit[benefit[k]]:
                    has_benefit = True
                k += 1
            if w < origin:
                c_now = 0
            elif not has_benefit:
                c_now = 0  # subsidised employment: not self-support, not a week with benefits
                if start >= 0:
                    buf[m] = w
                    m += 1
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
                count[i] = c_now if is_benefit[b] else 0
                i += 1
    return spell, count, persons, ndup, dup_idx[: min(ndup, max_dups)]


@kernel
def sums_from_share(benefit, regime, amount, share, ngroups):  # pragma: no cover - compiled
    """Exact sums per (benefit, regime) of gross, state (= amount x share) and municipal (gross −
    state), each row in millionths of a krone (:mod:`exact`); and the rows per group."""
    kr = np.zeros(3 * ngroups, np.int64)
    micro = np.zeros(3 * ngroups, np.int64)
    rows = np.zeros(ngroups, np.int64)
    for i in range(amount.shape[0]):
        g = benefit[i] * 2 + regime[i]
        a = amount[i]
        qa = micro_of(a)
        qs = micro_of(a * share[i])
        add_micro(kr, micro, 3 * g, qa)
        add_micro(kr, micro, 3 * g + 1, qs)
        add_micro(kr, micro, 3 * g + 2, qa - qs)
        rows[g] += 1
    return kr.reshape(ngroups, 3), micro.reshape(ngroups, 3), rows


@kernel
def sums_of_columns(benefit, regime, gross, state, ngroups):  # pragma: no cover - compiled
    """:func:`sums_from_share` from the per-row columns (state = gross × share, as the engine computed it)."""
    kr = np.zeros(3 * ngroups, np.int64)
    micro = np.zeros(3 * ngroups, np.int64)
    rows = np.zeros(ngroups, np.int64)
    for i in range(gross.shape[0]):
        g = benefit[i] * 2 + regime[i]
        qa = micro_of(gross[i])
        qs = micro_of(state[i])
        add_micro(kr, micro, 3 * g, qa)
        add_micro(kr, micro, 3 * g + 1, qs)
        add_micro(kr, micro, 3 * g + 2, qa - qs)
        rows[g] += 1
    return kr.reshape(ngroups, 3), micro.reshape(ngroups, 3), rows


def group_sums(benefit, regime, amount, share, ngroups: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact (ngroups, 3, 2) sums of gross, state and municipal by (benefit, regime), and rows."""
    kr, micro, rows = sums_from_share(benefit, regime, amount, share, ngroups)
    return exact.exact(kr, micro), rows


# ------------------------------------------------------------------------------------ orchestration


@dataclass
class EngineResult:
    """Per-row results in the engine's (sorted) order, and how to map them back to the input."""

    order: np.ndarray | None  # input row of each sorted row; None when the input was already grouped
    benefit: np.ndarray  # int8 codes
    regime: np.ndarray  # int8: 0 = 2014 rules, 1 = staircase
    amount: np.ndarray
    spell: np.ndarray  # int16
    count: np.ndarray  # int16
    share: np.ndarray
    persons: int
    weeks: tuple[str, str] | None  # first and last week in the panel
    calendar: dict | None = None  # sums by calendar year (financing.calendar.calendar_sums)
    warnings: list[str] | None = None

    def to_input_order(self, values: np.ndarray) -> np.ndarray:
        if self.order is None:
            return values
        out = np.empty_like(values)
        out[self.order] = values
        return out


def start_warning(first_week: int, origin_week: int) -> str | None:
    """The warning for a panel that starts after the count's origin without counts at start."""
    if first_week <= origin_week:
        return None
    return (
        f"panelet starter i {week_label(first_week)}, efter {week_label(origin_week)} (§ 30, stk. 1), uden optælling ved start: "
        "hver person tæller fra 1 i sin første uge i panelet, så refusionen bliver for høj for personer, der var på ydelse før; "
        "angiv optællingen med --start-count FIL (person_id,count_weeks)"
    )


def outside_law(st: ShareTables, cat_weeks: np.ndarray, present: np.ndarray, codes: np.ndarray, labels: list[str], where) -> None:
    """InputError naming every row whose week lies outside the law's span ("ingen regel for 1990-W01: …")."""
    if not len(cat_weeks):
        return
    outside = np.flatnonzero((st.week_rules(cat_weeks)[0] == REGIME_NONE) & present)
    if outside.size:
        why = {int(c): st.outside(int(cat_weeks[c]), labels[c]) for c in outside}
        problems = ProblemCollector(where)
        problems.add(np.flatnonzero(np.isin(codes, outside)), "week", lambda i: why[int(codes[i])])
        problems.raise_if_any()


def start_count_problem(file: str, first_week: int, origin_week: int) -> Problem:
    """Counts at start given for a panel that begins before the count itself began (§ 30, stk. 1)."""
    return Problem(file, None, "count_weeks", f"panelet starter i {week_label(first_week)}, før optællingen begyndte ({week_label(origin_week)}, § 30, stk. 1): optællingen ved start er 0 for alle")


def _noop(_: str) -> None:
    return None


def run_engine(panel: PanelArrays, book: RateBook, on_stage: Stage = _noop, start_counts: "StartCounts | None" = None) -> EngineResult:
    """The engine on a validated panel. Raises InputError for rows it cannot price."""
    where = panel.where
    st = share_tables(book)
    rules = st.rules
    n = len(panel)

    on_stage("koder")
    benefit, activation, amount, wcodes = panel.benefit, panel.activation, panel.amount, panel.week
    week_cats = panel.week_labels
    cat_weeks = np.array([week_number(parse_week(c)) for c in week_cats], dtype=np.int32)
    present = np.bincount(wcodes, minlength=len(week_cats)) > 0 if n else np.zeros(len(week_cats), bool)

    first_week = int(cat_weeks[present].min()) if n else 0
    last_week = int(cat_weeks[present].max()) if n else 0
    outside_law(st, cat_weeks, present, wcodes, week_cats, where)
    span = last_week - first_week + 1
    if span > WEEK_MAX:
        raise InputError([Problem(where.file, None, "week", f"panelet spænder over {span} uger; højst {WEEK_MAX} understøttes")])
    week = (cat_weeks[wcodes] if n else np.zeros(0, np.int32)).astype(np.int32, copy=False)
    person = panel.person
    origin_week = week_number(rules.count_origin)
    offset = np.zeros(0, np.int32)
    warnings: list[str] = []
    if start_counts is not None:
        from budgetmodel.financing.panel_input import start_offsets

        offset = start_offsets(person, panel.person_labels, start_counts)
        if (offset > 0).any() and first_week <= origin_week:
            raise InputError([start_count_problem(start_counts.file, first_week, origin_week)])
    elif n and start_warning(first_week, origin_week):
        warnings.append(start_warning(first_week, origin_week))

    on_stage("sortering")
    order = None
    if not is_grouped(person, week):
        if panel.person_labels is not None:
            pcodes = person  # already 0 … persons-1
        else:
            _, pcodes = np.unique(person, return_inverse=True)
        key = pcodes.astype(np.int64) * span + (week - first_week)
        order = np.argsort(key, kind="stable")
        person, week, benefit, activation, amount = person[order], week[order], benefit[order], activation[order], amount[order]
        if offset.size:
            offset = offset[order]

    on_stage("varighed")
    spell, count, persons, ndup, dups = durations_kernel(
        person, week, benefit, st.is_benefit, origin_week, rules.restart_window_weeks, rules.restart_selfsupport_weeks, span, MAX_DUPLICATES_SHOWN, offset, first_week
    )
    # rows that share a person, week and benefit (e.g. a mid-week change of activation) are
    # separate payments with the same spell and count week, each priced at its own activation

    on_stage("refusion")
    regime, period = st.week_rules(np.arange(first_week, first_week + span, dtype=np.int64))
    if n:
        note_weeks(book, first_week, last_week)
    share, row_regime = share_kernel(week, first_week, benefit, activation, spell, count, regime, period, st.values, st.is_benefit)
    if n and np.isnan(share).any():  # a case the law in rates/ has no value for: name the rows
        bad = np.flatnonzero(np.isnan(share))
        back = order if order is not None else None
        problems = ProblemCollector(where)
        problems.add(
            back[bad] if back is not None else bad,
            "benefit",
            lambda i: f"ingen refusionsregel i rates/ for {BENEFITS[panel.benefit[i]]} ({ACTIVATIONS[panel.activation[i]]}) i uge {week_cats[wcodes[i]]}",
        )
        problems.raise_if_any()
    weeks = (week_label(first_week), week_label(last_week)) if n else None
    on_stage("kalenderår")
    calendar = calendar_sums(person, week, benefit, amount, share, len(BENEFITS))
    return EngineResult(order, benefit, row_regime, amount, spell, count, share, persons, weeks, calendar, warnings)


def compute_refunds(panel_df: "pd.DataFrame | PanelArrays", book: RateBook, on_stage: Stage = _noop, start_counts: "StartCounts | None" = None) -> "pd.DataFrame":
    """Every panel row (input order) with regime, spell_week, count_week, state_share, state_dkk, municipal_dkk.

    A frame is validated; read_panel_arrays' arrays already were (the panel is checked once)."""
    import pandas as pd

    if isinstance(panel_df, PanelArrays):
        arrays, df = panel_df, to_frame(panel_df)
    else:
        df = validate_panel(panel_df)
        arrays = from_frame(df)
    res = run_engine(arrays, book, on_stage, start_counts)
    on_stage("rækker")
    regime = pd.Categorical.from_codes(res.to_input_order(res.regime), categories=[REGIME_NAMES[REGIME_2014], REGIME_NAMES[REGIME_TRAPPE]])
    spell, count, share = res.to_input_order(res.spell), res.to_input_order(res.count), res.to_input_order(res.share)
    persons, weeks, calendar, warnings = res.persons, res.weeks, res.calendar, res.warnings
    del res  # free the engine's arrays before the amounts are allocated
    amount = df["amount_dkk"].to_numpy(dtype=np.float64)
    state = amount * share
    columns = {c: df[c] for c in df.columns}  # shared with the input, not copied
    columns |= {"regime": regime, "spell_week": spell, "count_week": count, "state_share": share, "state_dkk": state, "municipal_dkk": amount - state}
    out = pd.DataFrame(columns, copy=False)
    out.attrs.update(df.attrs, persons=persons, weeks=weeks, calendar_years=calendar_years_json(calendar)["years"], warnings=warnings)
    return out


def _money(x: float) -> float:
    return round_half_up(float(x), 2) + 0.0  # + 0.0: no '-0.0'


def _block(v: np.ndarray) -> dict[str, float]:
    """Gross, state, municipal from an exact (3, 2) array (:mod:`exact`) or three kroner."""
    if v.dtype == np.int64:
        v = exact.kroner(v)
    return {"gross_dkk": _money(v[0]), "state_dkk": _money(v[1]), "municipal_dkk": _money(v[2])}


def calendar_years_json(calendar: dict | None) -> dict:
    """The engine's sums by calendar year as JSON: kroner to øre, helårspersoner to two decimals."""
    out: dict = {"convention": CONVENTION, "note": CONVENTION_NOTE, "years": []}
    if calendar is None:
        return out
    money, days, pdays, year0 = calendar["money"], calendar["days"], calendar["person_days"], calendar["year0"]
    for k in range(money.shape[0]):
        if not days[k].any():
            continue
        year = year0 + k
        ndays = days_in_year(year)
        entry: dict = {"year": year, **_block(exact.total(money[k], axis=0)), "helaarspersoner": round_half_up(float(pdays[k]) / ndays, 2) + 0.0}
        entry["by_benefit"] = {
            b: _block(money[k, j]) | {"helaarspersoner": round_half_up(float(days[k, j]) / ndays, 2) + 0.0} for j, b in enumerate(BENEFITS) if days[k, j]
        }
        out["years"].append(entry)
    return out


def summary_json(groups: np.ndarray, rows: np.ndarray, persons: int, weeks: tuple[str, str] | None, calendar_years: list | None = None, warnings: list[str] | None = None) -> dict:
    """The JSON summary from exact sums ``groups`` (benefit × regime, 3, 2) and rows per group."""
    g = groups.reshape(len(BENEFITS), 2, 3, 2)
    r = rows.reshape(len(BENEFITS), 2)
    out: dict = _block(exact.total(g, axis=(0, 1)))
    out["by_benefit"] = {b: _block(exact.total(g[k], axis=0)) | {"rows": int(r[k].sum())} for k, b in enumerate(BENEFITS) if r[k].sum()}
    out["by_regime"] = {
        REGIME_NAMES[reg]: _block(exact.total(g[:, reg], axis=0)) | {"rows": int(r[:, reg].sum())}
        for reg in (REGIME_2014, REGIME_TRAPPE)
        if r[:, reg].sum()
    }
    out["rows"] = int(rows.sum())
    out["persons"] = int(persons)
    out["weeks"] = {"first": weeks[0], "last": weeks[1]} if weeks else None
    out["year_convention"] = CONVENTION
    out["by_calendar_year"] = list(calendar_years or [])
    out["warnings"] = list(warnings or [])
    return out


def refund_summary(panel: "PanelArrays | pd.DataFrame", book: RateBook, on_stage: Stage = _noop, start_counts: "StartCounts | None" = None) -> dict:
    """The JSON summary of a panel (DataFrame or read_panel_arrays' arrays) without per-row columns."""
    if not isinstance(panel, PanelArrays):
        panel = from_frame(validate_panel(panel))
    res = run_engine(panel, book, on_stage, start_counts)
    on_stage("summer")
    sums, rows = group_sums(res.benefit, res.regime, res.amount, res.share, 2 * len(BENEFITS))
    return summary_json(sums, rows, res.persons, res.weeks, calendar_years_json(res.calendar)["years"], res.warnings)


def summarise(rows_df: "pd.DataFrame") -> dict:
    """The JSON summary (totals, by_benefit, by_regime …) of compute_refunds' rows."""
    import pandas as pd

    kr, micro, rows = sums_of_columns(
        rows_df["benefit"].cat.codes.to_numpy().astype(np.int8, copy=False),
        rows_df["regime"].cat.codes.to_numpy().astype(np.int8, copy=False),
        rows_df["amount_dkk"].to_numpy(dtype=np.float64),
        rows_df["state_dkk"].to_numpy(dtype=np.float64),
        2 * len(BENEFITS),
    )
    sums = exact.exact(kr, micro)
    persons = rows_df.attrs.get("persons")
    if persons is None:
        persons = rows_df["person_id"].nunique()
    weeks = rows_df.attrs.get("weeks")
    if weeks is None and len(rows_df):
        wk = rows_df["week"]
        present = wk.cat.remove_unused_categories().cat.categories if isinstance(wk.dtype, pd.CategoricalDtype) else sorted(set(wk))
        ordered = sorted(present, key=parse_week)
        weeks = (ordered[0], ordered[-1])
    return summary_json(sums, rows, persons, weeks, rows_df.attrs.get("calendar_years"), rows_df.attrs.get("warnings"))


__all__ = ["compute_refunds", "summarise", "refund_summary", "run_engine", "EngineResult", "InputError"]
