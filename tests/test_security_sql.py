"""No SQL is assembled from input anywhere: SQL lives only in `queries/`, every value is bound as a
`$named` parameter, and unit-level queries for pages are filtered by the user's scope."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vetopito import access, db

ROOT = Path(__file__).resolve().parent.parent
PYTHON_DIRS = ("vetopito", "pages", "scripts", "tests")
PYTHON_FILES = sorted(
    [ROOT / "app.py"] + [p for d in PYTHON_DIRS if (ROOT / d).exists() for p in (ROOT / d).rglob("*.py")
                         if ".venv" not in p.parts]
)
SQL_FILES = sorted((ROOT / "queries").rglob("*.sql"))
TEST_QUERIES = ROOT / "tests" / "queries"
# every named statement: the library's (queries/<folder>/…/<name>.sql, migrations and history/ aside)
# and the tests' own (tests/queries/)
QUERY_FILES = sorted([ROOT / "queries" / f"{n}.sql" for n in db.query_names()]
                     + [TEST_QUERIES / f"{n}.sql" for n in db.query_names(TEST_QUERIES)])


def query_name(path: Path) -> tuple[str, Path]:
    """The name a statement is run by (`pages/region/targets`) and the folder it is named in."""
    folder = TEST_QUERIES if path.is_relative_to(TEST_QUERIES) else ROOT / "queries"
    return path.relative_to(folder).with_suffix("").as_posix(), folder
# A statement, not prose: a leading keyword followed by the clause that makes it SQL.
SQL_STATEMENT = re.compile(
    r"^\s*(select\b[\s\S]*\bfrom\b|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b|"
    r"create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view|index|sequence|macro)\b|drop\s+(table|view)\b|"
    r"alter\s+table\b|with\s+(recursive\s+)?\w+\s+as\s*\(|copy\s+\w+|attach\s+|pragma\s+\w+|"
    r"install\s+\w+|load\s+\w+;?$)",
    re.IGNORECASE)
EXECUTORS = {"execute", "executemany", "sql", "query", "from_query", "run", "fetch", "scalar"}
THIS_FILE = Path(__file__).resolve()


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _string_constants(tree: ast.AST):
    """String literals that are values (docstrings excluded)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


