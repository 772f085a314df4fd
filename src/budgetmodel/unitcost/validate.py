"""`budgetmodel validate` for the unit-cost model's files: municipality profiles and the assumptions file."""

from __future__ import annotations

from pathlib import Path

from budgetmodel.sourcefile import LocatedDocument
from budgetmodel.unitcost.assumptions import load_assumptions
from budgetmodel.unitcost.profile import load_profile
from budgetmodel.validation import register_checker


def is_profile(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and isinstance(doc.data.get("municipality"), str) and "target_groups" in doc.data and "functions" not in doc.data


def is_assumptions(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and {"salary_dkk_per_aarsvaerk", "overhead_share", "segments"} <= set(doc.data)


def _check_profile(path: Path, rates_root: Path | None = None) -> None:
    load_profile(path)


def _check_assumptions(path: Path, rates_root: Path | None = None) -> None:
    load_assumptions(path)


register_checker(("enhedsomkostningsprofil (municipality og target_groups)", is_profile, _check_profile))
register_checker(("enhedsomkostningsforudsætninger (salary_dkk_per_aarsvaerk, overhead_share og segments)", is_assumptions, _check_assumptions))


def is_passivity_assumptions(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and {"anciennity_weeks", "window_weeks", "benefit_groups"} <= set(doc.data)


def _check_passivity(path: Path, rates_root: Path | None = None) -> None:
    from budgetmodel.unitcost.passivity import load_passivity_assumptions

    load_passivity_assumptions(path)


register_checker(("passivandelsforudsætninger (anciennity_weeks, window_weeks og benefit_groups)", is_passivity_assumptions, _check_passivity))


def is_bdo_assumptions(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and {"task_functions", "fp_groups"} <= set(doc.data)


def is_bdo_profile(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and isinstance(doc.data.get("municipality"), str) and "functions" in doc.data and "target_groups" in doc.data


def is_quartz_profile(doc: LocatedDocument) -> bool:
    return isinstance(doc.data, dict) and isinstance(doc.data.get("municipality"), str) and "aarsvaerk" in doc.data and "target_groups" not in doc.data


def _check_bdo_assumptions(path: Path, rates_root: Path | None = None) -> None:
    from budgetmodel.unitcost.bdo import load_bdo_assumptions

    load_bdo_assumptions(path)


def _check_bdo_profile(path: Path, rates_root: Path | None = None) -> None:
    from budgetmodel.unitcost.bdo import load_bdo_profile

    load_bdo_profile(path)


def _check_quartz_profile(path: Path, rates_root: Path | None = None) -> None:
    from budgetmodel.unitcost.quartz import load_quartz_profile

    load_quartz_profile(path)


register_checker(("BDO-forudsætninger (task_functions og fp_groups)", is_bdo_assumptions, _check_bdo_assumptions))
register_checker(("BDO-enhedsomkostningsprofil (municipality, functions og target_groups)", is_bdo_profile, _check_bdo_profile))
register_checker(("Quartz+Co-profil (municipality og aarsvaerk)", is_quartz_profile, _check_quartz_profile))
