"""Project-level rules that hold for every file: pages are listed and thin, queries declare
their parameters, and the two entry points of CI exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from vetopito import db

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))
TEST_QUERIES = ROOT / "tests" / "queries"
# the named statements: queries/<folder>/…/<name>.sql (migrations and history/ aside) and tests/queries/
QUERIES = sorted([ROOT / "queries" / f"{n}.sql" for n in db.query_names()]
                 + [TEST_QUERIES / f"{n}.sql" for n in db.query_names(TEST_QUERIES)])

# SQL in a page: a statement keyword followed by its clause, in any case
SQL_IN_TEXT = re.compile(
    r"\bselect\b[\s\S]{0,200}?\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b"
    r"|\bcreate\s+(?:or\s+replace\s+)?(?:table|view)\b",
    re.IGNORECASE,
)
DATABASE_IN_PAGE = re.compile(
    r"^\s*(?:import\s+duckdb|from\s+duckdb\b)|\.sql\(|\.execute\(|\bpl\.read_\w+\(|\bpl\.scan_\w+\(",
    re.MULTILINE,
)
PARAMS_LINE = re.compile(r"^--\s*params:\s*(.*)$")


def test_there_are_pages_and_queries():
    assert PAGES and QUERIES


@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.name)
def test_page_is_listed_in_app_py(page_file):
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    name = re.escape(page_file.stem)
    listed = re.search(rf'"pages/{name}\.py"|\bpage\(\s*"{name}"', app)
    assert listed, f"pages/{page_file.name} is not in app.py's st.navigation"


@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.name)
def test_page_has_no_database_code_or_sql(page_file):
    text = page_file.read_text(encoding="utf-8")
    found = DATABASE_IN_PAGE.search(text)
    assert not found, f"{page_file.name} talks to the database itself: {found.group(0)!r}"
    found = SQL_IN_TEXT.search(text)
    assert not found, f"{page_file.name} contains SQL: {found.group(0)[:80]!r}; put it in queries/"


@pytest.mark.parametrize("query_file", QUERIES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_query_file_opens_with_a_comment_and_its_params(query_file):
    lines = query_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 3, f"{query_file.name} is too short to hold a comment, params and a statement"
    assert lines[0].startswith("-- ") and not PARAMS_LINE.match(lines[0]), \
        f"{query_file.name}: the first line must be a comment saying what the query returns"
    # the description may run over several comment lines; the params line closes the header
    header = []
    for line in lines[1:]:
        if not line.startswith("--"):
            break
        header.append(line)
    matches = [m for m in map(PARAMS_LINE.match, header) if m]
    assert len(matches) == 1, (f"{query_file.name}: the opening comment must end with one "
                               "`-- params: $name TYPE, …` or `-- params: (none)` line")
    declared_line = matches[0]
    declared_text = declared_line.group(1).strip()
    declared = set(re.findall(r"\$([A-Za-z_]\w*)", declared_text))
    if not declared:
        assert declared_text == "(none)", f"{query_file.name}: write `-- params: (none)` when there are none"
    folder = TEST_QUERIES if query_file.is_relative_to(TEST_QUERIES) else ROOT / "queries"
    used = set(db.query_parameters(query_file.relative_to(folder).with_suffix("").as_posix(), folder))
    assert declared == used, (
        f"{query_file.name}: declared {sorted(declared)} but the statement uses {sorted(used)}")


def test_ci_script_and_makefile_exist():
    ci = ROOT / ".ci" / "run"
    assert ci.is_file() and os.access(ci, os.X_OK), ".ci/run must exist and be executable"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"Makefile has no `{target}` target"
