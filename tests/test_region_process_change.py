"""A process change the analyst marks as an event (events format, kind `process_change`, with the
indicator it changed) recalculates the region chart's limits from that date, as a definition change
does, and the chart says so."""

from __future__ import annotations

import datetime as dt

import polars as pl

from vetopito import dashboard, db, ingest

EVENTS = (b"unit;date;kind;label;indicator\n"
          b"Pohjois-Karjala;1.3.2024;process_change;Uusi ajanvarausmalli;t3_laakari\n")


def _view(con, code="14"):
    run = dashboard.runner(con)
    return dashboard.region_view(run, dashboard.region_row(dashboard.regions(run), code), "fi")


def test_process_change_event_recalculates_limits_and_is_said(demo_db_copy):
    con = db.connect(demo_db_copy)
    before = dashboard.chart_data(_view(con), "t3_laakari", "fi")
    assert dashboard.phase_starts(before["spc"]) == []
    report = ingest.load(con, EVENTS, file_name="muutos.csv", user="test")
    assert report.committed, report
    data = dashboard.chart_data(_view(con), "t3_laakari", "fi")
    assert dashboard.phase_starts(data["spc"]) == [dt.date(2024, 3, 1)]
    assert "Rajat laskettu uudelleen 1.3.2024 alkaen: prosessimuutos (Uusi ajanvarausmalli)" in data["notes"]
    after = data["spc"].filter(pl.col("period_start") >= dt.date(2024, 3, 1))
    # the planted step (T3 down to ~45 %) is the new phase's own level
    assert after["mean"][0] < 0.7 * data["spc"]["mean"][0]
    assert data["changes"].filter(pl.col("kind") == "process_change")["note"].to_list() == ["Uusi ajanvarausmalli"]
    # other indicators of the region and the same indicator elsewhere keep one phase
    assert dashboard.phase_starts(dashboard.chart_data(_view(con), "t3_hoitaja", "fi")["spc"]) == []
    assert dashboard.phase_starts(dashboard.chart_data(_view(con, "15"), "t3_laakari", "fi")["spc"]) == []
    con.close()


def test_process_change_needs_a_known_indicator(demo_db_copy):
    con = db.connect(demo_db_copy)
    bad = ("unit;date;kind;label;indicator\n"
           "Pohjois-Karjala;1.3.2024;process_change;Ilman mittaria;\n"
           "Pohjois-Karjala;1.3.2024;process_change;Väärä mittari;t3_laakarit\n").encode()
    report = ingest.load(con, bad, file_name="huono.csv", user="test", lang="fi")
    assert not report.committed
    assert report.error_total == 2
    assert {p.column for p in report.errors} == {"indicator"} and {p.row for p in report.errors} == {2, 3}
    con.close()
