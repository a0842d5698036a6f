"""Hostile strings loaded through every format (tests/hostile.py: a unit, two teams, their aims and
observations, the region's values with hostile flags, a target, events, operating models with
links), then every page of the navigation, the presentation mode (stepped through), the cohort
board, the upload page (a hostile file name, files whose error table holds hostile cells) and
every slide deck and table export, in real Chromium.

What fails a test:
- a request to any host but 127.0.0.1/localhost (the route aborts it and records it), and any
  `data:` or `blob:` fetch (recorded through the DevTools protocol, which Playwright's request
  events do not report). Streamlit itself fetched neither on these pages when this was written
  (its scripts, styles, fonts, `/_stcore/*` and `/media/*` downloads are all plain http on the
  app's own origin), so none is allowed;
- markup made from a data string anywhere in the page: an element (a heading, list item, bold,
  colour span, link, KaTeX, icon…) that holds a fragment of a hostile string without the raw
  markdown around it, an `<img>` or any other `src` that is not the app's own, an `<a>` whose
  href is `data:`/`javascript:`/another host (the one exception: an operating model's https
  link, which the design allows, drawn as a link whose text is that model's title);
- a hostile string that the page shows as text but not literally (the whole string, its line
  breaks folded into spaces);
- an exception on the page, a page or console error, an HTTP error (conftest `Tab.assert_clean`);
- a downloaded PPTX/PDF/CSV/XLSX without the hostile strings as literal text, with a cell a
  spreadsheet would run as a formula (`vetopito/export/safe.py`), or with anything that would
  fetch from outside (an external relationship, a URI action).

The database holds the reference data and these files only (2 teams, 3 measures, 10 months), so
the decks are made in seconds. The module serves its own copy on its own server (the upload at
the end commits and undoes a load). Screenshots: tests/artifacts/screenshots/hostile_*.png.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import hostile
from tests.browser.conftest import (
    LOCAL_HOSTS,
    RENDER_TIMEOUT_MS,
    ROOT,
    VIEWPORT,
    AppServer,
    Tab,
    record_outside,
    serve,
    wait_rendered,
)
from vetopito.export import safe
from vetopito.text import WORD_JOINER, safe_link

pytestmark = pytest.mark.browser

H = hostile
TEAM_PAGE = f"/tiimi?team={H.TEAM}"
# a fragment of a hostile string as it reads once rendered as markup → the raw text that must
# stand around it when it is shown as text. Case-sensitive; words the app's own texts never use.
MARKERS = {
    "lihava": "**lihava**", "punainen": ":red[punainen]", "x^2": "$x^2$", "linkki": "[linkki](data:",
    "Otsikko tavoite": "# Otsikko tavoite", "Otsikko rivinvaihdosta": "# Otsikko rivinvaihdosta",
    "lista tyoyksikko": "- lista tyoyksikko", "lista rivinvaihdosta": "- lista rivinvaihdosta",
    "numeroitu": "1. numeroitu", "lainaus": "> lainaus",
}
# What the DOM holds that could be markup made from data, and where requests may go. Run on the
# whole document (sidebar, dialogs and popovers included). SVG is left out of the text check:
# Vega draws labels as SVG text (never markdown) and shortens long ones with "…".
DOM_SCAN = """(markers) => {
  const origin = location.origin, bad = [];
  for (const el of document.querySelectorAll('[src], [srcset], [data], [poster]')) {
    const src = el.getAttribute('src') || el.getAttribute('srcset') || el.getAttribute('data') || el.getAttribute('poster');
    let url; try { url = new URL(src, location.href); } catch (e) { bad.push(['bad src', el.tagName, src]); continue; }
    if (url.origin !== origin) bad.push(['src not the app\\'s own', el.tagName, src]);
  }
  if (document.querySelectorAll('img').length) bad.push(['img', [...document.images].map(i => i.src)]);
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    let url; try { url = new URL(href, location.href); } catch (e) { bad.push(['bad href', href]); continue; }
    if (url.origin === origin && ['http:', 'https:'].includes(url.protocol)) continue;
    links.push({href: href, text: a.textContent.trim()});
  }
  for (const el of document.querySelectorAll('.katex, math, [data-testid="stLatex"]'))
    bad.push(['KaTeX', el.textContent]);
  for (const el of document.querySelectorAll('[data-testid="stIconMaterial"], [data-testid="stIconEmoji"]'))
    if (el.textContent.trim() === 'home') bad.push(['icon from data', el.textContent]);
  for (const el of document.querySelectorAll('strong, b, em, i, del, s, code, li, blockquote, h1, h2, h3, h4, h5, h6'))
    if (el.textContent.trim() === 'tiedosto') bad.push(['markup from a file name', el.tagName]);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || ['SCRIPT', 'STYLE'].includes(el.tagName)) continue;
    const text = el.textContent;
    for (const [word, raw] of Object.entries(markers))
      if (text.includes(word) && !text.includes(raw)) bad.push(['markup from data', el.tagName, word, text.slice(0, 160)]);
  }
  return {bad, links};
}"""


def folded(text: str) -> str:
    """Text as a page shows it: line breaks and runs of spaces as one space, and without the
    invisible word joiners the escaping puts into `https://` (so that GFM links no address)."""
    return " ".join(text.replace(WORD_JOINER, "").split())


def _outside_host(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme not in ("http", "https", "ws", "wss") or parsed.hostname not in LOCAL_HOSTS


@pytest.fixture(scope="module")
def hostile_db(reference_db_path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser_hostile") / "vetovoima.duckdb"
    committed = H.build_small(reference_db_path, path)
    assert all(committed.values()), committed
    return path


@pytest.fixture(scope="module")
def app_server(hostile_db) -> Iterator[AppServer]:
    with serve(hostile_db) as server:
        yield server


@pytest.fixture(scope="module")
def watched_tab(chromium, app_server) -> Iterator[Tab]:
    """One browser context for the module (its cache keeps Streamlit's ~100 scripts between page
    loads), set up as conftest's `tab` (outside requests aborted and recorded, console and page
    errors, HTTP errors), plus every non-http fetch (`data:`, `blob:`) as the DevTools protocol
    reports it: Playwright's request events leave those out."""
    context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    tab = Tab(page=page, server=app_server)
    tab.schemes = []

    record_outside(context, tab.blocked, data_ok=False)   # hostile data must not fetch even data:
    page.on("request", lambda r: tab.requests.append(r.url))
    page.on("pageerror", lambda e: tab.page_errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and tab.failed_responses.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and tab.console_errors.append(
        f"{m.text} ({(m.location or {}).get('url', '')})"))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.requestWillBeSent", lambda event: tab.schemes.append(event["request"]["url"][:200]))
    yield tab
    context.close()


