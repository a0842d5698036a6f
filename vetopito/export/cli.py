"""`vetopito export`: the data of a region or an indicator as CSV for Finnish Excel or XLSX,
and a team's or a cohort's slides (PPTX, or PDF by the file suffix).

    vetopito export data --region 15 [--indicator t3_laakari] [--lang fi|sv|en] --out hva15.csv|.xlsx
    vetopito export data --indicator t3_laakari --out t3.csv        # every region
    vetopito export slides --team T2024-01 | --cohort 2024 --out deck.pptx
    vetopito export catalogue --out mittarit.csv                    # the catalogue as an indicators file
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from vetopito import dashboard, db, i18n


def register(subparsers, add_db_option) -> None:
    export = subparsers.add_parser("export", help="export data (CSV/XLSX) or slides (PPTX/PDF)")
    sub = export.add_subparsers(dest="export_command", required=True, metavar="WHAT")

    data = sub.add_parser("data", help="observations of a region and/or an indicator in the canonical long "
                                       "format (CSV for Finnish Excel: ';', decimal comma, UTF-8 BOM; or XLSX)")
    add_db_option(data)
    data.add_argument("--region", help="region code (15) or id (HVA15); default: every region")
    data.add_argument("--indicator", help="indicator id (e.g. t3_laakari); default: every indicator")
    data.add_argument("--out", required=True, type=Path, help="output file; .xlsx gives Excel, anything else CSV")
    data.add_argument("--lang", default=i18n.DEFAULT_LANGUAGE, choices=i18n.LANGUAGES,
                      help="language of the headers and of the names beside the codes (default fi)")
    data.set_defaults(func=cmd_export_data)

    slides = sub.add_parser("slides", help="a team's or a cohort's slides (PPTX; PDF when --out ends in .pdf)")
    add_db_option(slides)
    who = slides.add_mutually_exclusive_group(required=True)
    who.add_argument("--team", help="team id, e.g. T2024-01")
    who.add_argument("--cohort", help="cohort year, e.g. 2024")
    slides.add_argument("--out", required=True, type=Path)
    slides.add_argument("--lang", default="fi", choices=i18n.LANGUAGES)
    slides.set_defaults(func=cmd_export_slides)

    catalogue = sub.add_parser("catalogue", help="the indicator catalogue as an indicators file (CSV) that "
                                                 "`vetopito load` reads back unchanged")
    add_db_option(catalogue)
    catalogue.add_argument("--out", required=True, type=Path)
    catalogue.set_defaults(func=cmd_export_catalogue)


def export_rows(con, *, region: str | None, indicator: str | None) -> pl.DataFrame:
    """The canonical long rows (`indicator, unit, period, value, numerator, denominator`);
    raises ValueError naming what exists when the region or indicator is unknown."""
    run = dashboard.runner(con)
    regions = dashboard.regions(run)
    if region is not None:
        code = dashboard.region_code(regions, region)
        if code is None:
            raise ValueError(f"no region {region!r}; codes are {', '.join(regions['code'].to_list())}")
        unit_ids = [dashboard.region_row(regions, code)["unit_id"]]
    else:
        unit_ids = regions["unit_id"].to_list()
    known = dashboard.indicators(run)["indicator_id"].to_list()
    if indicator is not None and indicator not in known:
        raise ValueError(f"no indicator {indicator!r}; known: {', '.join(known)}")
    frames = []
    for unit_id in unit_ids:
        rows = run("region__observations", unit_id=unit_id)
        if indicator is not None:
            rows = rows.filter(pl.col("indicator_id") == indicator)
        frames.append(dashboard.export_frame(_suppressed(rows)))
    if not frames:
        return pl.DataFrame()
    # regions differ in whether they have `respondents` / `flag` columns (export_frame keeps them only
    # where a row has one): diagonal concat fills the gaps with nulls, in the canonical column order
    rows = pl.concat(frames, how="diagonal_relaxed")
    extra = [c for c in ("respondents", "flag") if c in rows.columns]
    return rows.select("indicator", "unit", "period", "value", "numerator", "denominator", *extra)


def _suppressed(rows: pl.DataFrame) -> pl.DataFrame:
    from vetopito import privacy

    return privacy.suppress(rows) if not rows.is_empty() else rows


def cmd_export_data(args: argparse.Namespace) -> int:
    from vetopito.export import tables

    con = db.connect(args.db, read_only=True)
    try:
        rows = export_rows(con, region=args.region, indicator=args.indicator)
        names = tables.export_names(dashboard.runner(con), args.lang)
    except ValueError as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    payload = tables.observations_xlsx(rows, args.lang, names, sheet=args.indicator or "data") \
        if args.out.suffix.lower() == ".xlsx" else tables.observations_csv(rows, args.lang, names)
    args.out.write_bytes(payload)
    print(f"wrote {args.out} ({rows.height} rows)")
    return 0


def cmd_export_slides(args: argparse.Namespace) -> int:
    from vetopito.export.slides import write_slides

    con = db.connect(args.db, read_only=True)
    try:
        out = write_slides(con, team_id=args.team, cohort=args.cohort, out=args.out, lang=args.lang)
    except ValueError as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(f"wrote {out}")
    return 0


def cmd_export_catalogue(args: argparse.Namespace) -> int:
    from vetopito.ingest import indicators

    con = db.connect(args.db, read_only=True)
    try:
        payload = indicators.export_csv(con)
    finally:
        con.close()
    args.out.write_bytes(payload)
    count = payload.count(b"\n") - 1
    print(f"wrote {args.out} ({count} indicators)")
    return 0
