"""The unit-cost method as pure functions over plain numbers.

Two published ways of measuring what the employment effort costs meet here:

* **Mploy/Kibak (2013)**: productivity = årsværk per 1.000 årspersoner in the target group
  (fewer årsværk per 1.000 = higher productivity). :func:`productivity`, :func:`staff_at_rate`,
  :func:`staff_gap`, :func:`rank_position`, :func:`move_staff`.
* **BDO/HBS (2024)**: unit cost = kr. per fuldtidsperson on benefit, where internal staff are
  priced as årsværk × salary × (1 + overhead) and external purchases are added
  (:func:`unit_cost_per_person`); the cost of one activity either top-down (cost per person ÷
  activities per person, :func:`activity_cost_top_down`) or bottom-up from the hours a key process
  takes and the hourly cost of an årsværk (:func:`hourly_cost`, :func:`activity_cost_bottom_up`);
  comparisons corrected for the target-group mix (:func:`mix_weighted`).

No number of the method lives here: salaries, overhead and hours come from the assumptions file,
the statistics from ``data/``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

PER = 1000.0  # productivity is stated per 1.000 årspersoner (the unit's definition, not a parameter)


def _positive(name: str, value: float) -> float:
    if value is None or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} skal være et positivt tal, fik {value!r}")
    return value


def _non_negative(name: str, value: float) -> float:
    if value is None or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} må ikke være negativ, fik {value!r}")
    return value


# --- Mploy/Kibak: årsværk per 1.000 årspersoner --------------------------------------------------


def productivity(aarsvaerk: float, aarspersoner: float) -> float:
    """Årsværk per 1.000 årspersoner: 51,6 årsværk / 2.123,5 årspersoner → 24,3."""
    return _non_negative("årsværk", aarsvaerk) / _positive("årspersoner", aarspersoner) * PER


def aarspersoner_from(aarsvaerk: float, rate: float) -> float:
    """The årspersoner implied by årsværk and a productivity: 51,6 / 24,3 × 1.000 = 2.123,5."""
    return _non_negative("årsværk", aarsvaerk) / _positive("produktivitet", rate) * PER


def staff_at_rate(rate: float, aarspersoner: float) -> float:
    """Årsværk used at a given productivity (e.g. the peer average) for the same årspersoner."""
    return _non_negative("produktivitet", rate) * _non_negative("årspersoner", aarspersoner) / PER


def staff_gap(aarsvaerk: float, own_rate: float, peer_rate: float) -> float:
    """Årsværk used minus årsværk at the peer rate, for the årspersoner implied by the own rate.

    Negative = fewer staff than at the peer average. Lyngby-Taarbæk: 51,6 årsværk at 24,3 against
    an average of 26,9 → 51,6 − 26,9 × 2.123,5 / 1.000 = −5,5 årsværk.
    """
    return aarsvaerk - staff_at_rate(peer_rate, aarspersoner_from(aarsvaerk, own_rate))


def rank_position(value: float, peers: Mapping[str, float]) -> int:
    """Position by productivity, 1 = fewest årsværk per 1.000 (highest productivity).

    Ties share the better position (competition ranking: 1, 2, 2, 4), the reading under which the
    benchmark report's own ranks come out (e.g. Varde's administration, 4,3 like Middelfart: 7th).
    ``value`` need not be one of ``peers`` (a municipality outside the benchmark is placed among them).
    """
    return 1 + sum(1 for v in peers.values() if v < value - 1e-12)


def simple_mean(values: Mapping[str, float]) -> float:
    """The benchmark's 'Gns. kommuner': a simple mean over the municipalities."""
    if not values:
        raise ValueError("ingen værdier at tage gennemsnit af")
    return sum(values.values()) / len(values)


