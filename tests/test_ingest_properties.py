"""Properties of the loader (hypothesis), atomicity of the commit, upload limits and scope."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import examples, sql
from vetopito import access, catalog, cli, db, ingest, limits

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
INDICATORS = ("hoitoonpaasy_pth_laakari_7vrk", "vaihtuvuus_pct", "t3_laakari")
UNITS = ("HVA01", "HVA09", "HVA13", "HVA15", "HVA21", "HVA90")
HEADERS = {"fi": ("indikaattori", "alue", "ajanjakso", "arvo"), "sv": ("indikator", "område", "period", "värde"),
           "en": ("indicator", "unit", "period", "value")}
MONTHS_FI = ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu",
             "syyskuu", "lokakuu", "marraskuu", "joulukuu")
PERIOD_SPELLINGS = (lambda d: f"{d.year}-{d.month:02d}", lambda d: f"{d.month}/{d.year}",
                    lambda d: f"{d.month:02d}/{d.year}", lambda d: f"{d.year}M{d.month:02d}",
                    lambda d: f"{MONTHS_FI[d.month - 1]} {d.year}", lambda d: f"{d.month}.{d.year}")


@pytest.fixture(scope="module")
def template(reference_db_path) -> Path:
    """The reference-only database (conftest), copied by each test that writes."""
    return reference_db_path


@pytest.fixture(scope="module")
def unit_names(template) -> dict[str, list[str]]:
    """Every spelling of each test unit: id, official code, Finnish name, short name."""
    con = db.connect(template)
    units = db.fetch(con, "load/unit_names")
    con.close()
    return {r["id"]: [v for v in (r["id"], r["code"], r["name_fi"], r["short_fi"]) if v]
            for r in units.iter_rows(named=True) if r["id"] in UNITS}


def snapshot(con) -> dict[str, list]:
    """Every row of every table, sorted (compared whole: 'exactly as before')."""
    return {name: sorted(con.table(name).fetchall(), key=repr) for name in db.row_counts(con)}


@st.composite
def canonical_files(draw):
    """A canonical frame and how to write it: separator, decimal mark, decimals (0–3), encoding,
    header language, period spelling, line ends, which spelling of each unit, and whether every row
    ends in an empty cell the header does not have (a trailing separator, as some exports write)."""
    keys = draw(st.lists(st.tuples(st.sampled_from(INDICATORS), st.sampled_from(UNITS), st.integers(0, 35)),
                         min_size=1, max_size=12, unique_by=lambda k: (k[0], k[1], k[2])))
    decimals = draw(st.integers(0, 3))
    rows = [(indicator, unit_id, dt.date(2022 + month // 12, month % 12 + 1, 1),
             round(draw(st.integers(0, 100_000)) / 1000, decimals), draw(st.integers(0, 3)))
            for indicator, unit_id, month in keys]
    return {"rows": rows, "sep": draw(st.sampled_from([",", ";", "\t"])), "decimal": draw(st.sampled_from([".", ","])),
            "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
            "lang": draw(st.sampled_from(list(HEADERS))), "spell": draw(st.sampled_from(PERIOD_SPELLINGS)),
            "crlf": draw(st.booleans()), "decimals": decimals, "trailing": draw(st.booleans())}


def render(case: dict, unit_names: dict[str, list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=case["sep"], lineterminator="\r\n" if case["crlf"] else "\n")
    writer.writerow(HEADERS[case["lang"]])
    for indicator, unit_id, start, value, spelling in case["rows"]:
        names = unit_names[unit_id]
        writer.writerow([indicator, names[spelling % len(names)], case["spell"](start),
                         f"{value:.{case['decimals']}f}".replace(".", case["decimal"]),
                         *([""] if case["trailing"] else [])])
    return out.getvalue().encode(case["encoding"])


def _observations(con) -> list[tuple]:
    frame = sql.run(con, "load/observations")
    return sorted(frame.select("indicator_id", "unit_id", "period_start", "value").iter_rows())


@settings(max_examples=examples.on_store(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(canonical_files())
def test_any_dialect_loads_the_same_observations_and_undo_restores(template, unit_names, session_stores, case):
    data = render(case, unit_names)
    expected = sorted((i, u, s, v) for i, u, s, v, _ in case["rows"])
    encoding, sep = case["encoding"], case["sep"]
    con = db.connect(session_stores.copy(template, "prop"))
    try:
        before = snapshot(con)
        report = ingest.load(con, data, file_name="x.csv")
        assert report.ok(), [p.line() for p in report.errors]
        assert report.detected["encoding"] == ("utf-8" if encoding == "cp1252" and data.isascii() else encoding)
        assert report.detected["delimiter"] == sep
        assert _observations(con) == expected
        loaded = snapshot(con)
        again = ingest.load(con, data, file_name="x.csv")
        assert again.already_loaded and again.load_id is None
        assert snapshot(con) == loaded
        ingest.undo(con, report.load_id, user="t")
        after = snapshot(con)
        # the load stays in the history (status undone) and the data version moves on; all else as before
        after.pop("load"), before.pop("load")
        assert after == before
    finally:
        con.close()


# --- atomicity -----------------------------------------------------------------------------------

@pytest.mark.parametrize("failing_step", ["load/update_changed_observations", "meta/bump_data_version",
                                          "history/save"])
def test_failure_in_the_middle_of_a_commit_leaves_everything_as_it_was(template, stores, monkeypatch,
                                                                      failing_step):
    con = db.connect(stores.copy(template, "db"))
    first = ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,10\n", file_name="a.csv")
    assert first.load_id == 1
    before, version = snapshot(con), db.data_version(con)
    real_execute, real_execute_tracked = db.execute, db.execute_tracked

    def failing(c, name, **params):
        if name == failing_step:
            raise RuntimeError(f"injected failure in {name}")
        return real_execute(c, name, **params)

    def failing_tracked(c, name, **params):  # the history statements (keeping what a load replaces)
        if name == failing_step:
            raise RuntimeError(f"injected failure in {name}")
        return real_execute_tracked(c, name, **params)

    monkeypatch.setattr(db, "execute", failing)
    monkeypatch.setattr(db, "execute_tracked", failing_tracked)
    with pytest.raises(RuntimeError, match="injected failure"):
        ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,12\nt3_laakari,HVA15,2024-04,13\n",
                    file_name="b.csv")
    monkeypatch.setattr(db, "execute", real_execute)
    monkeypatch.setattr(db, "execute_tracked", real_execute_tracked)
    assert snapshot(con) == before and db.data_version(con) == version
    assert ingest.loads(con)["load_id"].to_list() == [1]
    # and the same file loads cleanly afterwards
    assert ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,12\n", file_name="b.csv").committed
    con.close()


# --- limits ----------------------------------------------------------------------------------------

@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


def test_file_over_the_row_limit_is_refused(ref_con, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    data = b"indicator,unit,period,value\n" + b"".join(
        f"t3_laakari,HVA15,2024-{m:02d},1\n".encode() for m in range(1, 6))
    before = snapshot(ref_con)
    report = ingest.load(ref_con, data, file_name="big.csv")
    assert report.load_id is None
    assert [p.line() for p in report.errors] == [
        "Tiedostossa on 5 riviä; yhdellä kertaa voi ladata enintään 3 riviä. Jaa aineisto useampaan tiedostoon."]
    assert snapshot(ref_con) == before


@pytest.mark.parametrize("data", [b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                  b"indicator,unit\x00\x00\x01\x02"])
def test_binary_file_is_refused_as_not_text(ref_con, data, tmp_path, capsys):
    report = ingest.check(ref_con, data, file_name="ote.xlsx")
    assert report.errors[0].line().startswith("Tiedosto ei ole tekstiä (se näyttää Excel-, zip- tai muulta")
    assert report.detected == {"encoding": None, "delimiter": None, "decimal": None, "layout": None, "format": None}
    path = tmp_path / "ote.xlsx"
    path.write_bytes(data)
    db_path = tmp_path / "cli.duckdb"
    db.connect(db_path).close()
    assert cli.main(["check", str(path), "--db", str(db_path)]) == 1
    assert "Tiedosto ei ole tekstiä" in capsys.readouterr().out


def test_limits_follow_the_upload_config():
    assert limits.MAX_UPLOAD_MB == 50 and limits.MAX_ROWS >= 1_000_000


# --- scope -----------------------------------------------------------------------------------------

def test_rows_outside_the_scope_are_refused_and_nothing_is_written(ref_con):
    before = snapshot(ref_con)
    scope = access.Scope(unit_ids=("HVA15",), can_load=True).loading()
    report = ingest.load(ref_con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,1\nt3_laakari,HVA14,2024,2\n",
                         file_name="s.csv", scope=scope)
    assert [p.line() for p in report.errors] == [
        'rivi 3, sarake "unit": yksikkö "HVA14" ei kuulu alueisiin, joille sinulla on latausoikeus']
    assert report.counts["rejected"] == 1 and report.load_id is None
    assert snapshot(ref_con) == before


def test_a_user_without_load_rights_is_refused_for_every_format(ref_con):
    before = snapshot(ref_con)
    scope = access.full_scope(ref_con, user="viewer@example.fi")
    scope = access.Scope(unit_ids=scope.unit_ids, roles=frozenset({"viewer"}), can_load=False).loading()
    for name in ("long_bom.csv", "wide_indicator_good.csv", "units_good.csv", "targets_good.csv", "events_good.csv"):
        report = ingest.load(ref_con, FIXTURES / name, scope=scope, user="viewer@example.fi")
        assert not report.ok() and report.load_id is None, name
        assert all("latausoikeus" in p.problem for p in report.errors if p.row is not None), name
    assert snapshot(ref_con) == before
