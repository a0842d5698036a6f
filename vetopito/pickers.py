"""Searchable labels for the pickers of regions, YTA, teams and indicators.

Streamlit's selectbox filters its options in the browser on the displayed label only. So
that a director finds Pohjois-Karjala by typing "Siun sote", "Norra Karelen", "HVA14",
"14" or its Sotkanet id "973", each label is the name in the chosen language followed by
every other name the catalogue knows for the place:

    Pohjois-Karjala (14) — Siun sote, Norra Karelen, North Karelia, Pohjois-Karjalan hyvinvointialue, …

A name already contained in the text before it (case-insensitively) is left out, so the
code `14` is not repeated after `(14)`. The pure functions here build those labels from
query results; `vetopito.ui.url_choice` draws them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from vetopito import i18n

SEPARATOR = " — "
JOINER = ", "
# The order in which the other names follow the chosen language's name.
_ALIAS_ORDER = ("common", "short", "official", "id", "statfin", "code", "sotkanet")


def search_label(primary: str, names: Iterable[Any]) -> str:
    """`primary` followed by the names it does not already contain: `A (14) — B, C`."""
    seen = primary.casefold()
    extra: list[str] = []
    for name in names:
        text = " ".join(str(name).split()) if name is not None else ""
        if not text or text.casefold() in seen:
            continue
        extra.append(text)
        seen += "\n" + text.casefold()
    return primary + SEPARATOR + JOINER.join(extra) if extra else primary


def _other_languages(lang: str) -> list[str]:
    return [lang] + [other for other in i18n.LANGUAGES if other != lang]


def unit_names(units: pl.DataFrame, aliases: pl.DataFrame, lang: str, *, id_column: str = "unit_id"
               ) -> dict[str, list[str]]:
    """Every name of each unit, the chosen language first: short and official names in all three
    languages, the common names ("Siun sote"), the unit id, the official code and the Sotkanet id.

    `units` has `id_column` and `name_*` (and optionally `short_*`, `code`) columns; `aliases` is
    `catalog__unit_aliases` (alias, unit_id, alias_kind)."""
    order = {kind: i for i, kind in enumerate(_ALIAS_ORDER)}
    by_unit: dict[str, list[tuple[int, str]]] = {}
    for row in aliases.iter_rows(named=True):
        alias = row["alias"]
        if row["alias_kind"] == "sotkanet":
            alias = f"Sotkanet {alias}"
        by_unit.setdefault(row["unit_id"], []).append((order.get(row["alias_kind"], len(order)), alias))
    out: dict[str, list[str]] = {}
    languages = _other_languages(lang)
    for row in units.iter_rows(named=True):
        unit_id = row[id_column]
        common = [a for k, a in sorted(by_unit.get(unit_id, []), key=lambda p: p[0]) if k == order["common"]]
        rest = [a for k, a in sorted(by_unit.get(unit_id, []), key=lambda p: p[0]) if k != order["common"]]
        names = common + [row.get(f"short_{other}") for other in languages]
        names += [row.get(f"name_{other}") for other in languages]
        names += [unit_id, row.get("code")] + rest
        out[unit_id] = [n for n in names if n]
    return out


def region_labels(regions: pl.DataFrame, aliases: pl.DataFrame, lang: str, *, by: str = "code"
                  ) -> dict[str, str]:
    """Official code (or `by="unit_id"`) → `Pohjois-Karjala (14) — Siun sote, Norra Karelen, …`
    (`region__regions`)."""
    names = unit_names(regions, aliases, lang)
    return {row[by]: search_label(f"{row[f'short_{lang}']} ({row['code']})", names[row["unit_id"]])
            for row in regions.iter_rows(named=True)}


def yta_labels(ytas: pl.DataFrame, aliases: pl.DataFrame, lang: str) -> dict[str, str]:
    """YTA id → `Itä-Suomen yhteistyöalue — Itä-Suomen YTA, Östra Finlands samarbetsområde, …, YTA2`
    (`catalog__yta`, whose id column is `id`)."""
    names = unit_names(ytas, aliases, lang, id_column="id")
    return {row["id"]: search_label(row[f"name_{lang}"], names[row["id"]]) for row in ytas.iter_rows(named=True)}


def indicator_labels(indicators: pl.DataFrame, lang: str) -> dict[str, str]:
    """Indicator id → its name in the chosen language, then its short names, its names in the other
    languages and its id (`region__indicators`)."""
    languages = _other_languages(lang)
    out = {}
    for row in indicators.iter_rows(named=True):
        names = [row.get(f"short_{other}") for other in languages]
        names += [row.get(f"name_{other}") for other in languages[1:]]
        names += [row["indicator_id"], row.get("sotkanet_id")]
        out[row["indicator_id"]] = search_label(row[f"name_{lang}"] or row["indicator_id"], names)
    return out


def team_labels(teams: pl.DataFrame, lang: str) -> dict[str, str]:
    """Team id → `T2025-17 · Kotihoidon tiimi — <names in the other languages>, <work unit>, <region>`
    (`teams.progress.team_list`)."""
    languages = _other_languages(lang)
    out = {}
    for row in teams.iter_rows(named=True):
        names = [row.get(f"name_{other}") for other in languages[1:]]
        names += [row.get("work_unit")]
        names += [row.get(f"region_short_{other}") for other in languages]
        out[row["team_id"]] = search_label(f"{row['team_id']} · {row[f'name_{lang}']}", names)
    return out
