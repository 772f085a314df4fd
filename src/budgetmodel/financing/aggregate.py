"""Aggregate path: price helårspersoner by benefit × activation × duration band (for forecasts).

A cell is a number of helårspersoner (person-years on a benefit) in one benefit, activation type and
duration band, with a yearly benefit level per helårsperson. Its gross expense is
``helaarspersoner × level``; the state's share is the weekly engine's share for that cell
(:func:`budgetmodel.financing.shares.state_share`), so pricing the cells of a panel gives the same
money as the weekly engine gives for the panel (tested).

Columns of ``cells_df``:

* ``year`` (int) — priced at the Monday of ISO week 1 of that year (the rates in force for the
  weeks of that ISO year), or ``date`` (a date inside the week to price at);
* ``benefit``, ``activation`` — the panel codes;
* ``spell_week`` (2014 rules) and/or ``count_week`` (staircase): a band "1-4", "53+", "9-52" or a
  week number. A band must lie inside one rate band (else the cell would mix shares: an error).
  A column the regime does not use may be absent; an absent needed one is an error;
* ``helaarspersoner`` (≥ 0) and ``level_dkk_per_helaarsperson`` (≥ 0, kroner per person-year).

The result adds ``regime``, ``state_share``, ``gross_dkk``, ``state_dkk`` and ``municipal_dkk``.
"""

from __future__ import annotations

import datetime as dt
import re

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from budgetmodel.errors import InputError, Problem
from budgetmodel.codes import ACTIVATIONS, BENEFITS
from budgetmodel.financing.weeks import week_number
from budgetmodel.financing.shares import REGIME_NAMES, REGIME_NONE, as_codes, share_tables, state_share
from budgetmodel.rates.book import RateBook
from budgetmodel.rates.schema import parse_band

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("benefit", "activation", "helaarspersoner", "level_dkk_per_helaarsperson")
ALL_WEEKS = "1+"  # an absent band column: the cell spans every week


def _bands(values: Sequence | None, n: int, field: str, file: str, problems: list[Problem]) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per cell; hi = -1 for open bands."""
    lo = np.ones(n, np.int64)
    hi = np.full(n, -1, np.int64)
    if values is None:
        return lo, hi
    for i, v in enumerate(values):
        try:
            if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
                a, b = int(v), int(v)
            else:
                a, b = parse_band(str(v).strip())
            if a < 1:
                raise ValueError(f"uger tælles fra 1; fik {v!r}")
        except ValueError as exc:
            problems.append(Problem(file, i + 1, field, f"række {i + 1}: {exc}"))
            continue
        lo[i], hi[i] = a, (-1 if b is None else b)
    return lo, hi


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(v: Any) -> dt.date:
    """A cell's date: a date, or text ÅÅÅÅ-MM-DD; anything else as pandas reads a timestamp."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and _ISO_DATE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    import pandas as pd

    return pd.Timestamp(v).date()


def _dates(cells: dict[str, list], n: int, file: str, problems: list[Problem]) -> np.ndarray:
    out = np.empty(n, dtype="datetime64[D]")
    if "date" in cells:
        for i, v in enumerate(cells["date"]):
            try:
                out[i] = np.datetime64(_date(v), "D")
            except (ValueError, TypeError):
                problems.append(Problem(file, i + 1, "date", f"række {i + 1}: '{v}' er ikke en dato (forventede ÅÅÅÅ-MM-DD)"))
        return out
    if "year" not in cells:
        problems.append(Problem(file, None, "year", "cellerne skal have en kolonne 'year' eller 'date'"))
        return out
    for i, v in enumerate(cells["year"]):
        try:
            out[i] = np.datetime64(dt.date.fromisocalendar(int(v), 1, 1), "D")
        except (ValueError, TypeError):
            problems.append(Problem(file, i + 1, "year", f"række {i + 1}: '{v}' er ikke et årstal"))
    return out


def _numbers(values: list) -> np.ndarray:
    """Numbers of a column, NaN where a value is no number (as ``pandas.to_numeric(errors="coerce")``)."""
    if all(type(v) in (int, float) for v in values):
        return np.asarray(values, dtype=np.float64)
    import pandas as pd

    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=np.float64)


