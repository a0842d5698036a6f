"""Scope on every write, and no names from outside the scope in any message.

An analyst granted region 14 (Pohjois-Karjala) loads files that refer to region 15 (Keski-Suomi)
in every way a file can: a team's parent, a measure, operating model, event or target of a team
or unit of region 15, an observation on a station of region 15, a units file that moves, renames
or creates under a unit of region 15, a station beside a region column, a team id that is already
a unit of region 15. Each is a row error, and the database is left exactly as it was. Suggestions
for a misspelt unit, the current parent in a move error and the loads or units an undo refusal
mentions come from the analyst's own scope only. Through the loader API, the `vetopito check` /
`load` / `undo` command line with `--as EMAIL`, and the upload page signed in.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from vetopito import access, cli, db, ingest

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "admin@example.fi"
A14 = "analyst14@example.fi"
A15 = "analyst15@example.fi"
# a unit below an organisational unit of region 15, so that its parent is no region name
LAB_15 = b"id,name_fi,parent\nHVA15-kyllo-lab,Kyllon laboratorio,HVA15-kyllo-tk\n"


def _prepare(con) -> None:
    access.grant(con, A14, "analyst", "region:14", by=ADMIN)
    access.grant(con, A15, "analyst", "region:15", by=ADMIN)
    assert ingest.load(con, LAB_15, file_name="lab15.csv").committed  # the command line: full scope


@pytest.fixture
def con(demo_db_copy):
    connection = db.connect(demo_db_copy)
    _prepare(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def unwritten(session_stores, demo_db_path):
    """One prepared copy for the module's tests that write nothing (a refused load, a check):
    each of them asserts the database is left as it was, so they share it instead of a copy each."""
    connection = db.connect(session_stores.copy(demo_db_path, "scope_writes"))
    _prepare(connection)
    yield connection
    connection.close()


def _scope(con, email: str = A14) -> access.Scope:
    return access.scope_for(con, email).loading()


def _state(con):
    return (db.row_counts(con), db.data_version(con), db.fetch(con, "load/unit_names").rows(),
            db.fetch(con, "load/teams/plan_stored_teams").rows())


def _outside_names(con) -> set[str]:
    """Every name of a unit region 14's analyst may not load (the names a message may not show)."""
    inside = set(_scope(con).unit_ids)
    names = set()
    for row in db.fetch(con, "load/unit_names").iter_rows(named=True):
        if row["id"] not in inside:
            names |= {row[c] for c in ("id", "name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en")
                      if row[c]}
    aliases = db.fetch(con, "load/unit_aliases")
    return names | {a for a, u in zip(aliases["alias"].to_list(), aliases["unit_id"].to_list(), strict=True)
                    if u not in inside}


def _inside_names(con) -> set[str]:
    inside = set(_scope(con).unit_ids)
    names = set()
    for row in db.fetch(con, "load/unit_names").iter_rows(named=True):
        if row["id"] in inside:
            names |= {row[c] for c in ("name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en")
                      if row[c]}
    aliases = db.fetch(con, "load/unit_aliases")
    return names | {a for a, u in zip(aliases["alias"].to_list(), aliases["unit_id"].to_list(), strict=True)
                    if u in inside}


