"""Who may see what: the one place where a user's scope turns into query parameters.

Every query that reads unit-level data declares `$scope_units VARCHAR[]` and filters with
`unit_id in (select unnest($scope_units))`; `run_scoped` fills that parameter from the
signed-in user's scope, so no page, URL parameter or export can ask for more.

Roles (a user may hold several; the scope is the union of what each grant gives):

| role     | sees                                                        | may load |
|----------|-------------------------------------------------------------|----------|
| viewer   | national figures: the country, the YTAs and every region    | no       |
| director | national figures + every unit and team of the granted scope | no       |
| coach    | national figures + the teams of the granted scope           | no       |
| analyst  | national figures + every unit of the granted scope          | that scope |
| admin    | national figures; manages users and roles (`access.grants`) | no       |
| programme_manager | national figures + the programmes granted (`programme:<id>`) | those programmes' files |

Development programmes (issue 13) are read by the programme managers of each and by the
directors and analysts of the regions a programme covers (`programme_region`; an `all` grant
covers every region); nobody else sees anything of them. Only a programme's managers (and the
local demo mode and the command line, `full_scope`) may load or undo its files and write its
round entries: `Scope.may_edit_programme`. Programme queries declare `$readable_programmes
VARCHAR[]`, filled here like `$scope_units` with the programmes the user reads
(`readable_programmes`: one query, `access/readable_programmes`, the one place that rule is written).

A grant's scope is `all`, `region:<id or code>`, `cohort:<year>[/<YTA id>]`, `team:<id>` or
`programme:<id>`.
A signed-in user with no grants gets an empty scope and sees nothing.

Indicators have a scope too (`indicator_scope`, migration 017): national, a region's own or one
team's own. A user sees (`Scope.indicator_ids`, bound as `$scope_indicators` to every query that
declares it) every national indicator, the own indicators of the regions their director, coach or
analyst grants reach into (`own_region_ids`: every region for an `all` grant, the region of a
region grant, the regions of the teams of a cohort or team grant), and the own indicators of the
teams they see. A viewer or an admin sees national indicators only. Who may define or edit them:

| indicator scope | who                                                                    |
|-----------------|------------------------------------------------------------------------|
| national        | an admin, or an analyst with an `all` grant (`catalogue_national`)     |
| a region's own  | an analyst of that region or of `all` (`catalogue_region_ids`)         |
| a team's own    | that team's coach, or an analyst whose load scope holds the team (`measure_team_ids`) |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import polars as pl

from vetopito import db

SCOPE_PARAM = "scope_units"
INDICATOR_PARAM = "scope_indicators"


@dataclass(frozen=True)
class Scope:
    """The units a user may see. `unit_ids` is a sorted tuple so the scope can be a cache key."""

    unit_ids: tuple[str, ...]
    roles: frozenset[str] = field(default_factory=frozenset)
    can_load: bool = False
    # Units whose data this user may load or undo; None means the same as `unit_ids`.
    load_unit_ids: tuple[str, ...] | None = None
    user: str = ""
    # Units this user may see, kept by `loading()` (which narrows `unit_ids` to the load scope) so
    # that the loader's messages may still name them; None means the same as `unit_ids`.
    seen_unit_ids: tuple[str, ...] | None = None
    # The indicators this user sees (None: a scope made by hand that names none; bound as an empty
    # list, so it sees no indicator); the regions whose own indicators they see; what they may
    # define in the catalogue (module docstring).
    indicator_ids: tuple[str, ...] | None = None
    own_region_ids: tuple[str, ...] = ()
    catalogue_national: bool = False
    catalogue_region_ids: tuple[str, ...] = ()
    measure_team_ids: tuple[str, ...] = ()
    # Development programmes: those granted to a programme manager (read and edit), the regions
    # whose programmes the user reads (director and analyst grants), and every programme (the
    # local demo mode and the command line).
    programme_ids: tuple[str, ...] = ()
    programme_regions: tuple[str, ...] = ()
    all_programmes: bool = False

    def allows(self, unit_id: str) -> bool:
        return unit_id in set(self.unit_ids)

    @property
    def load_units(self) -> tuple[str, ...]:
        if not self.can_load:
            return ()
        return self.unit_ids if self.load_unit_ids is None else self.load_unit_ids

    def may_load(self, unit_id: str) -> bool:
        """May this user load (or undo) data about this unit?"""
        return unit_id in set(self.load_units)

    def may_see(self, unit_id: str) -> bool:
        """May this user see this unit (so that a message may name it)?"""
        return unit_id in set(self.unit_ids if self.seen_unit_ids is None else self.seen_unit_ids)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_empty(self) -> bool:
        return not self.unit_ids and not self.roles

    def sees_indicator(self, indicator_id: str) -> bool:
        return indicator_id in set(self.indicator_ids or ())

    @property
    def may_define_indicators(self) -> bool:
        """May this user define any indicator (national, a region's or a team's own)?"""
        return self.catalogue_national or bool(self.catalogue_region_ids) or bool(self.measure_team_ids)

    def may_define(self, scope_kind: str, scope_value: str) -> bool:
        """May this user define or edit an indicator of this scope ('national', '';
        'region', HVA14; 'team', T2024-01)?"""
        if scope_kind == "national":
            return self.catalogue_national
        if scope_kind == "region":
            return scope_value in set(self.catalogue_region_ids)
        return scope_kind == "team" and scope_value in set(self.measure_team_ids)

    def may_edit_programme(self, programme_id: str) -> bool:
        """May this user load or undo this programme's files and write its round entries?"""
        return self.all_programmes or programme_id in set(self.programme_ids)

    def may_read_programme(self, programme_id: str, region_ids) -> bool:
        """May this user read the programme that covers `region_ids`?"""
        return self.may_edit_programme(programme_id) or bool(set(region_ids) & set(self.programme_regions))

    def loading(self) -> Scope:
        """The same user narrowed to the units they may load: give this to the loader."""
        seen = self.unit_ids if self.seen_unit_ids is None else self.seen_unit_ids
        return replace(self, unit_ids=self.load_units, load_unit_ids=None, seen_unit_ids=seen)