def price_cells(cells_df: pd.DataFrame, book: RateBook, file: str = "<cells>") -> pd.DataFrame:
    """Gross, state and municipal money of each cell (see module doc)."""
    cells = cells_df.reset_index(drop=True)
    out = cells.copy()
    for column, values in price_columns({c: cells[c].tolist() for c in cells.columns}, book, file).items():
        out[column] = values
    return out


def price_columns(cells: dict[str, list], book: RateBook, file: str = "<cells>") -> dict[str, Any]:
    """:func:`price_cells` on columns (name → list of values, one per cell), without pandas: the
    columns ``regime``, ``state_share``, ``gross_dkk``, ``state_dkk`` and ``municipal_dkk``."""
    n = len(next(iter(cells.values()), []))
    problems = [Problem(file, None, c, f"mangler kolonnen '{c}'") for c in REQUIRED if c not in cells]
    if problems:
        raise InputError(problems)
    dates = _dates(cells, n, file, problems)
    codes = {}
    for field, allowed in (("benefit", BENEFITS), ("activation", ACTIVATIONS)):
        bad = [i for i, v in enumerate(cells[field]) if v not in allowed and not (isinstance(v, (int, np.integer)) and 0 <= v < len(allowed))]
        problems += [Problem(file, i + 1, field, f"række {i + 1}: ukendt {field} '{cells[field][i]}' (forventede en af: {', '.join(allowed)})") for i in bad]
        if not bad:
            codes[field] = as_codes(np.asarray(cells[field]), allowed, field)
    amounts = {}
    for field in ("helaarspersoner", "level_dkk_per_helaarsperson"):
        x = _numbers(cells[field])
        bad = np.flatnonzero(~np.isfinite(x) | (x < 0))
        problems += [Problem(file, int(i) + 1, field, f"række {int(i) + 1}: forventede et tal ≥ 0; fik {cells[field][int(i)]!r}") for i in bad]
        amounts[field] = x
    spell_lo, spell_hi = _bands(cells.get("spell_week"), n, "spell_week", file, problems)
    count_lo, count_hi = _bands(cells.get("count_week"), n, "count_week", file, problems)
    if problems:
        raise InputError(problems)

    st = share_tables(book)
    regime = st.week_rules(week_number(dates))[0] if n else np.zeros(0, np.int8)
    none = np.flatnonzero(regime == REGIME_NONE)
    if none.size:
        field = "year" if "date" not in cells else "date"
        raise InputError([Problem(file, int(i) + 1, field, f"række {int(i) + 1}: {st.outside(int(week_number(dates[i])), str(dates[i]))}") for i in none])

    # The share of the band's first week, checked constant across the band (weeks past the last
    # rate band bound all share that bound's value, so open bands are checked up to it).
    top = st.values.shape[-1]
    share = state_share(book, dates, codes["benefit"], codes["activation"], spell_lo, count_lo)
    for field, lo, hi in (("spell_week", spell_lo, spell_hi), ("count_week", count_lo, count_hi)):
        end = np.where(hi < 0, np.maximum(lo, top), np.minimum(hi, np.maximum(lo, top)))
        width = end - lo + 1
        rep = np.repeat(np.arange(n), width)
        weeks = np.concatenate([np.arange(a, b + 1) for a, b in zip(lo, end)]) if n else np.zeros(0, np.int64)
        spell = weeks if field == "spell_week" else spell_lo[rep]
        count = weeks if field == "count_week" else count_lo[rep]
        s = state_share(book, dates[rep], codes["benefit"][rep], codes["activation"][rep], spell, count)
        lo_s = np.full(n, np.inf)
        hi_s = np.full(n, -np.inf)
        np.minimum.at(lo_s, rep, s)
        np.maximum.at(hi_s, rep, s)
        for i in np.flatnonzero(lo_s != hi_s):
            given = cells[field][i] if field in cells else f"(ingen kolonne {field}: alle uger)"
            problems.append(
                Problem(file, int(i) + 1, field, f"række {int(i) + 1}: {field} {given} spænder over andele fra {lo_s[i]:.0%} til {hi_s[i]:.0%} efter reglerne pr. {dates[i]}; del den ved satsernes uge-grænser")
            )
    if problems:
        raise InputError(problems)

    gross = amounts["helaarspersoner"] * amounts["level_dkk_per_helaarsperson"]
    state = gross * share
    return {"regime": [REGIME_NAMES[r] for r in regime], "state_share": share, "gross_dkk": gross, "state_dkk": state, "municipal_dkk": gross - state}


