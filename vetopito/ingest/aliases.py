"""The names sources use for indicators (issue 11 item 3), learnt once: when a file names an
indicator the catalogue does not know, the plan lists each such name once with the closest
indicators (`Report.unknown_indicators`); the analyst maps it to an indicator (`--map-indicator
"LABEL=ID"`, a select per name on the upload page: `Options.map_indicator`), and the load that
reads the file saves each mapping the file used as an alias (`indicator_alias`, named in
`history.TRACKED`: undoing the load removes it) and the audit log names it (from the load's `detected_json`). The next file
of the same source then loads with no question: `values.Lookup.from_db` resolves the alias.

A mapping may name only a name the catalogue does not know yet: a known name already means an
indicator, and a mapping never silently sends its values elsewhere."""

from __future__ import annotations

import difflib
import json
import re

import duckdb
import polars as pl

from vetopito import db, i18n
from vetopito.ingest.parsing import Context, registered
from vetopito.ingest.problems import file_problem, no_problems
from vetopito.ingest.values import Lookup, fold, norm

UNKNOWN_KEY = "ingest.error.unknown_indicator"
UNKNOWN_ROWS_KEY = "ingest.error.unknown_indicator_rows"
WIDE_PERIOD_KEY = "ingest.error.wide_period_unknown_indicator"  # the prefix of `T3 mediaani 1/2020` headers

# What kind of name a file's indicator names are (`indicator_alias.alias_kind`): by its format, else
# `column` for a wide layout's headers and `label` for a long file's cells (a THL cube's `Mittari`).
KIND_BY_FORMAT = {"sotkanet": "sotkanet", "pxweb": "pxweb"}


class MappingError(ValueError):
    """A `--map-indicator` text that is not `LABEL=ID` (`value`: the text)."""

    def __init__(self, message: str, value: str):
        super().__init__(message)
        self.value = value


def parse_map_option(texts: list[str] | tuple[str, ...] | None, lang: str | None = None) -> tuple[tuple[str, str], ...]:
    """`["Toteutuneet käynnit 0-7 vrk, %=hoitoonpaasy_pth_laakari_7vrk"]` → ((label, id),): split
    at the last `=` (an id has none); MappingError naming the text when a side is empty."""
    pairs = []
    for text in texts or ():
        label, sep, indicator_id = str(text).rpartition("=")
        if not sep or not label.strip() or not indicator_id.strip():
            raise MappingError(i18n.t("ingest.cli.map_option_form", lang, value=text), str(text))
        pairs.append((label.strip(), indicator_id.strip()))
    return tuple(pairs)


def prepare(ctx: Context) -> pl.DataFrame:
    """Check the user's mappings against the catalogue and hand the sound ones to the parser
    (`ctx.mapped`); a problem for a mapping to no indicator, or of a name that already means one."""
    found = []
    for label, indicator_id in ctx.options.map_indicator:
        option = f'{label}={indicator_id}'
        if indicator_id not in ctx.lookup.indicator_info:
            found.append(file_problem("ingest.error.map_unknown_indicator", column="--map-indicator", mapping=option,
                                      indicator=indicator_id,
                                      closest=", ".join(ctx.closest_indicators(indicator_id)) or "–"))
            continue
        known = ctx.lookup.indicator(label) or ctx.lookup.sotkanet_indicators.get(label.strip())
        if known is not None:
            if known != indicator_id:
                found.append(file_problem("ingest.error.map_known_name", column="--map-indicator", mapping=option,
                                          label=label, indicator=known))
            continue  # a name that already means this indicator needs no alias
        ctx.mapped[norm(label)] = (label, indicator_id)
    return pl.concat(found) if found else no_problems()


def resolve(ctx: Context, text: str) -> str | None:
    """The indicator a mapping gives the cell `text` (None: no mapping names it); the mapping is
    then one the load saves."""
    key = norm(text)
    mapped = ctx.mapped.get(key)
    if mapped is None:
        return None
    ctx.used_mappings.setdefault(key, (text.strip(), mapped[1]))
    return mapped[1]


def new_aliases(ctx: Context, format_name: str | None, layout: str | None = None) -> list[dict]:
    """The aliases a load of this file saves: each mapping the file's cells used, as written there."""
    kind = KIND_BY_FORMAT.get(format_name or "", "column" if (layout or "").startswith("wide") else "label")
    return [{"alias": shown, "indicator_id": indicator_id, "alias_kind": kind}
            for shown, indicator_id in ctx.used_mappings.values()]


def _words(text: str) -> set[str]:
    """The words and numbers of a name, folded (`Toteutuneet käynnit 0-7 vrk, %` → toteutuneet,
    kaynnit, 0, 7, vrk; `hoitoonpaasy_pth_laakari_7vrk` → …, 7, vrk)."""
    return set(re.findall(r"[a-z]+|\d+", fold(text).replace("_", " ")))


