"""Take-away slides of a team or a whole cohort, as PPTX (python-pptx) and as PDF (fpdf2).

Issue 5 item 6, the same shape for a team and for a cohort:
- a team: a title slide (the team's facts, aim and operating models, the date, the rule set and
  the synthetic-data note when the demo data is loaded), then one slide per measure with its run
  chart (PNG from vl-convert) and plain-language summary;
- a cohort: a title slide (cohort, date, rule set, synthetic-data note), then for each team a
  section slide (name, work unit, region, theme, size, aim, operating models) followed by its
  measure slides, exactly as in the team deck.

A 23-team cohort is about 75 pictures: about 20 s on this machine, a third of it vl-convert and
most of the rest Altair building the specs. A two-process pool was tried and measured no faster
on two busy cores (19.4 s against 18.7 s), so the pictures are drawn one after another. The
chart specs come from the same builder as the team page (`teams.charts.run_chart`).

Everything shown went through small-number suppression in `vetopito.teams` first."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches, Pt

from vetopito import access, db, i18n, scoped
from vetopito.export.slide_pictures import SCALE, png_of_spec
from vetopito.teams import charts as team_charts
from vetopito.teams import progress

WIDE = (Inches(13.333), Inches(7.5))
DEMO_FLAG = "demo_only"


@dataclass
class Slide:
    """One slide: `kind` "title" (deck or team title), "section" (a team in a cohort deck) or
    "measure" (a chart and its summary)."""

    kind: str
    title: str
    lines: list[str]
    make_spec: Callable[[], dict] | None = None   # a measure slide's chart, built when drawn
    png: bytes | None = None


def _reports(con, *, team_id, cohort, lang, scope) -> list[progress.TeamReport]:
    query = scoped.runner(con, scope)
    if team_id is not None:
        report = progress.team_report(query, team_id, lang)
        if report is None:
            raise ValueError(i18n.t("slides.error.no_team", lang, team=team_id))
        return [report]
    listing = progress.team_list(query, lang)
    ids = listing.filter(listing["cohort_year"] == int(cohort))["team_id"].to_list() if not listing.is_empty() else []
    if not ids:
        raise ValueError(i18n.t("slides.error.no_cohort", lang, cohort=cohort))
    return [progress.team_report(query, tid, lang) for tid in ids]


# --- pictures -----------------------------------------------------------------------------------

def render_pngs(specs: Iterable[dict], *, scale: float = SCALE) -> list[bytes]:
    """PNG bytes of every Vega-Lite spec, in order."""
    return [png_of_spec(spec, scale) for spec in specs]


# --- what the slides say --------------------------------------------------------------------------

def _team_lines(report: progress.TeamReport, lang: str) -> list[str]:
    """Work unit, region, theme, size, aim and operating models of a team, one fact a line."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    team = report.team
    lines = [f"{t('slides.work_unit')}: {team.get('work_unit') or '–'}",
             f"{t('team.col.region')}: {team.get('region_name') or '–'} · {team.get('yta_name') or ''}".rstrip(" ·"),
             f"{t('cohort.page.theme')}: {progress.theme_name(team['theme'], lang)}",
             f"{t('slides.size')}: {t('slides.size_value', n=team['size']) if team.get('size') else '–'}"]
    if team.get("aim_text"):
        lines.append(f"{t('team.page.aim')}: {team['aim_text']}")
    models = [f"– {m['title']} ({progress.theme_name(m['theme'], lang)})" for m in report.models.iter_rows(named=True)]
    lines.append(f"{t('team.page.models')}: " + ("" if models else t("slides.models_none")))
    return lines + models


def _deck_notes(lang: str, today: dt.date, demo: bool) -> list[str]:
    notes = [i18n.t("slides.made_on", lang, date=i18n.fmt_date(today, lang)), i18n.t("team.chart.ruleset", lang)]
    return notes + ([i18n.t("app.demo_banner", lang)] if demo else [])


def _chart_spec(measure: progress.Measure, events, lang: str) -> dict:
    """The run chart of the team page (same builder), sized for a slide, as a spec with its data
    inline. Altair's schema validation is skipped: our own tested chart, and it costs ~0.3 s."""
    chart = team_charts.run_chart(measure, events, lang=lang, width=900, height=380)
    return chart.to_dict(validate=False)


def _measure_slides(report: progress.TeamReport, lang: str) -> list[Slide]:
    out = []
    for measure in report.measures:
        key = team_charts.event_key(measure, report.events, lang)
        lines = [measure.text] + ([i18n.t("team.chart.markers", lang, key=key)] if key else [])
        out.append(Slide("measure", f"{report.team['name']}: {measure.name}", lines,
                         make_spec=functools.partial(_chart_spec, measure, report.events, lang)))
    return out


