"""Every page and every export, per role, with a simulated signed-in user (AppTest): nothing outside
the user's scope appears in the page's text, tables, chart datasets (decoded from the Vega-Lite
protos), map JSON or download payloads (CSV, XLSX, PPTX), even when the URL asks for it.

The demo database gets three users (a director of region 15, a viewer, a coach of cohort 2024) and,
through the real loader, an organisational unit of region 12 with a year of figures, so that region
12 has both org-unit and team data a director of region 15 must not see.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from tests import small_cohort
from tests.apptest_helpers import deep_link
from vetopito import access, db, ingest

ROOT = Path(__file__).resolve().parent.parent
PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "vetovoima", "client_secret": "s",
                     "server_metadata_url": "https://login.example.fi/.well-known/openid-configuration"}}
DIRECTOR = "director15@example.fi"
VIEWER = "viewer@example.fi"
COACH = "coach2024@example.fi"
ANALYST = "analyst12@example.fi"
ADMIN = "admin@example.fi"
REGION12_TEAMS = ("T2024-02", "T2024-22", "T2025-17")     # data/seed/50_teams.csv, region HVA12
REGION15_TEAMS = ("T2024-17", "T2025-12", "T2025-32")
REGION12_UNIT = "HVA12-savilahti-tk"
REGION12_UNIT_NAME = "Savilahden testiasema"
UNITS_FILE = ("id,name_fi,name_sv,name_en,parent,kind,org_kind\n"
              f"{REGION12_UNIT},{REGION12_UNIT_NAME},{REGION12_UNIT_NAME} (sv),{REGION12_UNIT_NAME} (en),"
              "HVA12,org_unit,health_station\n")


def _add_users_and_region12_unit(path: Path) -> Path:
    """Users and, through the real loader, a region-12 org unit with figures (copied from a
    region-15 one)."""
    seed = pl.read_csv(ROOT / "data" / "seed" / "20_observations.csv", infer_schema=False)
    copied = seed.filter(pl.col("unit") == "HVA15-aanekoski-tk").with_columns(unit=pl.lit(REGION12_UNIT))
    assert copied.height > 12
    con = db.connect(path)
    try:
        assert ingest.load(con, UNITS_FILE.encode(), file_name="hva12_units.csv", user="test").ok()
        assert ingest.load(con, copied.write_csv().encode(), file_name="hva12_obs.csv", user="test").ok()
        access.grant(con, ADMIN, "admin", by="bootstrap")
        access.grant(con, DIRECTOR, "director", "region:15", by=ADMIN)
        access.grant(con, VIEWER, "viewer", by=ADMIN)
        access.grant(con, COACH, "coach", "cohort:2024", by=ADMIN)
        access.grant(con, ANALYST, "analyst", "region:12", by=ADMIN)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def pages_db(demo_db_path, session_stores) -> Path:
    """The demo database + users + a region-12 org unit with figures (copied from a region-15 one)."""
    path = session_stores.copy(demo_db_path, "vetovoima")
    return _add_users_and_region12_unit(path)


SMALL_COHORT = {"T2024-02": ("mk_palautuminen_pct", "ylityot_h_hlo_kk"),    # region 12 (Mikkeli)
                "T2024-17": ("mk_palautuminen_pct", "ylityot_h_hlo_kk")}    # region 15 (Äänekoski)
SMALL_OTHERS = ("T2025-01", "T2025-12")                                     # the 2025 cohort, kept whole


@pytest.fixture(scope="module")
def small_cohort_db(tmp_path_factory) -> Path:
    """The demo data with a SMALL 2024 cohort (2 teams × 2 measures) and two 2025 teams, users and
    the region-12 org unit as in `pages_db`: the coach of 2024 gets a cohort deck of 4 pictures, not
    the whole demo cohort's ~75 (twice: PPTX and PDF), which took 300–380 s a test."""
    teams = {**SMALL_COHORT, **dict.fromkeys(SMALL_OTHERS)}
    return _add_users_and_region12_unit(small_cohort.build(tmp_path_factory.mktemp("small_cohort"), teams))


