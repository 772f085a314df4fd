"""Seeded bootstrap intervals: reweight persons, re-estimate, re-project, re-price.

Each replicate gives every person a weight drawn from a Poisson distribution with mean 1 (the
Poisson bootstrap: the large-sample limit of drawing the panel's persons with replacement, where
a person is drawn k times with probability e⁻¹/k!; Hanley & MacGibbon 2006, Chamandy et al. 2012).
All of a person's spells carry the person's weight, so the dependence between one person's spells
is kept. The weight is a function of the seed, the replicate and a hash of the person's id only,
so it is the same whatever the order of the panel's rows and however the panel is split into
partitions: the in-memory and the partitioned forecast draw the same replicates.

From the weighted spells each replicate re-estimates the inflow, the exit curves, the benefit
levels, the staircase offsets of new spells and the end stock. A resample that happens to hold no
spell of known outcome on a benefit keeps the full panel's curve for it (a rare benefit would
otherwise never be left). The activation mix, the end stock's offsets and the effect factors stay
at the full panel's estimate (they shape the price per week, not the caseload). Given inflow paths
and levels stay given. The interval is the percentile range of the replicates: it measures the
estimation uncertainty, not the year-to-year noise of a real caseload around its expected path.
"""

from __future__ import annotations

import math

import numpy as np

from budgetmodel.forecast.assumptions import LoadedAssumptions
from budgetmodel.forecast.estimate import REPLICATE_TALLIES, Estimate, PanelFrame, SpellData, estimate_of_counts, tally_counts
from budgetmodel.forecast.project import inflow_path, level_path

CHUNK = 25  # replicates projected together (memory ≈ CHUNK × T × B × cap floats for the inputs)
METHOD = "Poisson-bootstrap (hver person vægtet med et Poisson(1)-træk, fast for personens id, seed og gentagelse)"

# P(K ≤ k) for K ~ Poisson(1), k = 0 … 19 (P(K ≥ 20) < 10⁻¹⁸)
_POISSON1_CDF = np.cumsum([math.exp(-1.0) / math.factorial(k) for k in range(20)])
_M64 = (1 << 64) - 1


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (a bijection of uint64 that spreads every input bit)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def person_weights(person_key: np.ndarray, seed: int, replicate: int) -> np.ndarray:
    """Each person's Poisson(1) weight in one replicate, from the hash of its id (uint64)."""
    salt = np.uint64(((seed & _M64) * 0x9E3779B97F4A7C15 + replicate * 0xD1B54A32D192ED03 + 1) & _M64)
    u = (_mix(_mix(np.asarray(person_key, np.uint64) ^ salt)) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return np.searchsorted(_POISSON1_CDF, u, side="right").astype(np.float64)


def replicate_counts(data: SpellData, cap: int, window_weeks: int, reps: int, seed: int) -> dict[str, np.ndarray]:
    """name → (reps, …) weighted counts of each replicate; they add over partitions of persons."""
    if data.person_key is None:
        raise ValueError("the bootstrap needs the persons' ids (WeekPanel.person_key)")
    spell_person = data.spells.person
    out: dict[str, list[np.ndarray]] = {k: [] for k in REPLICATE_TALLIES}
    for r in range(reps):
        w = person_weights(data.person_key, seed, r)[spell_person]
        for k, v in tally_counts(data, cap, window_weeks, w, REPLICATE_TALLIES).items():
            out[k].append(v)
    return {k: np.stack(v) for k, v in out.items()}


def bootstrap_from_counts(counts: dict[str, np.ndarray], frame: PanelFrame, est: Estimate, pr, loaded: LoadedAssumptions, hz) -> dict[int, dict[str, np.ndarray]]:
    """year → {person_weeks, gross, state}: (reps, B) projected figures per replicate."""
    from budgetmodel.forecast.engine import simulate, yearly

    reps = next(iter(counts.values())).shape[0]
    out: dict[int, dict[str, list[np.ndarray]]] = {y: {"person_weeks": [], "gross": [], "state": []} for y in hz.years}
    for lo in range(0, reps, CHUNK):
        ests = [
            estimate_of_counts({k: v[r] for k, v in counts.items()}, frame, est.cap, est.mix_weeks, est.offset_window_weeks, est.stock_offset)
            for r in range(lo, min(lo + CHUNK, reps))
        ]
        weekly = simulate(
            pr,
            np.stack([e.stock for e in ests]),
            np.stack([inflow_path(e, loaded, hz.start, hz.weeks) for e in ests], axis=1),
            # a benefit with no spell of known outcome in a resample keeps the full panel's curve
            np.stack([np.where(e.life.estimable[:, None], e.life.hazard, est.life.hazard) for e in ests]),
            np.stack([level_path(e, loaded, hz.start, hz.weeks) for e in ests], axis=1),
            np.stack([e.entry_offset for e in ests]),
        )
        for y, v in yearly(hz, weekly).items():
            for k in out[y]:
                out[y][k].append(v[k])
    return {y: {k: np.concatenate(v, axis=0) for k, v in d.items()} for y, d in out.items()}


def bootstrap(data: SpellData, est: Estimate, pr, loaded: LoadedAssumptions, hz, reps: int, seed: int) -> dict[int, dict[str, np.ndarray]]:
    """year → {person_weeks, gross, state}: (reps, B) projected figures per replicate."""
    from budgetmodel.forecast.estimate import frame_of

    return bootstrap_from_counts(replicate_counts(data, est.cap, est.offset_window_weeks, reps, seed), frame_of(data), est, pr, loaded, hz)