@pytest.fixture
def watched(watched_tab) -> Tab:
    """The module's tab with empty records: each test judges only what it did."""
    for records in (watched_tab.console_errors, watched_tab.page_errors, watched_tab.requests,
                    watched_tab.failed_responses, watched_tab.blocked, watched_tab.schemes):
        records.clear()
    return watched_tab


def check(tab, name: str, shows: tuple[str, ...] = (), *, links: dict[str, str] | None = None,
          where: str = '[data-testid="stMain"]') -> str:
    """The page as it stands: a screenshot `hostile_<name>`, nothing fetched from outside or from
    `data:`/`blob:`, no markup from data, no link but `links` (href → the link's text), and every
    string of `shows` literally in the text of `where`. Returns that text."""
    tab.screenshot(f"hostile_{name}")
    tab.assert_clean()
    outside = [u for u in tab.requests if _outside_host(u)]
    assert outside == [], f"requests off the app's origin: {outside}"
    assert [u for u in tab.schemes if not u.startswith(("http:", "https:", "ws:", "wss:"))] == []
    found = tab.page.evaluate(DOM_SCAN, MARKERS)
    assert found["bad"] == [], found["bad"]
    other = [link for link in found["links"] if not link["href"].startswith("#")]
    assert {link["href"]: folded(link["text"]) for link in other} == \
        {href: folded(text) for href, text in (links or {}).items()}, other
    text = folded(tab.page.locator(where).first.inner_text())
    missing = [value for value in shows if folded(value) not in text]
    assert missing == [], (missing, text[:3000])
    return text