ROLES = ("viewer", "director", "coach", "analyst", "admin", "programme_manager")
SCOPE_KINDS = ("all", "region", "cohort", "team", "programme")
PROGRAMME_PARAM = "readable_programmes"
NATIONAL_KINDS = ("country", "yta", "region")


def full_scope(con: duckdb.DuckDBPyConnection, *, user: str = "") -> Scope:
    """Everything: the local demo mode and the command line."""
    units = db.run(con, "access/all_unit_ids")
    ids = tuple(sorted(units["id"].to_list()))
    regions = tuple(sorted(units.filter(pl.col("kind") == "region")["id"].to_list()))
    teams = tuple(sorted(units.filter(pl.col("kind") == "team")["id"].to_list()))
    return Scope(unit_ids=ids, roles=frozenset(ROLES), can_load=True, user=user,
                 indicator_ids=_visible_indicators(con, ids, regions), own_region_ids=regions,
                 catalogue_national=True, catalogue_region_ids=regions, measure_team_ids=teams, all_programmes=True)


def _visible_indicators(con, unit_ids, region_ids) -> tuple[str, ...]:
    return tuple(db.run(con, "access/visible_indicators", unit_ids=list(unit_ids),
                        region_ids=list(region_ids))["id"].to_list())


def empty_scope(user: str = "") -> Scope:
    """A signed-in user nobody has granted anything: sees nothing."""
    return Scope(unit_ids=(), user=user, indicator_ids=())


def parse_cohort(value: str) -> tuple[int, str]:
    """`2024` → (2024, ''); `2024/YTA2` → (2024, 'YTA2'). Raises ValueError otherwise."""
    year, _, yta = value.strip().partition("/")
    if not year.isdigit() or not 2020 <= int(year) <= 2100:
        raise ValueError(f"not a cohort: {value!r} (write a year such as 2024, or 2024/YTA2)")
    return int(year), yta.strip().upper()


def units_of_grant(con: duckdb.DuckDBPyConnection, scope_kind: str, scope_value: str,
                   kinds: dict[str, str]) -> set[str]:
    """The units one grant's scope covers (`kinds` maps every unit id to its kind)."""
    if scope_kind == "all":
        return set(kinds)
    if scope_kind == "region":
        return set(db.run(con, "access/region_unit_ids", region_ids=[scope_value])["id"].to_list())
    if scope_kind == "cohort":
        try:
            year, yta = parse_cohort(scope_value)
        except ValueError:
            return set()
        return set(db.run(con, "access/cohort_team_ids", cohort_year=year, yta_id=yta)["id"].to_list())
    if scope_kind == "team":
        return set(db.run(con, "access/team_unit_ids", team_ids=[scope_value])["id"].to_list())
    return set()  # a programme grant covers no unit: its programme's figures are read through it


