"""AppTest helpers shared by the page tests (a module of its own: two conftest.py files exist,
and `from conftest import …` would pick whichever pytest imported last)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def app_test(page: str | None = None, *, query_params: dict | None = None, timeout: float = 60):
    """An AppTest of app.py, optionally switched to `pages/<page>.py`, run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if query_params:
        at.query_params.update(query_params)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
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