# ---------------------------------------------------------------------------------------------
# week-by-week pricing of a scenario's cells and initiatives


class WeekPricing:
    """The state's share of a caseload cell's benefit in a week, and the refund of operating
    costs of offers bought, under the law in force that week (or, with ``as_if``, the law of that
    one date). Shares come from the weekly engine's rules (:func:`price_cells`), remembered per
    (date, benefit, activation, band): sensitivity runs ask the same thousands of times.

    Under the refusionstrappe the count week of a person in duration band ``lo-hi`` is the band,
    but never more weeks than the count has run since § 30's origin (the transitional count of
    LBK 221/2021 § 30: weeks from the week of 2014-07-01 count)."""

    def __init__(self, book: RateBook, as_if: dt.date | None = None, offer_rule=None):
        self.book = book
        self.as_if = as_if
        self._shares: dict[tuple, float] = {}
        self._offer_rule = offer_rule  # (date, OfferLine) -> OfferRefundRule
        try:
            from budgetmodel.financing.refund_rules import staircase_rules

            self._rules = staircase_rules(book)
        except (KeyError, ValueError):
            self._rules = None
        self._origin_week = week_number(self._rules.count_origin) if self._rules is not None else 0

    def with_offer_rule(self, offer_rule) -> "WeekPricing":
        """The same pricing (sharing its remembered shares) with a scenario's own offer rule."""
        other = object.__new__(WeekPricing)
        other.__dict__.update(self.__dict__)
        other._offer_rule = offer_rule
        return other

    def law_date(self, monday: dt.date) -> dt.date:
        return self.as_if or monday

    def _count_band(self, at: dt.date, band: str) -> str:
        r = self._rules
        if r is None or at < r.start:
            return band
        ran = week_number(at) - self._origin_week + 1  # weeks the count has run at this date
        lo, hi = parse_band(band)
        if lo > ran >= 1:
            return str(ran)
        if hi is not None and hi > ran >= lo:
            return f"{lo}-{ran}"
        return band

    def prepare(self, keys) -> None:
        """Price many (monday, benefit, activation, band) at once (one vectorised call)."""
        todo = []
        for monday, benefit, activation, band in keys:
            at = self.law_date(monday)
            k = (at, benefit, activation, str(band))
            if k not in self._shares:
                todo.append(k)
        todo = list(dict.fromkeys(todo))
        if not todo:
            return
        cells = {
            "date": [k[0] for k in todo],
            "benefit": [k[1] for k in todo],
            "activation": [k[2] for k in todo],
            "spell_week": [k[3] for k in todo],
            "count_week": [self._count_band(k[0], k[3]) for k in todo],
            "helaarspersoner": [1.0] * len(todo),
            "level_dkk_per_helaarsperson": [1.0] * len(todo),
        }
        shares = price_columns(cells, self.book)["state_share"]
        for k, v in zip(todo, shares):
            self._shares[k] = float(v)

    def benefit_share(self, monday: dt.date, benefit: str, activation: str, band: str) -> float:
        k = (self.law_date(monday), benefit, activation, str(band))
        if k not in self._shares:
            self.prepare([(monday, benefit, activation, band)])
        return self._shares[k]

    def offer_rule(self, at: dt.date, offer):
        """The refund rule (OfferRefundRule) for an offer at a law date."""
        from budgetmodel.financing.initiative import OfferRefundRule

        return self._offer_rule(at, offer) if self._offer_rule is not None else OfferRefundRule(0.0)

    def offer_refund_dkk(self, monday: dt.date, offers) -> tuple[float, ...]:
        from budgetmodel.financing.initiative import offer_refund_changes

        at = self.law_date(monday)
        rules = tuple(self._offer_rule(at, o) for o in offers) if self._offer_rule is not None else ()
        if not rules:
            return tuple(0.0 for _ in offers)
        return offer_refund_changes(tuple(offers), rules)


__all__ = ["price_cells", "price_columns", "WeekPricing"]
