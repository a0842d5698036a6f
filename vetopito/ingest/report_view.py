"""What the upload page shows of a report, as plain data: the detected format in words, the
changes as old → new with their filters, the error report, the load history. Kept here so the
page stays a thin drawing of these frames (and so they are tested without Streamlit)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from vetopito import db, i18n
from vetopito.ingest.result import Report
from vetopito.text import escape_markdown


def md_escape(text: str) -> str:
    """`text` shown as written in an element that renders markdown (`st.markdown`, `st.error`,
    …): a file name like `**x**.csv` or `<b>` is not read as markup; its lines stay lines."""
    return "\n".join(escape_markdown(line) for line in str(text).split("\n"))


DETECTED_PARTS = ("format", "layout", "encoding", "delimiter", "decimal")
_DELIMITER_WORDS = {";": "semicolon", ",": "comma", "\t": "tab"}


def _word(part: str, value: object, lang: str | None) -> str:
    if value is None:
        return i18n.t("ingest.word.unknown", lang)
    code = _DELIMITER_WORDS.get(str(value), str(value)) if part == "delimiter" else str(value)
    key = f"ingest.word.{part}.{code.replace('-', '_').replace(',', 'comma').replace('.', 'point')}"
    return i18n.t(key, lang) if i18n.has_text(key) else code


def detected_text(report: Report, lang: str | None = None) -> str:
    """`Havainnot (Sotkanet-vienti); pitkä: rivi per arvo; merkistö UTF-8; erotin puolipiste; …`."""
    words = {part: _word(part, report.detected.get(part), lang) for part in DETECTED_PARTS}
    return i18n.t("ingest.page.detected", lang, **words)


def changes_view(report: Report, lang: str | None = None, con=None) -> pl.DataFrame:
    """One row per new or changed value: row, status, indicator, unit, period, old → new, as
    people read them: `3/2026` (the period in its grain), `12,5` (the indicator's decimals, the
    user's locale) and, with `con`, unit and indicator names instead of ids (`Pohjois-Savo`, not
    `HVA13`; `Hoitoonpääsy: lääkäri 7 vrk`, not `hoitoonpaasy_pth_laakari_7vrk`). A
    missing old or new value (a new row has no old one) reads `–`, as in the other tables."""
    frame = report.changes
    if frame.is_empty() or "status" not in frame.columns:
        return pl.DataFrame(schema={"row": pl.Int64, "status": pl.String, "indicator": pl.String,
                                    "unit": pl.String, "period": pl.String, "old": pl.String, "new": pl.String})
    if "programme_id" in frame.columns:  # a programme file (ingest/programmes.py)
        return _dash_missing(_programme_changes(frame, lang))
    decimals, unit_names, indicator_names = _catalogue(con, lang) if con is not None else ({}, {}, {})
    key_of = {"indicator": ("indicator_id",), "unit": ("unit_id", "id"),
              "period": ("period_start", "due_date", "event_date")}
    old_new = [("old_value", "value"), ("old_target_value", "target_value"), ("old_name_fi", "name_fi"),
               (None, "label")]
    exprs = [pl.col("row_number").alias("row"), pl.col("status")]
    for out, candidates in key_of.items():
        found = next((c for c in candidates if c in frame.columns), None)
        if found is None:
            exprs.append(pl.lit(None, pl.String).alias(out))
        elif out == "period":
            exprs.append(_period_text(frame, found, lang).alias(out))
        elif (names := {"unit": unit_names, "indicator": indicator_names}.get(out)):
            exprs.append(pl.col(found).replace_strict(names, default=pl.col(found).cast(pl.String),
                                                      return_dtype=pl.String).alias(out))
        else:
            exprs.append(pl.col(found).cast(pl.String).alias(out))
    if "old_name_fi" in frame.columns:  # a units file: the fields that change, old → new
        return _dash_missing(frame.select(*exprs, *_unit_old_new(frame)))
    old, new = next(((o, n) for o, n in old_new if n in frame.columns), (None, None))
    for column, out in ((old, "old"), (new, "new")):
        if column is None or column not in frame.columns:
            exprs.append(pl.lit(None, pl.String).alias(out))
        elif frame.schema[column].is_numeric():
            exprs.append(_number_text(frame, column, decimals, lang).alias(out))
        else:
            exprs.append(pl.col(column).cast(pl.String).alias(out))
    view = frame.select(exprs)
    if old in frame.columns and new in frame.columns and frame.schema[old].is_numeric() \
            and frame.schema[new].is_numeric():
        view = _full_where_rounded_alike(view, frame[old], frame[new], lang)
    return _dash_missing(view)


def _programme_changes(frame: pl.DataFrame, lang: str | None) -> pl.DataFrame:
    """A programme file's changes in the same columns: `unit` holds the row's key within the
    programme (`DEMO · 1.3 · M2`), `period` its round or period, old → new its text, name or value."""
    keys = [c for c in ("programme_id", "goal_id", "subproject_id", "measure_id") if c in frame.columns]
    day = next((c for c in ("round_date", "period_start") if c in frame.columns), None)
    old, new = next(((o, n) for o, n in (("old_text", "text"), ("old_name", "name"), ("old_value", "value"))
                     if n in frame.columns and o in frame.columns), (None, None))

    def text(column: str | None) -> pl.Expr:
        if column is None:
            return pl.lit(None, pl.String)
        if frame.schema[column].is_numeric():
            return pl.col(column).map_elements(lambda v: full_number(v, lang), return_dtype=pl.String)
        return pl.col(column).cast(pl.String)

    return frame.select(
        pl.col("row_number").alias("row"), pl.col("status"),
        (pl.col("indicator_id") if "indicator_id" in frame.columns else pl.lit(None, pl.String)).alias("indicator"),
        pl.concat_str([pl.col(k) for k in keys], separator=" · ", ignore_nulls=True).alias("unit"),
        (pl.col(day).map_elements(lambda d: i18n.fmt_date(d, lang), return_dtype=pl.String) if day
         else pl.lit(None, pl.String)).alias("period"),
        text(old).alias("old"), text(new).alias("new"))


def _full_where_rounded_alike(view: pl.DataFrame, old: pl.Series, new: pl.Series, lang: str | None) -> pl.DataFrame:
    """A changed value whose old and new read the same at the indicator's decimals (`0,1` → `0,1`
    for 0.1234 → 0.1236) is shown at full stored precision on both sides (`0,1234` → `0,1236`):
    the table must not claim a change it cannot show."""
    alike = ((view["old"] == view["new"]) & old.cast(pl.Float64).ne_missing(new.cast(pl.Float64))).fill_null(False)
    if not alike.any():
        return view
    rows = alike.arg_true().to_list()
    olds, news = view["old"].to_list(), view["new"].to_list()
    for i in rows:
        olds[i], news[i] = full_number(old[i], lang), full_number(new[i], lang)
    return view.with_columns(pl.Series("old", olds, dtype=pl.String), pl.Series("new", news, dtype=pl.String))


def full_number(value: float | int | None, lang: str | None = None) -> str | None:
    """A stored number at full precision in the user's locale: every decimal its shortest exact
    repr has (`0,1234`, `12,5`, `3`)."""
    if value is None:
        return None
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return i18n.fmt_number(float(value), min(places, 17), lang)


def _dash_missing(view: pl.DataFrame) -> pl.DataFrame:
    return view.with_columns(pl.col("old", "new").fill_null("–"))


def _catalogue(con, lang: str | None) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """Indicator decimals, and unit and indicator names in the user's language (short unit name
    first; the indicator's full name, which says what it measures)."""
    lang = i18n.get_language() if lang not in i18n.LANGUAGES else lang
    cur = con.cursor()
    try:
        indicators = db.fetch(cur, "load/indicator_names")
        units = db.fetch(cur, "load/unit_names")
    finally:
        cur.close()
    decimals = {r["id"]: int(r["decimals"]) for r in indicators.iter_rows(named=True) if r["decimals"] is not None}
    names = {r["id"]: r[f"short_{lang}"] or r[f"name_{lang}"] or r["short_fi"] or r["name_fi"] or r["id"]
             for r in units.iter_rows(named=True)}
    indicator_names = {r["id"]: r[f"name_{lang}"] or r["name_fi"] or r["id"] for r in indicators.iter_rows(named=True)}
    return decimals, names, indicator_names


