"""Hostile strings, and a database that holds them, loaded through every format by the real loader:
a team's name, work unit and aim, an aim (measure) with observations, events, operating models, a
unit; and files whose errors put the strings into the error table. Shared by the AppTest
(`tests/test_markup.py`) and the browser test (`tests/browser/test_browser_hostile.py`).

Each string carries a field tag so that a leak says where it came from, and its own outside
address (`example.invalid`), so that a request to one names the field that leaked."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

TEAM = "T2026-66"
COHORT = 2026
REGION = "15"
UNIT = "HVA15-vihamielinen"
INDICATOR = "mk_palautuminen_pct"
OUTSIDE = "example.invalid"


def hostile(field: str) -> str:
    """Bold, colour, icon, LaTeX, an image from outside, a `data:` link and an HTML image tag."""
    return (f"{field} **lihava** :red[punainen] :material/home: $x^2$ "
            f"![kuva](https://{OUTSIDE}/{field}.png) [linkki](data:text/html,<b>{field}</b>) "
            f"<img src=https://{OUTSIDE}/{field}-tag.png>")


NAME = hostile("nimi")
WORK_UNIT = "- lista " + hostile("tyoyksikko")     # a list item if it began a line
AIM = "# Otsikko " + hostile("tavoite")             # a heading if it began a line
EVENT = hostile("tapahtuma")
EVENT_NEWLINES = "Muutos\n# Otsikko rivinvaihdosta\n- lista rivinvaihdosta"
MODEL = hostile("toimintamalli")
MODEL_LINK = f"https://{OUTSIDE}/malli"
UNIT_NAME = hostile("yksikko")
FILE_NAME = "**tiedosto** ![kuva](https://example.invalid/tiedosto.png) :red[x].csv"
BAD_INDICATOR = hostile("solu")
BAD_LINK = "data:text/html,<script>alert(1)</script>"

# what may never appear unescaped in anything markdown renders (the raw sequences of the strings
# above), anywhere, and at the start of a line
RAW_MARKUP = ("**lihava**", ":red[", ":material/home:", "$x^2$", "![kuva]", "](data:", "<img", "**tiedosto**")
RAW_LINE_START = ("# Otsikko", "- lista")


def markup_leaks(source: str) -> list[str]:
    """The hostile sequences that `source` (markdown as an element receives it) holds unescaped."""
    import re

    bare = re.sub(r"\\.", "\x01", source)    # an escaped character can be part of no sequence
    lines = [line.strip() for line in bare.split("\n")]
    return [raw for raw in RAW_MARKUP if raw in bare] + \
        [raw for raw in RAW_LINE_START if any(line.startswith(raw) for line in lines)]


def _csv(rows: list[list[str]], sep: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def good_files() -> dict[str, bytes]:
    """The files that load, in order: unit, team, aim, the team's observations, events, models."""
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
    return {
        "units.csv": _csv([["id", "name_fi", "parent", "kind", "org_kind"],
                           [UNIT, UNIT_NAME, "HVA15", "org_unit", "health_station"]]),
        "teams.csv": _csv([["team", "name", "region", "work_unit", "cohort_year", "yta", "theme", "aim_text",
                            "size", "started_on"],
                           [TEAM, NAME, "HVA15", WORK_UNIT, str(COHORT), "YTA2", "leadership", AIM, "6",
                            "2026-01-15"]]),
        "aims.csv": _csv([["team", "indicator", "baseline_value", "baseline_period", "aim_value", "aim_date"],
                          [TEAM, INDICATOR, "40", "2025", "60", "2026-12-31"]]),
        "observations.csv": _csv([["indicator", "unit", "period", "value", "numerator", "denominator",
                                   "respondents"]]
                                 + [[INDICATOR, TEAM, month, f"{(12 + k) / 30 * 100:.2f}", f"{12 + k}", "30", "30"]
                                    for k, month in enumerate(months)]),
        "events.csv": _csv([["unit", "date", "kind", "label"],
                            [TEAM, "2026-01-15", "workshop", "Työpaja 1"],
                            [TEAM, "2026-03-02", "intervention", EVENT]]),
        "events_newlines.csv": _csv([["unit", "date", "kind", "label"],
                                     [TEAM, "2026-04-06", "note", EVENT_NEWLINES]]),
        "models.csv": _csv([["team", "title", "theme", "link"],
                            [TEAM, MODEL, "leadership", MODEL_LINK]]),
    }


def bad_files() -> dict[str, bytes]:
    """Files the loader refuses, with a hostile value in the error table."""
    return {
        "observations_bad.csv": _csv([["indicator", "unit", "period", "value"],
                                      [BAD_INDICATOR, "HVA15", "2026-01", "12"]]),
        "models_bad.csv": _csv([["team", "title", "theme", "link"],
                                ["T2024-01", "Linkki", "leadership", BAD_LINK]]),
    }


def build(out):
    """`out` (a private copy of the demo database, on either backend) with `good_files()` loaded
    (the newline event may be refused as a control character; every other file must commit)."""
    from vetopito import db, ingest

    con = db.connect(out)
    try:
        for name, data in good_files().items():
            report = ingest.load(con, data, file_name=name, user="test", lang="fi")
            if name != "events_newlines.csv":
                assert report.committed, (name, [p.line("fi") for p in report.errors])
    finally:
        con.close()
    return out


# --- a small database of its own for the browser test: two teams, three measures, ten months --------

