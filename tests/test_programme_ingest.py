"""The programme files (issue 13): good fixtures load in order and reload to nothing; each bad one
is refused with its exact errors and leaves the database as it was; undo of a round's entries puts
back exactly what the load replaced; the programme manager's rights; the keys the loader keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.programme_helpers import (
    FIXTURES,
    GOOD,
    PROGRAMME_TABLES,
    dump,
    load_good,
    read,
)
from vetopito import access, ingest, scoped
from vetopito.ingest import history
from vetopito.programmes import model


def test_good_files_load_in_order_and_reload_to_nothing(prog_con):
    reports = load_good(prog_con)
    assert [r.detected["format"] for r in reports] == [
        "programmes", "programme_goals", "subprojects", "programme_measures", "reporting_rounds", "output_counts",
        "round_entries"]
    assert [r.counts["new"] for r in reports] == [1, 2, 2, 3, 2, 2, 2]
    # headers in Finnish, English and Swedish; ';' and ',' delimiters; UTF-8 with and without BOM
    assert {r.detected["delimiter"] for r in reports} == {";", ","}
    again = [ingest.load(prog_con, path, user="t") for path in GOOD]
    assert all(r.already_loaded and r.counts["unchanged"] == r.counts["rows"] for r in again)
    programme = read(prog_con)
    assert model.entry(programme, "1.1", dt.date(2021, 5, 15))["text"] == (
        "Ajanvarausmalli suunniteltu.\nPilotti alkaa kahdella asemalla; T3 laski 20 → 15 pv.")
    assert programme.info["region_ids"] == ["HVA14"]
    assert programme.subprojects["unit_ids"].to_list() == [["HVA14-joensuu-tk", "HVA14-kitee-tk"], []]
    # an indicator measure's interim targets are targets of its indicator and unit
    targets = sorted((r["indicator_id"], r["unit_id"], r["due_date"], r["target_value"], r["source"])
                     for r in dump(prog_con)["target"])
    assert targets == [("t3_laakari", "HVA14-joensuu-tk", "2022-12-31", 10.0, "programme:TESTI-1/1.1/T3"),
                       ("t3_laakari", "HVA14-joensuu-tk", "2023-12-31", 0.0, "programme:TESTI-1/1.1/T3")]
    assert programme.targets.rows() == [
        ("1.1", "M1", dt.date(2022, 12, 31), None, "kaikki kanavat"), ("1.1", "T3", dt.date(2022, 12, 31), 10.0, None),
        ("1.1", "T3", dt.date(2023, 12, 31), 0.0, None), ("2.1", "O1", dt.date(2023, 12, 31), 300.0, None)]
    # a year as a period is its first and last day
    assert model.measure_counts(programme, "2.1", "O1").row(0) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31), 120.0)


BAD = {
    "programmes_bad.csv": [
        (2, "alkaa", "31.13.2021", '"31.13.2021" ei ole päivämäärä; odotettiin esim. 15.5.2021 tai 2021-05-15'),
        (2, "vastuuhenkilö", "hp-at-example.fi",
         '"hp-at-example.fi" ei ole sähköpostiosoite; odotettiin esim. etunimi.sukunimi@hyvinvointialue.fi'),
        (2, "alueet", "Atlantis", '"Atlantis" ei ole hyvinvointialue; lähimmät tunnetut: Satakunta, Lappi, Koko maa'),
        (3, "ohjelma", "TESTI-2", "sama avain (ohjelma) on jo rivillä 2"),
        (4, "ohjelma", "TESTI 3",
         '"TESTI 3" ei kelpaa tunnukseksi; käytä kirjaimia, numeroita ja merkkejä _ . - (enintään 64), esim. 1.6'),
        (4, "nimi", "", "arvo puuttuu; tämä sarake on pakollinen"),
    ],
    "measures_bad.csv": [
        (2, "subproject", "9.9", 'ohjelmalla ei ole osahanketta "9.9"; lataa ensin osahankkeet'),
        (2, "määräpäivä", None, "milestone-mittari tarvitsee sarakkeen määräpäivä"),
        (3, "kind", "kpi", '"kpi" ei ole sallittu; sallitut: indicator, milestone, output'),
        (4, "unit", "", "indicator-mittari tarvitsee sarakkeen unit"),
        (5, "indicator", "t3_laakarii",
         'tuntematon indikaattori "t3_laakarii"; lähimmät tunnetut: t3_laakari, t3_hammaslaakari, t3_hoitaja (T3 hoitaja)'),
        (6, "targets", "joskus: 5", 'välitavoite "joskus: 5" ei kelpaa; kirjoita päivä ja arvo, esim. 31.12.2022: 70 '
                                    "(useampi puolipisteellä tai rivinvaihdolla erotettuna)"),
        (6, "targets", "paljon",
         'välitavoitteen "paljon" arvo ei ole luku; indikaattori- ja tuotosmittarin tavoite on luku'),
    ],
    "round_entries_bad.csv": [
        (2, "raportointipäivä", "1.1.2020", "ohjelmalla ei ole raportointikierrosta 1.1.2020; lataa ensin kierrokset"),
        (3, "ohjelma", "TESTI-9", 'ohjelmaa "TESTI-9" ei ole; lataa ensin ohjelmatiedosto'),
        (4, "teksti", "", "arvo puuttuu; tämä sarake on pakollinen"),
    ],
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_exact_errors_and_changes_nothing(prog_con, name):
    load_good(prog_con, upto=5)
    before = dump(prog_con)
    report = ingest.load(prog_con, FIXTURES / name, user="t", lang="fi")
    assert not report.committed
    assert [(p.row, p.column, p.value, p.problem) for p in report.errors] == BAD[name]
    assert dump(prog_con) == before


def test_undo_of_a_rounds_entries_restores_exactly(prog_con):
    load_good(prog_con)
    before = dump(prog_con)
    edited = (b"ohjelma;osahanke;raportointip\xc3\xa4iv\xc3\xa4;teksti;kirjoittaja\r\n"
              b"TESTI-1;1.1;15.5.2021;\"Uusi teksti.\r\nToinen rivi.\";toinen@example.fi\r\n"
              b"TESTI-1;1.1;15.11.2021;Syksyn kirjaus;toinen@example.fi\r\n")
    report = ingest.load(prog_con, edited, file_name="entries.csv", user="t")
    assert report.ok() and report.counts == {"rows": 2, "new": 1, "changed": 1, "unchanged": 0, "rejected": 0}
    # the entry that had a time keeps it (the file has no written_at column)
    assert model.entry(read(prog_con), "1.1", dt.date(2021, 5, 15))["written_at"] == dt.datetime(2021, 5, 15, 12)
    result = ingest.undo(prog_con, report.load_id, user="t")
    assert (result.restored, result.removed) == (1, 1)
    after = dump(prog_con)
    assert {k: v for k, v in after.items() if k != "load"} == {k: v for k, v in before.items() if k != "load"}


def test_undo_of_a_goal_waits_for_the_subprojects_that_refer_to_it(prog_con):
    reports = load_good(prog_con, upto=3)
    with pytest.raises(ingest.UndoBlocked):
        ingest.undo(prog_con, reports[1].load_id, user="t")
    ingest.undo(prog_con, reports[2].load_id, user="t")
    ingest.undo(prog_con, reports[1].load_id, user="t")
    assert read(prog_con).goals.is_empty()


def _scope(con, email, role, scope):
    access.grant(con, email, role, scope, by="admin@example.fi")
    return access.scope_for(con, email)


def test_a_manager_edits_only_their_own_programme(prog_con):
    load_good(prog_con, upto=2)
    other = _scope(prog_con, "muu@example.fi", "programme_manager", "programme:MUU-1")
    report = ingest.load(prog_con, GOOD[1], user="muu@example.fi", scope=other.loading(), lang="en")
    assert [(p.row, p.problem) for p in report.errors] == [
        (None, 'all 2 rows: you may not change programme "TESTI-1": only its programme managers may')]
    own = _scope(prog_con, "hp@example.fi", "programme_manager", "programme:TESTI-1")
    changed = GOOD[1].read_bytes().replace(b"Osaava henkil\xc3\xb6st\xc3\xb6", b"Osaava ja pysyva henkilosto")
    report = ingest.load(prog_con, changed, file_name="goals.csv", user="hp@example.fi", scope=own.loading())
    assert report.committed and report.counts["changed"] == 1
    with pytest.raises(ingest.UndoRefused):
        ingest.undo(prog_con, report.load_id, user="muu@example.fi", scope=other.loading())
    assert report.load_id in set(ingest.loads(prog_con, own.loading())["load_id"].to_list())
    ingest.undo(prog_con, report.load_id, user="hp@example.fi", scope=own.loading())


def test_who_reads_a_programme(prog_con):
    load_good(prog_con)
    readers = {
        "director of its region": _scope(prog_con, "d@example.fi", "director", "region:14"),
        "its manager": _scope(prog_con, "hp@example.fi", "programme_manager", "programme:TESTI-1"),
    }
    others = {
        "director of another region": _scope(prog_con, "x@example.fi", "director", "region:15"),
        "manager of another programme": _scope(prog_con, "m@example.fi", "programme_manager", "programme:MUU-1"),
        "viewer": _scope(prog_con, "v@example.fi", "viewer", "all"),
    }
    for who, scope in readers.items():
        programme = model.read_programme(scoped.runner(prog_con, scope), "TESTI-1")
        assert programme is not None and programme.measures.height == 3, who
    for who, scope in others.items():
        run = scoped.runner(prog_con, scope)
        assert model.programmes(run).is_empty(), who
        assert model.read_programme(run, "TESTI-1") is None, who
        assert run("programmes/entries", programme_id="TESTI-1").is_empty(), who
    assert not others["manager of another programme"].may_edit_programme("TESTI-1")


def test_keys_hold_after_loads_and_undos(prog_con):
    reports = load_good(prog_con)
    ingest.load(prog_con, GOOD[-1].read_bytes().replace(b"120.", b"121."), file_name="e.csv", user="t")
    ingest.undo(prog_con, reports[-1].load_id + 1, user="t")
    rows = dump(prog_con)
    for entry in history.TRACKED:
        if entry.table in PROGRAMME_TABLES:
            keys = [tuple(r[k] for k in entry.keys) for r in rows.get(entry.table, [])]
            assert len(keys) == len(set(keys)), entry.table
    assert len(rows["round_entry"]) == 2


def test_the_roles_file_grants_a_programme_manager(prog_con):
    from vetopito.access import roles_import

    text = ("email;role;scope\nhp@example.fi;programme_manager;programme:TESTI-1\n"
            "d@example.fi;director;programme:TESTI-1\nm@example.fi;programme_manager;all\n")
    report = roles_import.import_roles_csv(prog_con, text, by="admin@example.fi", lang="en")
    assert [(p.row, p.column) for p in report.errors] == [(3, "scope"), (4, "scope")]
    assert report.errors[0].problem == ('Scope "programme:TESTI-1" is not valid for role director: a programme '
                                        "manager's scope is programme:<programme id>, and no other role has a "
                                        "programme scope.")
    report = roles_import.import_roles_csv(prog_con, text.splitlines(keepends=True)[0] + text.splitlines()[1],
                                           by="admin@example.fi")
    assert not report.errors
    scope = access.scope_for(prog_con, "hp@example.fi")
    assert scope.programme_ids == ("TESTI-1",) and scope.may_edit_programme("TESTI-1") and scope.can_load