def _period_text(frame: pl.DataFrame, column: str, lang: str | None) -> pl.Expr:
    """`3/2026`, `2026`, `Q1/2026` by the row's grain; a date (`15.3.2026`) when there is no grain."""
    grain = pl.col("grain").cast(pl.String) if "grain" in frame.columns else pl.lit("day")
    key = pl.col(column).cast(pl.String) + "|" + grain.fill_null("day")
    texts = {}
    for start, g in frame.select(pl.col(column), grain.fill_null("day").alias("g")).unique().iter_rows():
        if start is not None:
            texts[f"{start.isoformat()}|{g}"] = i18n.fmt_period(start, g, lang)
    return key.replace_strict(texts, default=None, return_dtype=pl.String)


def _number_text(frame: pl.DataFrame, column: str, decimals: dict[str, int], lang: str | None) -> pl.Expr:
    """The number in the user's locale with the indicator's decimals (`20,0`, `12,5`); each
    distinct value is formatted once."""
    places = (pl.col("indicator_id").replace_strict(decimals, default=1, return_dtype=pl.Int64)
              if "indicator_id" in frame.columns and decimals else pl.lit(1, pl.Int64))
    key = pl.col(column).cast(pl.String) + "|" + places.cast(pl.String)
    texts = {}
    for value, d in frame.select(pl.col(column).cast(pl.Float64), places.alias("d")).unique().iter_rows():
        if value is not None:
            texts[f"{pl.Series([value]).cast(pl.String)[0]}|{d}"] = i18n.fmt_number(value, d, lang)
    return key.replace_strict(texts, default=None, return_dtype=pl.String)