def scope_for(con: duckdb.DuckDBPyConnection, user: str) -> Scope:
    """The scope of a signed-in user (an e-mail address), from the role grants table.

    Each grant adds the national figures; a director's and an analyst's grant add every unit
    of its scope, a coach's only the teams in it; an analyst's grant also adds those units
    to the load scope. Viewer and admin grants never add unit-level data.
    """
    email = user.strip().lower()
    grants = db.run(con, "access/user_grants", email=email)
    if grants.is_empty():
        return empty_scope(email)
    all_units = db.run(con, "access/all_unit_ids")
    kinds = dict(zip(all_units["id"].to_list(), all_units["kind"].to_list(), strict=True))
    national = {unit_id for unit_id, kind in kinds.items() if kind in NATIONAL_KINDS}
    every_region = {unit_id for unit_id, kind in kinds.items() if kind == "region"}
    seen: set[str] = set()
    loadable: set[str] = set()
    roles: set[str] = set()
    own_regions: set[str] = set()
    catalogue_regions: set[str] = set()
    measure_teams: set[str] = set()
    catalogue_national = False
    programmes: set[str] = set()
    programme_regions: set[str] = set()
    for role, scope_kind, scope_value in grants.iter_rows():
        roles.add(role)
        seen |= national
        if role == "admin":
            catalogue_national = True
        if role == "programme_manager":
            if scope_kind == "programme":
                programmes.add(scope_value)
            continue
        if role in ("viewer", "admin"):
            continue
        if role in ("director", "analyst"):
            programme_regions |= {u for u in units_of_grant(con, scope_kind, scope_value, kinds)
                                  if kinds.get(u) == "region"}
        covered = units_of_grant(con, scope_kind, scope_value, kinds)
        teams = {u for u in covered if kinds.get(u) == "team"}
        if role == "coach":
            covered = teams
            measure_teams |= teams
        seen |= covered
        if scope_kind == "all":
            grant_regions = every_region
        elif scope_kind == "region":
            grant_regions = covered & every_region
        else:
            grant_regions = set(db.run(con, "access/team_regions", team_ids=sorted(teams))["region_id"].to_list())
        own_regions |= grant_regions
        if role == "analyst":
            loadable |= covered
            measure_teams |= teams
            catalogue_regions |= grant_regions if scope_kind in ("all", "region") else set()
            catalogue_national = catalogue_national or scope_kind == "all"
    unit_ids = tuple(sorted(seen))
    return Scope(unit_ids=unit_ids, roles=frozenset(roles), can_load=bool(loadable or programmes),
                 load_unit_ids=tuple(sorted(loadable)), user=email,
                 indicator_ids=_visible_indicators(con, unit_ids, sorted(own_regions)),
                 own_region_ids=tuple(sorted(own_regions)), catalogue_national=catalogue_national,
                 catalogue_region_ids=tuple(sorted(catalogue_regions)), measure_team_ids=tuple(sorted(measure_teams)),
                 programme_ids=tuple(sorted(programmes)), programme_regions=tuple(sorted(programme_regions)))


def units_outside_load_scope(scope: Scope, unit_ids) -> list[str]:
    """The units among `unit_ids` this user may not load or undo data for (sorted, distinct)."""
    allowed = set(scope.load_units)
    return sorted({u for u in unit_ids if u not in allowed})


def loads_within(scope: Scope, load_units: pl.DataFrame) -> set[int]:
    """Of the loads in `load_units` (columns `load_id`, `unit_id`: `load/load_units`), those
    whose every unit lies within what the user may load: the loads a message may name to them."""
    allowed = list(scope.load_units)
    outside = load_units.filter(~pl.col("unit_id").is_in(allowed))["load_id"].unique().to_list()
    return set(load_units["load_id"].unique().to_list()) - set(outside)


def readable_programmes(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    """The programmes `scope` reads: those it manages, those covering a region whose programmes it
    reads, or every one (`all_programmes`)."""
    return db.run(con, "access/readable_programmes", scope_programmes=list(scope.programme_ids),
                  scope_programme_regions=list(scope.programme_regions),
                  all_programmes=scope.all_programmes)["id"].to_list()


def scoped_params(name: str, scope: Scope, params: dict[str, Any],
                  readable: Callable[[], list[str]] | None = None) -> dict[str, Any]:
    """Add `$scope_units`, `$scope_indicators` and `$readable_programmes` (from `readable()`) when
    the query declares them; refuse a caller that tries to set any of them."""
    for reserved in (SCOPE_PARAM, INDICATOR_PARAM, PROGRAMME_PARAM):
        if reserved in params:
            raise ValueError(f"{reserved} is set from the user's scope, never by the caller")
    declared = db.query_parameters(name)
    filled = {k: v for k, v in ((SCOPE_PARAM, list(scope.unit_ids)),
                                (INDICATOR_PARAM, list(scope.indicator_ids or ()))) if k in declared}
    if PROGRAMME_PARAM in declared:
        if readable is None:
            raise ValueError(f"{name} reads programmes: give scoped_params the user's readable programmes")
        filled[PROGRAMME_PARAM] = readable()
    return {**params, **filled}


def run_scoped(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, /, **params: Any) -> pl.DataFrame:
    return db.run(con, name, **scoped_params(name, scope, params, lambda: readable_programmes(con, scope)))
