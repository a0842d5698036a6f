"""Nothing loaded or uploaded is rendered as markup: the escaping (`vetopito.text`), the
operating-model link check, the map's HTML tooltip, and every page in AppTest with the hostile
strings of `tests/hostile.py` loaded through every format. The browser side (what Chromium
draws, and that it requests nothing outside the machine) is tests/browser/test_browser_hostile.py."""

from __future__ import annotations

import html
import json
import re

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests import hostile, sql
from tests.apptest_helpers import app_test
from vetopito import db, ingest
from vetopito.regions import maps
from vetopito.text import (
    WORD_JOINER,
    escape_markdown,
    fold_lines,
    is_https_link,
    safe_link,
    visible_text,
)
from vetopito.ui import markup

# CommonMark plus the GFM parts Streamlit has that markdown-it-py ships (tables, strikethrough)
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TEXTS = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=60)
MARKUPISH = st.text(st.sampled_from(list("*_[]()#+-.!|~<>{}`:$&\\=/@ \n\taZ1ä")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.one_of(TEXTS, MARKUPISH))
@example("**bold** :red[x] :material/home: $x^2$")
@example("rivi\n# Otsikko\n- lista\n1. kohta\n> lainaus\n---")
@example("![kuva](https://example.invalid/p.png) [linkki](data:text/html,x) <img src=x> &amp; &#65;")
@example("a | b\n--|--\nc | d")
def test_escaped_text_is_one_paragraph_of_exactly_that_text(value):
    """A markdown parser reads the escaped text back as one paragraph of plain text with no
    element in it, and the text is the original (line breaks folded)."""
    escaped = escape_markdown(value)
    rendered = MARKDOWN.render(escaped)
    expected = fold_lines(value).strip()         # the parser trims a paragraph's edges (and U+00A0 there)
    match = re.fullmatch(r"(?:<p>([^<]*)</p>\n)?", rendered)   # one paragraph, or none for blank text
    assert match, (value, escaped, rendered)
    assert html.unescape(match.group(1) or "").replace(WORD_JOINER, "").strip() == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXTS, MARKUPISH))
@example("\u2060")        # found by hypothesis: a word joiner of the data is dropped, being invisible
def test_no_markup_sequence_survives_and_visible_text_round_trips(value):
    escaped = escape_markdown(value)
    assert "\n" not in escaped and "\r" not in escaped and "\u2028" not in escaped
    bare = re.sub(r"\\.", "\x01", escaped)   # every escaped character as a placeholder
    for mark in "*[]<`~$\\":
        assert mark not in bare
    assert not re.search(r":[A-Za-z]", bare)            # `:red[`, `:small` directives
    assert not re.search(r":[\w+/-]+:", bare)           # `:smile:` emoji
    assert ":material/" not in escaped                  # Streamlit rewrites it before parsing
    assert not re.search(r"(?i)https?://|www\.", escaped)   # GFM links these even when escaped
    assert visible_text(escaped) == fold_lines(value.replace("\x00", "\ufffd").replace(WORD_JOINER, ""))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(TEXTS, MARKUPISH, st.none()), min_size=2, max_size=2), max_size=4),
       st.lists(MARKUPISH, min_size=2, max_size=2, unique=True))