UNIT_FIELDS = ("name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en", "kind", "org_kind")


def _unit_old_new(frame: pl.DataFrame) -> list[pl.Expr]:
    """`name_fi: X-asema; short_fi: –` → `name_fi: Uusi; short_fi: U` for a renamed unit (only
    the fields that change, named as in the units file); a new unit shows its Finnish name."""
    fields = [f for f in UNIT_FIELDS if f in frame.columns and f"old_{f}" in frame.columns]

    def side(prefix: str) -> pl.Expr:
        parts = [pl.when(pl.col(f).ne_missing(pl.col(f"old_{f}")))
                 .then(pl.lit(f"{f}: ") + pl.col(f"{prefix}{f}").cast(pl.String).fill_null("–"))
                 for f in fields]
        return pl.concat_list(parts).list.drop_nulls().list.join("; ")

    is_new = pl.col("status") == "new"
    return [pl.when(is_new).then(pl.lit(None, pl.String)).otherwise(side("old_")).alias("old"),
            pl.when(is_new).then(pl.col("name_fi")).otherwise(side("")).alias("new")]


def filter_changes(view: pl.DataFrame, *, statuses=None, indicators=None, units=None) -> pl.DataFrame:
    """The changes the user asked to see (an empty choice means all)."""
    for column, chosen in (("status", statuses), ("indicator", indicators), ("unit", units)):
        if chosen:
            view = view.filter(pl.col(column).is_in(list(chosen)))
    return view


CHANGES_SHOWN = 2000  # rows of the table of changes sent to the browser; the rest is in the CSV


def first_changes(view: pl.DataFrame, limit: int = CHANGES_SHOWN) -> tuple[pl.DataFrame, int]:
    """The first `limit` changes to show and how many there are: a 1 000 000-row file would
    otherwise send every row to the browser at each rerun."""
    return view.head(limit), view.height


def changes_csv(view: pl.DataFrame, lang: str | None = None) -> bytes:
    """Every change of the table (as filtered) with the page's headers, UTF-8 with BOM and `;` for
    Finnish Excel. The cells are the table's own texts (names from the catalogue, numbers already
    in the user's locale), so polars writes them as they are, fast enough for a million rows."""
    return _excel_csv(labelled(view, lang))


def filter_choices(view: pl.DataFrame) -> dict[str, list[str]]:
    return {column: sorted(v for v in view[column].unique().to_list() if v is not None)
            for column in ("status", "indicator", "unit")}


def error_view(report: Report, lang: str | None = None) -> pl.DataFrame:
    """The listed problems with headers in the user's language (rivi, sarake, arvo, ongelma) and
    `–` where a problem has no row or column (it is about the whole file, or a whole row); the
    JSON and command-line keys stay English."""
    frame = report.error_frame().with_columns(pl.col("row").cast(pl.String))
    frame = frame.with_columns(pl.col("row", "column", "value").fill_null("–"))
    return frame.rename({c: i18n.t(f"ingest.page.error_column.{c}", lang) for c in frame.columns})


