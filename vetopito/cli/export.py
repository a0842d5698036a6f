"""`vetopito export`: the data of a region or an indicator as CSV for Finnish Excel or XLSX,
and a team's or a cohort's slides (PPTX, or PDF by the file suffix).

    vetopito export data --region 15 [--indicator t3_laakari] [--lang fi|sv|en] --out hva15.csv|.xlsx
    vetopito export data --indicator t3_laakari --out t3.csv        # every region
    vetopito export slides --team T2024-01 | --cohort 2024 --out deck.pptx
    vetopito export catalogue --out mittarit.csv                    # the catalogue as an indicators file
    vetopito export programme DEMO-TULEVAISUUS --out ohjelma/ [--lang fi|sv|en]   # the programme files
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from vetopito import db, i18n, scoped
from vetopito.cli.common import Failed, Group, db_option, json_option, lang_of, lang_option
from vetopito.export.rows import export_rows


@click.group("export", cls=Group, help="export data (CSV/XLSX) or slides (PPTX/PDF)")
def export() -> None:
    pass


@export.command("data", help="observations of a region and/or an indicator in the canonical long format "
                             "(CSV for Finnish Excel: ';', decimal comma, UTF-8 BOM; or XLSX)")
@db_option
@click.option("--region", help="region code (15) or id (HVA15); default: every region")
@click.option("--indicator", help="indicator id (e.g. t3_laakari); default: every indicator")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="output file; .xlsx gives Excel, anything else CSV")
@lang_option("language of the headers, of the names beside the codes and of the messages (default fi; an "
             "unknown region or indicator is named in English unless --lang is given, as it always was)")
@json_option("say what was written as one JSON object")
def data(db_path: str | None, region: str | None, indicator: str | None, out: Path, lang: str | None,
         as_json: bool) -> int:
    from vetopito.export import tables

    con = db.connect(db_path, read_only=True)
    try:
        rows = export_rows(con, region=region, indicator=indicator, lang=lang or "en")
        names = tables.export_names(scoped.runner(con), lang_of(lang))
    finally:
        con.close()
    payload = tables.observations_xlsx(rows, lang_of(lang), names, sheet=indicator or "data") \
        if out.suffix.lower() == ".xlsx" else tables.observations_csv(rows, lang_of(lang), names)
    out.write_bytes(payload)
    print(json.dumps({"ok": True, "file": str(out), "rows": rows.height}, ensure_ascii=False) if as_json
          else f"wrote {out} ({rows.height} rows)")
    return 0


@export.command("slides", help="a team's or a cohort's slides (PPTX; PDF when --out ends in .pdf)")
@db_option
@click.option("--team", help="team id, e.g. T2024-01")
@click.option("--cohort", help="cohort year, e.g. 2024")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), default="fi", show_default=True,
              help="language of the slides")
@json_option("say what was written as one JSON object")
def slides(db_path: str | None, team: str | None, cohort: str | None, out: Path, lang: str, as_json: bool) -> int:
    from vetopito.export.slides import write_slides

    if (team is None) == (cohort is None):
        raise click.UsageError(i18n.t("cli.error.team_or_cohort", "en"))
    con = db.connect(db_path, read_only=True)
    try:
        written = write_slides(con, team_id=team, cohort=cohort, out=out, lang=lang)
    except ValueError as exc:  # no such team or cohort: the deck's own words
        raise Failed(str(exc), lang=lang) from exc
    finally:
        con.close()
    print(json.dumps({"ok": True, "file": str(written)}, ensure_ascii=False) if as_json else f"wrote {written}")
    return 0


@export.command("catalogue", help="the indicator catalogue as an indicators file (CSV) that "
                                  "`vetopito load` reads back unchanged")
@db_option
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@json_option("say what was written as one JSON object")
def catalogue(db_path: str | None, out: Path, as_json: bool) -> int:
    from vetopito.ingest import catalogue_form

    con = db.connect(db_path, read_only=True)
    try:
        payload = catalogue_form.export_csv(con)
    finally:
        con.close()
    out.write_bytes(payload)
    count = payload.count(b"\n") - 1
    print(json.dumps({"ok": True, "file": str(out), "indicators": count}, ensure_ascii=False) if as_json
          else f"wrote {out} ({count} indicators)")
    return 0


@export.command("programme", help="a development programme as its programme files (one CSV per format, in the "
                                  "order `vetopito load` reads them back unchanged)")
@db_option
@click.argument("programme_id")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="folder to write the files into (made if missing)")
@lang_option("language of the headers (default fi: ';' and decimal comma; en: ',' and decimal point)")
@json_option("say what was written as one JSON object")
def programme(db_path: str | None, programme_id: str, out: Path, lang: str | None, as_json: bool) -> int:
    from vetopito.programmes import files

    con = db.connect(db_path, read_only=True)
    try:
        written = files.programme_files(scoped.runner(con), programme_id, lang_of(lang))
    finally:
        con.close()
    if written is None:
        raise Failed("cli.error.unknown_programme", lang=lang, programme=programme_id)
    out.mkdir(parents=True, exist_ok=True)
    for name, payload in written.items():
        (out / name).write_bytes(payload)
    print(json.dumps({"ok": True, "folder": str(out), "files": sorted(written)}, ensure_ascii=False) if as_json
          else f"wrote {len(written)} files to {out}")
    return 0