TEAM = "team,name,region,cohort_year,yta,theme"
# (what the file does, file, the column of the row error); every file refers to region 15
OUTSIDE = [
    ("team under a parent of region 15", f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA14,2026,YTA2,leadership,"
                                         "HVA15-kyllo-tk\n", "parent"),
    ("team under a parent of region 15, named", f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA14,2026,YTA2,leadership,"
                                                "Kyllön terveysasema\n", "parent"),
    ("team of region 15 moved to region 14", f"{TEAM}\nT2024-17,Vammaispalvelut,HVA14,2024,YTA2,orientation\n",
     "team"),
    ("team of region 15 renamed", f"{TEAM}\nT2024-17,Uusi nimi,HVA15,2024,YTA2,orientation\n", "team"),
    ("team id that is a unit of region 15", f"{TEAM}\nHVA15-kyllo-tk,Kaapattu,HVA14,2026,YTA2,leadership\n",
     "team"),
    ("team in region 15", f"{TEAM}\nT2026-91,Uusi tiimi,HVA15,2026,YTA2,leadership\n", "region"),
    ("measure of a team of region 15", "team,indicator,baseline_value,aim_value\n"
                                       "T2024-17,mk_palautuminen_pct,40,60\n", "team"),
    ("operating model of a team of region 15", "team,title,theme\nT2024-17,Malli,leadership\n", "team"),
    ("event of a team of region 15", "unit,date,kind,label\nT2024-17,2026-01-10,note,Huomio\n", "unit"),
    ("target of a unit of region 15", "indicator,unit,target_value,due_date\n"
                                      "t3_laakari,HVA15-kyllo-tk,3,2026-12-31\n", "unit"),
    ("observation on a station of region 15", "indicator,unit,period,value\nt3_laakari,HVA15-kyllo-tk,2026-01,5\n",
     "unit"),
    ("observation on a station of region 15 beside region 14",
     "indicator,alue,toimipiste,period,value\nt3_laakari,HVA14,Kyllön terveysasema,2026-01,5\n", "toimipiste"),
    ("observation beside a region column of region 15",
     "indicator,alue,toimipiste,period,value\nt3_laakari,HVA15,HVA14-joensuu-tk,2026-01,5\n", "alue"),
    ("wide file on a station of region 15", "unit,period,t3_laakari\nHVA15-kyllo-tk,2026-01,5\n", "unit"),
    ("units file moving a unit of region 15", "id,name_fi,parent\nHVA15-kyllo-lab,Laboratorio,HVA14\n", "id"),
    ("units file renaming a unit of region 15", "id,name_fi,parent\nHVA15-kyllo-lab,Laboratorio,HVA15-kyllo-tk\n",
     "id"),
    ("units file creating a unit under region 15", "id,name_fi,parent\nHVA14-uusi,Uusi,HVA15-kyllo-tk\n", "parent"),
]


@pytest.mark.parametrize(("case", "text", "column"), OUTSIDE, ids=[c[0] for c in OUTSIDE])
def test_a_reference_outside_the_scope_is_a_row_error_and_nothing_is_written(unwritten, case, text, column):
    con = unwritten
    before = _state(con)
    report = ingest.load(con, text.encode(), file_name="x.csv", scope=_scope(con), user=A14)
    assert not report.committed and report.load_id is None
    out_of_scope = [p for p in report.errors if p.row == 2 and p.column == column
                    and ("latausoikeus" in p.problem or "oikeutta ladata" in p.problem)]
    assert out_of_scope, [p.line() for p in report.errors]
    assert _state(con) == before


def test_the_region_15_analyst_may_do_the_same_in_region_15(con):
    """The refusals above are about scope: region 15's own analyst loads such rows."""
    scope = _scope(con, A15)
    report = ingest.load(con, f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA15,2026,YTA2,leadership,HVA15-kyllo-tk\n"
                         .encode(), file_name="t.csv", scope=scope, user=A15)
    assert report.committed, [p.line() for p in report.errors]
    renamed = ingest.load(con, b"id,name_fi,parent\nHVA15-kyllo-lab,Laboratorio,HVA15-kyllo-tk\n",
                          file_name="u.csv", scope=scope, user=A15)
    assert renamed.committed


def test_a_team_under_a_parent_of_another_region_is_refused_for_every_loader(con):
    """Even with the whole country in scope, a team of region 14 under a unit of region 15 would
    belong to both regions (both directors would list it, both analysts could load onto it)."""
    before = _state(con)
    report = ingest.load(con, f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA14,2026,YTA2,leadership,HVA15-kyllo-tk\n"
                         .encode(), file_name="t.csv")
    assert not report.committed
    assert [p.column for p in report.errors] == ["parent"]
    assert "HVA14" in report.errors[0].problem
    assert _state(con) == before


def test_a_team_id_taken_by_a_unit_is_refused(con):
    """A team id that is already an organisational unit would rename that unit and make it a team."""
    report = ingest.check(con, f"{TEAM}\nHVA14-joensuu-tk,Tiimi,HVA14,2026,YTA2,leadership\n".encode(),
                          file_name="t.csv", scope=_scope(con))
    assert [(p.column, p.value) for p in report.errors] == [("team", "HVA14-joensuu-tk")]


