"""Every query file in `queries/` runs against the demo database built by the real loader,
with plausible parameter values derived from its `-- params:` line; and no Python file of the
app builds SQL."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from tests import sql
from vetopito import catalog, db

ROOT = Path(__file__).resolve().parent.parent
# the library's statements by name, then the tests' own (tests/queries/, run through tests/sql.py) as tests/<name>
QUERY_NAMES = db.query_names() + [f"tests/{name}" for name in sql.names()]


def where(name: str) -> tuple[str, Path]:
    """A name of QUERY_NAMES as the name its folder knows it by, and that folder."""
    return (name.removeprefix("tests/"), sql.FOLDER) if name.startswith("tests/") else (name, db.QUERIES)
WRITE = re.compile(r"^\s*(insert|update|delete|merge|create|drop|alter|checkpoint|copy|set|begin|commit)\b", re.I)
PARAM_TYPE = re.compile(r"\$([A-Za-z_]\w*)\s+([A-Za-z]+(?:\[\])?)")

# Values by parameter name first (ids that exist in the demo data), then by declared type.
BY_NAME = {
    "region": "HVA15", "region_id": "HVA15", "unit": "HVA15", "unit_id": "HVA15",
    "indicator": "t3_laakari", "indicator_id": "t3_laakari", "yta_id": "YTA2", "team_id": "T2024-01",
    "team": "T2024-01", "load_id": 2, "key": "demo_only", "value": "true", "table_name": "unit",
    "version": 999, "grain": "month", "lang": "fi", "cohort_year": 2024, "email": "analyst@example.fi",
    "role": "viewer", "scope_kind": "region", "scope_value": "HVA15", "user_name": "test",
    "by": "test", "sha256": "0" * 64, "format": "observations", "file_name": "test.csv",
    "detected_json": "{}", "region_ids": ["HVA15"], "team_ids": ["T2024-01"],
    "indicator_ids": ["t3_laakari"], "max_rows": 10, "depth": 3, "is_demo": True,
    "action": "sign_in", "target": "HVA15", "detail": "test", "display_name": "Test User",
    "first_month": dt.date(2090, 1, 1), "months": 2,
}
BY_TYPE = {
    "VARCHAR": "x", "TEXT": "x", "INTEGER": 1, "BIGINT": 1, "SMALLINT": 1, "DOUBLE": 1.0,
    "FLOAT": 1.0, "DECIMAL": 1.0, "BOOLEAN": False, "DATE": dt.date(2024, 1, 1),
    "TIMESTAMP": dt.datetime(2024, 1, 1, 12, 0), "VARCHAR[]": ["HVA15"], "INTEGER[]": [1],
}
# Frames that library code registers before running a statement, as the catalogue builds them.
CATALOG_FRAMES = {
    "ref_indicator": lambda: catalog.indicator_frame(),
    "ref_indicator_detail": lambda: __import__("vetopito.ingest.indicators").ingest.indicators.detail_frame(
        catalog.indicator_frame()),
    "ref_definition_change": lambda: catalog.definition_change_frame(),
    "ref_alias": lambda: __import__("polars").DataFrame(catalog.alias_rows(), orient="row"),
    "ref_unit": lambda: __import__("polars").DataFrame(
        [{k: v for k, v in u.items()} for u in catalog.unit_rows() if u["kind"] == "region"], orient="row"),
}


def declared_types(name: str) -> dict[str, str]:
    header = "\n".join(line for line in db.sql_text(*where(name)).splitlines() if line.startswith("--"))
    return {m.group(1): m.group(2).upper() for m in PARAM_TYPE.finditer(header)}


def params_for(name: str, all_units: list[str]) -> dict:
    types = declared_types(name)
    params = {}
    for param in db.query_parameters(*where(name)):
        if param == "scope_units":
            params[param] = all_units
        elif param in BY_NAME:
            params[param] = BY_NAME[param]
        elif types.get(param) in BY_TYPE:
            params[param] = BY_TYPE[types[param]]
        elif param.endswith(("_date", "_start", "_from", "_to", "date")):
            params[param] = dt.date(2024, 1, 1)
        else:
            params[param] = "x"
    return params


def is_write(name: str) -> bool:
    body = "\n".join(line for line in db.sql_text(*where(name)).splitlines() if not line.startswith("--"))
    return bool(WRITE.match(body))


def _missing_frame(exc: Exception) -> str | None:
    match = re.search(r"Table with name (\w+) does not exist", str(exc))
    return match.group(1) if match else None


def _lake_upkeep(name: str) -> bool:
    """A statement of DuckLake's own upkeep functions (`vetopito maintain` on a lake: `$catalog`)."""
    return name.startswith("maintain/") and "catalog" in db.query_parameters(*where(name))


