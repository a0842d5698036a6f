"""The cohort board: every team of a cohort year with each measure's latest value, signal, aim
reached and progress, its totals (nothing hidden that could be worked back), and the board as a
table with its column widths."""

from __future__ import annotations

from typing import Any

import polars as pl

from vetopito import i18n, privacy
from vetopito.scoped import Runner
from vetopito.teams import progress

AIM_MET = ("reliably", "latest")   # how an aim counts as met on the cohort board (strongest first)


def cohorts(query: Runner) -> list[int]:
    frame = query("team__list")
    return sorted(frame["cohort_year"].unique().to_list()) if not frame.is_empty() else []


def cohort_board(query: Runner, cohort_year: int, lang: str | None = None) -> pl.DataFrame:
    """One row per team × measure of a cohort: latest value, signal, aim reached, progress.

    Values are suppressed before anything is computed; `progress` is null when the
    baseline or latest value is hidden.
    """
    lang = lang or i18n.get_language()
    teams = progress.team_list(query, lang).filter(pl.col("cohort_year") == cohort_year)
    observations = query("cohort__observations", cohort_year=cohort_year)
    measures = query("cohort__measures", cohort_year=cohort_year)
    events = query("cohort__events", cohort_year=cohort_year)
    rows = []
    for team in teams.iter_rows(named=True):
        team_events = events.filter(pl.col("team_id") == team["team_id"])
        for meta in measures.filter(pl.col("team_id") == team["team_id"]).iter_rows(named=True):
            obs = observations.filter((pl.col("team_id") == team["team_id"])
                                      & (pl.col("indicator_id") == meta["indicator_id"]))
            m = progress.build_measure(meta, obs, team_events, team["started_on"], lang)
            # the board shows the value of the last period (hidden stays hidden), not the last shown one
            last = m.points.row(-1, named=True) if m.points.height else {"value": None, "is_hidden": False,
                                                                          "hidden_reason": None}
            share_done = None
            if m.baseline_value is not None and m.aim_value is not None and last["value"] is not None \
                    and m.aim_value != m.baseline_value:
                share_done = (last["value"] - m.baseline_value) / (m.aim_value - m.baseline_value)
            rows.append({
                "team_id": team["team_id"], "team": team["name"], "yta_id": team["yta_id"],
                "region_id": team["region_id"], "region": team["region_name"], "theme": team["theme"],
                "indicator_id": m.indicator_id, "measure": m.name,
                "measure_short": meta.get(f"short_{lang}") or meta.get("short_fi") or m.name,
                "unit": m.unit, "decimals": m.decimals,
                "baseline": m.baseline_value, "latest": last["value"], "aim": m.aim_value,
                "latest_hidden": bool(last["is_hidden"]), "latest_reason": last["hidden_reason"],
                "min_persons": m.min_persons,
                "signal": m.summary.get("signal_direction") or ("common_cause" if m.n_visible else None),
                "aim_reached": m.aim_met is not None, "aim_met": m.aim_met,
                "progress": share_done, "n_hidden": m.n_hidden, "summary": m.text,
            })
    schema = {"team_id": pl.String, "team": pl.String, "yta_id": pl.String, "region_id": pl.String,
              "region": pl.String, "theme": pl.String, "indicator_id": pl.String, "measure": pl.String,
              "measure_short": pl.String, "unit": pl.String, "decimals": pl.Int64, "baseline": pl.Float64, "latest": pl.Float64,
              "aim": pl.Float64, "latest_hidden": pl.Boolean, "latest_reason": pl.String,
              "min_persons": pl.Int64, "signal": pl.String, "aim_reached": pl.Boolean, "aim_met": pl.String,
              "progress": pl.Float64,
              "n_hidden": pl.Int64, "summary": pl.String}
    return pl.DataFrame(rows, schema=schema)


SIGNAL_ICONS = {"improvement": "▲", "concern": "▼", "common_cause": "●", None: "–"}
SORTS = ("progress", "name", "region")