def _forbidden(path: Path) -> dict[str, list[str]]:
    """Per user: the ids and names of every org unit and team outside their scope."""
    con = db.connect(path, read_only=True)
    try:
        units = db.run(con, "load/unit_names").filter(pl.col("kind").is_in(["org_unit", "team"]))
        out = {}
        for email in (DIRECTOR, VIEWER, COACH):
            scope = access.scope_for(con, email)
            inside = units.filter(pl.col("id").is_in(list(scope.unit_ids)))
            outside = units.filter(~pl.col("id").is_in(list(scope.unit_ids)))
            allowed_names = {n for c in ("name_fi", "name_sv", "name_en") for n in inside[c].to_list() if n}
            names = {n for c in ("name_fi", "name_sv", "name_en") for n in outside[c].to_list() if n}
            out[email] = sorted(set(outside["id"].to_list()) | (names - allowed_names))
    finally:
        con.close()
    return out


@pytest.fixture(scope="module")
def forbidden(pages_db) -> dict[str, list[str]]:
    """Per user: the ids and names of every org unit and team outside their scope."""
    out = _forbidden(pages_db)
    assert REGION12_UNIT in out[DIRECTOR] and REGION12_UNIT_NAME in out[DIRECTOR]
    assert set(REGION12_TEAMS) <= set(out[DIRECTOR]) and not set(REGION15_TEAMS) & set(out[DIRECTOR])
    assert "T2025-01" in out[COACH] and "T2024-02" not in out[COACH]
    assert "HVA15-aanekoski-tk" in out[VIEWER] and "T2024-17" in out[VIEWER]
    return out


@pytest.fixture(scope="module")
def small_forbidden(small_cohort_db) -> dict[str, list[str]]:
    """`forbidden` of the small-cohort database: the coach of 2024 still must not see 2025."""
    out = _forbidden(small_cohort_db)
    assert {"T2025-01", "T2025-12"} <= set(out[COACH]) and "Suun terveydenhuolto, Äänekoski" in out[COACH]
    assert "T2024-02" not in out[COACH] and "T2024-17" not in out[COACH]
    assert REGION12_UNIT in out[COACH] and REGION12_UNIT_NAME in out[COACH]
    return out


