"""`vetovoima serve` serves Streamlit's frontend with the app's base named in its page, so a deep
link connects without probing (vetopito.ui.static); the browser side is in test_browser_pages."""

from __future__ import annotations

from pathlib import Path

from streamlit import file_util

from vetopito.ui import static

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["tiimi", "vertailu"]


def test_the_script_goes_first_into_the_head_once():
    page = "<!DOCTYPE html>\n<html>\n  <head>\n    <title>x</title>\n  </head>\n</html>"
    once = static.with_base(page, PAGES)
    tag = static.script(PAGES)
    assert once.index(tag) < once.index("<title>") and once.count(tag) == 1
    assert static.with_base(once, PAGES) == once
    assert static.with_base("<html>no head</html>", PAGES) == "<html>no head</html>"


def test_the_pages_are_app_pys():
    assert static.page_paths(ROOT / "app.py") == sorted(
        ["tilanne", "alue", "vertailu", "yksikot", "tiimi", "kohortti", "esitys", "ohjelma", "lataa", "mittarit",
         "yllapito"])


def test_the_folder_serves_streamlits_files_and_its_index_with_the_script(tmp_path):
    original = Path(file_util.get_static_dir())
    folder = static.static_folder(original, tmp_path, PAGES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in original.iterdir())
    index = (folder / "index.html").read_text(encoding="utf-8")
    tag = static.script(PAGES)
    assert tag in index     # Streamlit's index.html still has a <head>: else the probe stays
    assert index.replace("\n    " + tag, "") == (original / "index.html").read_text(encoding="utf-8")
    js = next((original / "static" / "js").glob("index.*.js"))
    assert (folder / "static" / "js" / js.name).read_bytes() == js.read_bytes()
    assert "window.__streamlit" in js.read_text(encoding="utf-8")   # the frontend still reads the host's setting
