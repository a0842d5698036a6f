"""The team file formats (teams, aims, operating_models) through the real loader: good files load
and reload as nothing new; bad files give the exact row errors and leave the database as it was;
a reload that changes teams, aims or operating models can be undone, unless a later load changed
the same rows (that load is named)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from vetopito import db, ingest, scoped
from vetopito.teams import progress

FIXTURES = Path(__file__).parent / "fixtures" / "teams"


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def _team_rows(con, team_id: str) -> dict:
    """Everything stored about one team: its row, its measures and its operating models."""
    query = scoped.runner(con)
    listing = query("team__list").filter(pl.col("team_id") == team_id)
    return {
        "team": listing.rows(named=True),
        "measures": query("team__measures", team_id=team_id).rows(),
        "models": query("team__operating_models", team_id=team_id).rows(),
    }


def _state(con) -> dict:
    """The whole database as far as a load can change it (row counts, the data version, every team)."""
    return {
        "counts": db.run(con, "meta__row_counts").rows(),
        "version": db.data_version(con),
        "teams": scoped.runner(con)("team__list").rows(),
        "T2024-01": _team_rows(con, "T2024-01"),
    }


def _load(con, name: str):
    return ingest.load(con, FIXTURES / name, user="test", lang="fi")


def test_good_team_files_load_in_order_and_reload_as_nothing_new(con):
    reports = [_load(con, f) for f in ("teams_good.csv", "aims_good.csv", "operating_models_good.csv")]
    assert [r.detected["format"] for r in reports] == ["teams", "aims", "operating_models"]
    assert [r.errors for r in reports] == [[], [], []]
    assert [r.counts["new"] for r in reports] == [2, 2, 2]
    assert all(r.committed for r in reports)

    team = progress.team_list(scoped.runner(con), "fi").filter(pl.col("team_id") == "T2026-01").row(0, named=True)
    assert (team["name"], team["region_id"], team["yta_id"], team["cohort_year"]) == \
        ("Päivystys, Kuopio", "HVA15", "YTA2", 2026)
    assert team["theme"] == "leadership"          # "Johtaminen" by its Finnish name
    assert str(team["started_on"]) == "2026-02-15"  # 15.2.2026
    stored = _team_rows(con, "T2026-01")
    assert [(m[1], m[10], m[12]) for m in stored["measures"]] == [("mk_palautuminen_pct", 41.5, 60.0)]
    assert stored["models"] == [("T2026-01", "Vuoronvaihtotaulu", "work_content", "https://example.fi/vuorot")]
    assert _team_rows(con, "T2026-02")["models"][0][2] == "orientation"  # "Perehdytys"

    again = _load(con, "teams_good.csv")
    assert again.already_loaded and not again.committed
    assert (again.counts["new"], again.counts["changed"], again.counts["unchanged"]) == (0, 0, 2)


BAD_FILES = {
    "teams_bad.csv": ("teams", [
        'rivi 2, sarake "region": "HVA99" ei ole hyvinvointialue (esim. HVA13, 13 tai Pohjois-Savo)',
        'rivi 3, sarake "theme": "Kahvinkeitto" ei ole Vetoa ja pitoa -teema (esim. leadership tai Johtaminen)',
        'rivi 4, sarake "cohort_year": "1999" ei ole vuosi väliltä 2020–2100',
    ]),
    "aims_bad.csv": ("aims", [
        'rivi 2, sarake "indicator": mittaria "ei_tallaista_mittaria" ei ole luettelossa',
        'rivi 3, sarake "team": tiimiä "T1999-99" ei ole: lataa ensin tiimitiedosto',
    ]),
    "operating_models_bad.csv": ("operating_models", [
        'rivi 2, sarake "team": tiimiä "T1999-99" ei ole: lataa ensin tiimitiedosto',
        'rivi 3, sarake "theme": "Kahvinkeitto" ei ole Vetoa ja pitoa -teema (esim. leadership tai Johtaminen)',
    ]),
    # DuckDB cannot update a foreign key of a referenced row: a team's region stays as loaded
    "teams_renamed.csv": ("teams", [
        'rivi 2, sarake "region": tiimin T2024-01 tallennettua arvoa "HVA01" ei voi muuttaa '
        'uudelleenlatauksella: palauta se tiedostoon (tiimiä ei voi siirtää toiselle alueelle; perusta '
        'tarvittaessa uusi tiimi uudella tunnuksella)',
    ]),
    # aims of teams that are not loaded yet: the order of the files matters, and the loader says so
    "aims_good.csv": ("aims", [
        'rivi 2, sarake "team": tiimiä "T2026-01" ei ole: lataa ensin tiimitiedosto',
        'rivi 3, sarake "team": tiimiä "T2026-02" ei ole: lataa ensin tiimitiedosto',
    ]),
}


@pytest.mark.parametrize("file_name", sorted(BAD_FILES))
def test_bad_team_file_gives_exact_row_errors_and_changes_nothing(con, file_name):
    expected_format, expected_lines = BAD_FILES[file_name]
    before = _state(con)
    report = _load(con, file_name)
    assert report.detected["format"] == expected_format
    assert [p.line("fi") for p in report.errors] == expected_lines
    assert report.counts["rejected"] == len({p.row for p in report.errors})
    assert not report.committed and report.load_id is None
    assert _state(con) == before


def test_bad_team_rows_are_explained_in_swedish_and_english(con):
    sv = ingest.check(con, FIXTURES / "teams_bad.csv", lang="sv")
    assert sv.errors[0].line("sv") == \
        'rad 2, kolumn "region": "HVA99" är inte ett välfärdsområde (t.ex. HVA13, 13 eller Norra Savolax)'
    en = ingest.check(con, FIXTURES / "aims_bad.csv", lang="en")
    assert en.errors[1].line("en") == 'row 3, column "team": team "T1999-99" does not exist: load the teams file first'


def test_reload_that_changes_team_aims_and_models_can_be_undone(con):
    before = _team_rows(con, "T2024-01")
    loads = [_load(con, f) for f in ("teams_reload.csv", "aims_reload.csv", "operating_models_reload.csv")]
    assert [(r.counts["new"], r.counts["changed"]) for r in loads] == [(0, 1), (1, 1), (0, 1)]
    changed = _team_rows(con, "T2024-01")
    assert (changed["team"][0]["name_fi"], changed["team"][0]["work_unit"], changed["team"][0]["size"],
            changed["team"][0]["theme"]) == \
        ("Kotihoito Itä ja Länsi, Loviisa", "Kotihoito Itä ja Länsi (Loviisa)", 7, "leadership")
    assert changed["team"] != before["team"] and changed["measures"] != before["measures"]

    undone = [ingest.undo(con, r.load_id, user="test", lang="fi") for r in reversed(loads)]
    assert [(u.restored, u.removed) for u in undone] == [(1, 0), (1, 1), (1, 0)]
    assert _team_rows(con, "T2024-01") == before
    n_teams = db.run(con, "meta__row_counts").filter(pl.col("table_name") == "team").item(0, 1)
    assert n_teams == 58


def test_undo_is_blocked_by_a_later_load_that_changed_the_same_team(con):
    before = _team_rows(con, "T2024-01")
    first = _load(con, "teams_reload.csv")
    second = _load(con, "teams_reload_again.csv")
    assert second.counts["changed"] == 1
    with pytest.raises(ingest.UndoBlocked) as blocked:
        ingest.undo(con, first.load_id, user="test", lang="fi")
    assert blocked.value.blocking == [second.load_id]
    assert str(second.load_id) in str(blocked.value) and "teams_reload_again.csv" in str(blocked.value)
    assert _team_rows(con, "T2024-01")["team"][0]["size"] == 6   # nothing was touched

    ingest.undo(con, second.load_id, user="test", lang="fi")
    assert _team_rows(con, "T2024-01")["team"][0]["size"] == 7
    ingest.undo(con, first.load_id, user="test", lang="fi")
    assert _team_rows(con, "T2024-01") == before


def test_new_teams_cannot_be_undone_while_their_aims_are_loaded(con):
    before = _state(con)
    loads = [_load(con, f) for f in ("teams_good.csv", "aims_good.csv", "operating_models_good.csv")]
    with pytest.raises(ingest.UndoBlocked) as blocked:
        ingest.undo(con, loads[0].load_id, user="test", lang="fi")
    assert blocked.value.blocking == [loads[1].load_id, loads[2].load_id]
    for report in reversed(loads):
        result = ingest.undo(con, report.load_id, user="test", lang="fi")
        assert (result.restored, result.removed) == (0, 2)
    after = _state(con)
    assert after["teams"] == before["teams"] and after["T2024-01"] == before["T2024-01"]
    counts = dict(after["counts"])
    assert {k: v for k, v in counts.items() if k != "load"} == \
        {k: v for k, v in dict(before["counts"]).items() if k != "load"}
