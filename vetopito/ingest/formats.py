"""Every kind of file the loader reads, listed here once: the loader tries them by ascending
`priority` (ties in this order) and undo finds a load's format by the name it was stored under."""

from __future__ import annotations

from vetopito.ingest import indicators, observations, programmes, reference, teams
from vetopito.ingest.parsing import Format

FORMATS: tuple[Format, ...] = (
    *programmes.FORMATS,  # development programmes (priorities 1–4): a `programme` column says so
    teams.TEAMS,
    teams.AIMS,
    teams.OPERATING_MODELS,
    observations.SOTKANET_FILE,
    indicators.INDICATORS,
    indicators.DEFINITION_CHANGES,
    reference.UNITS,
    reference.TARGETS,
    reference.EVENTS,
    observations.LONG,
    observations.WIDE_INDICATOR,
    observations.WIDE_PERIOD,
)

# Detected format names that are flavours of a listed format (a load stored as `pxweb` is undone
# as `observations`).
FLAVOURS: dict[str, str] = {"pxweb": "observations"}


def by_name(name: str) -> Format | None:
    """The format a load stored as `name` was read with (None for a name no format has)."""
    named = {fmt.name: fmt for fmt in FORMATS}
    return named.get(name) or named.get(FLAVOURS.get(name, ""))
