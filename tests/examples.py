"""How many examples a hypothesis property draws when each example builds and loads a database of
its own (seconds an example, under load): under `make test` a third of the full number, at least
5 (every property still runs, on fewer random inputs); the full number with
`pytest --hypothesis-profile=thorough` (registered in tests/conftest.py), for a longer hunt."""

from __future__ import annotations

from hypothesis import settings

THOROUGH = "thorough"
SHARE = 3       # `make test` draws full // SHARE


def per_database(full: int) -> int:
    if settings.get_current_profile_name() == THOROUGH:
        return full
    return max(5, full // SHARE)
