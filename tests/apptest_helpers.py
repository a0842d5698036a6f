"""AppTest helpers shared by the page tests (a module of its own: two conftest.py files exist,
and `from conftest import …` would pick whichever pytest imported last)."""

from __future__ import annotations

import ast
import functools
import html
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def app_test(page: str | None = None, *, query_params: dict | None = None, timeout: float = 60):
    """An AppTest of app.py opened at `pages/<page>.py` (None: the home page) as a link opens it
    in a new session (`deep_link`), run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if query_params:
        at.query_params.update(query_params)
    return deep_link(at, page)


@functools.cache
def page_url_paths() -> dict[str, str]:
    """The `url_path` app.py gives each page file (`page("compare", …, url_path="vertailu")`)."""
    found = {}
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "page" and node.args:
            url = next((k.value.value for k in node.keywords if k.arg == "url_path"), None)
            if isinstance(node.args[0], ast.Constant) and url:
                found[node.args[0].value] = url
    return found


def deep_link(at, page: str | None):
    """Run `at` (not run yet) opened at `pages/<page>.py` (None: the home page), as a browser's
    new session at `/<url_path>` opens it: Streamlit asks for the page whose hash is its
    url_path's, so the page runs first and alone. (`AppTest.switch_page` works only after a first
    run, which drew the whole home page, about 0.3 s a test, for nothing the test looks at.) A
    page the app did not register for this user raises ValueError, as `switch_page` does, never
    the silent fallback to the home page that a browser gets. Returns `at`."""
    from streamlit.util import calc_hash

    if not page or page == "region":
        return at.run()
    at._page_hash = calc_hash(page_url_paths()[page])   # what AppTest.switch_page sets
    at.run()
    script = str((ROOT / "pages" / f"{page}.py").resolve())
    registered = [str(info.get("script_path")) for info in at._registered_pages.values()]
    if any("url_pathname" in info for info in at._registered_pages.values()) and script not in registered:
        raise ValueError(f"Could not find a navigation page for {script!r}. Known pages: {registered}.")
    return at


def reference_db(path):
    """A new database at `path` (a file or a lake) holding only the reference data (regions,
    indicators): what an analyst's first upload meets. Returns `path`."""
    from vetopito import catalog, db

    con = db.connect(path)
    try:
        catalog.ensure_reference(con)
    finally:
        con.close()
    return path


def upload(at, name: str, data: bytes):
    """Give the upload page's file picker `data` as the file `name` and rerun."""
    at.file_uploader(key="upload").set_value((name, data, "text/csv"))
    return at.run()


def tile_value(at, indicator: str = "t3_laakari") -> str | None:
    """The latest value as the region page's tile shows it (the tile grid is one HTML element),
    tags dropped and spaces folded: `29 pv 10/2026`; None when the page shows no such tile or value."""
    grid = next((h.proto.body for h in at.get("html") if 'class="vv-grid"' in h.proto.body), "")
    tile = re.search(rf'data-indicator="{indicator}">(.*?)</li>', grid, re.S)
    value = tile and re.search(r'<p class="vv-value">(.*?)</p>', tile.group(1), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value.group(1))).split()) if value else None


def chart_periods(at) -> list:
    """The periods the region chart draws (every dataset Streamlit sent it, lines and limits)."""
    import polars as pl
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[0]
    frames = [pl.from_arrow(pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all()) for d in chart.proto.datasets]
    return sorted({p for f in frames if "period_start" in f.columns for p in f["period_start"].to_list()})
