"""Shared fixtures: a real DuckDB file built from `data/seed/` by the real loader, and AppTest helpers.

Every database fixture is on the backend of the session's `backend` parameter: `file` (the
default, `make test`) or `lake` (DuckLake on a throw-away PostgreSQL cluster, `tests/pg.py`;
`make test-lake` sets `VETOVOIMA_TEST_BACKENDS=lake`, `file,lake` runs both). On the lake the demo
and reference databases are the file's, copied once into a template lake by `vetopito copy`'s
code; each test then gets its own lake (a new catalog database from the template, about 0.15 s).
A test that is about the file itself (its bytes, locks, damage) is marked `file_only`.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from tests import examples

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = examples.backends()


def pytest_configure(config):
    config.addinivalue_line("markers", "file_only: about the embedded file itself (bytes, locks, damage); "
                                       "not run on the lake")
    _scan_components_once()


def _scan_components_once() -> None:
    """Every new AppTest scans the metadata of every installed package for Streamlit components
    (0.26 s each here, most of a short page test); the packages do not change during a test
    session, so the scan runs once per test process and its answer is reused."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


# Seconds each of the longest test files took in `make test` on this 2-core machine (2026-12-06,
# `--durations=0` summed per file). `--dist loadfile --no-loadscope-reorder` hands files to the
# workers in collection order, so the longest go first and the many short ones fill in behind them
# (longest-first packing): a long file handed out last kept one worker busy while the others idled.
LONGEST_FILES = {
    "browser/test_browser_pages.py": 87, "test_url_fuzz.py": 70, "browser/test_browser_hostile.py": 55,
    "browser/test_browser_signin.py": 55, "browser/test_browser_programme.py": 42, "test_security_pages.py": 40,
    "test_bench.py": 40, "browser/test_browser_downloads.py": 39, "browser/test_browser_axe.py": 38,
    "browser/test_browser_present.py": 37, "browser/test_browser_pickers.py": 29,
    "test_security_scope_writes.py": 28, "browser/test_browser_bench.py": 26, "test_export_properties.py": 26,
    "browser/test_browser_aliases.py": 25, "browser/test_browser_grains.py": 25,
    "browser/test_browser_catalogue.py": 19, "test_cohort_present.py": 18, "browser/test_browser_db_trouble.py": 16,
}


def pytest_collection_modifyitems(config, items):
    """On the lake only (`make test-lake`): the tests that use a database fixture, less `file_only`;
    on both (`file,lake`): every test, but a `file_only` one on the file alone. Then the longest
    files first (`LONGEST_FILES`), the rest in the order collected."""
    _select_backends(config, items)
    here = Path(__file__).parent
    items.sort(key=lambda item: -LONGEST_FILES.get(item.path.relative_to(here).as_posix(), 0))


def _select_backends(config, items) -> None:
    if BACKENDS == ["file"]:
        return
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        lake_param = callspec is not None and callspec.params.get("backend") == "lake"
        if "file" in BACKENDS:
            keep = not (lake_param and item.get_closest_marker("file_only"))
        else:
            keep = "backend" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("file_only")
            # Chromium drives the pages on the file; on the lake the browser test is the replicas one
            # (two servers on one lake): the pages' AppTest suites are what runs there
            browser = item.path.parent.name == "browser"
            keep = keep and (not browser or item.path.name == "test_browser_replicas.py")
        (kept if keep else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """The store the database fixtures are on: "file" or "lake"."""
    return request.param


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster for this test process's lakes, started on first use and stopped at the
    end; the lakes' data files go to a directory beside it (`VETOVOIMA_DATA_PATH`)."""
    from tests import pg
    from vetopito import backend as store

    if not pg.available():
        pytest.fail(f"the lake tests need PostgreSQL 15 in {pg.BIN} (Debian's postgresql; .ci/run installs it)")
    root = Path(tempfile.mkdtemp(prefix="vetopito-pg-"))
    root.chmod(0o755)  # the server's user must reach its folder inside
    cluster = pg.start(root / "cluster")
    previous = os.environ.get(store.DATA_PATH_VAR)
    os.environ[store.DATA_PATH_VAR] = str(root / "lake-data")
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)
    if previous is None:
        os.environ.pop(store.DATA_PATH_VAR, None)
    else:
        os.environ[store.DATA_PATH_VAR] = previous