# --- names in messages -------------------------------------------------------------------------

MISSPELT = [
    ("observations", "indicator,unit,period,value\nt3_laakari,{name},2026-01,5\n"),
    ("targets", "indicator,unit,target_value,due_date\nt3_laakari,{name},3,2026-12-31\n"),
    ("events", "unit,date,kind,label\n{name},2026-01-10,note,Huomio\n"),
    ("units", "id,name_fi,parent\nHVA14-uusi,Uusi,{name}\n"),
]


@pytest.mark.parametrize(("fmt", "template"), MISSPELT, ids=[m[0] for m in MISSPELT])
@pytest.mark.parametrize("name", ["Kyllon terveysasem", "Palokan terveysasem", "Keski-Suom"])
def test_suggestions_for_a_misspelt_unit_come_from_the_scope(unwritten, fmt, template, name):
    con = unwritten
    report = ingest.check(con, template.format(name=name).encode(), file_name="x.csv", scope=_scope(con))
    assert report.detected["format"] == fmt
    [problem] = report.errors
    assert "lähimmät tunnetut: " in problem.problem
    suggested = problem.problem.split("lähimmät tunnetut: ", 1)[1].split(", ")
    inside = _inside_names(con)
    assert suggested and all(s in inside for s in suggested), suggested
    tail = problem.problem.split("lähimmät tunnetut: ", 1)[1]
    assert not any(other in tail for other in ("Kyllön", "Palokan", "Keski-Suomi", "Salon"))


def test_suggestions_without_a_scope_still_come_from_the_whole_country(con):
    report = ingest.check(con, b"indicator,unit,period,value\nt3_laakari,Kyllon terveysasem,2026-01,5\n",
                          file_name="x.csv")
    assert "Kyllön terveysasema" in report.errors[0].problem


def test_a_move_error_does_not_name_a_parent_outside_the_scope(con):
    report = ingest.check(con, b"id,name_fi,parent\nHVA15-kyllo-lab,Laboratorio,HVA14-joensuu-tk\n",
                          file_name="u.csv", scope=_scope(con))
    assert report.errors
    text = " ".join(p.line() for p in report.errors)
    assert "HVA15-kyllo-tk" not in text and "Kyllön" not in text


def test_no_message_of_a_refused_file_names_a_unit_outside_the_scope(con):
    """Every message of every refused case above names only what the file itself wrote or what
    lies in the scope."""
    outside = {n for n in _outside_names(con) if len(n) > 4}
    for _case, text, _column in OUTSIDE:
        report = ingest.check(con, text.encode(), file_name="x.csv", scope=_scope(con))
        for problem in report.errors:
            leaked = {n for n in outside if n in problem.problem and n not in text and n != problem.value}
            assert not leaked, (problem.line(), leaked)


# --- undo ------------------------------------------------------------------------------------

def test_undo_blocked_by_a_load_outside_the_scope_does_not_name_it(con):
    mine = ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA14-joensuu-tk,2026-01,5\n",
                       file_name="joensuu.csv", scope=_scope(con), user=A14)
    assert mine.committed
    other = ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA14-joensuu-tk,2026-01,6\n"
                        b"t3_laakari,HVA15-kyllo-tk,2026-01,7\n", file_name="kylloetjoensuu.csv")
    assert other.committed
    before = _state(con)
    with pytest.raises(ingest.UndoBlocked) as blocked:
        ingest.undo(con, mine.load_id, user=A14, scope=_scope(con))
    message = str(blocked.value)
    assert "kylloetjoensuu" not in message and str(other.load_id) not in message.replace(str(mine.load_id), "")
    assert "latausoikeutesi ulkopuolella" in message
    assert _state(con) == before
    # a blocker within the scope is still named, so that the analyst can undo it first
    ingest.undo(con, other.load_id, user="cli")
    again = ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA14-joensuu-tk,2026-01,8\n",
                        file_name="mine2.csv", scope=_scope(con), user=A14)
    with pytest.raises(ingest.UndoBlocked, match=f"myöhempi lataus {again.load_id} \\(mine2.csv\\)"):
        ingest.undo(con, mine.load_id, user=A14, scope=_scope(con))


