"""Whatever text a file holds, checking it gives a report (counts and problems in words), never an
exception: ragged rows, header-only files, odd headers, quotes, blank and title lines."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import examples
from vetopito import catalog, db, ingest

EXAMPLES = int(os.environ.get("VETOPITO_FUZZ_EXAMPLES", "300"))  # more for a longer hunt
HEADER = st.sampled_from(["name_fi", "org_kind", "target_value", "due_date", "label", "date", "team", "title",
                          "theme", "link", "baseline_value", "baseline_period", "aim_value", "aim_date", "cohort",
                          "start", "indikaattori", "indicator", "alue", "unit", "region", "ajanjakso", "period", "year",
                          "arvo", "value", "primary value", "osoittaja", "nimittäjä", "vastaajat", "merkintä",
                          "gender", "id", "name", "parent", "kind", "T3 mediaani 1/2020", "2023M09", "3/2024",
                          "t3_laakari", "Hoitoonpääsy: lääkäri 7 vrk", "x", "", "arvo (%)"])
# every format's own header, so that the cells below reach its checks
FORMAT_HEADERS = [h.split(",") for h in (
    "indicator,unit,period,value,numerator,denominator,respondents,flag",
    "indicator,region,year,gender,primary value,absolute value",
    "id,name_fi,name_sv,name_en,parent,kind,org_kind",
    "indicator,unit,target_value,due_date,label,source",
    "unit,date,kind,label",
    "tiimi,nimi,hyvinvointialue,kohortti,yhteistyöalue,teema,tavoite,koko,aloitus",
    "team,indicator,baseline_value,baseline_period,aim_value,aim_date",
    "team,title,theme,link",
    "alue,T3 mediaani 1/2020,T3 mediaani 2/2020",
    "alue,ajanjakso,t3_laakari,hoitoonpaasy_pth_laakari_7vrk",
    "indikaattori,hyvinvointialue,toimipiste,vuosi,kuukausi,arvo",
)]
CELL = st.sampled_from(["", " ", "t3_laakari", "hoitoonpaasy_pth_laakari_7vrk", "HVA15", "Keski-Suomi", "FI",
                        "HVA15-kyllo-tk", "2024", "3/2024", "2024M03*", "15.3.2024", "13/2024", "12", "74,5",
                        "3.36 %", "4 315", "-5", "182", "..", "–", "x", '"a;b"', '"q,w"', "total", "female",
                        "1e400", "abc", "ä", '"', "T2026-01", "org_unit", "health_station", "2023-12-31",
                        "workshop", "work_content", "https://example.fi", "mk_palautuminen_pct", "YTA2", "Johtaminen",
                        "Päivystys, Kuopio", "6", "2026", "15.2.2026", "HVA15-kuopio-tk", "maaliskuu", "Q2"])


@st.composite
def texts(draw) -> bytes:
    sep = draw(st.sampled_from([";", ",", "\t"]))
    header = draw(st.one_of(st.lists(HEADER, min_size=1, max_size=7), st.sampled_from(FORMAT_HEADERS)))
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=6))
    titles = draw(st.lists(st.sampled_from(['"Taulukko"', "", "Lähde: THL"]), max_size=2))
    lines = [*titles, sep.join(header), *(sep.join(row) for row in rows)]
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from(["", end]))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")


@pytest.fixture(scope="module")
def con(backend, tmp_path_factory, request):
    from tests.conftest import Stores

    connection = db.connect(Stores(backend, tmp_path_factory.mktemp("fuzz"), request).new("ref"))
    catalog.ensure_reference(connection)
    yield connection
    connection.close()


@settings(max_examples=examples.on_store(EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts(), st.sampled_from([None, "t3_laakari"]))
def test_any_text_gives_a_report(con, data, indicator):
    report = ingest.check(con, data, file_name="fuzz.csv", options=ingest.Options(indicator=indicator))
    assert report.ok() or report.errors  # a rejected file says why
    assert all(p.problem and "{" not in p.problem for p in report.errors)  # every message filled in
    assert report.counts["rejected"] <= report.counts["rows"] or not report.ok()


@pytest.mark.parametrize("text", [
    "indikaattori;alue;ajanjakso;arvo\n",
    "indicator;unit;period;value\n;;;\n",
    "alue;1/2024;2/2024\n",
    "alue;t3_laakari;ajanjakso\n",
    "indicator;region;year;gender;primary value;absolute value\n",
])
def test_a_file_without_values_says_so(con, text):
    before = db.row_counts(con)
    report = ingest.load(con, text.encode(), file_name="tyhja.csv", options=ingest.Options(indicator="t3_laakari"))
    assert not report.committed and report.errors
    assert db.row_counts(con) == before


@settings(max_examples=examples.on_store(EXAMPLES // 3), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts())
def test_any_text_loads_or_is_refused_and_undo_takes_it_back(con, data):
    """A file that checks clean commits (one transaction) keeping the keys, and its undo restores
    every table; a refused one changes nothing."""
    before = _snapshot(con)
    report = ingest.load(con, data, file_name="fuzz.csv")
    event("committed" if report.committed else "refused")
    if not report.committed:
        assert _snapshot(con) == before
        return
    assert db.key_problems(con).is_empty()  # no key twice, no unknown id, derived tables in step
    ingest.undo(con, report.load_id, user="fuzz")  # nothing was loaded after it: never blocked
    after = _snapshot(con)
    after.pop("load"), before.pop("load")  # the load stays in the history, marked undone
    assert after == before


def _snapshot(con) -> dict[str, list]:
    return {name: sorted(con.table(name).fetchall(), key=repr) for name in db.row_counts(con)
            if name not in ("meta",)}