def closest_for_label(lookup: Lookup, name: str, n: int = 5) -> list[str]:
    """The ids of the `n` indicators a source's label most likely means, for the page's select:
    most words shared with the indicator's id or any of its names first (a cube label such as
    `Toteutuneet käynnit 0-7 vrk, %` shares `7` and `vrk` with the 7-day access indicators),
    then the closest spelling (difflib)."""
    wanted, text = _words(name), fold(name)
    scores = []
    for indicator_id, info in lookup.indicator_info.items():
        names = [indicator_id, *(info.get(f"{kind}_{lang}") or "" for kind in ("name", "short")
                                 for lang in ("fi", "sv", "en"))]
        shared = max(len(wanted & _words(other)) for other in names)
        spelling = max(difflib.SequenceMatcher(None, text, fold(other)).ratio() for other in names if other)
        scores.append((-shared, -spelling, indicator_id))
    return [indicator_id for _, _, indicator_id in sorted(scores)[:n]]


def list_unknown(errors: pl.DataFrame, closest_of, n_rows: int = 0) -> tuple[pl.DataFrame, list[dict]]:
    """Each unknown indicator name once: the row problems of one name on several rows become one
    problem on its first row, saying how many rows name it; a name on one row keeps its line.
    Returns the problems and, per name, what the page offers to map it (`closest_of(name)`: the
    closest indicator ids; `n_rows`: the file's rows, which a name in the column headers is on)."""
    headers = [json.loads(row["fields"] or "{}").get("indicator") for row in
               errors.filter(pl.col("key") == WIDE_PERIOD_KEY).iter_rows(named=True)]
    in_headers = [{"name": name, "column": None, "rows": n_rows, "first_row": None, "closest": closest_of(name)}
                  for name in headers if name]
    every = errors.filter((pl.col("key") == UNKNOWN_KEY) & pl.col("row").is_null())  # `collapse_every_row`'s
    listed = [{"name": row["value"], "column": row["column"],
               "rows": int(json.loads(row["fields"] or "{}").get("_rows", 0)), "first_row": None,
               "closest": closest_of(row["value"])} for row in every.iter_rows(named=True) if row["value"]]
    unknown = errors.filter((pl.col("key") == UNKNOWN_KEY) & pl.col("row").is_not_null())
    listed = in_headers + listed
    if unknown.is_empty():
        return errors, listed
    groups = (unknown.group_by("column", "value", maintain_order=True)
              .agg(pl.col("row").min().alias("first"), pl.col("row").n_unique().alias("rows"),
                   pl.col("fields").first()))
    replaced = []
    for row in groups.iter_rows(named=True):
        listed.append({"name": row["value"], "column": row["column"], "rows": int(row["rows"]),
                       "first_row": int(row["first"]), "closest": closest_of(row["value"])})
        if row["rows"] > 1:
            fields = {**json.loads(row["fields"] or "{}"), "rows": str(row["rows"])}
            replaced.append({"row": row["first"], "column": row["column"], "value": row["value"],
                             "key": UNKNOWN_ROWS_KEY, "fields": json.dumps(fields, ensure_ascii=False)})
    many = groups.filter(pl.col("rows") > 1).select("column", "value")
    kept = errors.join(many.with_columns(pl.lit(True).alias("_many")), on=["column", "value"], how="left",
                       nulls_equal=True)
    kept = kept.filter(~((pl.col("key") == UNKNOWN_KEY) & pl.col("_many").fill_null(False))).drop("_many")
    if replaced:
        kept = pl.concat([kept, pl.DataFrame(replaced, schema=errors.schema)])
    return kept, listed


def save(con: duckdb.DuckDBPyConnection, aliases: list[dict], load_id: int, file_name: str) -> None:
    """Save the mapped names as aliases of load `load_id`, in the load's transaction. The audit
    log reads them from the load's `detected_json` (`indicator_aliases`), which the load row keeps
    after an undo (queries/audit__events.sql)."""
    if not aliases:
        return
    frame = pl.DataFrame([{"alias_norm": norm(a["alias"]), "indicator_id": a["indicator_id"],
                           "alias": a["alias"], "alias_kind": a["alias_kind"], "source": file_name}
                          for a in aliases],
                         schema={"alias_norm": pl.String, "indicator_id": pl.String, "alias": pl.String,
                                 "alias_kind": pl.String, "source": pl.String})
    with registered(con, "incoming_aliases", frame):
        db.execute(con, "ingest__insert_indicator_aliases", load_id=load_id)