def board_totals(board: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The board as shown with a total row per measure, and nothing hidden that could be worked back.

    Counts about persons are totalled as a sum: where a measure has exactly one hidden latest
    value, a second one is hidden too (`privacy.complementary_suppression`) and the sum comes
    from `privacy.group_total`, so total minus the others never gives a hidden value. Other
    measures (shares, hours per person) are summarised by the median of the shown values, which
    reveals nothing hidden. Returns (board, totals: indicator_id, measure, unit, decimals,
    n_teams, n_improvement, n_aim_reached, total, total_kind sum|median).
    """
    schema = {"indicator_id": pl.String, "measure": pl.String, "unit": pl.String, "decimals": pl.Int64,
              "n_teams": pl.Int64, "n_improvement": pl.Int64, "n_aim_reached": pl.Int64, "total": pl.Float64,
              "total_kind": pl.String}
    if board.is_empty():
        return board, pl.DataFrame(schema=schema)
    cells = board.with_row_index("_i").with_columns(
        pl.col("latest").alias("value"), pl.col("latest_hidden").alias("is_hidden"),
        pl.col("latest_reason").alias("hidden_reason"))
    is_count = pl.col("unit").is_in(privacy.PERSON_COUNT_UNITS)
    counts = privacy.complementary_suppression(cells.filter(is_count), ["indicator_id"])
    cells = pl.concat([counts, cells.filter(~is_count)], how="vertical_relaxed").sort("_i")
    shown = board.with_columns(
        cells["value"].alias("latest"), cells["is_hidden"].alias("latest_hidden"),
        cells["hidden_reason"].alias("latest_reason"),
        pl.when(cells["is_hidden"]).then(None).otherwise(pl.col("progress")).alias("progress"))
    if "aim_met" in shown.columns:
        # a hidden latest value gives away nothing, not even that it meets the aim
        latest_gone = cells["is_hidden"] & (pl.col("aim_met") == "latest")
        shown = shown.with_columns(pl.when(latest_gone).then(None).otherwise(pl.col("aim_met")).alias("aim_met"))
        shown = shown.with_columns(pl.col("aim_met").is_not_null().alias("aim_reached"))
    sums = privacy.group_total(counts, ["indicator_id"]) if counts.height else pl.DataFrame(
        schema={"indicator_id": pl.String, "total": pl.Float64, "n_hidden": pl.Int64})
    totals = shown.group_by("indicator_id", maintain_order=True).agg(
        pl.col("measure").first(), pl.col("unit").first(), pl.col("decimals").first(),
        pl.len().cast(pl.Int64).alias("n_teams"),
        (pl.col("signal") == "improvement").sum().cast(pl.Int64).alias("n_improvement"),
        pl.col("aim_reached").sum().cast(pl.Int64).alias("n_aim_reached"),
        pl.col("latest").median().alias("median"),
    ).join(sums.select("indicator_id", pl.col("total").cast(pl.Float64).alias("sum")), on="indicator_id",
           how="left").with_columns(
        pl.when(pl.col("unit").is_in(privacy.PERSON_COUNT_UNITS)).then(pl.col("sum"))
        .otherwise(pl.col("median")).alias("total"),
        pl.when(pl.col("unit").is_in(privacy.PERSON_COUNT_UNITS)).then(pl.lit("sum"))
        .otherwise(pl.lit("median")).alias("total_kind"),
    )
    return shown, totals.select(list(schema))


def _board_columns(lang: str | None) -> dict[str, str]:
    return {k: i18n.t(f"team.col.{k}", lang) for k in ("team", "region", "measure", "baseline_aim", "latest",
                                                       "signal", "progress")}


def _board_schema(c: dict[str, str]) -> dict[str, Any]:
    return {"team_id": pl.String, **{v: pl.String for k, v in c.items() if k != "progress"},
            c["progress"]: pl.Float64}


def aim_met_mark(how: str | None, lang: str | None = None) -> str:
    """"✓ nyt " / "✓ SPC " before "baseline → aim" (first, so a narrow column never cuts it off):
    the aim is met now, and how (`aim_met`); nothing when it is not (touching it once is not enough)."""
    return f"{i18n.t(f'cohort.aim_met.{how}', lang)} " if how in AIM_MET else ""


def board_table(board: pl.DataFrame, lang: str | None = None, totals: pl.DataFrame | None = None) -> pl.DataFrame:
    """The cohort board as columns for a table that fits a 1400 px screen: team, region, the
    measure's short name, "baseline → aim" (led by "✓ nyt" or "✓ SPC" when the aim is met now,
    `aim_met`), the latest value (or why it is hidden), the signal with its icon, and
    progress in per cent (a number, so that it sorts); when `totals` are given, a total row per
    measure at the end (`totals_table`; the page shows those above the grid instead)."""
    def fmt(value, unit, decimals, reason=None, min_persons=None):
        if reason:
            return i18n.t("team.hidden_because", lang, reason=privacy.hidden_reason_text(
                reason, min_persons=min_persons, lang=lang))
        return i18n.fmt_value(value, unit, decimals, lang) if value is not None else i18n.t("team.hidden_or_none", lang)
    c = _board_columns(lang)
    rows = []
    for r in board.iter_rows(named=True):
        # the unit once, after the aim: "13,1 → 9,9 pv/htv"
        start = (i18n.fmt_number(r["baseline"], r["decimals"], lang) if r["baseline"] is not None and r["aim"] is not None
                 else fmt(r["baseline"], r["unit"], r["decimals"]))
        baseline_aim = f"{start} → {fmt(r['aim'], r['unit'], r['decimals'])}"
        rows.append({
            "team_id": r["team_id"], c["team"]: r["team"], c["region"]: r["region"],
            c["measure"]: r.get("measure_short") or r["measure"],
            c["baseline_aim"]: aim_met_mark(r.get("aim_met"), lang) + baseline_aim,
            c["latest"]: fmt(r["latest"], r["unit"], r["decimals"], r.get("latest_reason"), r.get("min_persons")),
            c["signal"]: SIGNAL_ICONS.get(r["signal"], "–") + " " + (
                i18n.t(f"team.signal.{r['signal']}", lang) if r["signal"] else ""),
            c["progress"]: r["progress"] * 100 if r["progress"] is not None else None,
        })
    table = pl.DataFrame(rows, schema=_board_schema(c))
    if totals is None:
        return table
    return pl.concat([table, totals_table(board, totals, lang)])


def totals_table(board: pl.DataFrame, totals: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """One "All teams (n)" row per measure, in the columns of `board_table`: how many teams
    meet the aim now, the total (sum of persons, else median), how many show improvement."""
    c = _board_columns(lang)
    short = dict(zip(board["indicator_id"].to_list(), (board["measure_short"] if "measure_short" in board.columns
                                                       else board["measure"]).to_list(), strict=True))
    rows = []
    for r in totals.iter_rows(named=True):
        total = (i18n.t(f"cohort.total.{r['total_kind']}", lang,
                        value=i18n.fmt_value(r["total"], r["unit"], r["decimals"], lang))
                 if r["total"] is not None else i18n.t("cohort.total.hidden", lang))
        rows.append({
            "team_id": None, c["team"]: i18n.t("cohort.total.row", lang, n=r["n_teams"]), c["region"]: "",
            c["measure"]: short.get(r["indicator_id"]) or r["measure"],
            c["baseline_aim"]: f"✓ {r['n_aim_reached']}/{r['n_teams']}", c["latest"]: total,
            c["signal"]: f"{SIGNAL_ICONS['improvement']} {r['n_improvement']}/{r['n_teams']}", c["progress"]: None,
        })
    return pl.DataFrame(rows, schema=_board_schema(c))


BOARD_TEAM_PX = 240          # a 40-character team name
ROW_MARKER_PX = 36           # the grid's row-selection column (a check box per row)
BOARD_WIDTH_PX = 930          # the main area beside the sidebar in a 1400 px window
CHAR_PX, CELL_PADDING_PX = 6.2, 16
BOARD_MIN_PX = {"team": 200, "region": 95, "measure": 110, "baseline_aim": 110, "latest": 78, "signal": 0,
                "progress": 62}


def board_column_widths(table: pl.DataFrame, lang: str | None = None, *,
                        total: int = BOARD_WIDTH_PX) -> dict[str, int]:
    """Pixel widths for the columns of `board_table` so that the whole table fits `total`: each
    column as wide as its longest text (about 6.2 px a character at 14 px, plus padding; the signal
    column fits every signal label). When that is too wide, the latest value (whose longest texts
    are the rare reasons for a hidden value) gives way first, then the longest team names, and then
    every column gives up the same share of what it has above its minimum."""
    keys = {i18n.t(f"team.col.{k}", lang): k for k in BOARD_MIN_PX}
    need: dict[str, int] = {}
    for column in table.columns:
        key = keys.get(column)
        if key is None:
            continue
        if key == "progress":
            texts = [column, *(f"{v:.0f} %" for v in table[column].drop_nulls().to_list())]
        else:
            texts = [column, *(str(v) for v in table[column].drop_nulls().to_list())]
        if key == "signal":
            texts += [f"{icon} {i18n.t(f'team.signal.{k}', lang)}" for k, icon in SIGNAL_ICONS.items() if k]
        need[column] = max(int(CHAR_PX * max(len(x) for x in texts)) + CELL_PADDING_PX, BOARD_MIN_PX[key])
    for c in need:   # a signal label is never cut: 8 px a character
        if keys[c] == "signal":
            need[c] = max(need[c], 8 * max(len(x) for x in [c, *(f"{icon} {i18n.t(f'team.signal.{k}', lang)}"
                                                              for k, icon in SIGNAL_ICONS.items() if k)]))
    floor = {c: max(BOARD_MIN_PX[keys[c]], need[c] if keys[c] == "signal" else 0) for c in need}
    for c in need:   # a 40-character team name shows whole; the other columns give way first
        if keys[c] == "team":
            floor[c] = max(floor[c], min(need[c], BOARD_TEAM_PX))
    # first the rare long texts: a hidden value's reason, then the longest team names
    for key, keep in (("latest", 80), ("team", 240)):
        column = next((c for c in need if keys[c] == key), None)
        over = sum(need.values()) - total
        if column is not None and over > 0:
            need[column] = max(keep, need[column] - over, floor[column])
    over = sum(need.values()) - total
    slack = sum(need[c] - floor[c] for c in need)
    if over > 0 and slack > 0:
        share = min(1.0, over / slack)
        need = {c: int(need[c] - (need[c] - floor[c]) * share) for c in need}
    return need


def filter_board(board: pl.DataFrame, *, yta: str | None = None, region: str | None = None,
                 theme: str | None = None, sort: str = "progress") -> pl.DataFrame:
    """The board for one area, region or theme, sorted by progress (furthest first), team name
    or region (then team name)."""
    out = board
    if yta:
        out = out.filter(pl.col("yta_id") == yta)
    if region:
        out = out.filter(pl.col("region_id") == region)
    if theme:
        out = out.filter(pl.col("theme") == theme)
    if sort == "name":
        return out.sort(["team", "team_id", "measure"])
    if sort == "region":
        return out.sort(["region", "team", "team_id", "measure"])
    return out.sort(["progress", "team_id"], descending=[True, False], nulls_last=True)
