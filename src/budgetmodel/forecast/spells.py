"""Person-week rows → spells: runs of consecutive weeks on the same benefit, per person.

A *spell* is the 2014 regime's unit (seed 004: a run of consecutive weeks on one benefit); it is
also the duration the forecast tracks. Weeks absent from the panel are self-support, so a gap of
one week ends a spell. A person on two benefits in the same week is in one spell on each.

Weeks are held as integer *week numbers*: (Monday's proleptic ordinal − 1) // 7, so consecutive
ISO weeks differ by exactly 1 across year ends and 53-week years alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np


def week_number(monday: dt.date) -> int:
    """The integer week number of the ISO week that starts on ``monday``."""
    return (monday.toordinal() - 1) // 7


def monday_of(week: int) -> dt.date:
    """The Monday of an integer week number (inverse of :func:`week_number`)."""
    return dt.date.fromordinal(int(week) * 7 + 1)


def iso_year(week: int) -> int:
    """The ISO year a week belongs to (the year of its Thursday)."""
    return monday_of(week).isocalendar()[0]


def iso_label(week: int) -> str:
    y, w, _ = monday_of(week).isocalendar()
    return f"{y}-W{w:02d}"


def weeks_in_iso_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last week."""
    return dt.date(year, 12, 28).isocalendar()[1]


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
            self.person[mask], self.week[mask], self.benefit[mask], self.activation[mask], self.amount[mask], self.benefits, self.activations
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
    span = panel.last_week - panel.first_week + 1
    key = (panel.person.astype(np.int64) * len(panel.benefits) + panel.benefit) * span + (panel.week - panel.first_week)
    if key.shape[0] < 2 or bool(np.all(key[1:] >= key[:-1])):
        return np.arange(key.shape[0])
    return np.argsort(key, kind="stable")


def build_spells(panel: WeekPanel) -> Spells:
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
    ends = np.append(starts[1:], n) - 1
    spell = np.cumsum(new) - 1
    position = np.arange(n) - starts[spell] + 1
    first, last = (panel.first_week, panel.last_week) if n else (0, 0)
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