@pytest.mark.parametrize("path", [p for p in PYTHON_FILES if p.resolve() != THIS_FILE], ids=rel)
def test_no_sql_string_literals_in_python(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [(node.lineno, node.value[:60]) for node in _string_constants(tree) if SQL_STATEMENT.match(node.value)]
    assert not found, f"{rel(path)}: SQL belongs in queries/*.sql, found {found}"


def _is_assembled(node: ast.AST) -> bool:
    """An f-string, `%` formatting, `+` concatenation or `.format()` call."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
        "format", "join", "replace")


@pytest.mark.parametrize("path", [p for p in PYTHON_FILES if p.resolve() != THIS_FILE], ids=rel)
def test_no_statement_assembled_at_a_call_site(path):
    """The first argument of execute/sql/run/… is never built with f-strings, %, + or .format()."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in EXECUTORS:
            if node.args and _is_assembled(node.args[0]):
                bad.append((node.lineno, ast.unparse(node)[:80]))
    assert not bad, f"{rel(path)}: statements must come from queries/ with bound $parameters: {bad}"


def _strip(text: str) -> str:
    """The SQL without comments and string literals."""
    text = re.sub(r"--[^\n]*", "", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


@pytest.mark.parametrize("path", SQL_FILES, ids=rel)
def test_sql_files_bind_only_named_parameters(path):
    body = _strip(path.read_text(encoding="utf-8"))
    assert "?" not in body, f"{rel(path)}: positional ? parameter; use $name"
    assert not re.search(r"\$\d", body), f"{rel(path)}: numbered $1 parameter; use $name"
    assert not re.search(r"%\(?\w*\)?s\b|%s", body), f"{rel(path)}: %s formatting placeholder"
    assert not re.search(r"\{[A-Za-z_]\w*\}", body), f"{rel(path)}: {{name}} template placeholder"
    if path.parent.name != db.TRACKED_FOLDER:
        assert not db.TRACKED_MARKER.search(body), f"{rel(path)}: {{tracked.…}} marker outside queries/history/"
    else:  # the only markers: filled from the closed TRACKED list, documented in the file's first comment
        assert set(db.TRACKED_MARKER.findall(body)) <= TRACKED_FILLS, rel(path)
    if path.parent.name == "schema":
        assert "$" not in body, f"{rel(path)}: a migration takes no parameters"


# What `db.execute_tracked` fills a `{tracked.<name>}` marker with (see queries/history/*.sql).
TRACKED_FILLS = {"table", "history", "kept", "t_kept", "key_match", "set_restored", "row_key", "parent"}


def test_only_the_history_statements_hold_the_tracked_marker():
    marked = {rel(p) for p in SQL_FILES if db.TRACKED_MARKER.search(_strip(p.read_text(encoding="utf-8")))}
    assert marked and all(m.startswith(f"queries/{db.TRACKED_FOLDER}/") for m in marked), marked
    # and a marker anywhere else is refused before it could run
    assert "{tracked." in (ROOT / "queries" / db.TRACKED_FOLDER / "save.sql").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="execute_tracked"):
        db.sql_text("history/save")


def test_execute_tracked_refuses_a_table_outside_the_tracked_list(tmp_path):
    from vetopito.ingest import history

    con = db.connect(tmp_path / "db.duckdb")
    try:
        for table in ("no_such_table", "load", 'observation"; drop table load; --', "observation_history",
                      "OBSERVATION", None):
            with pytest.raises(ValueError, match="not a tracked table"):
                db.execute_tracked(con, "history/count_written", tracked=history.TRACKED, table=table, load_id=1)
        with pytest.raises(ValueError, match="not a tracked table"):
            history.save(con, "load", 1, __import__("polars").DataFrame({"id": [1]}))
        # a statement outside queries/history/ is refused, even for a tracked table
        with pytest.raises(ValueError, match="queries/history/"):
            db.execute_tracked(con, "load/load_by_id", tracked=history.TRACKED, table="observation", load_id=1)
        # an entry whose names are not plain identifiers is refused before anything runs
        bad = history.Tracked('event" cascade', ("id",), (), None, "load_id")
        with pytest.raises(ValueError, match="Not an identifier"):
            db.execute_tracked(con, "history/count_written", tracked=(bad,), table='event" cascade', load_id=1)
        # a marker the entry cannot fill (events keep no history) is refused, not sent as it is
        with pytest.raises(ValueError, match="has no"):
            db.execute_tracked(con, "history/count_history", tracked=history.TRACKED, table="event", load_id=1)
        assert db.execute_tracked(con, "history/count_written", tracked=history.TRACKED, table="observation",
                                  load_id=1).item(0, 0) == 0
    finally:
        con.close()


@pytest.mark.parametrize("path", QUERY_FILES, ids=rel)
def test_query_header_declares_its_parameters(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("--"), f"{rel(path)}: first line must say what the query returns"
    header = [line for line in lines if line.startswith("--")][:6]
    params = [line for line in header if line.startswith("-- params:")]
    assert params, f"{rel(path)}: the opening comment needs a `-- params: …` line"
    declared = set(re.findall(r"\$([A-Za-z_]\w*)", params[0]))
    used = db.query_parameters(*query_name(path))
    assert declared == used, f"{rel(path)}: header declares {sorted(declared)}, body uses {sorted(used)}"


# Areas whose queries feed pages and exports with unit-level data: each such query must take the
# user's scope. (catalog/meta/access/auth/ingest/seed queries read reference data or write.)
UNIT_TABLES = re.compile(r"\b(from|join)\s+(observation|observation_history|target|event|team|team_measure|"
                         r"operating_model|unit)\b", re.IGNORECASE)
UNSCOPED_AREAS = ("catalog", "meta", "access", "auth", "audit", "ingest", "seed", "load", "bench", "upload",
                  "undo")
LOADER_STEPS = ("plan", "undo", "insert", "delete", "upsert", "update", "restore", "history", "load")


@pytest.mark.parametrize("path", QUERY_FILES, ids=rel)
def test_page_queries_of_unit_data_take_the_scope(path):
    name, folder = query_name(path)
    area, _, what = name.removeprefix("pages/").partition("/")  # a page's queries: the page is the area
    body = _strip(path.read_text(encoding="utf-8"))
    if area in UNSCOPED_AREAS or what.startswith(LOADER_STEPS) or not UNIT_TABLES.search(body):
        return
    if re.match(r"\s*(insert|update|delete)\b", body, re.IGNORECASE):
        return
    # a programme's queries are scoped by the programmes the user reads (access.scope): its managers
    # and the directors of its regions read its measures' figures, whatever their unit
    if access.PROGRAMME_PARAM in db.query_parameters(name, folder):
        return
    assert "scope_units" in db.query_parameters(name, folder), (
        f"{rel(path)} reads unit-level data but does not declare $scope_units VARCHAR[]")


def test_the_detector_finds_what_it_should():
    def flagged(source: str) -> bool:
        tree = ast.parse(source)
        return any(SQL_STATEMENT.match(n.value) for n in _string_constants(tree)) or any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in EXECUTORS
            and n.args and _is_assembled(n.args[0]) for n in ast.walk(tree))

    keyword = "sel" + "ect"
    assert flagged(f'x = "{keyword} a from b where c = 1"')
    assert flagged("con.exe" + 'cute(f"delete {table}")')   # split: a sample, not a real call
    assert flagged('con.sql("a" + name)')
    assert flagged("con.exe" + "cute(text.format(x=1))")
    assert not flagged('con.execute(db.sql_text(name), params)')
    assert not flagged('label = "Valitse alue"')