@example([["a | b", "**x**"], ["<img src=x>", None]], ["Yksikkö | nimi", "Arvo"])
def test_table_md_is_one_table_of_exactly_those_cells(rows, header):
    """`markup.table_md` (the units page's table): a markdown parser reads one table with the
    frame's header and cells as plain text in their places, whatever the cells hold."""
    frame = pl.DataFrame(rows, schema={name: pl.String for name in header}, orient="row")
    rendered = MARKDOWN.render(markup.table_md(frame, right=(header[1],)))
    assert rendered.count("<table>") == 1 and not re.search(r"<(?!/?(?:table|thead|tbody|tr|th|td)\b)", rendered)
    cells = [[html.unescape(c).replace(WORD_JOINER, "").strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
             for r in re.findall(r"<tr>(.*?)</tr>", rendered, re.S)]
    expected = [[fold_lines(v or "").strip() for v in row] for row in [header, *rows]]
    assert cells == expected
    assert rendered.count('style="text-align:right"') == 1 + len(rows)   # the right-hand column


def test_table_md_of_nothing_is_nothing():
    assert markup.table_md(pl.DataFrame()) == ""


def test_map_legend_is_html_with_its_texts_escaped():
    """The comparison page's legend goes to `st.html` (no raw HTML inside markdown): its labels
    are escaped, and the swatches are hidden from screen readers."""
    regions = pl.DataFrame({"value": [10.0, 90.0, None]})
    legend = maps.legend_html(regions, {"direction": "higher", "unit": "pct", "decimals": 1}, "fi")
    assert legend.startswith('<p class="vv-legend"><strong>') and legend.count('aria-hidden="true">■■</span>') == 6
    assert "90,0\u00a0%" in legend and "ei arvoa" in legend


def test_escaping_examples():
    assert escape_markdown("**lihava** :red[x]") == r"\*\*lihava\*\* \:red\[x\]"
    assert escape_markdown("x:smile: :material/home:") == r"x\:smile\: \:material\/home\:"
    assert escape_markdown("rivi\n# Otsikko") == "rivi # Otsikko"
    assert escape_markdown("# Otsikko") == r"\# Otsikko" and escape_markdown("- a") == r"\- a"
    assert escape_markdown("1. a") == r"1\. a" and escape_markdown("> a") == r"\> a"
    # what is not markup where it stands reads the same: ids, dates, units, plain sentences
    for plain in ("HVA15-kuopio_tk", "12.5.2024", "50 % (2026)", "Lataus 1 (b.csv) peruttu: 3 arvoa", "-5"):
        assert escape_markdown(plain) == plain
    assert escape_markdown(None) == "" and escape_markdown(12) == "12"


@pytest.mark.parametrize("link, ok", [
    ("https://example.fi/vuorot", True), ("https://example.fi/a?b=c#d", True),
    ("http://example.fi/", False), ("data:text/html,<script>alert(1)</script>", False),
    ("javascript:alert(1)", False), ("//example.fi/x", False), ("/relative", False), ("example.fi", False),
    ("https://", False), (" https://example.fi", False), ("https://exa mple.fi", False),
    ("https://example.fi/\n", False), ("HTTPS://example.fi", True), (None, False), ("", False),
])
def test_only_https_links_are_links(link, ok):
    assert is_https_link(link) is ok
    assert (safe_link(link) is not None) is ok


def test_safe_link_keeps_markdown_link_syntax_closed():
    assert safe_link("https://example.fi/a(b)[c]") == "https://example.fi/a%28b%29%5Bc%5D"


def test_operating_model_with_a_non_https_link_is_a_row_error(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        before = db.data_version(con)
        report = ingest.load(con, hostile.bad_files()["models_bad.csv"], file_name="mallit.csv", user="t", lang="fi")
        assert not report.committed
        assert [p.line("fi") for p in report.errors] == [
            f'rivi 2, sarake "link": "{hostile.BAD_LINK}" ei ole https-osoite: toimintamallin linkiksi käy vain '
            'https://-alkuinen osoite']
        assert db.data_version(con) == before
    finally:
        con.close()


def test_map_tooltip_takes_texts_as_data_not_as_html():
    """The map is a Vega chart: its tooltip lists fields (Vega's tooltip handler writes them as
    text, escaping HTML), there is no HTML template a name could break out of, and the name
    reaches the chart as the data says it."""
    regions = pl.DataFrame({"code": ["15"], "unit_id": ["HVA15"], "name": [hostile.NAME], "name_fi": [hostile.NAME],
                            "value": [1.0], "value_text": ["<b>1</b>"], "rank": [1]})
    chart = maps.choropleth(regions, None, {"unit": "pct", "decimals": 1, "direction": "higher"}, lang="fi",
                            period_text="<img src=x>")
    spec = chart.to_dict()
    assert '"html"' not in json.dumps(spec)
    tooltip = spec["encoding"]["tooltip"]
    assert [t["field"] for t in tooltip][:1] == ["properties.name"] and all(t["type"] == "nominal" for t in tooltip)
    (collection,) = spec["datasets"].values()
    props = collection["features"][0]["properties"]
    assert props["name"] == hostile.NAME


# --- every page, in AppTest, with the hostile strings loaded ------------------------------------------------

MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error",
                  "toast")


def rendered_markdown(at) -> list[str]:
    """Every text the page hands to an element that renders markdown: the markdown elements and
    alerts, `st.table` cells and headers, button, widget, metric and expander labels and help."""
    texts = [str(e.value) for kind in MARKDOWN_KINDS for e in getattr(at, kind, [])]
    for table in at.table:
        frame = table.value
        texts += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    for kind in ("button", "selectbox", "multiselect", "text_input", "metric", "expander", "tabs", "toggle",
                 "checkbox", "radio", "segmented_control", "pills"):
        for element in getattr(at, kind, []):
            texts += [str(getattr(element, "label", "") or ""), str(getattr(element, "help", "") or "")]
    return texts


def assert_no_markup(at, must_show: tuple[str, ...] = ()) -> list[str]:
    assert not at.exception, at.exception
    texts = rendered_markdown(at)
    leaks = [(raw, text) for text in texts for raw in hostile.markup_leaks(text)]
    assert not leaks, leaks
    # HTML elements (the region page's tile grid): a text from data is escaped, never a tag
    html_leaks = [body for body in (h.proto.body for h in at.get("html")) if "<img" in body or "<b>" in body]
    assert not html_leaks, html_leaks
    for value in must_show:
        assert any(escape_markdown(value) in text for text in texts), (value, texts)
    return texts


@pytest.fixture(scope="module")
def hostile_db(demo_db_path, session_stores):
    return session_stores.freeze(hostile.build(session_stores.copy(demo_db_path, "hostile")), "hostile")


def test_team_page_shows_loaded_texts_as_text(hostile_db, app_env):
    app_env(hostile_db)
    at = app_test("team", query_params={"team": hostile.TEAM})
    assert_no_markup(at, (hostile.NAME, hostile.AIM))
    assert any(escape_markdown(hostile.EVENT) in c.value for c in at.caption)   # the event key
    model = next(m.value for m in at.markdown if "toimintamalli" in m.value)
    assert f"]({hostile.MODEL_LINK})" in model and model.startswith(f"- [{escape_markdown(hostile.MODEL)}]")


def test_team_page_renders_a_stored_non_https_link_as_plain_text(hostile_db, app_env, session_stores):
    """A link stored before the check (or written into the file by hand) is no link on the page."""
    path = session_stores.copy(hostile_db, "old")
    con = db.connect(path)
    sql.execute(con, "pages/team/set_operating_model_link", link=hostile.BAD_LINK, team_id=hostile.TEAM)
    con.close()
    app_env(path)
    at = app_test("team", query_params={"team": hostile.TEAM})
    model = next(m.value for m in at.markdown if "toimintamalli" in m.value)
    assert model.startswith(f"- {escape_markdown(hostile.MODEL)} — ")   # the title alone, no link
    assert not re.search(r"(?<!\\)\]\(", model)


def test_presentation_mode_shows_loaded_texts_as_text(hostile_db, app_env):
    app_env(hostile_db)
    at = app_test("present", query_params={"cohort": str(hostile.COHORT), "team": hostile.TEAM})
    assert_no_markup(at, (hostile.NAME, hostile.AIM))
    assert at.title[0].value == escape_markdown(hostile.NAME)


@pytest.mark.parametrize("name, params", [
    ("cohort", {"cohort": str(hostile.COHORT)}),
    ("units", {"region": hostile.REGION}),
    ("region", {"region": hostile.REGION}),
    ("compare", {}),
    ("catalog", {}),
    ("admin", {}),
])
def test_other_pages_show_loaded_texts_as_text(hostile_db, app_env, name, params):
    app_env(hostile_db)
    assert_no_markup(app_test(name, query_params=params))


def test_upload_page_shows_a_hostile_file_name_and_cells_as_text(hostile_db, app_env, session_stores):
    path = session_stores.copy(hostile_db, "upload")
    app_env(path)
    at = app_test("upload")
    at.file_uploader(key="upload").set_value((hostile.FILE_NAME, hostile.bad_files()["observations_bad.csv"],
                                              "text/csv"))
    at.run()
    texts = assert_no_markup(at, (hostile.BAD_INDICATOR,))
    assert at.table and any(escape_markdown(hostile.BAD_INDICATOR) in t for t in texts)
    at.file_uploader(key="upload").set_value((hostile.FILE_NAME, hostile.bad_files()["models_bad.csv"], "text/csv"))
    at.run()
    assert_no_markup(at, (hostile.BAD_LINK,))
    good = b"indicator,unit,period,value\nt3_laakari,HVA15,2024,3\n"
    at.file_uploader(key="upload").set_value((hostile.FILE_NAME, good, "text/csv"))
    at.run()
    at.button(key="upload_confirm").click().run()
    assert_no_markup(at)
    at.file_uploader(key="upload").set_value((hostile.FILE_NAME, good, "text/csv"))   # the same file again
    at.run()
    assert_no_markup(at, (hostile.FILE_NAME,))     # "Sama tiedosto on jo ladattu (lataus n, <name>)"
    at.button(key="undo_button").click().run()
    assert_no_markup(at, (hostile.FILE_NAME,))     # "Lataus n (<name>) peruttu"


def test_admin_messages_show_typed_texts_as_text(hostile_db, app_env, session_stores):
    path = session_stores.copy(hostile_db, "admin")
    app_env(path)
    at = app_test("admin")
    email = "![x](https://example.invalid/e.png)**lihava**@example.fi"
    at.text_input(key="w_admin_email").set_value(email)
    at.text_input(key="w_admin_scope").set_value("all")
    at.button[0].click().run()
    assert_no_markup(at)
    assert any(visible_text(s.value) == f"Annettu: {email} viewer all" for s in [*at.success, *at.error]), [s.value for s in [*at.success, *at.error]]
