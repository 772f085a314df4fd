"""Person-week rows → spells: runs of consecutive weeks on the same benefit, per person.

A *spell* is the 2014 regime's unit (seed 004: a run of consecutive weeks on one benefit); it is
also the duration the forecast tracks. Weeks absent from the panel are self-support, so a gap of
one week ends a spell. A person on two benefits in the same week is in one spell on each.

Weeks are held as the refund engine's integer week numbers
(:func:`budgetmodel.financing.panel.week_number`), so consecutive ISO weeks differ by exactly 1
across year ends and 53-week years alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmodel.financing import panel as fp
from budgetmodel.financing.panel import week_number


def monday_of(week: int) -> dt.date:
    """The Monday of an integer week number (inverse of :func:`week_number`)."""
    return fp.monday_of(int(week)).astype(dt.date)


def iso_year(week: int) -> int:
    """The ISO year a week belongs to (the year of its Thursday)."""
    return monday_of(week).isocalendar()[0]


def iso_years(weeks: np.ndarray) -> np.ndarray:
    """Vectorised :func:`iso_year`: the calendar year of each week's Thursday."""
    thursday = fp.monday_of(np.asarray(weeks, dtype=np.int64)) + np.timedelta64(3, "D")
    return thursday.astype("datetime64[Y]").astype(np.int64) + 1970


def iso_label(week: int) -> str:
    return fp.week_label(int(week))


def weeks_in_iso_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last week."""
    return dt.date(year, 12, 28).isocalendar()[1]


def first_week_of_iso_year(year: int) -> int:
    return week_number(dt.date.fromisocalendar(year, 1, 1))


@dataclass(frozen=True)
class WeekPanel:
    """A validated person-week panel as arrays (one row per person, week and benefit).

    ``benefit`` and ``activation`` are indices into ``benefits`` and ``activations``; ``person``
    is a dense index 0..n_persons-1; ``week`` integer week numbers (see :func:`week_number`).
    """

    person: np.ndarray
    week: np.ndarray
    benefit: np.ndarray
    activation: np.ndarray
    amount: np.ndarray
    benefits: tuple[str, ...]
    activations: tuple[str, ...]
    person_key: np.ndarray | None = None  # per person (dense index): a hash of its id, stable across runs and partitions

    @property
    def n_rows(self) -> int:
        return int(self.person.shape[0])

    @property
    def n_persons(self) -> int:
        return int(self.person.max()) + 1 if self.n_rows else 0

    @property
    def first_week(self) -> int:
        return int(self.week.min())

    @property
    def last_week(self) -> int:
        return int(self.week.max())

    def select(self, mask: np.ndarray) -> "WeekPanel":
        """The rows where ``mask`` holds (person indices kept, so they still match the full panel)."""
        return WeekPanel(
            self.person[mask], self.week[mask], self.benefit[mask], self.activation[mask], self.amount[mask], self.benefits, self.activations, self.person_key
        )


def from_frame(df: pd.DataFrame) -> WeekPanel:
    """A validated panel frame (:func:`budgetmodel.financing.panel.read_panel`) as arrays, rows in input order."""
    from budgetmodel.financing.partitioned import int_hash, text_hash

    person_col = df["person_id"]
    if isinstance(person_col.dtype, pd.CategoricalDtype):
        person, first = pd.factorize(person_col.cat.codes.to_numpy())
        cats = person_col.cat.categories
        key = int_hash(cats.to_numpy()[first]) if pd.api.types.is_integer_dtype(cats.dtype) else text_hash([str(c) for c in cats[first]])
    else:
        person, uniq = pd.factorize(person_col.to_numpy())
        key = int_hash(np.asarray(uniq)) if pd.api.types.is_integer_dtype(person_col.dtype) else text_hash([str(c) for c in uniq])
    cats = df["week"].cat.categories
    cat_weeks = np.array([week_number(fp.parse_week(str(c))) for c in cats], dtype=np.int64)
    week = cat_weeks[df["week"].cat.codes.to_numpy()]
    if tuple(df["benefit"].cat.categories) != fp.BENEFITS or tuple(df["activation"].cat.categories) != fp.ACTIVATIONS:
        raise ValueError("from_frame needs a validated panel (budgetmodel.financing.panel.validate_panel)")
    return WeekPanel(
        person=person.astype(np.int64),
        week=week,
        benefit=df["benefit"].cat.codes.to_numpy().astype(np.int16),
        activation=df["activation"].cat.codes.to_numpy().astype(np.int16),
        amount=df["amount_dkk"].to_numpy(dtype=np.float64),
        benefits=fp.BENEFITS,
        activations=fp.ACTIVATIONS,
        person_key=key,
    )


@dataclass(frozen=True)
class Spells:
    """The panel's rows sorted into spells, with each row's week of duration in its spell.

    Row arrays (sorted by person, benefit, week): ``order`` maps back to the panel's rows,
    ``spell`` is the row's spell id, ``position`` its week of duration (1 = first week).
    Spell arrays: ``person``, ``benefit``, ``start``, ``end`` (week numbers), ``length`` in weeks,
    ``right_censored`` (still running in the panel's last week) and ``left_censored`` (already
    running in the panel's first week, so its true duration is unknown: positions are counted
    from the panel's first week and are lower bounds).
    """

    order: np.ndarray
    spell: np.ndarray
    position: np.ndarray
    person: np.ndarray
    benefit: np.ndarray
    start: np.ndarray
    end: np.ndarray
    length: np.ndarray
    right_censored: np.ndarray
    left_censored: np.ndarray

    @property
    def n_spells(self) -> int:
        return int(self.start.shape[0])


def _sort_order(panel: WeekPanel) -> np.ndarray:
    """Row order by (person, benefit, week) through one int64 key; skipped when already sorted."""
    if panel.n_rows == 0:
        return np.arange(0)
    span = panel.last_week - panel.first_week + 1
    key = (panel.person.astype(np.int64) * len(panel.benefits) + panel.benefit) * span + (panel.week - panel.first_week)
    if key.shape[0] < 2 or bool(np.all(key[1:] >= key[:-1])):
        return np.arange(key.shape[0])
    return np.argsort(key, kind="stable")


def build_spells(panel: WeekPanel, weeks: tuple[int, int] | None = None) -> Spells:
    """Find every spell (vectorised; no Python loop over rows or persons).

    The panel reader guarantees one row per person, week and benefit, so consecutive sorted rows
    of one person and benefit are either the next week (same spell) or a later one (new spell).
    """
    order = _sort_order(panel)
    p = panel.person[order]
    b = panel.benefit[order]
    w = panel.week[order]
    n = p.shape[0]
    new = np.ones(n, dtype=bool)
    if n > 1:
        new[1:] = (p[1:] != p[:-1]) | (b[1:] != b[:-1]) | (w[1:] != w[:-1] + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n) - 1 if n else starts
    spell = np.cumsum(new) - 1
    position = np.arange(n) - starts[spell] + 1
    first, last = weeks if weeks is not None else ((panel.first_week, panel.last_week) if n else (0, 0))
    return Spells(
        order=order,
        spell=spell,
        position=position,
        person=p[starts],
        benefit=b[starts],
        start=w[starts],
        end=w[ends],
        length=ends - starts + 1,
        right_censored=w[ends] == last,
        left_censored=w[starts] == first,
    )