def test_undo_refusal_does_not_name_units_outside_what_the_user_sees(con):
    lab = ingest.loads(con).filter(ingest.loads(con)["file_name"] == "lab15.csv")["load_id"][0]
    with pytest.raises(ingest.UndoRefused) as refused:
        ingest.undo(con, lab, user=A14, scope=_scope(con))
    assert "HVA15-kyllo-tk" not in str(refused.value) and "Mitään ei muutettu" in str(refused.value)


# --- the command line, as a signed user ------------------------------------------------------------

def _cli_db(demo_db_copy) -> Path:
    connection = db.connect(demo_db_copy)
    _prepare(connection)
    connection.close()
    return demo_db_copy


def _state_of(path: Path):
    connection = db.connect(path)
    try:
        return _state(connection)
    finally:
        connection.close()


def test_command_line_load_as_a_scoped_user_refuses_a_team_under_region_15(demo_db_copy, tmp_path, capsys):
    path = _cli_db(demo_db_copy)
    teams = tmp_path / "teams.csv"
    teams.write_text(f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA14,2026,YTA2,leadership,HVA15-kyllo-tk\n",
                     encoding="utf-8")
    before = _state_of(path)
    for command in ("check", "load"):
        assert cli.main([command, str(teams), "--db", str(path), "--as", A14]) == 1
        out = capsys.readouterr().out
        assert 'rivi 2, sarake "parent": sinulla ei ole oikeutta ladata tietoja yksikölle "HVA15-kyllo-tk"' in out
    assert _state_of(path) == before


def test_command_line_as_a_scoped_user_suggests_only_units_of_the_scope(demo_db_copy, tmp_path, capsys):
    path = _cli_db(demo_db_copy)
    values = tmp_path / "values.csv"
    values.write_text("indicator,unit,period,value\nt3_laakari,Kyllon terveysasem,2026-01,5\n", encoding="utf-8")
    assert cli.main(["check", str(values), "--db", str(path), "--as", A14]) == 1
    out = capsys.readouterr().out
    assert "lähimmät tunnetut: " in out and "Kyllön" not in out
    assert cli.main(["check", str(values), "--db", str(path)]) == 1  # without --as: the whole country
    assert "Kyllön terveysasema" in capsys.readouterr().out


def test_command_line_as_a_user_without_grants_or_with_another_scope(demo_db_copy, tmp_path, capsys):
    path = _cli_db(demo_db_copy)
    values = tmp_path / "values.csv"
    values.write_text("indicator,unit,period,value\nt3_laakari,HVA14-joensuu-tk,2026-01,5\n", encoding="utf-8")
    assert cli.main(["load", str(values), "--db", str(path), "--as", "nobody@example.fi"]) == 1
    assert "latausoikeus" in capsys.readouterr().out
    assert cli.main(["load", str(values), "--db", str(path), "--as", A15]) == 1
    assert cli.main(["load", str(values), "--db", str(path), "--as", A14]) == 0
    capsys.readouterr()
    load_id = _state_of(path)[0]["load"]
    assert cli.main(["undo", str(load_id), "--db", str(path), "--as", A15]) == 1
    err = capsys.readouterr().err
    assert "ei ole oikeutta" in err and "HVA14-joensuu-tk" not in err
    assert cli.main(["undo", str(load_id), "--db", str(path), "--as", A14, "--yes"]) == 0
    connection = db.connect(path)
    try:
        rows = ingest.loads(connection).filter(ingest.loads(connection)["load_id"] == load_id).row(0, named=True)
    finally:
        connection.close()
    assert (rows["user_name"], rows["status"], rows["undone_by"]) == (A14, "undone", A14)


# --- the upload page, signed in ----------------------------------------------------------------

PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "vetovoima", "client_secret": "s",
                     "server_metadata_url": "https://login.example.fi/.well-known/openid-configuration"}}


