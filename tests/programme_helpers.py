"""What the programme tests share: the fixture files, a database with the stations they name, and
readers of what is stored (no SQL in Python: `tests/queries/load/programme_dump.sql`)."""

from __future__ import annotations

import json
from pathlib import Path

from tests import sql
from vetopito import ingest, scoped
from vetopito.ingest import history
from vetopito.programmes import model

FIXTURES = Path(__file__).parent / "fixtures" / "ingest" / "programme"
GOOD = sorted(FIXTURES.glob("*_good.csv"))
# the stations the fixtures name
UNITS = (b"id,parent,name_fi,kind\nHVA14-joensuu-tk,HVA14,Joensuun terveysasema,org_unit\n"
         b"HVA14-kitee-tk,HVA14,Kiteen terveysasema,org_unit\n")
PROGRAMME_TABLES = [t.table for t in history.TRACKED if t.table.startswith(("programme", "subproject", "measure_",
                                                                           "output_", "reporting_", "round_"))]


def dump(con) -> dict[str, list[dict]]:
    """Every row of every programme table, its history, the targets and the loads, by table."""
    out: dict[str, list[dict]] = {}
    for table, row in sql.fetch(con, "load/programme_dump").iter_rows():
        out.setdefault(table, []).append(json.loads(row))
    return out


def read(con, scope=None) -> model.Programme:
    programme = model.read_programme(scoped.runner(con, scope), "TESTI-1")
    assert programme is not None
    return programme


def load_good(con, upto: int = len(GOOD), **kwargs):
    reports = [ingest.load(con, path, user="t", **kwargs) for path in GOOD[:upto]]
    for path, report in zip(GOOD, reports, strict=False):
        assert report.ok(), (path.name, [p.line("en") for p in report.errors])
    return reports
