"""What the loader hands back: the user's options, a problem, the report of a check or load, and
the outcome and refusals of an undo."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from vetopito import i18n


@dataclass
class Options:
    """What the user told us that the file does not say: an indicator, a unit or a period for every row."""

    indicator: str | None = None
    unit: str | None = None
    period: str | None = None
    # names the file uses for indicators the catalogue does not know, each mapped to an indicator
    # id ((label, id) pairs: `--map-indicator "LABEL=ID"`, the upload page's selects); a load saves
    # each one the file uses as an alias (`indicator_alias`), undone with the load
    map_indicator: tuple[tuple[str, str], ...] = ()


@dataclass
class Problem:
    """One thing wrong with a file: spreadsheet row (header = 1; None for the whole file),
    column as written in the header, the value seen, and the problem in the user's language."""

    row: int | None
    column: str | None
    value: str | None
    problem: str

    def line(self, lang: str | None = None) -> str:
        """`rivi 14, sarake "arvo": "12.5.2024" ei ole luku`."""
        if self.row is None and self.column is None:
            return self.problem
        if self.row is None:
            return i18n.t("ingest.line.column", lang, column=self.column, problem=self.problem)
        if self.column is None:
            return i18n.t("ingest.line.row", lang, row=self.row, problem=self.problem)
        return i18n.t("ingest.line.row_column", lang, row=self.row, column=self.column, problem=self.problem)

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "problem": self.problem}


def empty_changes() -> pl.DataFrame:
    return pl.DataFrame(schema={"row_number": pl.Int64, "status": pl.String})


@dataclass
class Report:
    """What a check, load or undo found and did; `to_dict()` is the command line's `--json` shape."""

    file: str
    detected: dict = field(default_factory=dict)
    counts: dict = field(default_factory=lambda: {"rows": 0, "new": 0, "changed": 0, "unchanged": 0,
                                                  "rejected": 0})
    errors: list[Problem] = field(default_factory=list)
    error_total: int = 0
    changes: pl.DataFrame = field(default_factory=empty_changes)
    load_id: int | None = None
    already_loaded: bool = False
    notes: list[str] = field(default_factory=list)
    committed: bool = False
    # the data version the commit made (read in its transaction): what stayed true right after it
    data_version: int | None = None
    # the file's columns no field reads (each also named in a note)
    ignored_columns: list[str] = field(default_factory=list)
    # each indicator name the catalogue does not know, once: name, column, rows, first_row,
    # closest (indicator ids, best first)
    unknown_indicators: list[dict] = field(default_factory=list)
    # the mapped names this load saves as aliases: alias, indicator_id, alias_kind
    new_aliases: list[dict] = field(default_factory=list)

    def ok(self) -> bool:
        return self.error_total == 0

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "detected": dict(self.detected),
            "counts": dict(self.counts),
            "errors": [p.to_dict() for p in self.errors],
            "error_total": self.error_total,
            "load_id": self.load_id,
            "already_loaded": self.already_loaded,
            "notes": list(self.notes),
            "ignored_columns": list(self.ignored_columns),
            "unknown_indicators": [dict(u) for u in self.unknown_indicators],
            "new_aliases": [dict(a) for a in self.new_aliases],
        }

    def error_frame(self) -> pl.DataFrame:
        """The listed problems as a table (for the page and the downloadable error report)."""
        return pl.DataFrame([p.to_dict() for p in self.errors],
                            schema={"row": pl.Int64, "column": pl.String, "value": pl.String,
                                    "problem": pl.String})


class UndoBlocked(i18n.Localised, Exception):
    """A later load changed values this load wrote; the message names it (`blocking`: those loads)."""

    default_code = "ingest.undo.blocked"

    def __init__(self, key: str, blocking: list[int], *, lang: str | None = None, **fields):
        super().__init__(key, lang=lang, **fields)
        self.blocking = blocking


class UndoError(i18n.Localised, Exception):
    """The load does not exist or is already undone."""

    default_code = "ingest.undo.error"


class UndoRefused(UndoError):
    """The user may not undo this load: they may not load at all, or the load touched units
    outside their load scope (`units` lists those)."""

    default_code = "ingest.undo.refused"

    def __init__(self, key: str, units: list[str], *, lang: str | None = None, **fields):
        super().__init__(key, lang=lang, **fields)
        self.units = units


@dataclass
class UndoResult:
    load_id: int
    file: str
    restored: int
    removed: int
    message: str

    def ok(self) -> bool:
        return True

    def to_dict(self) -> dict:
        return {"load_id": self.load_id, "file": self.file, "restored": self.restored,
                "removed": self.removed, "message": self.message}