def error_report_csv(report: Report, lang: str | None = None) -> bytes:
    """The downloadable error report: every listed problem, with a header in the user's language,
    UTF-8 with BOM and `;` so that Finnish Excel opens it as it is."""
    return _excel_csv(error_view(report, lang))


def _excel_csv(frame: pl.DataFrame) -> bytes:
    """A frame of display texts as CSV that Finnish Excel opens as it is: UTF-8 with BOM, `;`, and
    every cell that a spreadsheet would run as a formula neutralised (`export.safe`): the error
    report repeats the file's own cells, the changes its names and labels."""
    from vetopito.export import safe

    return ("\ufeff" + safe.neutralise(frame).write_csv(separator=";")).encode("utf-8")


STATUSES = ("new", "changed", "unchanged", "committed", "undone")


def status_label(status: str, lang: str | None = None) -> str:
    key = f"ingest.page.status.{status}"
    return i18n.t(key, lang) if i18n.has_text(key) else status


def labelled(frame: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """A frame for display: `status` in words, every header in the user's language."""
    if "status" in frame.columns:
        words = {s: status_label(s, lang) for s in STATUSES}
        frame = frame.with_columns(pl.col("status").replace_strict(words, default=pl.col("status")))
    names = {c: i18n.t(f"ingest.page.column.{c}", lang) for c in frame.columns
             if i18n.has_text(f"ingest.page.column.{c}")}
    return frame.rename(names)


# the status right after the file: a narrow page still shows whether a load stands or was undone
HISTORY_COLUMNS = ("load_id", "file_name", "status", "loaded_at", "user_name", "format", "n_rows", "n_new",
                   "n_changed", "n_unchanged", "n_rejected", "undone_at", "undone_by")


def history_view(loads: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The load history for display: headers, status and format in the user's language, times as
    `15.3.2024 12:30`, without the checksum."""
    formats = {f: _word("format", f, lang) for f in loads["format"].unique().to_list()}
    frame = loads.select(
        *[c for c in HISTORY_COLUMNS if c in loads.columns]
    ).with_columns(
        pl.col("format").replace_strict(formats, default=pl.col("format")),
        *(pl.col(c).map_elements(lambda v: i18n.fmt_datetime(v, lang), return_dtype=pl.String,
                                 skip_nulls=False).alias(c) for c in ("loaded_at", "undone_at")),
        pl.col("undone_by").fill_null("–"),
    )
    return labelled(frame, lang)


# what a programme file's change shows (ingest/programmes.py): its key and its name or text, old → new
PROGRAMME_CHANGE_COLUMNS = ("programme_id", "goal_id", "subproject_id", "measure_id", "round_date", "old_name",
                            "name", "old_text", "text", "old_done_date", "done_date")


def changes_table(report: Report, statuses: list[str] | None = None) -> pl.DataFrame:
    """The plan's changes for display: row, status, key and old → new value."""
    frame = report.changes
    if frame.is_empty() or "status" not in frame.columns:
        return frame
    if statuses:
        frame = frame.filter(pl.col("status").is_in(statuses))
    wanted = [c for c in ("row_number", "status", "indicator_id", "unit_id", "id", "period_start", "due_date",
                          "event_date", "grain", "old_value", "value", "old_target_value", "target_value",
                          "old_name_fi", "name_fi", "flag", *PROGRAMME_CHANGE_COLUMNS) if c in frame.columns]
    return frame.select(wanted)


def map_choices(unknown: dict, con, lang: str | None = None) -> dict[str, str]:
    """What the upload page offers for mapping one unknown indicator name
    (`Report.unknown_indicators`): indicator id → `name (id)` in the user's language, the closest
    to the name first, then the rest of the catalogue in its order."""
    lang = i18n.get_language() if lang not in i18n.LANGUAGES else lang
    cur = con.cursor()
    try:
        indicators = db.fetch(cur, "load/indicator_names")
    finally:
        cur.close()
    names = {r["id"]: f'{r[f"name_{lang}"] or r["name_fi"] or r["id"]} ({r["id"]})'
             for r in indicators.iter_rows(named=True)}
    first = [i for i in unknown.get("closest", []) if i in names]
    return {i: names[i] for i in [*first, *(i for i in names if i not in first)]}
