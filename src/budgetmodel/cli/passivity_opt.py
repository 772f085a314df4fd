"""The panel's own passive share (STAR 2018, ``unitcost.passivity``) beside ``refund`` and ``forecast``:
the ``--passivandel-uge`` option's help, the in-memory block and the out-of-core collector."""

from __future__ import annotations

from typing import Any

HELP = (
    "Referenceuge ÅÅÅÅ-Uww for panelets passivandel (STAR 2018: langtidsmodtagere uden aktiv indsats det seneste år; "
    "standard: panelets sidste uge; som 'budgetmodel passivandel --at')."
)
AT_WHERE = ("--passivandel-uge", None, "passivandel-uge")


def in_memory(arrays, at: str | None) -> dict[str, Any]:
    """The ``passive_share`` block of a panel read whole (a panel too short says so)."""
    from budgetmodel.unitcost.passivity import StarData, load_passivity_assumptions, passive_share

    return (passive_share(arrays, StarData.load(), load_passivity_assumptions(), at, at_where=AT_WHERE, strict=False).as_dict())


class Collector:
    """``on_buckets`` for the out-of-core paths: the same block from the bucketed panel's counts."""

    def __init__(self, at: str | None, file: str):
        self.at, self.file = at, file
        self.block: dict[str, Any] | None = None

    def __call__(self, b, client) -> None:
        from budgetmodel.unitcost.passivity import StarData, bucketed_passive_share, load_passivity_assumptions

        r = bucketed_passive_share(b, client, StarData.load(), load_passivity_assumptions(), self.at, self.file, at_where=AT_WHERE)
        self.block = r.as_dict()
