"""The rows `vetopito export data` writes: the observations of a region and/or an indicator in
the canonical long format, small values suppressed (`privacy.suppress`)."""

from __future__ import annotations

import polars as pl

from vetopito import i18n, scoped
from vetopito.regions import base


class UnknownChoice(i18n.Localised, ValueError):
    """A region or indicator that does not exist; the message lists those that do."""


def export_rows(con, *, region: str | None, indicator: str | None, lang: str | None = None) -> pl.DataFrame:
    """The canonical long rows (`indicator, unit, period, value, numerator, denominator`);
    raises `UnknownChoice` (a ValueError) naming what exists when the region or indicator is unknown
    (its message in `lang`, else the current language)."""
    run = scoped.runner(con)
    regions = base.regions(run)
    if region is not None:
        code = base.region_code(regions, region)
        if code is None:
            raise UnknownChoice("cli.error.no_such_region", lang=lang, region=repr(region),
                                codes=", ".join(regions["code"].to_list()))
        unit_ids = [base.region_row(regions, code)["unit_id"]]
    else:
        unit_ids = regions["unit_id"].to_list()
    known = base.indicators(run)["indicator_id"].to_list()
    if indicator is not None and indicator not in known:
        raise UnknownChoice("cli.error.no_such_indicator", lang=lang, indicator=repr(indicator), known=", ".join(known))
    frames = []
    for unit_id in unit_ids:
        rows = run("region__observations", unit_id=unit_id)
        if indicator is not None:
            rows = rows.filter(pl.col("indicator_id") == indicator)
        frames.append(base.export_frame(_suppressed(rows)))
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