@pytest.fixture(scope="module")
def upkeep_lake(backend, session_stores, tmp_path_factory):
    """The context `vetopito maintain` gives an upkeep statement: a writable lake of its own, made
    once for this module, with its own data path (the orphan and cleanup steps delete files, and the
    fixtures' copied lakes share their template's), holding two loads and an undo to flush, expire,
    rewrite, merge and clean. Gives (target, data path)."""
    from vetopito import backend as store
    from vetopito import ingest

    if backend != "lake":
        return None
    data_path = str(tmp_path_factory.mktemp("upkeep") / "own-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(store.DATA_PATH_VAR, data_path)
        target = session_stores.new("upkeep")
        con = db.connect(target)
        try:
            for month in (1, 2):
                ingest.load(con, f"indicator,unit,period,value\nt3_laakari,HVA15,2025-0{month},{month}\n".encode(),
                            file_name=f"m{month}.csv")
            ingest.undo(con, ingest.loads(con).row(0, named=True)["load_id"], user="test")
        finally:
            con.close()
    return target, data_path


def _run_lake_upkeep(name: str, upkeep_lake, monkeypatch) -> None:
    """An upkeep statement on `upkeep_lake`, with the connection's catalog as `$catalog` and the
    settings `vetopito maintain --keep-days 0 --grace-hours 0` gives; the lake reads through after it."""
    from vetopito import backend as store
    from vetopito import maintain

    target, data_path = upkeep_lake
    monkeypatch.setenv(store.DATA_PATH_VAR, data_path)
    con = db.connect(target)
    try:
        given = {"catalog": maintain.store_of(con)[0], "keep_days": 0, "grace_hours": 0, "delete_share": 0.25}
        params = {k: v for k, v in given.items() if k in db.query_parameters(name)}
        db.run(con, name, **params)
        db.verify(con)
    finally:
        con.close()


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_runs(name, demo_db_path, stores, tmp_path, monkeypatch, request):
    if _lake_upkeep(name):
        if stores.kind == "file":
            pytest.skip("a lake's upkeep (DuckLake's own functions, `vetopito maintain`): run on the lake "
                        "by make test-lake")
        _run_lake_upkeep(name, request.getfixturevalue("upkeep_lake"), monkeypatch)
        return
    if is_write(name):
        con = db.connect(stores.copy(demo_db_path, "copy"))
    else:
        con = db.connect(demo_db_path, read_only=True)
    try:
        units = db.run(con, "access/all_unit_ids")["id"].to_list()
        params = params_for(name, units)
        if "path" in params:   # a file the query reads (the ingest benchmark's read_csv)
            csv = tmp_path / "in.csv"
            csv.write_text("indicator,unit,period,value\nt3_laakari,HVA15,2024-03,12\n", encoding="utf-8")
            params["path"] = str(csv)
        for frame_name, make in CATALOG_FRAMES.items():
            if frame_name in db.sql_text(*where(name)):
                con.register(frame_name, make())
        try:
            if is_write(name):
                with db.transaction(con):
                    db.execute_from(where(name)[1], con, where(name)[0], **params)
            else:
                db.run_from(where(name)[1], con, where(name)[0], **params)
        except duckdb.CatalogException as exc:
            frame = _missing_frame(exc)
            if frame and frame not in db.run(con, "meta/row_counts")["table_name"].to_list():
                pytest.skip(f"reads the frame {frame!r} that its caller registers; run by the loader "
                            "when the demo database is built")
            raise
    finally:
        con.close()


def test_every_query_declares_its_parameters():
    """The `-- params:` line names every `$parameter` the statement uses, with a type."""
    problems = []
    for name in QUERY_NAMES:
        lines = db.sql_text(*where(name)).splitlines()
        header = [line for line in lines[:6] if line.startswith("--")]
        if not lines[0].startswith("--") or not any(line.startswith("-- params:") for line in header):
            problems.append(f"{name}: opens with a comment saying what it returns, then `-- params: …`")
            continue
        undeclared = db.query_parameters(*where(name)) - set(declared_types(name))
        if undeclared:
            problems.append(f"{name}: undeclared {sorted(undeclared)}")
    assert not problems, "\n".join(problems)


SQL_STATEMENT = re.compile(
    r"^\s*(select\s[\s\S]*?\sfrom\s|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|"
    r"create\s+(or\s+replace\s+)?(temp\w*\s+)?(table|view|index|sequence|schema)\s|"
    r"drop\s+(table|view|index|sequence)\s|alter\s+table\s|with\s+\w+\s+as\s*\()",
    re.I,
)


def _python_files() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "vetopito").rglob("*.py"))]
    return [f for f in files if f.exists()]


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def sql_strings(path: Path) -> list[str]:
    """String literals and f-strings (docstrings excepted) that look like a SQL statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstring_nodes(tree) | {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)
                                     for v in n.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else " x " for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if SQL_STATEMENT.search(text):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append((node.lineno, f"{where}:{node.lineno}: {text.strip()[:60]!r}"))
    return [hit for _, hit in sorted(found)]


def test_no_sql_in_python():
    """SQL lives only in queries/*.sql: no statement strings, f-strings or .format() SQL in Python."""
    found = [hit for path in _python_files() for hit in sql_strings(path)]
    assert not found, "SQL outside queries/:\n" + "\n".join(found)


def test_the_sql_detector_catches_sql(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text('"""Select a region from the list (a docstring is prose)."""\n'
                      'a = "select id from unit"\nb = f"delete from {t} where x = 1"\n'
                      'c = "insert into unit values (1)".format()\nd = "WITH x AS (select 1) select * from x"\n'
                      'e = "Kaikki alueet"\n')
    assert [hit.split(":")[1] for hit in sql_strings(sample)] == ["2", "3", "4", "5"]
