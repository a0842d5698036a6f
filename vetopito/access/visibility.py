"""Which pages a role sees in the navigation. Hiding a page is a convenience: the data itself is
filtered by the user's scope in every query (`access.scope`)."""

from __future__ import annotations

from vetopito.access.scope import ROLES, Scope
from vetopito.access.settings import AuthSettings

_EVERYONE = frozenset(ROLES)
_TEAM_ROLES = frozenset({"director", "coach", "analyst"})
PAGE_ROLES: dict[str, frozenset[str]] = {
    "region": _EVERYONE,
    "compare": _EVERYONE,
    "catalog": _EVERYONE,
    "units": frozenset({"director", "analyst"}),
    "team": _TEAM_ROLES,
    "cohort": _TEAM_ROLES,
    "present": _TEAM_ROLES,
    "upload": frozenset({"analyst", "programme_manager"}),  # a manager loads their programme's files
    "admin": frozenset({"admin"}),
    # a programme's managers, and the directors and analysts of its regions (the page lists only the
    # programmes the user reads: `access.scope`)
    "programme": frozenset({"director", "analyst", "programme_manager"}),
}
LOADING_PAGES = frozenset({"upload"})


def page_visible(name: str, scope: Scope, settings: AuthSettings) -> bool:
    """Is the page `pages/<name>.py` listed for this user? Loading pages never in read-only mode."""
    if name in LOADING_PAGES and (settings.read_only or not scope.can_load):
        return False
    return bool(scope.roles & PAGE_ROLES.get(name, _EVERYONE))