def grid_texts(tab, values: tuple[str, ...]) -> set[str]:
    """Which of `values` the page's data grids hold as literal text. A grid draws on a canvas (no
    markup can come of a cell); the text is in the accessible table it keeps for screen readers."""
    text = folded(tab.page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')].map(e => e.textContent).join(' ')"))
    return {value for value in values if folded(value) in text}


# --- downloads --------------------------------------------------------------------------------

DOWNLOAD_WAIT_MS = 180_000


def click_download(tab, key: str) -> tuple[str, bytes]:
    """Click the download button `key` as a user does: the file's suggested name and bytes."""
    page = tab.page
    button = page.locator(f".st-key-{key} button")
    button.wait_for()
    try:
        with page.expect_download(timeout=DOWNLOAD_WAIT_MS) as info:
            button.click()
    except PlaywrightTimeout:
        pytest.fail(f"no file arrived from {key!r}; server log:\n{tab.server.log_tail()}")
    download = info.value
    assert download.failure() is None, download.failure()
    data = Path(download.path()).read_bytes()
    wait_rendered(page, heading=False)
    return download.suggested_filename, data


def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_no_formula(cells) -> None:
    for row in cells:
        for cell in row:
            assert not str(cell).startswith(safe.FORMULA_STARTS) or safe.PLAIN_NEGATIVE.fullmatch(str(cell)), row


def xlsx_rows(data: bytes) -> list[list]:
    """The first sheet's cells; none is a formula, no text would run as one, and the workbook
    has no external link or relationship."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "externalLink" in n], archive.namelist()
        for name in archive.namelist():
            if name.endswith(".rels"):
                assert b'TargetMode="External"' not in archive.read(name), name
    rows = [list(row) for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()]
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.value
    assert_no_formula([[c.value for c in row if c.data_type == "s"] for row in rows])
    return [[c.value for c in row] for row in rows]


def pptx_text(data: bytes) -> str:
    """Every text of the deck; the deck links to nothing outside (no external relationship: no
    hyperlink, no linked picture) and holds only pictures it carries itself."""
    from pptx import Presentation

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                rels = archive.read(name)
                assert b'TargetMode="External"' not in rels, (name, rels[:500])
            if name.endswith(".xml"):
                assert b"hlinkClick" not in archive.read(name), name
    deck = Presentation(io.BytesIO(data))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)


PDF_ACTIONS = re.compile(rb"/(URI|Launch|JavaScript|JS|GoToR|GoToE|SubmitForm|ImportData|EmbeddedFile|Annots|AA)\b")


def pdf_text(data: bytes) -> str:
    """The text of an fpdf2 PDF: its content streams' strings through the embedded font's
    ToUnicode map (fpdf2 writes glyph ids, two bytes each). The PDF has no link, annotation,
    script or other action that could open anything."""
    assert data.startswith(b"%PDF")
    assert PDF_ACTIONS.findall(data) == []
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    for stream in streams:
        assert PDF_ACTIONS.findall(stream) == []
    glyphs: dict[int, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for first, last, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for i, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                    glyphs[code] = chr(int(dst, 16) + i)
    assert glyphs, "no ToUnicode map: the deck was not written with the TrueType font"
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    lines = []
    for stream in streams:
        for text_object in re.findall(rb"BT(.*?)ET", stream, re.S):
            parts = []
            for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)", text_object, re.S):
                raw = re.sub(rb"\\([nrtbf()\\])", lambda m: escapes.get(m.group(1), m.group(1)), literal)
                parts.append("".join(glyphs.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                                     for i in range(0, len(raw) - 1, 2)))
            lines.append("".join(parts))
    return "\n".join(lines)


def literally_in(value: str, text: str) -> bool:
    """`value` in `text` with all white space ignored (a deck wraps long lines anywhere)."""
    return re.sub(r"\s", "", value) in re.sub(r"\s", "", text)


# --- the pages --------------------------------------------------------------------------------

VISITED = {"tilanne", "alue", "vertailu", "yksikot", "tiimi", "kohortti", "esitys", "lataa", "mittarit", "yllapito",
           "ohjelma"}
REGION = f"region={H.REGION}&indicator={H.REGION_INDICATOR}"
FLAGS_AS_WRITTEN = {H.FLAG, "'" + H.FORMULA_FLAG, "'+SUM(1)", "'@SUM(1)"}   # the latest four months
# the exports' headers are written in the page's language (Finnish here): `flag` is "merkintä"


def test_every_page_of_the_navigation_is_visited_here():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert set(re.findall(r'url_path="([^"]+)"', app)) == VISITED


def test_region_page_and_its_exports(watched):
    """The default page (`/`, its own url path `tilanne`) and its `/alue` alias for the hostile
    data's region; the chart's CSV and XLSX carry the hostile flags as text, none as a formula."""
    watched.open(f"/?{REGION}", charts=1)
    check(watched, "tilanne")
    name, data = click_download(watched, "export_csv")
    cells = csv_cells(data)
    flags = {row[cells[0].index("merkintä")] for row in cells[1:]}
    assert FLAGS_AS_WRITTEN <= flags, flags
    assert_no_formula(cells)
    name, data = click_download(watched, "export_xlsx")
    rows = xlsx_rows(data)
    assert FLAGS_AS_WRITTEN <= {row[rows[0].index("merkintä")] for row in rows[1:]}
    name, data = click_download(watched, "export_png")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    check(watched, "tilanne_after_downloads")
    watched.open(f"/alue?{REGION}", charts=1)
    check(watched, "alue")


def test_compare_page_and_its_exports(watched):
    watched.open(f"/vertailu?{REGION}", charts=1)
    check(watched, "vertailu")
    name, data = click_download(watched, "export_csv")
    cells = csv_cells(data)
    mine = [row for row in cells[1:] if row[cells[0].index("yksikkö")] == "HVA15"]
    assert [row[cells[0].index("merkintä")] for row in mine] == [H.FLAG], cells
    assert_no_formula(cells)
    name, data = click_download(watched, "export_xlsx")
    rows = xlsx_rows(data)
    assert H.FLAG in {row[rows[0].index("merkintä")] for row in rows[1:]}


def test_units_page_and_catalogue(watched):
    watched.open(f"/yksikot?{REGION}", charts=1)
    check(watched, "yksikot", (H.UNIT_NAME,))
    watched.open("/mittarit")
    check(watched, "mittarit")
    # the programme board over the hostile data (no programme of its own: the page's empty state;
    # programme texts written as markup are shown as text in tests/browser/test_browser_programme.py)
    watched.open("/ohjelma")
    check(watched, "ohjelma")


def _decks(tab, key: str, must_have: tuple[str, ...]) -> None:
    """The page's PPTX and PDF buttons (`<key>pptx`, `<key>pdf`): both decks hold every string
    of `must_have` literally and link to nothing."""
    for kind, read in (("pptx", pptx_text), ("pdf", pdf_text)):
        name, data = click_download(tab, key + kind)
        text = read(data)
        missing = [value for value in must_have if not literally_in(value, text)]
        assert missing == [], (name, missing, text[:2000])


def test_team_pages_and_team_decks(watched):
    watched.open(TEAM_PAGE, charts=2)
    models = {H.MODEL_LINK: H.MODEL}
    shown = (H.NAME, H.AIM, H.EVENT, H.EVENT_NEWLINES, H.MODEL, H.hostile("malli2"))
    check(watched, "tiimi", shown, links=models)
    # the chart's tooltip on the event marker M1 (the hostile event): Vega writes it as text
    label = watched.page.locator('[data-testid="stVegaLiteChart"]').first.locator("svg text", has_text="M1").first
    box = label.bounding_box()
    watched.page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    tooltip = watched.page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for()
    assert folded(H.EVENT) in folded(tooltip.inner_text()), tooltip.inner_text()
    check(watched, "tiimi_tooltip", shown, links=models)     # the scan covers the tooltip's element too
    watched.page.mouse.move(5, 5)
    _decks(watched, "dl_", (H.NAME, H.WORK_UNIT, H.AIM, H.EVENT, H.EVENT_NEWLINES, H.MODEL))
    check(watched, "tiimi_after_decks", shown, links=models)
    # the second team: a parent that is the hostile unit, a numbered-list work unit, a quote as aim,
    # a link whose brackets the page must keep from closing the markdown link
    watched.open(f"/tiimi?team={H.TEAM_2}", charts=1)
    check(watched, "tiimi_2", (H.NAME_2, "> lainaus " + H.hostile("tavoite2"), H.hostile("tapahtuma2"),
                               H.hostile("malli3")),
          links={safe_link(H.MODEL_LINK + "?b=(c)[d]"): H.hostile("malli3")})
    # in Swedish the team's Swedish name, loaded in the same file, is its title
    watched.open(f"{TEAM_PAGE}&lang=sv", charts=2)
    check(watched, "tiimi_sv", (H.hostile("nimi_sv"), H.AIM, H.MODEL), links=models)


TITLE = '[data-testid="stMain"] h1'


def _title_is(tab, value: str) -> None:
    tab.page.wait_for_function("([sel, want]) => (document.querySelector(sel)?.innerText || '')"
                               ".replaceAll('\\u2060', '').split(/\\s+/).join(' ').trim() === want",
                               arg=[TITLE, folded(value)])
    wait_rendered(tab.page)


def test_presentation_mode_steps_through_the_cohort(watched):
    """The cohort's two teams, stepped through by arrow keys and buttons (the last wraps to the
    first): each screen's title is the team's name as text, aim and event key as text."""
    watched.open(f"/esitys?team={H.TEAM}", charts=2)
    _title_is(watched, H.NAME)
    first = (H.NAME, H.AIM, H.EVENT, H.EVENT_NEWLINES)
    check(watched, "esitys_1", first)
    watched.page.keyboard.press("ArrowRight")
    _title_is(watched, H.NAME_2)
    assert f"team={H.TEAM_2}" in watched.page.url
    check(watched, "esitys_2", (H.NAME_2, "> lainaus " + H.hostile("tavoite2"), H.hostile("tapahtuma2")))
    watched.page.keyboard.press("ArrowRight")            # wraps to the first
    _title_is(watched, H.NAME)
    check(watched, "esitys_wrapped", first)
    watched.page.locator(".st-key-present_prev button").click()
    _title_is(watched, H.NAME_2)
    check(watched, "esitys_previous", (H.NAME_2,))


def test_cohort_board_and_cohort_decks(watched):
    """The board (a canvas grid: its cells cannot be markup, the screenshot shows them) and the
    cohort's decks, which hold both teams' texts literally."""
    watched.open(f"/kohortti?cohort={H.COHORT}")
    check(watched, "kohortti")
    assert {H.NAME, H.NAME_2} <= grid_texts(watched, (H.NAME, H.NAME_2))
    _decks(watched, "dl_cohort_", (H.NAME, H.NAME_2, H.AIM, H.EVENT, H.MODEL, H.hostile("malli3")))
    check(watched, "kohortti_after_decks")


# --- the upload page, last: it commits and undoes a load ------------------------------------------

UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
LABELS = (H.hostile("lataus"), '=HYPERLINK("https://example.invalid/lataus","x")')


def _upload(tab, data: bytes, wait_for: str, *, gone: str | None = None) -> None:
    """Choose `data` in the uploader and wait for `wait_for`. `gone`: a text the page shows before
    the upload and not after it, when `wait_for` is on the page already (the same file offered
    again: the page says "jo ladattu" right after the commit). Without it the wait is met by the
    page as it stood before the file was chosen, and under load the check can land before the
    page has drawn the new file's check (the uploader's chip, then nothing of the upload)."""
    tab.page.set_input_files(UPLOAD_INPUT, files=[{"name": H.FILE_NAME, "mimeType": "text/csv", "buffer": data}])
    if gone:
        tab.page.get_by_text(gone).first.wait_for(state="detached")
    tab.page.locator(wait_for).first.wait_for()
    wait_rendered(tab.page)


def _events_file() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["unit", "date", "kind", "label"]] + [["HVA15", f"2026-05-{day:02d}", "note", label]
                                               for day, label in enumerate(LABELS, start=1)])
    return out.getvalue().encode("utf-8")


def test_upload_page_with_a_hostile_file_name(watched):
    """A hostile file name, a file whose error table holds a hostile indicator, one with a
    `data:` link, then a good file (events with hostile labels) committed, offered again (the
    "already loaded" message names the file), undone (the confirmation and the message name it);
    the error report, the changes CSV and the audit log download with every text neutralised."""
    page = watched.open("/lataa")
    check(watched, "lataa")

    _upload(watched, H.bad_files()["observations_bad.csv"], '[data-testid="stTable"]')
    check(watched, "lataa_virheet", (H.BAD_INDICATOR,))
    # the uploader shortens the name on screen ("**tiedo…red[x].csv") and keeps it whole as the title
    assert page.locator('[data-testid="stFileChipName"]').get_attribute("title") == H.FILE_NAME
    name, data = click_download(watched, "upload_error_report")
    # the page names it `<file name>.virheet.csv`; Chromium replaces `*`, `/` and `:` in a saved name
    assert name == re.sub(r"[*/:]", "_", f"{H.FILE_NAME}.virheet.csv"), name
    cells = csv_cells(data)
    assert H.BAD_INDICATOR in {row[2] for row in cells[1:]}, cells
    assert_no_formula(cells)

    _upload(watched, H.bad_files()["models_bad.csv"], f'[data-testid="stTable"]:has-text("{H.BAD_LINK[:20]}")')
    check(watched, "lataa_linkki", (H.BAD_LINK,))

    _upload(watched, _events_file(), ".st-key-upload_changes_csv")
    check(watched, "lataa_muutokset")
    name, data = click_download(watched, "upload_changes_csv")
    cells = csv_cells(data)
    assert [row[-1] for row in cells[1:]] == [LABELS[0], "'" + LABELS[1]], cells
    assert_no_formula(cells)
    page.get_by_role("button", name="Tallenna muutokset").click()
    page.get_by_text("Tallennettu latauksena").wait_for()
    wait_rendered(page)
    check(watched, "lataa_tallennettu", (H.FILE_NAME,))
    assert grid_texts(watched, (H.FILE_NAME,)) == {H.FILE_NAME}      # the load history's file column

    _upload(watched, _events_file(), '[data-testid="stAlert"]:has-text("jo ladattu")', gone="Tallennettu latauksena")
    check(watched, "lataa_jo_ladattu", (H.FILE_NAME,))

    page.locator(".st-key-undo_button button").click()
    page.locator(".st-key-undo_confirm button").wait_for()
    check(watched, "lataa_peru_vahvistus", (H.FILE_NAME,), where='[role="dialog"]')
    page.locator(".st-key-undo_confirm button").click()
    page.get_by_text("peruttu").first.wait_for()
    wait_rendered(page)
    check(watched, "lataa_peruttu", (H.FILE_NAME,))

    watched.open("/yllapito")
    check(watched, "yllapito")
    name, data = click_download(watched, "w_admin_audit_csv")
    cells = csv_cells(data)
    assert H.FILE_NAME in {cell for row in cells for cell in row}, cells[:5]
    assert_no_formula(cells)


def test_deck_charts_fetch_nothing(reference_db_path, tmp_path):
    """The charts a deck draws (`slides.deck` → each slide's spec, which the deck buttons render
    with vl-convert on the server, out of the browser's sight) carry their data inline: no `url`
    to load data or an image from, no image mark, no link channel; the hostile texts are data."""
    from vetopito import db, scoped
    from vetopito.export import slides
    from vetopito.teams import progress

    path = tmp_path / "decks.duckdb"     # the module's server holds its own file
    H.build_small(reference_db_path, path)
    con = db.connect(path, read_only=True)
    try:
        query = scoped.runner(con)
        reports = [progress.team_report(query, team_id, "fi") for team_id in (H.TEAM, H.TEAM_2)]
        specs = [s.make_spec() for s in slides.deck(reports, "fi", cohort=H.COHORT) if s.make_spec]
    finally:
        con.close()
    assert len(specs) == 3

    def walk(node, path=()):
        if isinstance(node, dict):
            for key, value in node.items():
                assert key not in ("url", "href"), path + (key,)
                if key in ("mark", "type") and (value == "image" or (isinstance(value, dict) and value.get("type") == "image")):
                    raise AssertionError(f"image mark at {path}")
                walk(value, path + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, path + (i,))

    for spec in specs:
        walk(spec)
    assert H.EVENT in json.dumps(specs, ensure_ascii=False)      # the event label reached the chart as data


# --- the checks themselves can fail -----------------------------------------------------------------

def test_the_dom_scan_finds_markup_made_from_the_hostile_strings(chromium):
    """The hostile strings rendered unescaped (CommonMark) hold bold words, a heading, a list item
    and an outside image, and a `data:` link is added by hand: the scan names each; the same
    strings escaped as the app escapes them, rendered the same way, hold nothing it names."""
    from markdown_it import MarkdownIt

    from vetopito.text import escape_markdown

    markdown = MarkdownIt("commonmark")
    strings = (H.NAME, H.WORK_UNIT, H.AIM, H.EVENT_NEWLINES, H.FILE_NAME)
    context = chromium.new_context()
    context.route("**/*", lambda route: route.abort())     # the outside image is never fetched
    page = context.new_page()
    try:
        # markdown-it itself refuses `data:` links; Streamlit's renderer is what the app guards
        # against, so one such link is written as the HTML a renderer that took it would write
        page.set_content("".join(markdown.render(s) for s in strings) + '<a href="data:text/html,x">linkki</a>')
        found = page.evaluate(DOM_SCAN, MARKERS)
        kinds = {entry[0] for entry in found["bad"]}
        assert {"img", "src not the app's own", "markup from data", "markup from a file name"} <= kinds, found
        words = {entry[2] for entry in found["bad"] if entry[0] == "markup from data"}
        assert {"lihava", "Otsikko tavoite", "lista tyoyksikko", "Otsikko rivinvaihdosta"} <= words, words
        assert any(link["href"].startswith("data:") for link in found["links"]), found["links"]
        page.set_content("".join(markdown.render(escape_markdown(s)) for s in strings))
        assert page.evaluate(DOM_SCAN, MARKERS) == {"bad": [], "links": []}
    finally:
        context.close()