@pytest.fixture
def media(monkeypatch):
    """Keep every run's media file manager, so download payloads can be read after the run."""
    managers = []
    original = app_test_module.MediaFileManager

    class Recording(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


def open_page(db_path, app_env, email: str, name: str, params: dict | None = None) -> AppTest:
    app_env(db_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    if params:
        at.query_params.update(params)
    deep_link(at, name)   # as the user's link opens it
    assert not at.exception, [e.message for e in at.exception]
    return at


def download_payloads(at: AppTest, managers) -> dict[str, bytes]:
    """Every download button's bytes (deferred ones generated as a click would)."""
    manager = managers[-1]
    out = {}
    for button in at.get("download_button"):
        proto = button.proto
        if proto.HasField("deferred_file_id") and proto.deferred_file_id:
            url = manager.execute_deferred(proto.deferred_file_id)
        else:
            url = proto.url
        out[button.label] = manager._storage.get_file(url.rsplit("/", 1)[-1]).content
    return out


def payload_text(data: bytes) -> str:
    if data[:2] == b"PK":   # xlsx or pptx
        zipped = __import__("zipfile").ZipFile(io.BytesIO(data))
        return "\n".join(zipped.read(n).decode("utf-8", "replace") for n in zipped.namelist()
                         if n.endswith(".xml"))
    if data[:4] == b"%PDF":
        return ""   # fpdf2 embeds glyph ids; the PPTX of the same slides is searched instead
    if data[:4] == b"\x89PNG":
        return ""
    return data.decode("utf-8-sig", "replace")


def everything_shown(at: AppTest, managers) -> str:
    """The page's text, tables, chart data, map JSON and download payloads as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success", "latex", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [h.proto.body for h in at.get("html")]   # the region page's tile grid is one HTML element
    for widget in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, widget):
            parts += [str(o) for o in w.options]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    for chart in at.get("vega_lite_chart"):
        parts.append(chart.proto.spec)
        for dataset in chart.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all()
            parts.append(pl.from_arrow(table).write_csv())
    for deck in at.get("deck_gl_json_chart"):
        parts.append(deck.proto.json)
    for link in at.get("page_link"):
        parts.append(f"{link.proto.label} {link.proto.page} {json.dumps(dict(link.proto.query_params))}"
                     if hasattr(link.proto, "query_params") else link.proto.label)
    parts += [payload_text(data) for data in download_payloads(at, managers).values()]
    return "\n".join(parts)


WORD = re.compile(r"[\w-]+")


def leaks(text: str, tokens: list[str]) -> list[str]:
    """The tokens that stand in `text` as whole words (neither a word character nor a hyphen on
    either side). A token of word characters and hyphens alone does so exactly when it is one of
    the text's runs of them: one pass over the text instead of a search per token. Any other
    token (a name with spaces) can stand so only where each of its runs is one of the text's, so
    the text is searched only for a token whose runs all are."""
    words = set(WORD.findall(text))
    return [tok for tok in tokens
            if (tok in words if WORD.fullmatch(tok)
                else words.issuperset(WORD.findall(tok))
                and re.search(rf"(?<![\w-]){re.escape(tok)}(?![\w-])", text))]


@given(st.text(alphabet="ab1ä-_ .,\n", max_size=40), st.lists(st.text(alphabet="ab1ä-_ .", min_size=1, max_size=4), max_size=6))
def test_leaks_finds_what_a_search_per_token_finds(text, tokens):
    assert leaks(text, tokens) == [tok for tok in tokens if re.search(rf"(?<![\w-]){re.escape(tok)}(?![\w-])", text)]


# (user, page, URL parameters): every page each role can open, with the URL asking for more.
CASES = [
    (DIRECTOR, "region", {"region": "12"}),
    (DIRECTOR, "region", {"region": "HVA12"}),
    (DIRECTOR, "compare", {}),
    (DIRECTOR, "units", {"region": "12"}),
    (DIRECTOR, "units", {"region": "15"}),
    (DIRECTOR, "team", {"team": "T2024-02"}),
    (DIRECTOR, "cohort", {"cohort": "2024", "region": "HVA12"}),
    (DIRECTOR, "cohort", {"cohort": "2025"}),
    (DIRECTOR, "present", {"team": "T2024-02"}),
    (DIRECTOR, "present", {"team": "T2025-17", "cohort": "2025"}),
    (DIRECTOR, "catalog", {}),
    (VIEWER, "region", {"region": "15"}),   # no units page: the region page must not link to it
    (VIEWER, "compare", {}),
    (VIEWER, "catalog", {}),
    (COACH, "region", {"region": "15"}),
    (COACH, "compare", {}),
    (COACH, "team", {"team": "T2025-01"}),
    (COACH, "present", {"team": "T2025-01", "cohort": "2025"}),
    (COACH, "catalog", {}),
]


def _case_id(case) -> str:
    email, name, params = case.values if hasattr(case, "values") else case
    return f"{email.split('@')[0]}-{name}-{'&'.join(f'{k}={v}' for k, v in params.items())}"


@pytest.mark.parametrize(("email", "name", "params"), CASES, ids=[_case_id(c) for c in CASES])
def test_page_shows_nothing_outside_scope(pages_db, forbidden, app_env, media, email, name, params):
    at = open_page(pages_db, app_env, email, name, params)
    shown = everything_shown(at, media)
    assert shown.strip()
    assert not leaks(shown, forbidden[email]), f"{email} on {name} {params} sees {leaks(shown, forbidden[email])}"


def test_coach_cohort_page_shows_nothing_outside_scope(small_cohort_db, small_forbidden, app_env, media):
    """The case (coach of 2024, cohort page, ?cohort=2025) of `test_page_shows_nothing_outside_scope`,
    on the small cohort: the page, its board and both decks (PPTX searched, PDF generated)."""
    at = open_page(small_cohort_db, app_env, COACH, "cohort", {"cohort": "2025"})
    shown = everything_shown(at, media)
    assert shown.strip()
    assert not leaks(shown, small_forbidden[COACH]), f"{COACH} on cohort sees {leaks(shown, small_forbidden[COACH])}"
    payloads = download_payloads(at, media)
    assert {d[:4] for d in payloads.values()} >= {b"PK\x03\x04", b"%PDF"}   # both decks were made


def test_director_sees_own_region_units_and_teams(pages_db, forbidden, app_env, media):
    """The same checks are not vacuous: region 15's own org units and teams do show up."""
    units = everything_shown(open_page(pages_db, app_env, DIRECTOR, "units", {"region": "15"}), media)
    assert "Äänekosken terveysasema" in units
    board = everything_shown(open_page(pages_db, app_env, DIRECTOR, "cohort", {"cohort": "2024"}), media)
    assert "Vammaispalvelut, Äänekoski" in board
    team = open_page(pages_db, app_env, DIRECTOR, "team", {"team": "T2024-02"})
    assert set(team.selectbox(key="w_team").options) and all(
        o.split(" ")[0] in REGION15_TEAMS for o in team.selectbox(key="w_team").options)
    payloads = download_payloads(team, media)
    assert any(data[:2] == b"PK" for data in payloads.values())   # the PPTX was generated and searched


def test_director_exports_of_region_12_hold_regional_figures_only(pages_db, forbidden, app_env, media):
    at = open_page(pages_db, app_env, DIRECTOR, "region", {"region": "12"})
    payloads = download_payloads(at, media)
    csv_text = next(payload_text(d) for label, d in payloads.items() if d[:2] not in (b"PK", b"\x89P"))
    assert "HVA12" in csv_text or "Etelä-Savo" in csv_text       # the region's own figure is allowed
    xlsx = next(d for d in payloads.values() if d[:2] == b"PK")
    assert not leaks(csv_text + payload_text(xlsx), forbidden[DIRECTOR])


def test_units_page_of_region_12_is_empty_for_director_of_15(pages_db, app_env, media):
    at = open_page(pages_db, app_env, DIRECTOR, "units", {"region": "12"})
    assert not at.dataframe and not at.get("vega_lite_chart")
    assert at.info, "the page should say that there are no units to show"
    region12 = [o for o in at.selectbox(key="w_region").options if "(12)" in o]
    assert region12 and "·" not in region12[0], region12   # not even how many units region 12 has


def test_viewer_sees_no_team_or_unit_pages_and_no_unit_rows(pages_db, app_env, media):
    at = open_page(pages_db, app_env, VIEWER, "catalog", {})
    for hidden in ("units", "team", "cohort", "present", "upload", "admin"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{hidden}.py")


def test_coach_of_2024_sees_no_2025_cohort(small_cohort_db, app_env, media):
    at = open_page(small_cohort_db, app_env, COACH, "cohort", {"cohort": "2025"})
    assert at.selectbox(key="w_cohort").options == ["2024"]
    shown = everything_shown(at, media)
    assert "Vammaispalvelut, Äänekoski" in shown                  # T2024-17, a 2024 team
    assert "T2025-" not in shown and "Suun terveydenhuolto, Äänekoski" not in shown   # T2025-12


@pytest.mark.parametrize("email", [DIRECTOR, VIEWER, COACH])
def test_upload_and_admin_are_not_reachable_and_refuse_when_run_alone(pages_db, app_env, media, email):
    at = open_page(pages_db, app_env, email, "catalog", {})
    for hidden in ("upload", "admin"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{hidden}.py")
    alone = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60)
    alone.secrets.update(PROVIDER)
    alone.user = {"is_logged_in": True, "email": email, "name": "x"}
    alone.run()
    assert [e.value for e in alone.error] == ["Tämä sivu on vain ylläpitäjille."]
    assert not alone.dataframe and not alone.get("download_button")


def test_analyst_of_12_upload_page_refuses_region_15_rows(pages_db, app_env, media):
    at = open_page(pages_db, app_env, ANALYST, "upload", {})
    at.file_uploader(key="upload").set_value(
        ("hva15.csv", b"indicator,unit,period,value\nt3_laakari,HVA15-aanekoski-tk,2024-01,3\n", "text/csv"))
    at.run()
    assert not at.get("button") or "upload_confirm" not in [b.key for b in at.button]
    assert any("HVA15-aanekoski-tk" in str(v) for v in at.table[0].value.to_numpy().ravel())
