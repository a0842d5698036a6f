"""Streamlit's frontend, served with the app's address written into its page.

Opened at a deep link (`/tiimi`), Streamlit's frontend does not know which part of the path is
the app's base and which the page: it asks `/tiimi/_stcore/health` first, gets a 404, waits
100 ms and asks `/_stcore/health`; every new session opened from a shared link pays that. The
frontend reads the base from `window.__streamlit.BACKEND_BASE_URL` when a host sets it (what
an embedding host does), so `vetopito serve` serves Streamlit's own static folder with one
script added to its index.html that sets it: the page's path without its last part when that
part is one of app.py's pages (`url_path=`), else the path itself. So `/tiimi` connects at `/`,
and behind a proxy at `/vetovoima/tiimi` (with `server.baseUrlPath`, or a proxy that strips the
prefix) at `/vetovoima/`; a wrong guess costs what Streamlit's own probe costs, for the frontend
still tries the parent of the base it is given.

The folder is made per server process in a temporary directory: links to every entry of
Streamlit's static folder and the changed index.html; removed when the process ends.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

HEAD = "<head>"
PAGE_PATH = re.compile(r'url_path="([a-z0-9_-]+)"')
_SCRIPT = ("<script>(() => {{ const pages = {pages}; const path = location.pathname.replace(/\\/+$/, ''); "
           "const last = path.slice(path.lastIndexOf('/') + 1); "
           "const base = pages.includes(last) ? path.slice(0, path.length - last.length) : path + '/'; "
           "window.__streamlit = {{BACKEND_BASE_URL: location.origin + base}}; }})();</script>")


def page_paths(app_py: Path) -> list[str]:
    """The `url_path` of every page app.py lists (the paths a deep link ends in)."""
    return sorted(set(PAGE_PATH.findall(app_py.read_text(encoding="utf-8"))))


def script(pages: list[str]) -> str:
    return _SCRIPT.format(pages=json.dumps(sorted(pages)))


def with_base(index_html: str, pages: list[str]) -> str:
    """Streamlit's index.html with the script that names the app's base first in its head;
    unchanged when it has no `<head>` (a Streamlit whose page looks different keeps probing)."""
    tag = script(pages)
    if HEAD not in index_html or tag in index_html:
        return index_html
    return index_html.replace(HEAD, HEAD + "\n    " + tag, 1)


def static_folder(original: Path, work: Path, pages: list[str]) -> Path:
    """A folder in `work` that serves what `original` does, index.html with `with_base`."""
    folder = work / "static"
    folder.mkdir()
    for entry in original.iterdir():
        if entry.name != "index.html":
            (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    index = (original / "index.html").read_text(encoding="utf-8")
    (folder / "index.html").write_text(with_base(index, pages), encoding="utf-8")
    return folder


def install(app_py: Path) -> None:
    """Make Streamlit's server (started later in this process) serve `static_folder` for the
    pages of `app_py`. Call before the server starts."""
    from streamlit import file_util

    pages = page_paths(app_py)
    if not pages:
        return
    streamlit_static = file_util.get_static_dir
    made: list[Path] = []

    def get_static_dir() -> str:
        if not made:
            work = Path(tempfile.mkdtemp(prefix="vetovoima-static-"))
            atexit.register(shutil.rmtree, work, ignore_errors=True)
            made.append(static_folder(Path(streamlit_static()), work, pages))
        return os.fspath(made[0])

    file_util.get_static_dir = get_static_dir