def move_staff(
    aarsvaerk: Mapping[str, float], aarspersoner: Mapping[str, float], source: str, target: str, amount: float
) -> dict[str, float]:
    """Move ``amount`` årsværk from one target group to another; the total stays the same.

    Returns the new productivity of every group that has årspersoner. Varde, 1 årsværk from
    sygedagpenge (17,1 / 795,3 årspersoner) to A-dagpenge (8,5 / 809,5): sygedagpenge 21,5 → 20,2,
    A-dagpenge 10,5 → 11,7; the total productivity is unchanged.
    """
    for g in (source, target):
        if g not in aarsvaerk:
            raise KeyError(f"målgruppen '{g}' har ingen årsværk i profilen")
    if source == target:
        raise ValueError("flytningen skal være mellem to forskellige målgrupper")
    _non_negative("antal årsværk", amount)
    if amount > aarsvaerk[source] + 1e-9:
        raise ValueError(f"kan ikke flytte {amount} årsværk fra '{source}', der kun har {aarsvaerk[source]}")
    moved = dict(aarsvaerk)
    moved[source] -= amount
    moved[target] += amount
    return moved


# --- BDO/HBS: kroner per fuldtidsperson ----------------------------------------------------------


def cost_per_aarsvaerk(salary: float, overhead_share: float) -> float:
    """Internal cost of one årsværk: salary × (1 + overhead). BDO adds a flat 15 pct. overhead."""
    _non_negative("løn", salary)
    if not (0.0 <= overhead_share <= 1.0):
        raise ValueError(f"overhead skal være en andel mellem 0 og 1, fik {overhead_share!r}")
    return salary * (1.0 + overhead_share)


def internal_cost(aarsvaerk: float, salary: float, overhead_share: float) -> float:
    return _non_negative("årsværk", aarsvaerk) * cost_per_aarsvaerk(salary, overhead_share)


def unit_cost_per_person(
    aarsvaerk: float, salary: float, overhead_share: float, external_dkk: float, persons: float
) -> float:
    """(årsværk × salary × (1 + overhead) + external cost) / fuldtidspersoner, kr. per person per year."""
    total = internal_cost(aarsvaerk, salary, overhead_share) + _non_negative("eksterne udgifter", external_dkk)
    return total / _positive("fuldtidspersoner", persons)


def hourly_cost(salary: float, overhead_share: float, productive_hours: float) -> float:
    """Cost of one productive hour: salary × (1 + overhead) / productive hours per årsværk."""
    return cost_per_aarsvaerk(salary, overhead_share) / _positive("produktive timer", productive_hours)


def activity_cost_bottom_up(hours: float, cost_per_hour: float) -> float:
    """Cost of one activity from the hours its key process takes (BDO Tab. 2.1) × the hourly cost."""
    return _non_negative("timer", hours) * _non_negative("timepris", cost_per_hour)


def activity_cost_top_down(cost_per_person: float, activities_per_person: float) -> float:
    """Cost of one activity: the task's cost per person ÷ activities per person.

    BDO: kontaktforløb 6.325 kr. per fuldtidsperson / 7,9 samtaler per fuldtidsperson ≈ 800 kr.
    """
    return _non_negative("omkostning pr. person", cost_per_person) / _positive("aktiviteter pr. person", activities_per_person)


def mix_weighted(rates: Mapping[str, float], mix: Mapping[str, float]) -> float:
    """Σ_g mix_g × rate_g / Σ_g mix_g over the groups both know.

    With a municipality's own rates and a reference mix (the peer average or the national
    fuldtidspersoner shares) this is the target-group-corrected figure (BDO's
    'målgruppekorrigeret enhedsomkostning'); with the peer rates and the municipality's own mix it
    is what the municipality would use if every group were at the peer level.
    """
    groups = [g for g in mix if g in rates]
    if not groups:
        raise ValueError("ingen fælles målgrupper mellem satser og sammensætning")
    weight = sum(_non_negative(f"andel for {g}", mix[g]) for g in groups)
    if weight <= 0:
        raise ValueError("målgruppesammensætningen har ingen vægt")
    return sum(mix[g] * rates[g] for g in groups) / weight


def net_potential(low: float, high: float, overlap_low: float, overlap_high: float, reprioritised: bool = False) -> tuple[float, float]:
    """Quartz+Co Tabel 1: sum of the proposals less the overlap deduction.

    The table's note: when the freed resources are re-prioritised inside the jobcentre, the overlap
    deduction does not apply (``reprioritised=True``).
    """
    if reprioritised:
        return low, high
    return low - overlap_low, high - overlap_high
