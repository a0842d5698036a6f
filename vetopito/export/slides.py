"""Take-away slides of a team or a whole cohort, as PPTX (python-pptx) and as PDF (fpdf2).

- a team: a title slide and one slide per measure with its run chart (PNG from vl-convert)
  and plain-language summary;
- a cohort: a title slide and one slide per team with all its measures as small multiples in
  one picture and their summaries beside it (a 35-team cohort is 36 slides and 35 pictures,
  not 140: vl-convert takes about a second a picture here).

Everything shown went through small-number suppression in `vetopito.teams` first."""

from __future__ import annotations

import io
import json
from pathlib import Path

import vl_convert as vlc
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches, Pt

from vetopito import access, i18n, teams
from vetopito.charts import team as team_charts

WIDE = (Inches(13.333), Inches(7.5))


def _reports(con, *, team_id, cohort, lang, scope) -> list[teams.TeamReport]:
    query = teams.scoped_query(con, scope)
    if team_id is not None:
        report = teams.team_report(query, team_id, lang)
        if report is None:
            raise ValueError(i18n.t("slides.error.no_team", lang, team=team_id))
        return [report]
    listing = teams.team_list(query, lang)
    ids = listing.filter(listing["cohort_year"] == int(cohort))["team_id"].to_list() if not listing.is_empty() else []
    if not ids:
        raise ValueError(i18n.t("slides.error.no_cohort", lang, cohort=cohort))
    return [teams.team_report(query, tid, lang) for tid in ids]


def _png(chart, scale: float = 1.5) -> bytes:
    # the chart was built by our own tested code; skipping Altair's schema validation saves ~0.3 s
    return vlc.vegalite_to_png(json.dumps(chart.to_dict(validate=False)), scale=scale)


def _facts(report: teams.TeamReport, lang: str) -> str:
    team = report.team
    return i18n.t("team.page.facts", lang, region=team["region_name"] or "", yta=team["yta_name"] or "",
                  year=team["cohort_year"], theme=teams.theme_name(team["theme"], lang), size=team["size"] or "–")


def _slides(reports, lang, *, cohort=None):
    """(title, subtitle lines, png or None) per slide, in order."""
    if cohort is not None:
        yield i18n.t("slides.cohort_title", lang, cohort=cohort), [
            i18n.t("slides.cohort_teams", lang, n=len(reports))], None
        for report in reports:
            lines = [_facts(report, lang)] + [f"{m.name}: {m.text}" for m in report.measures]
            png = _png(team_charts.small_multiples(report.measures, report.events, lang=lang, width=430,
                                                   height=210), scale=1.25) if report.measures else None
            yield report.team["name"], lines, png or b""
        return
    for report in reports:
        lines = [_facts(report, lang)]
        if report.team.get("aim_text"):
            lines.append(f"{i18n.t('team.page.aim', lang)}: {report.team['aim_text']}")
        yield report.team["name"], lines, None
        for measure in report.measures:
            chart = team_charts.run_chart(measure, report.events, lang=lang, width=900, height=380)
            key = team_charts.event_key(measure, report.events, lang)
            lines = [measure.text] + ([i18n.t("team.chart.markers", lang, key=key)] if key else [])
            yield f"{report.team['name']}: {measure.name}", lines, _png(chart)


def write_pptx(reports, out: Path, lang: str, cohort=None) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    for title, lines, png in _slides(reports, lang, cohort=cohort):
        if png is None:
            slide = prs.slides.add_slide(prs.slide_layouts[0])
            slide.shapes.title.text = title
            slide.placeholders[1].text = "\n".join(lines + [i18n.t("app.demo_banner", lang)])
        else:
            slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
            slide.shapes.title.text = title
            slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
            if png:
                slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.4), width=Inches(9.0),
                                         **({"height": Inches(5.8)} if cohort is not None else {}))
            box = slide.shapes.add_textbox(Inches(9.9), Inches(1.5), Inches(3.1), Inches(5.0))
            box.text_frame.word_wrap = True
            box.text_frame.text = "\n".join(lines)
            for paragraph in box.text_frame.paragraphs:
                paragraph.font.size = Pt(18 if cohort is None else 11)
    out = Path(out)
    prs.save(out)
    return out


def write_pdf(reports, out: Path, lang: str, cohort=None) -> Path:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    font = _font_path()
    if font:
        pdf.add_font("body", "", str(font))
        family = "body"
    else:
        family = "helvetica"
    for title, lines, png in _slides(reports, lang, cohort=cohort):
        pdf.add_page()
        pdf.set_font(family, size=22 if png is None else 16)
        pdf.multi_cell(0, 10, _safe(title, font))
        pdf.set_font(family, size=12)
        if png is not None:
            if png:
                pdf.image(io.BytesIO(png), x=10, y=30, w=190, h=0 if cohort is None else 125)
            pdf.set_xy(205, 32)
            pdf.set_font(family, size=12 if cohort is None else 9)
            pdf.multi_cell(82, 6 if cohort is None else 4.5, _safe("\n".join(lines), font))
        else:
            pdf.ln(6)
            pdf.multi_cell(0, 8, _safe("\n".join(lines + [i18n.t("app.demo_banner", lang)]), font))
    out = Path(out)
    pdf.output(str(out))
    return out


def _font_path() -> Path | None:
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                      "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"):
        if Path(candidate).exists():
            return Path(candidate)
    return None


def _safe(text: str, font) -> str:
    """Core PDF fonts know Latin-1 only; without a TrueType font, replace what they lack."""
    if font:
        return text
    return text.replace("\u00a0", " ").replace("–", "-").replace("≥", ">=").replace("−", "-") \
        .encode("latin-1", "replace").decode("latin-1")


def write_slides(con, *, team_id: str | None = None, cohort: int | str | None = None, out: Path,
                 lang: str = "fi", scope: access.Scope | None = None) -> Path:
    """PPTX or PDF (by the suffix of `out`) of one team or every team of a cohort."""
    if (team_id is None) == (cohort is None):
        raise ValueError("give exactly one of team_id and cohort")
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE   # no set_language: it would leak into the caller's thread
    reports = _reports(con, team_id=team_id, cohort=cohort, lang=lang, scope=scope)
    out = Path(out)
    write = write_pdf if out.suffix.lower() == ".pdf" else write_pptx
    return write(reports, out, lang, cohort=None if team_id is not None else int(cohort))


def slide_bytes(con, *, team_id=None, cohort=None, lang="fi", kind="pptx", scope=None) -> bytes:
    """The deck as bytes (for a download button)."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = write_slides(con, team_id=team_id, cohort=cohort, out=Path(tmp) / f"slides.{kind}",
                            lang=lang, scope=scope)
        return path.read_bytes()


__all__ = ["slide_bytes", "write_pdf", "write_pptx", "write_slides"]
