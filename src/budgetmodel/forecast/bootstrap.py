"""Seeded bootstrap intervals: resample persons, re-estimate, re-project, re-price.

Each replicate draws the panel's persons with replacement (all of a person's spells go together,
so the dependence between one person's spells is kept) and re-estimates the inflow, the exit
curves, the benefit levels, the staircase offsets and the end stock from the weighted spells.
A resample that happens to hold no spell of known outcome on a benefit keeps the full panel's
curve for it (a rare benefit would otherwise never be left). The activation mix and the effect
factors stay at the full panel's estimate (they shape the
price per week, not the caseload). Given inflow paths and levels stay given. The interval is the
percentile range of the replicates: it measures the estimation uncertainty, not the year-to-year
noise of a real caseload around its expected path.
"""

from __future__ import annotations

import numpy as np

from budgetmodel.forecast.assumptions import LoadedAssumptions
from budgetmodel.forecast.estimate import Estimate, SpellData, estimate_from
from budgetmodel.forecast.project import inflow_path, level_path

CHUNK = 25  # replicates projected together (memory ≈ CHUNK × T × B × cap floats for the inputs)


def person_weights(rng: np.random.Generator, n_persons: int) -> np.ndarray:
    """How many times each person is drawn in one resample of ``n_persons`` with replacement."""
    return np.bincount(rng.integers(0, n_persons, n_persons), minlength=n_persons).astype(float)


def bootstrap(data: SpellData, est: Estimate, pr, loaded: LoadedAssumptions, hz, reps: int, seed: int) -> dict[int, dict[str, np.ndarray]]:
    """year → {person_weeks, gross, state}: (reps, B) projected figures per replicate."""
    from budgetmodel.forecast.engine import simulate, yearly

    rng = np.random.default_rng(seed)
    # draw among the persons who have spells (a sub-panel keeps the full panel's person codes)
    persons, spell_person = np.unique(data.spells.person, return_inverse=True)
    out: dict[int, dict[str, list[np.ndarray]]] = {y: {"person_weeks": [], "gross": [], "state": []} for y in hz.years}
    for lo in range(0, reps, CHUNK):
        ests = []
        for _ in range(min(CHUNK, reps - lo)):
            w = person_weights(rng, persons.shape[0])[spell_person]
            ests.append(estimate_from(data, est.cap, est.mix_weeks, est.offset_window_weeks, w))
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
