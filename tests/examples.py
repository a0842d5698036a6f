"""How many examples a hypothesis property draws when each example builds and loads a database of
its own (seconds an example, under load): under `make test` a third of the full number, at least
5 (every property still runs, on fewer random inputs); the full number with
`pytest --hypothesis-profile=thorough` (registered in tests/conftest.py), for a longer hunt.

Under `make test-lake` (the lake alone) such a property draws a quarter of that again, at least 3
(`on_store`): every statement on a lake costs catalog round trips to PostgreSQL (about 10 ms of
CPU where the file takes 1), the random inputs are the file run's concern, and the lake run is
there to show that the same code gives the same answers on the other store."""

from __future__ import annotations

import os

from hypothesis import settings

THOROUGH = "thorough"
SHARE = 3       # `make test` draws full // SHARE
LAKE_SHARE = 4  # `make test-lake` draws a quarter of that


def _thorough() -> bool:
    return settings.get_current_profile_name() == THOROUGH


def backends() -> list[str]:
    """The stores this run tests on (`VETOVOIMA_TEST_BACKENDS`, "file" unless set): `make test-lake`
    sets "lake", "file,lake" runs both (tests/conftest.py parametrises the `backend` fixture so)."""
    return [b for b in os.environ.get("VETOVOIMA_TEST_BACKENDS", "file").split(",") if b]


def on_store(n: int) -> int:
    """`n` examples on the file; on the lake alone (`VETOVOIMA_TEST_BACKENDS=lake`) n // LAKE_SHARE, at least 3."""
    if _thorough() or backends() != ["lake"]:
        return n
    return max(3, n // LAKE_SHARE)


def per_database(full: int) -> int:
    if _thorough():
        return full
    return on_store(max(5, full // SHARE))