@pytest.fixture
def signed_db(demo_db_copy, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    path = _cli_db(demo_db_copy)
    app_env(path)
    return path


def _upload(email: str, name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    at.file_uploader(key="upload").set_value((name, data, "text/csv"))
    return at.run()


def test_upload_page_refuses_a_team_under_region_15_and_names_no_other_unit(signed_db):
    before = _state_of(signed_db)
    at = _upload(A14, "tiimit.csv", f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA14,2026,YTA2,leadership,"
                                     "Kyllon terveysasem\n".encode())
    assert not at.exception
    assert not [b for b in at.button if b.key == "upload_confirm"]
    problems = at.table[0].value["ongelma"].tolist()
    assert len(problems) == 1 and "Kyllön" not in problems[0]
    at = _upload(A14, "tiimit.csv", f"{TEAM},parent\nT2026-90,Uusi tiimi,HVA14,2026,YTA2,leadership,"
                                     "HVA15-kyllo-tk\n".encode())
    assert not [b for b in at.button if b.key == "upload_confirm"]
    assert at.table[0].value["ongelma"].tolist() == ['sinulla ei ole oikeutta ladata tietoja yksikölle '
                                                    '"HVA15-kyllo-tk"']
    assert _state_of(signed_db) == before


def test_upload_page_suggests_only_units_of_the_scope(signed_db):
    at = _upload(A14, "arvot.csv", b"indicator,unit,period,value\nt3_laakari,Palokan terveysasem,2026-01,5\n")
    assert not at.exception
    [problem] = at.table[0].value["ongelma"].tolist()
    assert "lähimmät tunnetut: " in problem and "Palokan" not in problem.split("lähimmät tunnetut: ")[1]


def test_upload_page_undo_blocked_by_another_regions_load_names_neither_its_file_nor_units(signed_db):
    connection = db.connect(signed_db)
    try:
        mine = ingest.load(connection, b"indicator,unit,period,value\nt3_laakari,HVA14-joensuu-tk,2026-01,5\n",
                           file_name="joensuu.csv", scope=_scope(connection), user=A14)
        ingest.load(connection, b"indicator,unit,period,value\nt3_laakari,HVA14-joensuu-tk,2026-01,6\n"
                    b"t3_laakari,HVA15-kyllo-tk,2026-01,7\n", file_name="kylloetjoensuu.csv")
    finally:
        connection.close()
    before = _state_of(signed_db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": A14, "name": "analyst14"}
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    assert at.selectbox(key="undo_choice").value == mine.load_id
    at.button(key="undo_button").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "latausoikeutesi ulkopuolella" in error
    assert "kylloetjoensuu" not in error and "HVA15" not in error
    shown = " ".join(str(frame.value) for frame in at.dataframe)
    assert "kylloetjoensuu" not in shown
    assert _state_of(signed_db) == before


# --- the last guard: a format that forgets its scope check --------------------------------------

@pytest.fixture
def careless_format(monkeypatch):
    """A format added to the list of formats (`ingest/formats.py`), whose parser resolves units but
    checks no scope."""
    from vetopito.ingest import formats
    from vetopito.ingest.parsing import Format, Parsed
    from vetopito.ingest.problems import no_problems

    def parse(table, ctx):
        rows = table.frame.select(pl.col("c0").map_elements(ctx.lookup.unit, return_dtype=pl.String)
                                  .alias("unit_id"), pl.col("c1").alias("note"), pl.col("_row").alias("row_number"))
        return Parsed(rows=rows, errors=no_problems(), layout="notes", n_rows=table.frame.height)

    written = []
    fmt = Format(
        "careless_notes", lambda header, table, options: header == ["yksikkö", "muistiinpano"], parse,
        lambda con, rows: rows.with_columns(pl.lit("new").alias("status")),
        lambda con, plan, load_id: written.append(plan), lambda con, load_id: (0, 0), lambda con, load_id: [],
        priority=1)
    monkeypatch.setattr(formats, "FORMATS", (fmt, *formats.FORMATS))
    yield written


def test_a_format_that_forgets_the_scope_is_refused_by_the_loader(con, careless_format):
    before = _state(con)
    text = "yksikkö,muistiinpano\nHVA14-joensuu-tk,oma\nKyllön terveysasema,toisen alueen\n".encode()
    report = ingest.load(con, text, file_name="notes.csv", scope=_scope(con), user=A14)
    assert not report.committed and careless_format == []
    assert [p.line() for p in report.errors] == [
        "rivi 3: rivi koskee yksikköä, jonka tietoja sinulla ei ole oikeutta ladata"]
    assert report.counts["rejected"] == 1 and report.counts["new"] == 1
    assert _state(con) == before
    assert ingest.load(con, text, file_name="notes.csv").committed  # no scope: the command line's full scope


def test_a_name_two_regions_share_means_the_unit_in_the_scope(con):
    """`Kotihoito Keskusta` in region 14 and in region 15: each region's analyst loads onto their own."""
    shared = ingest.load(con, b"id,name_fi,parent\nHVA15-kotihoito-k,Kotihoito Keskusta,HVA15\n"
                         b"HVA14-kotihoito-k,Kotihoito Keskusta,HVA14\n", file_name="kotihoito.csv")
    assert shared.committed
    text = b"indicator,unit,period,value\nt3_laakari,Kotihoito Keskusta,2026-01,5\n"
    for email, unit_id in ((A14, "HVA14-kotihoito-k"), (A15, "HVA15-kotihoito-k")):
        report = ingest.load(con, text, file_name=f"{unit_id}.csv", scope=_scope(con, email), user=email)
        assert report.committed, [p.line() for p in report.errors]
        assert report.changes["unit_id"].to_list() == [unit_id]


def test_command_line_history_as_a_scoped_user_lists_only_loads_of_the_scope(demo_db_copy, capsys):
    path = _cli_db(demo_db_copy)
    assert cli.main(["loads", "--db", str(path), "--json", "--as", A14]) == 0
    assert "lab15.csv" not in capsys.readouterr().out
    assert cli.main(["loads", "--db", str(path), "--json", "--as", A15]) == 0
    assert "lab15.csv" in capsys.readouterr().out


# --- indicators of a region or a team (issue 11 item 2) ------------------------------------------

CATALOGUE = "id,name_fi,theme,unit,direction,decimals,aggregation,source,scope_kind,scope_value\n"
SCOPED = [
    ("a national indicator", f"{CATALOGUE}uusi_mittari,Uusi,access,pct,higher,1,ratio,x,national,\n", "scope_kind"),
    ("region 15's own", f"{CATALOGUE}uusi_mittari,Uusi,access,pct,higher,1,none,x,region,HVA15\n", "scope_kind"),
    ("a region 15 team's own", f"{CATALOGUE}uusi_mittari,Uusi,development,pct,higher,0,none,x,team,T2024-17\n",
     "scope_kind"),
]


@pytest.mark.parametrize(("case", "text", "column"), SCOPED, ids=[c[0] for c in SCOPED])
def test_an_indicator_of_a_scope_outside_the_analysts_is_a_row_error_and_nothing_is_written(con, case, text,
                                                                                             column):
    before = _state(con)
    report = ingest.load(con, text.encode(), file_name="m.csv", scope=_scope(con), user=A14)
    assert not report.committed
    assert [(p.row, p.column) for p in report.errors] == [(2, column)], [p.line() for p in report.errors]
    assert "sinulla ei ole oikeutta määritellä tai muuttaa" in report.errors[0].problem
    assert _state(con) == before
    if "national" not in case:   # the same in the analyst's own region (a team of region 14) loads
        own = text.replace("HVA15", "HVA14").replace("T2024-17", "T2024-12")
        assert ingest.load(con, own.encode(), file_name="m.csv", scope=_scope(con), user=A14).committed


def test_values_of_region_14s_own_indicator_go_only_to_region_14(con):
    scope = _scope(con)
    assert ingest.load(con, f"{CATALOGUE}pk_oma,Oma,access,pct,higher,1,none,x,region,14\n".encode(),
                       file_name="m.csv", scope=scope, user=A14).committed
    before = _state(con)
    report = ingest.load(con, b"indicator,unit,period,value\npk_oma,FI,2026-01,5\n", file_name="v.csv")
    assert not report.committed and "HVA14" in report.errors[0].problem   # not even the country's figure
    assert _state(con) == before
    scope = _scope(con)   # a scope is read after each load (the app's is cached per data version)
    assert ingest.load(con, b"indicator,unit,period,value\npk_oma,HVA14-joensuu-tk,2026-01,5\n", file_name="v.csv",
                       scope=scope, user=A14).committed