TEAM_2 = "T2026-67"
NAME_2 = hostile("toinen")
FLAG = hostile("lippu")
FORMULA_FLAG = '=HYPERLINK("https://example.invalid/kaava","x")'
TARGET_LABEL = hostile("tavoiteraja")
TARGET_SOURCE = hostile("lahde")
REGION_INDICATOR = "t3_laakari"
MONTHS = [f"2025-{m:02d}" for m in range(9, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]


def small_files() -> dict[str, bytes]:
    """Every format that carries a text, with a hostile string in each text field, for a database
    that holds nothing else (reference data aside): a unit (names and short names), two teams
    (names in three languages, work unit, aim text; the second under the hostile unit), three
    aims, their observations, the region's and the unit's values with hostile flags, a target
    with a hostile label and source, events (one with line breaks), operating models with links."""
    team_rows = [[INDICATOR, TEAM, m, f"{(12 + k) / 30 * 100:.2f}", f"{12 + k}", "30", "30"]
                 for k, m in enumerate(MONTHS)]
    team_rows += [["ylityot_h_hlo_kk", TEAM, m, f"{8 - k * 0.3:.1f}", "", "", ""] for k, m in enumerate(MONTHS)]
    team_rows += [[INDICATOR, TEAM_2, m, f"{(15 + k % 3) / 30 * 100:.2f}", f"{15 + k % 3}", "30", "30"]
                  for k, m in enumerate(MONTHS)]
    flags = {9: FLAG, 8: FORMULA_FLAG, 7: "+SUM(1)", 6: "@SUM(1)"}   # the latest months: every page shows them
    return {
        "units.csv": _csv([["id", "name_fi", "name_sv", "name_en", "short_fi", "parent", "kind", "org_kind"],
                           [UNIT, UNIT_NAME, hostile("yksikko_sv"), hostile("yksikko_en"), hostile("lyhyt"),
                            "HVA15", "org_unit", "health_station"]]),
        "teams.csv": _csv([["team", "name", "name_sv", "name_en", "region", "parent", "work_unit", "cohort_year",
                            "yta", "theme", "aim_text", "size", "started_on"],
                           [TEAM, NAME, hostile("nimi_sv"), hostile("nimi_en"), "HVA15", "", WORK_UNIT,
                            str(COHORT), "YTA2", "leadership", AIM, "6", "2026-01-15"],
                           [TEAM_2, NAME_2, "", "", "HVA15", UNIT, "1. numeroitu " + hostile("tyoyksikko2"),
                            str(COHORT), "YTA2", "orientation", "> lainaus " + hostile("tavoite2"), "5",
                            "2026-01-20"]]),
        "aims.csv": _csv([["team", "indicator", "baseline_value", "baseline_period", "aim_value", "aim_date"],
                          [TEAM, INDICATOR, "40", "2025", "60", "2026-12-31"],
                          [TEAM, "ylityot_h_hlo_kk", "8", "2025-09", "5", "2026-12-31"],
                          [TEAM_2, INDICATOR, "50", "2025", "70", "2026-12-31"]]),
        "team_observations.csv": _csv([["indicator", "unit", "period", "value", "numerator", "denominator",
                                        "respondents"], *team_rows]),
        "observations.csv": _csv([["indicator", "unit", "period", "value", "flag"]]
                                 + [[REGION_INDICATOR, unit, m, str(20 - k + (3 if unit == UNIT else 0)),
                                     flags.get(k, "") if unit == "HVA15" else ""]
                                    for unit in ("HVA15", UNIT) for k, m in enumerate(MONTHS)]),
        "targets.csv": _csv([["indicator", "unit", "due_date", "target_value", "label", "source"],
                             [REGION_INDICATOR, "HVA15", "2026-12-31", "10", TARGET_LABEL, TARGET_SOURCE]]),
        "events.csv": _csv([["unit", "date", "kind", "label"],
                            [TEAM, "2026-01-15", "workshop", "Työpaja 1"],
                            [TEAM, "2026-03-02", "intervention", EVENT],
                            [TEAM_2, "2026-02-02", "note", hostile("tapahtuma2")],
                            ["HVA15", "2026-02-01", "note", hostile("aluetapahtuma")]]),
        "events_newlines.csv": _csv([["unit", "date", "kind", "label"],
                                     [TEAM, "2026-04-06", "note", EVENT_NEWLINES]]),
        "models.csv": _csv([["team", "title", "theme", "link"],
                            [TEAM, MODEL, "leadership", MODEL_LINK],
                            [TEAM, hostile("malli2"), "orientation", ""],
                            [TEAM_2, hostile("malli3"), "work_community", MODEL_LINK + "?b=(c)[d]"]]),
    }


def build_small(reference_db: Path, out: Path) -> dict[str, bool]:
    """A copy of a reference-only database (regions, catalogue) with `small_files()` loaded
    through the loader, in order; which files committed (every one must, except that the newline
    event may be refused as a control character)."""
    from vetopito import db, ingest

    shutil.copy(reference_db, out)
    con = db.connect(out)
    committed = {}
    try:
        for name, data in small_files().items():
            report = ingest.load(con, data, file_name=name, user="test", lang="fi")
            committed[name] = report.committed
            if name != "events_newlines.csv":
                assert report.committed, (name, [p.line("fi") for p in report.errors])
    finally:
        con.close()
    return committed
