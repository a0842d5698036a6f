"""The roles CSV: `email,role,scope[,name]` rows that replace the grants of every user they name,
all or nothing.

The file is read by the loader's reader (`ingest.read.read_table`: the encoding, the separator,
title lines above the header, spreadsheet row numbers) under the loader's limits, and every
problem has the loader's shape (`ingest.Problem`: row, column, value and the problem in the
user's language), so a file the loader would refuse as a file is refused here in the same words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from vetopito import db, i18n, limits
from vetopito.access.audit import record
from vetopito.access.grants import (
    Grant,
    GrantError,
    bump_access_version,
    grants_of,
    make_grant,
    normalise_email,
    upsert_user,
    user_exists,
)
from vetopito.ingest import Problem
from vetopito.ingest.read import ReadError, Table, read_table

# Each column's names in the header (any case), English, Finnish and Swedish.
COLUMN_NAMES = {"email": ("email", "sähköposti", "e-post"), "role": ("role", "rooli", "roll"),
                "scope": ("scope", "laajuus", "omfattning"), "name": ("name", "nimi", "namn", "display_name")}
REQUIRED_COLUMNS = ("email", "role")
# Problem fields that are numbers the reader counted: shown with the language's digit grouping.
_COUNTED_FIELDS = ("n_chars", "max_chars")


class RoleProblem(Problem):
    """The loader's problem; it also unpacks as the `(row, column, value, problem)` tuple that the
    command line prints."""

    def __iter__(self):
        return iter((self.row, self.column, self.value, self.problem))


@dataclass
class ImportReport:
    """What a roles CSV did or would do; nothing is written when `errors` is not empty."""

    file_name: str
    n_rows: int = 0
    granted: list[Grant] = field(default_factory=list)
    revoked: list[Grant] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RoleProblem] = field(default_factory=list)
    detected: dict[str, str | None] = field(default_factory=lambda: {"encoding": None, "delimiter": None})

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file_name, "rows": self.n_rows, "granted": [g.describe() for g in self.granted],
                "revoked": [g.describe() for g in self.revoked], "unchanged": self.unchanged,
                "errors": [p.to_dict() for p in self.errors], "detected": dict(self.detected)}


def read_roles_file(source: str | bytes, lang: str | None = None) -> tuple[Table | None, list[RoleProblem]]:
    """The file as the loader reads it, and the problems the loader would report about it: one
    whole-file problem (over a limit, not text, empty, no header) and no table, or the table and
    a problem for each cell the loader would not store (too long, a control character, beyond
    the header's columns)."""
    raw = source.encode("utf-8", errors="replace") if isinstance(source, str) else bytes(source)
    try:
        limits.check_file_size(len(raw))
        limits.check_text_content(raw[:65536])
        table = read_table(raw)
        limits.check_row_count(table.frame.height)
        limits.check_column_count(len(table.header))
    except limits.LimitExceeded as exc:
        return None, [RoleProblem(None, None, None, exc.message(lang))]
    except ReadError as exc:
        return None, [RoleProblem(None, None, None, i18n.t(exc.key, lang, value="", column="", **exc.fields))]
    problems = [_cell_problem(row, lang) for row in table.problems.iter_rows(named=True)]
    problems += [RoleProblem(row["_row"], None, row["extra"],
                             i18n.t("ingest.error.extra_cells", lang, value=row["extra"], column="",
                                    header=len(table.header)))
                 for row in table.extra_cells.iter_rows(named=True)]
    return table, problems


def _cell_problem(row: dict[str, Any], lang: str | None) -> RoleProblem:
    """A row of `Table.problems` (row, column, value, key, fields as JSON) in the user's language."""
    fields = json.loads(row["fields"] or "{}")
    fields = {k: i18n.fmt_number(int(v), 0, lang) if k in _COUNTED_FIELDS and v not in (None, "") else v
              for k, v in fields.items()}
    text = i18n.t(row["key"], lang, value=row["value"] or "", column=row["column"] or "",
                  **{k: v for k, v in fields.items() if k not in ("value", "column")})
    return RoleProblem(row["row"], row["column"], row["value"], text)


def import_roles_csv(con: duckdb.DuckDBPyConnection, source: str | bytes, *, by: str,
                     file_name: str = "roles.csv", dry_run: bool = False, lang: str | None = None) -> ImportReport:
    """Load `email,role,scope[,name]` rows (`source`: the file's bytes, or its text): for every
    e-mail in the file, its rows become that user's grants (missing ones are revoked); users not
    in the file are untouched. A scope cell may hold several scopes separated by `|`. All or
    nothing; problems are in `lang` (default: the current language)."""
    report = ImportReport(file_name)
    table, reader_problems = read_roles_file(source, lang)
    if table is None:
        report.errors = reader_problems
        return report
    report.detected = {"encoding": table.encoding, "delimiter": table.delimiter}
    header = [h.strip().lower() for h in table.header]
    where = {key: next((header.index(a) for a in aliases if a in header), None)
             for key, aliases in COLUMN_NAMES.items()}
    missing = [k for k in REQUIRED_COLUMNS if where[k] is None]
    if missing:
        report.errors = [RoleProblem(table.header_row, ", ".join(missing), ",".join(header),
                                     i18n.t("auth.import.missing_columns", lang))]
        return report
    wanted, display = _wanted_grants(con, table, where, report, lang)
    report.errors = sorted(reader_problems + report.errors, key=lambda p: (p.row is not None, p.row or 0))
    if report.errors:
        return report
    for email, grants in wanted.items():
        have = grants_of(con, email)
        report.granted += [g for g in grants if g not in have]
        report.revoked += [g for g in have if g not in grants]
        report.unchanged += sum(1 for g in grants if g in have)
    new_users = [email for email in wanted if not user_exists(con, email)]
    if dry_run or not (report.granted or report.revoked or new_users):
        return report   # importing the same file again changes (and records) nothing
    with db.transaction(con):
        for email in wanted:
            upsert_user(con, email, display.get(email), by)
        for g in report.revoked:
            db.execute(con, "access/delete_grant", email=g.email, role=g.role, scope_kind=g.scope_kind,
                       scope_value=g.scope_value)
            record(con, by, "role_revoke", g.email, role=g.role, scope=g.scope_text, file=file_name)
        for g in report.granted:
            db.execute(con, "access/insert_grant", email=g.email, role=g.role, scope_kind=g.scope_kind,
                       scope_value=g.scope_value, by=by)
            record(con, by, "role_grant", g.email, role=g.role, scope=g.scope_text, file=file_name)
        record(con, by, "roles_import", file_name, rows=report.n_rows, granted=len(report.granted),
               revoked=len(report.revoked), unchanged=report.unchanged)
        bump_access_version(con)
    return report


def _wanted_grants(con: duckdb.DuckDBPyConnection, table: Table, where: dict[str, int | None],
                   report: ImportReport, lang: str | None) -> tuple[dict[str, list[Grant]], dict[str, str]]:
    """The grants each e-mail of the file should have, and the display names the file gives;
    counts the rows and adds a problem for every cell that cannot be granted to `report`."""
    wanted: dict[str, list[Grant]] = {}
    display: dict[str, str] = {}
    names = [table.column(i) for i in range(len(table.header))]

    def cell(row: dict[str, Any], key: str) -> str:
        index = where[key]
        return (row[names[index]] or "").strip() if index is not None else ""

    for row in table.frame.select("_row", *names).iter_rows(named=True):
        if not any((row[n] or "").strip() for n in names):
            continue
        number = row["_row"]
        report.n_rows += 1
        try:
            email = normalise_email(cell(row, "email"))
        except GrantError as exc:
            report.errors.append(RoleProblem(number, "email", cell(row, "email"), exc.message(lang)))
            continue
        role = cell(row, "role").lower()
        for scope in cell(row, "scope").split("|"):
            try:
                new = make_grant(con, email, role, scope)
            except GrantError as exc:
                column = "role" if exc.key == "auth.error.bad_role" else "scope"
                report.errors.append(RoleProblem(number, column, role if column == "role" else scope,
                                                 exc.message(lang)))
                continue
            wanted.setdefault(email, [])
            if new not in wanted[email]:
                wanted[email].append(new)
        if cell(row, "name"):
            display[email] = cell(row, "name")
    return wanted, display
