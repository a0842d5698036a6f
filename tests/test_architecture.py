"""The house rules anyone can check (issue 14, acceptance): every query file is used by code or
by a test and no code names a missing one; the modules of `vetopito/` import each other without
a cycle; no module is over about 400 lines without the reason written at its top."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from tests import sql
from vetopito import db

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vetopito"
CODE = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *PACKAGE.rglob("*.py")])
TESTS = sorted(p for p in (ROOT / "tests").rglob("*.py") if p.resolve() != Path(__file__).resolve())
# A query name as code writes it: a folder of queries/ (or of tests/queries/), then the name.
NAMED_QUERY = re.compile(r"(?:access|bench|catalog|history|load|meta|pages|seed)(?:/[a-z0-9_]+)+")
FLAT_QUERY = re.compile(r"[a-z]+__[a-z0-9_]+")  # the old `<caller>__<what>` naming
LONG = 400
REASON = re.compile(r"\b(long because|over \d+ lines)\b", re.IGNORECASE)


def _strings(path: Path) -> set[str]:
    """Every string literal of a Python file (docstrings included: a name there is no call)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


@functools.cache
def _library_queries() -> frozenset[str]:
    """Every statement file of queries/ by the name code runs it by (the migrations aside)."""
    names = (p.relative_to(db.QUERIES).with_suffix("").as_posix() for p in db.QUERIES.rglob("*.sql"))
    return frozenset(n for n in names if not n.startswith(f"{db.SCHEMA.name}/"))


def test_every_query_file_is_used_by_code_or_by_a_test():
    in_code = set().union(*map(_strings, CODE))
    in_tests = set().union(*map(_strings, TESTS))
    unused = sorted(_library_queries() - in_code - in_tests)
    assert not unused, f"query files no code or test names (delete them, or move them to tests/queries/): {unused}"
    test_only = sorted(_library_queries() - in_code)
    assert not test_only, (f"statements only tests use belong in tests/queries/ (run through tests/sql.py), "
                           f"not in the library's queries/: {test_only}")
    unused_by_tests = sorted(set(sql.names()) - in_tests)
    assert not unused_by_tests, f"tests/queries/ files no test names: {unused_by_tests}"


@pytest.mark.parametrize("path", CODE + TESTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_code_names_a_missing_query(path):
    known = _library_queries() | (set(sql.names()) if path in TESTS else set())
    strings = _strings(path)
    missing = sorted(s for s in strings if NAMED_QUERY.fullmatch(s) and s not in known)
    assert not missing, f"{path.relative_to(ROOT)} names queries that do not exist: {missing}"
    flat = sorted(s for s in strings if FLAT_QUERY.fullmatch(s) and (db.QUERIES / f"{s}.sql").exists())
    assert not flat, f"{path.relative_to(ROOT)}: flat query names (run /work/notes/move_queries.py): {flat}"


def test_no_flat_query_file_is_left():
    flat = sorted(p.name for p in db.QUERIES.glob("*.sql"))
    assert not flat, f"queries/ keeps its statements in folders by what they serve, not flat: {flat}"


def test_the_query_name_pattern_reaches_sub_folders_and_nothing_else():
    assert db.sql_text("pages/region/targets").startswith("--")
    assert db.sql_text("catalog/sync/upsert_indicators").startswith("--")
    for bad in ("../queries/meta/get", "pages/../meta/get", "/etc/passwd", "pages//region", "meta/get.sql",
                "Meta/get", "pages/region/", "/meta/get", "a/b/c/d/e/f", "", "meta\\get", "meta/get\n"):
        with pytest.raises(ValueError, match="Not a query name"):
            db.sql_text(bad)
    with pytest.raises(FileNotFoundError):
        db.sql_text("pages/region/no_such_query")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """The modules of vetopito/ that `path` imports when it is imported (module level, not inside
    functions; `from vetopito.x import y` is the module `vetopito.x.y` when there is one)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "vetopito":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "vetopito"}
        elif isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path.relative_to(ROOT)}: relative import; write `from vetopito… import …`")
    own = _module_name(path) if path.is_relative_to(ROOT) else None
    return {m for m in found if m in MODULES} - {own}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """The first import cycle of `graph` (module → the modules it imports), or None."""
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return None
        for imported in sorted(graph.get(module, ())):
            if found := visit(imported, (*path, module)):
                return found
        done.add(module)
        return None

    return next((c for m in sorted(graph) if (c := visit(m, ()))), None)


def test_the_modules_of_vetopito_import_each_other_without_a_cycle():
    graph = {name: _imports(path) for name, path in MODULES.items()}
    assert graph["vetopito.db"] >= {"vetopito.i18n"}, "the walk sees the imports"
    cycle = _cycle(graph)
    assert cycle is None, f"import cycle: {' → '.join(cycle)}"


def test_the_cycle_walk_catches_a_cycle(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from vetopito import db\nfrom vetopito.regions import base\n")
    b.write_text("def f():\n    from vetopito import ui\n")  # inside a function: not an import-time edge
    assert _imports(a) == {"vetopito.db", "vetopito.regions.base"} and _imports(b) == set()
    assert _cycle({"x": {"y"}, "y": {"z"}, "z": {"x"}}) == ["x", "y", "z", "x"]
    assert _cycle({"x": {"y"}, "y": set(), "z": {"y"}}) is None


def _long_modules() -> list[tuple[Path, int]]:
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *PACKAGE.rglob("*.py")]
    return [(p, n) for p in sorted(files) if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONG]


def test_a_module_over_about_400_lines_says_at_its_top_why():
    """A first docstring sentence or comment such as "Long because …" / "(Over 400 lines because …)"."""
    silent = [f"{p.relative_to(ROOT)} ({n} lines)" for p, n in _long_modules()
              if not REASON.search("\n".join(p.read_text(encoding="utf-8").splitlines()[:4]))]
    assert not silent, "split these modules by job, or write at their top why they are long: " + ", ".join(silent)


def _downloads_that_rerun(path: Path) -> list[int]:
    """Lines of `download_button(...)` calls without `on_click`: Streamlit's default reruns the
    whole page on the click, and that rerun can replace the file before the browser has fetched
    it (a 404 of the superseded `/media/…` payload; no file arrives)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.lineno for n in ast.walk(tree)
            if isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", None)) == "download_button"
            and not any(k.arg == "on_click" for k in n.keywords)]


def test_a_download_does_not_rerun_its_page():
    rerunning = {str(p.relative_to(ROOT)): lines for p in CODE if (lines := _downloads_that_rerun(p))}
    assert rerunning == {}


def test_the_download_scan_finds_a_rerunning_button(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('st.download_button("a", b"x", key="a", on_click="ignore")\n'
                    'left.download_button("b", b"y", key="b")\n', encoding="utf-8")
    assert _downloads_that_rerun(page) == [2]
