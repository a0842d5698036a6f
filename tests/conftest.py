"""Shared fixtures: a real DuckDB file built from `data/seed/` by the real loader, and AppTest helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
# `pytest --hypothesis-profile=thorough`: the property tests whose every example builds a database
# draw their full number of examples (`tests.examples.per_database`); `make test` draws fewer.
settings.register_profile("thorough")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="write tests/golden/*.csv from what the pages show now (review the diff)")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    """`--update-golden`: the golden CSV tests write their files instead of comparing."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """The demo database, built once per test process from the committed seed CSVs."""
    from vetopito import demo

    path = tmp_path_factory.mktemp("demo") / "vetovoima.duckdb"
    demo.build_database(path)
    return path


@pytest.fixture(scope="session")
def reference_db_path(tmp_path_factory) -> Path:
    """A migrated database holding the reference data only (regions, catalogue, aliases), built
    once per test process: tests copy it for a clean start."""
    from vetopito import catalog, db

    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    con.close()
    return path


@pytest.fixture
def demo_db_copy(demo_db_path, tmp_path) -> Path:
    """A private copy of the demo database for a test that changes data."""
    path = tmp_path / "vetovoima.duckdb"
    shutil.copy(demo_db_path, path)
    return path


@pytest.fixture
def demo_con(demo_db_path):
    """A read-only connection to the shared demo database."""
    from vetopito import db

    con = db.connect(demo_db_path, read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty_con(tmp_path):
    """A fresh, migrated database with nothing loaded."""
    from vetopito import db

    con = db.connect(tmp_path / "empty.duckdb")
    yield con
    con.close()


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at a database and give every AppTest a cold cache and a fresh connection."""
    import streamlit as st

    def use(db_path: Path):
        monkeypatch.setenv("VETOVOIMA_DB", str(db_path))
        st.cache_data.clear()
        st.cache_resource.clear()
        return db_path

    yield use
    st.cache_data.clear()
    st.cache_resource.clear()