def deck(reports: Sequence[progress.TeamReport], lang: str, *, cohort: int | None = None,
         today: dt.date | None = None, demo: bool = False) -> list[Slide]:
    """The slides in order, without their pictures yet (`draw` builds and draws the charts)."""
    today = today or dt.date.today()
    slides: list[Slide] = []
    if cohort is not None:
        slides.append(Slide("title", i18n.t("slides.cohort_title", lang, cohort=cohort),
                            [i18n.t("slides.cohort_teams", lang, n=len(reports)), *_deck_notes(lang, today, demo)]))
        for report in reports:
            slides.append(Slide("section", report.team["name"], _team_lines(report, lang)))
            slides.extend(_measure_slides(report, lang))
        return slides
    for report in reports:
        slides.append(Slide("title", report.team["name"],
                            [*_team_lines(report, lang), *_deck_notes(lang, today, demo)]))
        slides.extend(_measure_slides(report, lang))
    return slides


def draw(slides: list[Slide]) -> list[Slide]:
    """Build and draw every measure slide's chart."""
    charts = [s for s in slides if s.make_spec is not None]
    for slide, png in zip(charts, render_pngs(s.make_spec() for s in charts), strict=True):
        slide.png = png
    return slides


# --- files ----------------------------------------------------------------------------------------

# Text slides: the layout (0 title, 1 title and content), the body's box in inches, its font size.
_TEXT_SLIDES = {"title": (0, (0.9, 3.2, 11.5, 4.0), 16), "section": (1, (0.7, 1.6, 12.0, 5.6), 18)}


def _write_lines(frame, lines: Sequence[str], size: int) -> None:
    frame.word_wrap = True
    frame.text = "\n".join(lines)
    for paragraph in frame.paragraphs:
        paragraph.font.size = Pt(size)


def write_pptx(slides: Sequence[Slide], out: Path) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    for s in slides:
        if s.kind in _TEXT_SLIDES:
            layout, box, size = _TEXT_SLIDES[s.kind]
            slide = prs.slides.add_slide(prs.slide_layouts[layout])
            slide.shapes.title.text = s.title
            body = slide.placeholders[1]
            body.left, body.top, body.width, body.height = (Inches(v) for v in box)
            _write_lines(body.text_frame, s.lines, size)
        else:
            slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
            slide.shapes.title.text = s.title
            slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
            if s.png:
                slide.shapes.add_picture(io.BytesIO(s.png), Inches(0.6), Inches(1.4), width=Inches(9.0))
            box = slide.shapes.add_textbox(Inches(9.9), Inches(1.5), Inches(3.1), Inches(5.0))
            _write_lines(box.text_frame, s.lines, 16)
    out = Path(out)
    prs.save(out)
    return out


def write_pdf(slides: Sequence[Slide], out: Path) -> Path:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=8)
    font = _font_path()
    if font:
        pdf.add_font("body", "", str(font))
        family = "body"
    else:
        family = "helvetica"
    for s in slides:
        pdf.add_page()
        if s.kind == "measure":
            pdf.set_font(family, size=16)
            pdf.multi_cell(0, 8, _safe(s.title, font))
            if s.png:
                pdf.image(io.BytesIO(s.png), x=10, y=30, w=190)
            pdf.set_xy(205, 32)
            pdf.set_font(family, size=11)
            pdf.multi_cell(82, 5.5, _safe("\n".join(s.lines), font))
        else:
            pdf.set_font(family, size=24 if s.kind == "title" else 20)
            pdf.multi_cell(0, 11, _safe(s.title, font))
            pdf.ln(4)
            pdf.set_font(family, size=13)
            pdf.multi_cell(0, 7, _safe("\n".join(s.lines), font))
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
                 lang: str = "fi", scope: access.Scope | None = None, today: dt.date | None = None) -> Path:
    """PPTX or PDF (by the suffix of `out`) of one team or every team of a cohort."""
    if (team_id is None) == (cohort is None):
        raise ValueError("give exactly one of team_id and cohort")
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE   # no set_language: it would leak into the caller's thread
    reports = _reports(con, team_id=team_id, cohort=cohort, lang=lang, scope=scope)
    slides = deck(reports, lang, cohort=None if team_id is not None else int(cohort), today=today,
                  demo=db.get_meta(con, DEMO_FLAG) == "true")
    draw(slides)
    out = Path(out)
    return write_pdf(slides, out) if out.suffix.lower() == ".pdf" else write_pptx(slides, out)


def slide_bytes(con, *, team_id=None, cohort=None, lang="fi", kind="pptx", scope=None) -> bytes:
    """The deck as bytes (for a download button)."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = write_slides(con, team_id=team_id, cohort=cohort, out=Path(tmp) / f"slides.{kind}",
                            lang=lang, scope=scope)
        return path.read_bytes()


__all__ = ["Slide", "deck", "draw", "render_pngs", "slide_bytes", "write_pdf", "write_pptx",
           "write_slides"]
