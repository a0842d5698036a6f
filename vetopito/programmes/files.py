"""A programme written back as the programme files (`ingest/programmes.py`), one CSV per format
in the order they load, headers in the chosen language (`programme.column.*`), for Finnish Excel
(`;`, decimal comma, UTF-8 with BOM) or, in English, `,` and a decimal point: loading them into a
database that has the programme changes nothing (tests/test_programme_files.py). The files hold
what the user may see: an indicator measure's baseline value that rests on too few persons is
hidden (`model.read_programme`) and written empty, so loading that file back would clear it.

    programme_files(query, programme_id, lang=None) -> dict[str, bytes] | None   # file name → CSV
    measure_row(programme, subproject_id, measure_id) -> dict[str, object]       # one measures row
    measures_csv(rows, lang=None) / entries_csv(rows, lang=None) -> bytes        # the entry form's loads
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from vetopito import i18n
from vetopito.export import tables
from vetopito.programmes.model import Programme, measure, measure_targets, read_programme
from vetopito.scoped import Runner

# the fields of each file in the order written (the English header is the field's name)
FIELDS = {
    "10_programmes.csv": ("programme", "name", "funder", "period_start", "period_end", "owner", "regions",
                          "description"),
    "20_goals.csv": ("programme", "goal", "position", "name"),
    "30_subprojects.csv": ("programme", "subproject", "goal", "position", "name", "scope_name", "units"),
    "40_measures.csv": ("programme", "subproject", "measure", "position", "kind", "name", "indicator", "unit",
                        "method", "baseline_text", "baseline_value", "baseline_date", "due_date", "done_date",
                        "output_kind", "targets"),
    "50_rounds.csv": ("programme", "round_date", "name"),
    "60_output_counts.csv": ("programme", "subproject", "measure", "period_start", "period_end", "value"),
    "70_round_entries.csv": ("programme", "subproject", "round_date", "text", "author", "written_at"),
}


def _number(value: float | None, decimal: str) -> str:
    if value is None:
        return ""
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", decimal)


def _date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.day}.{value.month}.{value.year}"


def targets_cell(targets: pl.DataFrame, decimal: str) -> str:
    """`31.12.2022: 70; 31.12.2023: 100`, as the measures file reads it."""
    items = [f"{_date(r['target_date'])}: {r['text'] if r['value'] is None else _number(r['value'], decimal)}"
             for r in targets.sort("target_date").iter_rows(named=True)]
    return "; ".join(items)


def measure_row(programme: Programme, subproject_id: str, measure_id: str, decimal: str = ",") -> dict[str, Any]:
    """One measure as a row of the measures file (field name → cell text)."""
    row = measure(programme, subproject_id, measure_id)
    if row is None:
        raise KeyError(f"{programme.id}/{subproject_id}/{measure_id}")
    return {"programme": programme.id, "subproject": subproject_id, "measure": measure_id,
            "position": str(row["position"]), "kind": row["kind"], "name": row["name"],
            "indicator": row["indicator_id"] or "", "unit": row["unit_id"] or "", "method": row["method"] or "",
            "baseline_text": row["baseline_text"] or "", "baseline_value": _number(row["baseline_value"], decimal),
            "baseline_date": _date(row["baseline_date"]), "due_date": _date(row["due_date"]),
            "done_date": _date(row["done_date"]), "output_kind": row["output_kind"] or "",
            "targets": targets_cell(measure_targets(programme, subproject_id, measure_id), decimal)}


def _csv(name: str, rows: list[dict[str, Any]], lang: str | None) -> bytes:
    fields = FIELDS[name]
    frame = pl.DataFrame([[r.get(f, "") or "" for f in fields] for r in rows], orient="row",
                         schema={i18n.t(f"programme.column.{f}", lang): pl.String for f in fields})
    return tables.to_csv(frame, **tables.csv_dialect(lang))


def measures_csv(rows: list[dict[str, Any]], lang: str | None = None) -> bytes:
    return _csv("40_measures.csv", rows, lang)


def entries_csv(rows: list[dict[str, Any]], lang: str | None = None) -> bytes:
    return _csv("70_round_entries.csv", rows, lang)


def programme_files(query: Runner, programme_id: str, lang: str | None = None) -> dict[str, bytes] | None:
    """Every file of one programme the user may read (None when they may not)."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    decimal = tables.csv_dialect(lang)["decimal"]
    programme = read_programme(query, programme_id)
    if programme is None:
        return None
    info, pid = programme.info, programme.id
    rows = {
        "10_programmes.csv": [{"programme": pid, "name": info["name"], "funder": info["funder"],
                               "period_start": _date(info["period_start"]), "period_end": _date(info["period_end"]),
                               "owner": info["owner_email"], "regions": "; ".join(info["region_ids"]),
                               "description": info["description"]}],
        "20_goals.csv": [{"programme": pid, "goal": r["goal_id"], "position": str(r["position"]), "name": r["name"]}
                         for r in programme.goals.iter_rows(named=True)],
        "30_subprojects.csv": [{"programme": pid, "subproject": r["subproject_id"], "goal": r["goal_id"],
                                "position": str(r["position"]), "name": r["name"], "scope_name": r["scope_name"],
                                "units": "; ".join(r["unit_ids"])} for r in programme.subprojects.iter_rows(named=True)],
        "40_measures.csv": [measure_row(programme, r["subproject_id"], r["measure_id"], decimal)
                            for r in programme.measures.iter_rows(named=True)],
        "50_rounds.csv": [{"programme": pid, "round_date": _date(r["round_date"]), "name": r["name"]}
                          for r in programme.rounds.iter_rows(named=True)],
        "60_output_counts.csv": [{"programme": pid, "subproject": r["subproject_id"], "measure": r["measure_id"],
                                  "period_start": _date(r["period_start"]), "period_end": _date(r["period_end"]),
                                  "value": _number(r["value"], decimal)}
                                 for r in programme.output_counts.iter_rows(named=True)],
        "70_round_entries.csv": [{"programme": pid, "subproject": r["subproject_id"],
                                  "round_date": _date(r["round_date"]), "text": r["text"],
                                  "author": r["author_email"],
                                  "written_at": r["written_at"].strftime("%-d.%-m.%Y %H:%M")}
                                 for r in programme.entries.iter_rows(named=True)],
    }
    return {name: _csv(name, file_rows, lang) for name, file_rows in rows.items()}
