"""The loader's package is wired explicitly: its formats are listed once, its modules import
each other without a cycle, and a module over about 400 lines says at its top why."""

from __future__ import annotations

import ast
from pathlib import Path

from vetopito.ingest import formats

PACKAGE = Path(__file__).resolve().parent.parent / "vetopito" / "ingest"
MODULES = sorted(PACKAGE.glob("*.py"))


def _imports_within_package(path: Path) -> set[str]:
    """The modules of `vetopito.ingest` that `path` imports at module level (not inside functions)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("vetopito.ingest."):
                found.add(node.module.removeprefix("vetopito.ingest."))
            elif node.module == "vetopito.ingest":
                found |= {alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py").exists()}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("vetopito.ingest.") for a in node.names
                      if a.name.startswith("vetopito.ingest.")}
    return found - {"__init__"}


def test_the_modules_of_the_loader_import_each_other_without_a_cycle():
    graph = {p.stem: _imports_within_package(p) for p in MODULES if p.stem != "__init__"}
    assert set().union(*graph.values()) <= graph.keys()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' → '.join((*path, module))}"
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_every_format_is_listed_once_and_none_registers_itself():
    names = [fmt.name for fmt in formats.FORMATS]
    assert len(names) == len(set(names)) == 19
    assert {"teams", "aims", "operating_models", "indicators", "definition_changes", "sotkanet", "units",
            "targets", "events", "observations", "observations_wide_indicator",
            "observations_wide_period", "programmes", "programme_goals", "subprojects", "programme_measures",
            "output_counts", "reporting_rounds", "round_entries"} == set(names)
    assert [f.priority for f in formats.FORMATS] == sorted(f.priority for f in formats.FORMATS)
    for path in MODULES:
        assert "register_format" not in path.read_text(encoding="utf-8"), path.name
    assert formats.by_name("pxweb") is formats.by_name("observations") is not None
    assert formats.by_name("no_such_format") is None


def test_a_long_module_says_at_its_top_why():
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > 420:
            assert any("lines" in line for line in lines[:4]), f"{path.name}: {len(lines)} lines and no reason"
