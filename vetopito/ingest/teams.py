"""The Läpimurto team files: `teams`, `aims` (team measures) and `operating_models`.
(Over 400 lines because three small formats share their column aliases, plan and commit, and
the aims format also writes the team's new measures: `aim_measures` holds their rows' making.)

- teams: `team, name, region, cohort_year, yta, theme` [+ `name_sv, name_en, parent, work_unit,
  aim_text, size, started_on`] — creates the team's unit (kind team, parent = `parent` or the
  region) and its team row;
- aims: `team, indicator, baseline_value, aim_value` [+ `baseline_period, aim_date`; a team's own new
  measure: `measure_name, unit, direction` + `measure_name_sv, measure_name_en, decimals`
  (`ingest.aim_measures`)];
- operating_models: `team, title, theme` [+ `link`].

Headers in Finnish, Swedish or English (see the alias sets). Themes are the eight Vetoa ja
pitoa themes by id (`leadership`) or by Finnish name (`Johtaminen`). Measurements of a team
are ordinary observation files with the team id as unit; events use the events format.
Every load keeps what it replaces and records what it creates (`ingest.history`: `team_history`,
`team_measure_history`, `operating_model_history`, a team unit's names in `unit_history`, created
rows in `load_row`), so undo removes the rows a load created and puts back the rows it changed; a later load that changed the same rows (or put data on a team the load
created) blocks the undo and is named.

Every unit a row refers to lies within the loader's scope: a team's region and parent, the team
itself when it is stored, the team of a measure or operating model. A team's parent lies within
its own region (a team under another region's unit would belong to both), and a team id that is
already another kind of unit is refused.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from vetopito import db
from vetopito.ingest import aim_measures, history, indicators
from vetopito.ingest.history import blockers_by
from vetopito.ingest.parsing import Context, Format, Parsed, registered
from vetopito.ingest.problems import file_problem, no_problems, problems
from vetopito.ingest.read import Table, detect_decimal
from vetopito.ingest.values import number_expr, parse_period
from vetopito.text import is_https_link

THEMES = (
    "professional_development", "leadership", "meetings_information", "orientation",
    "premises_tools", "work_content", "work_community", "reputation_recruitment",
)
THEME_NAMES_FI = {
    "ammatillinen kehittyminen": "professional_development", "johtaminen": "leadership",
    "kokoukset ja sisäinen tiedonkulku": "meetings_information", "perehdytys": "orientation",
    "tilat ja välineet": "premises_tools", "työn sisältö, organisointi ja jako": "work_content",
    "työyhteisö ja toimintatavat": "work_community", "maine, näkyvyys ja rekrytointi": "reputation_recruitment",
}

ALIASES = {
    "team": {"team", "team_id", "tiimi", "tiimi_id", "tiimin tunnus"},
    "name": {"name", "name_fi", "nimi", "namn", "tiimin nimi"},
    "name_sv": {"name_sv", "nimi_sv", "namn_sv"},
    "name_en": {"name_en", "nimi_en", "namn_en"},
    "region": {"region", "region_id", "alue", "hyvinvointialue", "område", "välfärdsområde"},
    "parent": {"parent", "parent_id", "yläyksikkö", "organisaatioyksikkö", "överordnad"},
    "work_unit": {"work_unit", "työyksikkö", "arbetsenhet"},
    "cohort_year": {"cohort_year", "cohort", "kohortti", "vuosi", "kohort", "valmennusvuosi"},
    "yta": {"yta", "yta_id", "yhteistyöalue", "samarbetsområde", "collaborative_area"},
    "theme": {"theme", "teema", "tema"},
    "aim_text": {"aim_text", "aim", "tavoite", "mål"},
    "size": {"size", "koko", "storlek", "henkilöitä"},
    "started_on": {"started_on", "start", "aloitus", "aloituspäivä", "startdatum"},
    "indicator": {"indicator", "indicator_id", "mittari", "indikaattori", "mätare", "indikator"},
    "baseline_value": {"baseline_value", "baseline", "lähtötaso", "utgångsnivå"},
    "baseline_period": {"baseline_period", "lähtötason ajankohta", "lähtötaso_ajankohta", "utgångsperiod"},
    "aim_value": {"aim_value", "tavoitearvo", "målvärde"},
    "aim_date": {"aim_date", "tavoitepäivä", "tavoiteajankohta", "måldatum"},
    "title": {"title", "otsikko", "toimintamalli", "titel", "verksamhetsmodell"},
    "link": {"link", "linkki", "länk", "url"},
    # a team's own new measure in its aims file (`aim_measures`)
    "measure_name": {"measure_name", "mittarin nimi", "mittarin_nimi", "mätarens namn", "mätarens_namn"},
    "measure_name_sv": {"measure_name_sv", "mittarin nimi_sv", "mittarin_nimi_sv", "mätarens namn_sv"},
    "measure_name_en": {"measure_name_en", "mittarin nimi_en", "mittarin_nimi_en", "mätarens namn_en"},
    "unit": {"unit", "mittayksikkö", "yksikkö", "enhet", "måttenhet"},
    "direction": {"direction", "suunta", "riktning", "parempi suunta"},
    "decimals": {"decimals", "desimaalit", "decimaler"},
}

TEAMS_REQUIRED = ("team", "name", "region", "cohort_year", "yta", "theme")
TEAMS_OPTIONAL = ("name_sv", "name_en", "parent", "work_unit", "aim_text", "size", "started_on")
AIMS_REQUIRED = ("team", "indicator", "baseline_value", "aim_value")
AIMS_OPTIONAL = ("baseline_period", "aim_date")
MODELS_REQUIRED = ("team", "title", "theme")
MODELS_OPTIONAL = ("link",)


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for field, names in ALIASES.items():
            if cell in names and field not in found:
                found[field] = index
                break
    return found


def _detector(required: tuple[str, ...], forbidden: tuple[str, ...] = ()):
    def detect(header, table, options) -> bool:
        cols = _columns(header)
        return all(f in cols for f in required) and not any(f in cols for f in forbidden)
    return detect


def _raw(table: Table, fields: tuple[str, ...]) -> pl.DataFrame:
    cols = _columns([h.strip().strip('"').lower() for h in table.header])
    exprs = [pl.col("_row")]
    for field in fields:
        if field in cols:
            exprs.append(pl.col(f"c{cols[field]}").str.strip_chars().replace("", None).alias(field))
        else:
            exprs.append(pl.lit(None, dtype=pl.String).alias(field))
    return table.frame.select(exprs)


def _header_name(table: Table, field: str) -> str:
    cols = _columns([h.strip().strip('"').lower() for h in table.header])
    return table.header[cols[field]] if field in cols else field


def _required(raw: pl.DataFrame, table: Table, fields: tuple[str, ...]) -> list[pl.DataFrame]:
    return [problems(raw.filter(pl.col(f).is_null()), "team.ingest.error.missing", _header_name(table, f), f)
            for f in fields]


def _date_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    period = parse_period(text)
    return period.start if period else None


def _date_column(raw: pl.DataFrame, field: str) -> pl.Series:
    return pl.Series(field, [_date_of(v) for v in raw[field].to_list()], dtype=pl.Date)


def _theme(text: str | None) -> str | None:
    if text is None:
        return None
    low = text.strip().lower()
    return low if low in THEMES else THEME_NAMES_FI.get(low)


def _finish(rows: pl.DataFrame, errors: list[pl.DataFrame], n_rows: int, layout: str, decimal: str) -> Parsed:
    errors_frame = pl.concat([e for e in errors if not e.is_empty()] or [no_problems()], how="vertical")
    if n_rows == 0:
        errors_frame = file_problem("team.ingest.error.no_rows")
    bad_rows = errors_frame["row"].drop_nulls().unique().to_list()
    clean = rows.filter(~pl.col("row_number").is_in(bad_rows)) if errors_frame.height else rows
    return Parsed(rows=clean if errors_frame.is_empty() else clean.clear(), errors=errors_frame,
                  layout=layout, n_rows=n_rows, decimal=decimal)


def parse_teams(table: Table, ctx: Context) -> Parsed:
    raw = _raw(table, TEAMS_REQUIRED + TEAMS_OPTIONAL)
    errors = _required(raw, table, TEAMS_REQUIRED)
    lookup = ctx.lookup
    region = pl.Series("region_id", [ctx.unit(v) if v else None for v in raw["region"].to_list()],
                       dtype=pl.String)
    yta = pl.Series("yta_id", [ctx.lookup.unit(v) if v else None for v in raw["yta"].to_list()], dtype=pl.String)
    parent = pl.Series("parent_ref", [ctx.unit(v) if v else None for v in raw["parent"].to_list()],
                       dtype=pl.String)
    theme = pl.Series("theme_id", [_theme(v) for v in raw["theme"].to_list()], dtype=pl.String)
    started = _date_column(raw, "started_on")
    work = raw.with_columns(region, yta, parent, theme, started.alias("started_date"),
                            pl.col("cohort_year").cast(pl.Int64, strict=False).alias("year"),
                            pl.col("size").cast(pl.Int64, strict=False).alias("size_n"))
    kinds = lookup.unit_kinds
    errors += [
        problems(work.filter(pl.col("team").is_not_null() & ~pl.col("team").str.contains(r"^[A-Za-z0-9_-]+$")),
                 "team.ingest.error.bad_team_id", _header_name(table, "team"), "team"),
        problems(work.filter(pl.col("region").is_not_null()
                             & ~pl.col("region_id").map_elements(lambda u: kinds.get(u) == "region",
                                                                 return_dtype=pl.Boolean).fill_null(False)),
                 "team.ingest.error.unknown_region", _header_name(table, "region"), "region"),
        problems(work.filter(pl.col("yta").is_not_null()
                             & ~pl.col("yta_id").map_elements(lambda u: kinds.get(u) == "yta",
                                                              return_dtype=pl.Boolean).fill_null(False)),
                 "team.ingest.error.unknown_yta", _header_name(table, "yta"), "yta"),
        problems(work.filter(pl.col("parent").is_not_null() & pl.col("parent_ref").is_null()),
                 "team.ingest.error.unknown_parent", _header_name(table, "parent"), "parent"),
        problems(work.filter(pl.col("theme").is_not_null() & pl.col("theme_id").is_null()),
                 "team.ingest.error.bad_theme", _header_name(table, "theme"), "theme"),
        problems(work.filter(pl.col("cohort_year").is_not_null()
                             & ~pl.col("year").is_between(2020, 2100).fill_null(False)),
                 "team.ingest.error.bad_year", _header_name(table, "cohort_year"), "cohort_year"),
        problems(work.filter(pl.col("size").is_not_null() & ~pl.col("size_n").is_between(1, 100).fill_null(False)),
                 "team.ingest.error.bad_size", _header_name(table, "size"), "size"),
        problems(work.filter(pl.col("started_on").is_not_null() & pl.col("started_date").is_null()),
                 "team.ingest.error.bad_date", _header_name(table, "started_on"), "started_on"),
        problems(work.filter(pl.col("team").is_duplicated() & pl.col("team").is_not_null()),
                 "team.ingest.error.duplicate", _header_name(table, "team"), "team"),
    ]
    errors += _team_unit_problems(ctx, table, work)
    rows = work.select(
        pl.col("team").alias("team_id"),
        pl.col("name").alias("name_fi"),
        pl.coalesce("name_sv", "name").alias("name_sv"),
        pl.coalesce("name_en", "name").alias("name_en"),
        pl.coalesce("parent_ref", "region_id").alias("parent_id"),
        "region_id",
        pl.coalesce("work_unit", "name").alias("work_unit"),
        pl.col("year").cast(pl.Int32).alias("cohort_year"),
        "yta_id",
        pl.col("theme_id").alias("theme"),
        "aim_text",
        pl.col("size_n").cast(pl.Int32).alias("size"),
        pl.col("started_date").alias("started_on"),
        pl.col("_row").alias("row_number"),
    )
    errors += _fixed_field_problems(ctx, table, rows.filter(pl.col("team_id").is_in(list(ctx.scope_units))))
    return _finish(rows, errors, raw.height, "teams", "none")


def _team_unit_problems(ctx: Context, table: Table, work: pl.DataFrame) -> list[pl.DataFrame]:
    """Every unit a team row refers to lies within the loader's scope: its region, its parent, and
    the team itself when it is stored (renaming it is a change); a team id that is already another
    kind of unit is refused (the load would rename that unit), and a parent must lie in the team's
    region (else the team would belong to two regions: both directors would list it and both
    regions' analysts could load onto it)."""
    kinds, parents = ctx.lookup.unit_kinds, ctx.lookup.unit_parents

    def region_of(unit_id: str | None) -> str | None:
        seen = set()
        while unit_id is not None and unit_id not in seen and kinds.get(unit_id) != "region":
            seen.add(unit_id)
            unit_id = parents.get(unit_id)
        return unit_id

    where = {p: region_of(p) for p in work["parent_ref"].drop_nulls().unique().to_list()}
    work = work.with_columns(
        pl.col("region_id").is_in(list(ctx.scope_units)).alias("region_ok"),
        pl.col("parent_ref").is_in(list(ctx.scope_units)).alias("parent_ok"),
        pl.col("parent_ref").replace_strict(where, default=None, return_dtype=pl.String).alias("parent_region"),
        pl.col("team").replace_strict(kinds, default=None, return_dtype=pl.String).alias("stored_kind"))
    stored = pl.col("stored_kind").is_not_null()
    team_col, parent_col = _header_name(table, "team"), _header_name(table, "parent")
    found = [
        problems(work.filter(stored & ~pl.col("team").is_in(list(ctx.scope_units))),
                 "team.ingest.error.out_of_scope", team_col, "team"),
        problems(work.filter(stored & pl.col("team").is_in(list(ctx.scope_units)) & (pl.col("stored_kind") != "team")),
                 "team.ingest.error.id_taken", team_col, "team"),
        problems(work.filter(pl.col("region_id").is_not_null() & ~pl.col("region_ok")),
                 "team.ingest.error.out_of_scope", _header_name(table, "region"), "region"),
        problems(work.filter(pl.col("parent_ref").is_not_null() & ~pl.col("parent_ok")),
                 "team.ingest.error.out_of_scope", parent_col, "parent"),
    ]
    elsewhere = work.filter(pl.col("parent_ref").is_not_null() & pl.col("parent_ok") & pl.col("region_id").is_not_null()
                            & pl.col("parent_region").ne_missing(pl.col("region_id")))
    found.append(problems(elsewhere, "team.ingest.error.parent_elsewhere", parent_col, "parent",
                          region=pl.col("region")))
    return found


# What a reload may not change about a stored team: DuckDB refuses to update a foreign-key column
# of a row that other rows refer to (its check treats the update as delete + insert), so a team's
# parent, region and area stay as first loaded; names and everything else may change.
FIXED_FIELDS = (("parent_id", "parent"), ("region_id", "region"), ("yta_id", "yta"))


def _fixed_field_problems(ctx: Context, table: Table, rows: pl.DataFrame) -> list[pl.DataFrame]:
    stored = db.fetch(ctx.con, "load/teams/plan_stored_teams")
    if stored.is_empty() or rows.is_empty():
        return []
    both = rows.rename({"row_number": "_row"}).join(stored, on="team_id", how="inner", suffix="_stored")
    present = _columns([h.strip().strip('"').lower() for h in table.header])
    found = []
    for column, field in FIXED_FIELDS:
        # the parent defaults to the region when the file lacks it
        source = field if field in present else "region"
        header = _header_name(table, source)
        differs = both.filter(pl.col(column).ne_missing(pl.col(f"{column}_stored")))
        shown = {u: ctx.shown_unit(u) for u in differs[f"{column}_stored"].drop_nulls().unique().to_list()}
        found.append(problems(differs, "team.ingest.error.fixed_field", header, column, team=pl.col("team_id"),
                              stored=pl.col(f"{column}_stored").replace_strict(shown, default="–",
                                                                               return_dtype=pl.String)))
    # a parent taken from the region column would repeat the region's problem
    return [pl.concat(found).unique(subset=["row", "column"], keep="first", maintain_order=True)]


def parse_aims(table: Table, ctx: Context) -> Parsed:
    raw = _raw(table, AIMS_REQUIRED + AIMS_OPTIONAL + aim_measures.MEASURE_FIELDS)
    errors = _required(raw, table, AIMS_REQUIRED)
    lookup = ctx.lookup
    kinds = lookup.unit_kinds
    work = raw.with_columns(
        pl.Series("team_id", [ctx.unit(v) if v else None for v in raw["team"].to_list()], dtype=pl.String),
        pl.Series("indicator_id", [lookup.indicator(v) if v else None for v in raw["indicator"].to_list()],
                  dtype=pl.String),
        number_expr("baseline_value").alias("baseline_number"),
        number_expr("aim_value").alias("aim_number"),
        _date_column(raw, "baseline_period").alias("baseline_date"),
        _date_column(raw, "aim_date").alias("aim_day"),
    )
    is_team = pl.col("team_id").map_elements(lambda u: kinds.get(u) == "team", return_dtype=pl.Boolean)
    # a row naming a measure the catalogue lacks, with its name, unit and direction: a new measure
    # of the team, checked as the indicators format checks it
    wanted = work.filter(is_team.fill_null(False))
    created, measure_errors = aim_measures.new_measures(wanted, table, ctx, lambda f: _header_name(table, f))
    defining = aim_measures.wants_measure(work)
    work = work.join(created, left_on="_row", right_on="row_number", how="left").with_columns(
        pl.coalesce("indicator_id", "ind_id").alias("indicator_id"))
    errors += [
        measure_errors,
        problems(work.filter(pl.col("team").is_not_null() & ~is_team.fill_null(False)),
                 "team.ingest.error.unknown_team", _header_name(table, "team"), "team"),
        problems(work.filter(pl.col("indicator").is_not_null() & pl.col("indicator_id").is_null() & ~defining),
                 "team.ingest.error.unknown_indicator", _header_name(table, "indicator"), "indicator"),
        problems(work.filter(pl.col("baseline_value").is_not_null() & pl.col("baseline_number").is_null()),
                 "team.ingest.error.not_number", _header_name(table, "baseline_value"), "baseline_value"),
        problems(work.filter(pl.col("aim_value").is_not_null() & pl.col("aim_number").is_null()),
                 "team.ingest.error.not_number", _header_name(table, "aim_value"), "aim_value"),
        problems(work.filter(pl.col("baseline_period").is_not_null() & pl.col("baseline_date").is_null()),
                 "team.ingest.error.bad_date", _header_name(table, "baseline_period"), "baseline_period"),
        problems(work.filter(pl.col("aim_date").is_not_null() & pl.col("aim_day").is_null()),
                 "team.ingest.error.bad_date", _header_name(table, "aim_date"), "aim_date"),
        problems(work.filter(pl.struct("team", "indicator").is_duplicated()),
                 "team.ingest.error.duplicate", _header_name(table, "indicator"), "indicator"),
    ]
    if ctx.scope is not None:
        # a team's measures are its coach's to set, as on the team page (`Scope.may_define`), and
        # any loader's whose scope holds the team
        own = set(ctx.scope.measure_team_ids)
        errors.append(problems(work.filter(pl.col("team_id").is_not_null()
                                           & ~pl.col("team_id").map_elements(lambda u: u in own or ctx.allowed(u),
                                                                             return_dtype=pl.Boolean)),
                               "team.ingest.error.out_of_scope", _header_name(table, "team"), "team"))
    rows = work.select(
        "team_id", "indicator_id",
        pl.col("baseline_number").alias("baseline_value"),
        pl.col("baseline_date").alias("baseline_period"),
        pl.col("aim_number").alias("aim_value"),
        pl.col("aim_day").alias("aim_date"),
        pl.col("_row").alias("row_number"),
        *(pl.col(f"ind_{c}") for c in aim_measures.CARRIED),
    )
    decimal = detect_decimal(pl.concat([raw["baseline_value"], raw["aim_value"]]).drop_nulls())
    return _finish(rows, errors, raw.height, "aims", decimal)


def parse_models(table: Table, ctx: Context) -> Parsed:
    raw = _raw(table, MODELS_REQUIRED + MODELS_OPTIONAL)
    errors = _required(raw, table, MODELS_REQUIRED)
    lookup = ctx.lookup
    kinds = lookup.unit_kinds
    work = raw.with_columns(
        pl.Series("team_id", [ctx.unit(v) if v else None for v in raw["team"].to_list()], dtype=pl.String),
        pl.Series("theme_id", [_theme(v) for v in raw["theme"].to_list()], dtype=pl.String),
    )
    is_team = pl.col("team_id").map_elements(lambda u: kinds.get(u) == "team", return_dtype=pl.Boolean)
    errors += [
        problems(work.filter(pl.col("team").is_not_null() & ~is_team.fill_null(False)),
                 "team.ingest.error.unknown_team", _header_name(table, "team"), "team"),
        problems(work.filter(pl.col("theme").is_not_null() & pl.col("theme_id").is_null()),
                 "team.ingest.error.bad_theme", _header_name(table, "theme"), "theme"),
        problems(work.filter(pl.struct("team", "title").is_duplicated()),
                 "team.ingest.error.duplicate", _header_name(table, "title"), "title"),
        # markup: a model's link is shown as a link, so only an https address is taken
        problems(work.filter(pl.col("link").is_not_null()
                             & ~pl.col("link").map_elements(is_https_link, return_dtype=pl.Boolean)),
                 "team.ingest.error.link_not_https", _header_name(table, "link"), "link"),
    ]
    if ctx.scope is not None:
        errors.append(problems(work.filter(pl.col("team_id").is_not_null()
                                           & ~pl.col("team_id").map_elements(ctx.allowed, return_dtype=pl.Boolean)),
                               "team.ingest.error.out_of_scope", _header_name(table, "team"), "team"))
    rows = work.select("team_id", "title", pl.col("theme_id").alias("theme"), "link",
                       pl.col("_row").alias("row_number"))
    return _finish(rows, errors, raw.height, "operating_models", "none")


# Plan and commit: the same steps for teams, aims and operating models.

def _planner(query: str):
    """Plan: the named query compares the file's rows (frame `incoming`) with what is stored."""
    def plan(con, rows: pl.DataFrame) -> pl.DataFrame:
        with registered(con, "incoming", rows):
            return db.fetch(con, query)
    return plan


def _committer(writes: tuple[str, ...], keys: dict[str, dict[str, str]], *, after: tuple[str, ...] = ()):
    """Commit: keep the stored state of every changed row of each tracked table of `keys` (table →
    its key column → the plan's column), run the `writes` (frame `incoming_changes`), then the
    `after` statements that take the load id, and record the rows the load created in each table
    so that undo can remove them."""
    def rows(frame: pl.DataFrame, table: str) -> pl.DataFrame:
        return frame.select(*(pl.col(column).alias(key) for key, column in keys[table].items()))

    def commit(con, plan: pl.DataFrame, load_id: int) -> None:
        changes = plan.filter(pl.col("status") != "unchanged")
        changed, new = changes.filter(pl.col("status") == "changed"), changes.filter(pl.col("status") == "new")
        for table in keys:
            history.save(con, table, load_id, rows(changed, table))
        with registered(con, "incoming_changes", changes):
            for name in writes:
                db.execute(con, name)
            for name in after:
                db.execute(con, name, load_id=load_id)
        for table in keys:
            history.record_created(con, table, load_id, rows(new, table))
    return commit


# The three team formats undo alike: rows referring to a team first; a teams load's new team units
# are removed after the undo committed (DuckDB cannot delete them in the transaction that deleted
# the team rows referring to them), and neither they nor the units' names are counted (a team is
# one row to the user).
TEAM_UNDO = history.Undo(("operating_model", "team_measure", "team", "unit"),
                         counted=("operating_model", "team_measure", "team"), after_commit=("unit",))


TEAMS = Format(
    name="teams", detect=_detector(TEAMS_REQUIRED, ("indicator", "title")),
    parse=parse_teams, plan=_planner("load/teams/plan_teams"),
    commit=_committer(("load/teams/upsert_units", "load/teams/upsert_teams"),
                      {"unit": {"id": "team_id"}, "team": {"unit_id": "team_id"}}),
    undo=TEAM_UNDO.undo, blockers=blockers_by("load/teams/undo_blockers"), priority=5, after_undo=TEAM_UNDO.after(),
)
def _plan_aims(con, rows: pl.DataFrame) -> pl.DataFrame:
    """The measures' plan; a row that creates its measure also carries that indicator's plan
    (`ind_status`, `ind_has_*`: `indicators.plan_indicators`)."""
    plan = _planner("load/teams/plan_measures")(con, rows.drop([f"ind_{c}" for c in aim_measures.CARRIED]))
    carried = rows.select("row_number", *(f"ind_{c}" for c in aim_measures.CARRIED))
    own = aim_measures.indicator_plan(con, carried)
    extra = own.select("row_number", *(pl.col(c).alias(f"ind_{c}")
                                       for c in ("status", "has_detail", "has_seasonality", "has_scope")))
    return plan.join(carried, on="row_number", how="left").join(extra, on="row_number", how="left")


_commit_measures = _committer(("load/teams/upsert_measures",),
                              {"team_measure": {"team_id": "team_id", "indicator_id": "indicator_id"}})


def _commit_aims(con, plan: pl.DataFrame, load_id: int) -> None:
    """The new measures' indicators first, as an indicators load writes them (which makes each a
    measure of its team, recorded as created), then every row's baseline and aim."""
    creating = plan.filter(pl.col("ind_id").is_not_null())
    if creating.height:
        own = creating.select(*(pl.col(f"ind_{c}").alias(c) for c in aim_measures.CARRIED), "row_number",
                              *(pl.col(f"ind_{c}").alias(c) for c in ("status", "has_detail", "has_seasonality",
                                                                      "has_scope")))
        indicators.commit_indicators(con, own.rename({"id": "indicator_id"}), load_id)
        # their measure rows are the indicators' own (created and recorded there): given their values
        with registered(con, "incoming_changes", creating):
            db.execute(con, "load/teams/upsert_measures")
    _commit_measures(con, plan.filter(pl.col("ind_id").is_null()), load_id)


# an aims load may create its team's own indicators too: its undo removes them after the measures
AIMS_UNDO = history.Undo(("team_measure", "indicator_seasonality", "indicator_scope", "indicator_detail",
                          "indicator"), counted=("team_measure", "indicator"), after_commit=("indicator",))
_team_blockers = blockers_by("load/teams/undo_blockers")
_indicator_blockers = blockers_by("load/indicators/indicator_undo_blockers")

AIMS = Format(
    name="aims", detect=_detector(AIMS_REQUIRED), parse=parse_aims,
    plan=_plan_aims, commit=_commit_aims,
    undo=AIMS_UNDO.undo, blockers=lambda con, load_id: sorted({*_team_blockers(con, load_id),
                                                               *_indicator_blockers(con, load_id)}),
    priority=6, after_undo=AIMS_UNDO.after(),
)
OPERATING_MODELS = Format(
    name="operating_models", detect=_detector(MODELS_REQUIRED, ("indicator",)),
    parse=parse_models, plan=_planner("load/teams/plan_operating_models"),
    commit=_committer(("load/teams/upsert_operating_models",),
                      {"operating_model": {"team_id": "team_id", "title": "title"}}),
    undo=TEAM_UNDO.undo, blockers=blockers_by("load/teams/undo_blockers"), priority=7,
)