class Stores:
    """New and copied databases on one backend: a file under the test's folder, or a lake of its
    own (a database of `pg_cluster`). `template` makes a lake nobody opens, to copy from."""

    def __init__(self, kind: str, folder: Path, request, *, unique: bool = False):
        self.kind, self.folder, self._request, self._unique = kind, folder, request, unique
        self._n = 0

    def _file(self, name: str) -> Path:
        self._n += 1
        return self.folder / (f"{name}_{self._n}.duckdb" if self._unique else f"{name}.duckdb")

    @property
    def cluster(self):
        return self._request.getfixturevalue("pg_cluster")

    def new(self, name: str):
        if self.kind == "file":
            return self._file(name)
        return self.cluster.lake(self.cluster.create_database(self.cluster.new_name(name)))

    def empty(self, name: str):
        """A new database with the schema made and nothing loaded: on the lake a copy of an empty
        lake made once per test process (making a lake's schema costs about 2 s of CPU, a copy 0.5 s);
        `new` still gives a lake without a schema, for the tests of making one."""
        if self.kind == "file":
            return self._file(name)
        if "empty" not in _EMPTY:
            from vetopito import db

            dbname = self.cluster.create_database(self.cluster.new_name("empty_template"))
            db.connect(self.cluster.lake(dbname)).close()
            _EMPTY["empty"] = dbname
        return self.cluster.lake(self.cluster.create_database(self.cluster.new_name(name), template=_EMPTY["empty"]))

    def copy(self, source, name: str):
        if self.kind == "file":
            path = self._file(name)
            shutil.copy(source, path)
            return path
        template = _TEMPLATES[str(source)]
        return self.cluster.lake(self.cluster.create_database(self.cluster.new_name(name), template=template))

    def freeze(self, location, name: str):
        """`location`, written by a fixture and closed, as a source `copy` copies from: the file
        itself; on the lake its database becomes a template nobody opens again, and a new copy of
        it is returned for the fixture's readers."""
        if self.kind == "file":
            return location
        dbname = re.search(r"dbname=(\S+)", str(location)).group(1)
        reader = self.cluster.lake(self.cluster.create_database(self.cluster.new_name(name), template=dbname))
        _TEMPLATES[reader] = dbname
        return reader

    def template_of(self, file: Path, name: str):
        """A lake holding what the file holds, that tests copy (`copy`) and never open."""
        from vetopito import transfer

        dbname = self.cluster.create_database(self.cluster.new_name(f"{name}_template"))
        report = transfer.copy_database(str(file), self.cluster.lake(dbname))
        assert report.ok, report.as_json()
        reader = self.cluster.lake(self.cluster.create_database(self.cluster.new_name(name), template=dbname))
        _TEMPLATES[reader] = dbname
        return reader


# a lake the fixtures made from a file: the template database its copies are made from
_TEMPLATES: dict[str, str] = {}
# the empty lake `Stores.empty` copies (made on first use in this test process)
_EMPTY: dict[str, str] = {}


@pytest.fixture(scope="session")
def session_stores(backend, tmp_path_factory, request) -> Stores:
    """`stores` for module- and session-scoped fixtures and hypothesis tests (names made unique)."""
    return Stores(backend, tmp_path_factory.mktemp("stores"), request, unique=True)


@pytest.fixture
def stores(backend, tmp_path, request) -> Stores:
    """`stores.new(name)` a new database (no schema yet on the lake), `stores.empty(name)` one with the schema made, `stores.copy(db, name)` a private copy of a fixture's
    database, on the session's backend."""
    return Stores(backend, tmp_path, request)


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


def built_once(tmp_path_factory, name: str, build, path: Path) -> Path:
    """`build(path)` once per `pytest` run, not once per xdist worker: the first worker builds the
    file in the run's shared temporary folder (under a lock) and every worker, that one too,
    gets its own copy at `path` (a server or an app opens its copy read-write, so the workers
    never share one file)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent   # the run's folder, above the workers' own ones
    built = shared / f"built-{name}" / path.name
    built.parent.mkdir(exist_ok=True)
    with open(shared / f"built-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            building = built.with_name(f"building-{built.name}")   # published whole, or not at all
            build(building)
            building.rename(built)
    shutil.copy(built, path)
    return path


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory) -> Path:
    """The demo database file, built once per run from the committed seed CSVs (`built_once`)."""
    from vetopito import demo

    path = tmp_path_factory.mktemp("demo") / "vetovoima.duckdb"
    return built_once(tmp_path_factory, "demo", demo.build_database, path)


@pytest.fixture(scope="session")
def demo_db_path(backend, demo_db_file, tmp_path_factory, request):
    """The demo database on the session's backend: the file, or a lake holding the same."""
    if backend == "file":
        return demo_db_file
    return Stores(backend, tmp_path_factory.mktemp("lakes"), request).template_of(demo_db_file, "demo")


@pytest.fixture(scope="session")
def reference_db_path(backend, tmp_path_factory, request):
    """A migrated database holding the reference data only (regions, catalogue, aliases), built
    once per run (`built_once`): tests copy it for a clean start."""
    from vetopito import catalog, db

    def build(path: Path) -> None:
        con = db.connect(path)
        catalog.ensure_reference(con)
        con.close()

    path = built_once(tmp_path_factory, "reference", build,
                      tmp_path_factory.mktemp("reference") / "reference.duckdb")
    if backend == "file":
        return path
    return Stores(backend, tmp_path_factory.mktemp("lakes"), request).template_of(path, "reference")


@pytest.fixture
def demo_db_copy(demo_db_path, stores):
    """A private copy of the demo database for a test that changes data."""
    return stores.copy(demo_db_path, "vetovoima")


@pytest.fixture
def typed_channels(monkeypatch):
    """Fail where a chart hands Altair an encoding it must search its whole schema to type (a
    shorthand string, `alt.value`, `alt.condition`: 2–9 ms a channel; `vetopito.charts.base`)."""
    from altair.utils import schemapi

    def searched(self, *args, **kwargs):
        raise AssertionError("a chart passed an untyped encoding: Altair searched its schema for the channel's class")

    monkeypatch.setattr(schemapi._FromDict, "__init__", searched)


@pytest.fixture
def demo_con(demo_db_path):
    """A read-only connection to the shared demo database."""
    from vetopito import db

    con = db.connect(demo_db_path, read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty_con(stores):
    """A fresh, migrated database with nothing loaded."""
    from vetopito import db

    con = db.connect(stores.empty("empty"))
    yield con
    con.close()


@pytest.fixture
def prog_con(reference_db_path, stores):
    """A reference database with the stations the programme fixtures name (tests/programme_helpers.py),
    on the session's backend."""
    from tests.programme_helpers import UNITS
    from vetopito import db, ingest

    con = db.connect(stores.copy(reference_db_path, "prog"))
    assert ingest.load(con, UNITS, file_name="units.csv", user="t").ok()
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
