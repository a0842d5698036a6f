"""Take-away slides of a team or a whole cohort, as PPTX (python-pptx) and as PDF (fpdf2).

The same shape for a team and for a cohort:
- a team: a title slide (the team's facts, aim and operating models, the date, the rule set and
  the synthetic-data note when the demo data is loaded), then one slide per measure with its run
  chart (PNG from vl-convert) and plain-language summary;
- a cohort: a title slide (cohort, date, rule set, synthetic-data note), then for each team a
  section slide (name, work unit, region, theme, size, aim, operating models) followed by its
  measure slides, exactly as in the team deck.

Slides worth showing: a 16:9 slide (13.333 × 7.5 in, the PDF page too) with
margins only; a measure slide is its title, the chart across the whole width and the summary lines
under it, the chart taking every inch the title and the lines leave (`measure_layout`). The chart
is drawn at one Vega pixel per point of its place on the slide (autosize "fit": the picture is
exactly the box), with the team page's own builder at `CHART_FONT_SCALE`, so its smallest text
(axis labels, legend, aim and marker labels: 11 px × 1.8) is 19.8 pt on the slide, readable from the
back of a room (`MIN_TEXT_PT`). A measure with fewer than two values shown gets a card instead of a
chart: "only one measurement so far" with the value and its period in large type, or "no
measurements yet" (or none that may be shown, and why), with the baseline and the aim, never an
empty axis of `0,000000`. The coach keeps one slide per measure either way: the workshop walks the
team's measures in order, and a slide that says why there is no chart yet is part of the story.

Pictures: a cohort deck is about 75 of them, and the page offers it as PPTX and as PDF. Each
picture is kept by the digest of its spec (the spec holds its data, so a changed value is a new
spec): the second format, or the second click, renders nothing again (`PICTURE_CACHE_SIZE`).
A two-process pool was tried and measured no faster on two busy cores, so the pictures are drawn
one after another.

Files: `slide_bytes` (the page's download) builds the deck in memory (python-pptx and fpdf2 write
to a buffer) and writes no file at all; `write_slides` (the command line) writes the file it is
given.

Everything shown went through small-number suppression in `vetopito.teams` first.

About 430 lines: one deck, two file formats sharing one layout, kept together so that the PPTX
and the PDF cannot drift apart; the pictures and their cache are in `slide_pictures`."""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fpdf import FPDF
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from vetopito import access, db, i18n, privacy, scoped
from vetopito.charts import base
from vetopito.export.slide_pictures import SCALE, clear_pictures, picture
from vetopito.teams import charts as team_charts
from vetopito.teams import progress

SLIDE_IN = (13.333, 7.5)                       # 16:9, PowerPoint's widescreen; the PDF page too
WIDE = (Inches(SLIDE_IN[0]), Inches(SLIDE_IN[1]))
MARGIN_IN = 0.4
DEMO_FLAG = "demo_only"
CHART_FONT_SCALE = 1.8       # the run chart's 11 px text × 1.8 = 19.8 px = 19.8 pt at 1 px per pt
MIN_TEXT_PT = 18             # no text in a picture smaller than this on the slide
TITLE_PT = {"title": 36, "section": 32, "measure": 26}
SUMMARY_PT = 18
BODY_PT = (24, 22, 20, 18, 16, 14)            # text slides: the largest that fits
CHAR_EM = 0.55               # average glyph width of DejaVu Sans / Calibri, in em, for wrapping estimates
LINE_SPACING = 1.25


@dataclass
class Box:
    """A place on the slide, in inches from the top left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass
class Slide:
    """One slide: `kind` "title" (deck or team title), "section" (a team in a cohort deck) or
    "measure" (a chart, or a card when there is no chart yet, and its summary)."""

    kind: str
    title: str
    lines: list[str]
    make_spec: Callable[[], dict] | None = None   # a measure slide's picture, built when drawn
    png: bytes | None = None
    spec: dict | None = None                      # the Vega-Lite spec the picture was drawn from
    alt_text: str = ""                            # the picture said in words (PPTX alt text)
    layout: tuple[Box, Box, Box] | None = None    # measure slides: title, picture, summary


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


def render_pngs(specs: Iterable[dict], *, scale: float = SCALE) -> list[bytes]:
    """PNG bytes of every Vega-Lite spec, in order (each distinct spec rendered once)."""
    return [picture(spec, scale) for spec in specs]


def _wrapped_lines(text: str, size_pt: float, width_in: float) -> int:
    per_line = max(1, int(width_in * 72 / (size_pt * CHAR_EM)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _text_height(lines: Sequence[str], size_pt: float, width_in: float) -> float:
    n = sum(_wrapped_lines(line, size_pt, width_in) for line in lines)
    return n * size_pt * LINE_SPACING / 72 + 0.15


def measure_layout(title: str, lines: Sequence[str]) -> tuple[Box, Box, Box]:
    """(title, picture, summary) boxes of a measure slide: the title on top, the summary lines at
    the bottom, each as tall as its text, and the picture across the whole width in between."""
    width = SLIDE_IN[0] - 2 * MARGIN_IN
    title_box = Box(MARGIN_IN, 0.25, width, _text_height([title], TITLE_PT["measure"], width - 0.2))
    summary_h = _text_height(lines, SUMMARY_PT, width - 0.2) if lines else 0.0
    summary_box = Box(MARGIN_IN, SLIDE_IN[1] - MARGIN_IN + 0.1 - summary_h, width, summary_h)
    top = title_box.bottom + 0.1
    chart_box = Box(MARGIN_IN, top, width, summary_box.top - 0.1 - top)
    return title_box, chart_box, summary_box


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


def _chart_spec(measure: progress.Measure, events, lang: str, width: int, height: int) -> dict:
    """The run chart of the team page (same builder, projector type), as a spec with its data
    inline, `width` × `height` px in all (axes and legend included: autosize "fit"), to be placed at
    one px per pt. The slide's title names the measure, so the chart carries no title. Altair's
    schema validation is skipped: our own tested chart, and it costs ~0.3 s."""
    chart = team_charts.run_chart(measure, events, lang=lang, width=width, height=height,
                                  font_scale=CHART_FONT_SCALE, titled=False, period_title=False)
    spec = chart.to_dict(validate=False)
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    return spec


def card_kind(measure: progress.Measure) -> str | None:
    """None when the measure gets its run chart; else what its card says: "one_point",
    "no_values" (nothing measured yet) or "all_hidden" (measured, but nothing may be shown)."""
    if measure.n_visible >= 2:
        return None
    if measure.n_visible == 1:
        return "one_point"
    return "all_hidden" if measure.n_hidden else "no_values"


def card_lines(measure: progress.Measure, lang: str) -> list[tuple[str, int, bool, str]]:
    """The card's lines, (text, px, bold, colour), from the top."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    kind = card_kind(measure)
    out = [(t(f"slides.card.{kind}"), 44, True, "#000000")]
    if kind == "one_point":
        point = measure.points.filter(measure.points["value"].is_not_null()).row(0, named=True)
        out.append((i18n.fmt_value(point["value"], measure.unit, measure.decimals, lang), 76, True, base.SERIES))
        out.append((point["period_label"], 28, False, "#000000"))
    elif kind == "all_hidden":
        reason = measure.points.filter(measure.points["is_hidden"])["hidden_reason"][0]
        note = t("privacy.hidden_note", n=measure.n_hidden,
                 reason=privacy.hidden_reason_text(reason, min_persons=measure.min_persons, lang=lang))
        out += [(sentence.strip(), 28, False, "#000000") for sentence in note.replace(". ", ".\n").split("\n")]
    goal = []
    if measure.baseline_value is not None:
        goal.append(t("slides.card.baseline",
                      value=i18n.fmt_value(measure.baseline_value, measure.unit, measure.decimals, lang)))
    if measure.aim_value is not None:
        aim = i18n.fmt_value(measure.aim_value, measure.unit, measure.decimals, lang)
        goal.append(t("slides.card.aim", value=aim, date=i18n.fmt_date(measure.aim_date, lang))
                    if measure.aim_date else t("slides.card.aim_undated", value=aim))
    if goal:
        out.append((" → ".join(goal), 30, False, base.TARGET))
    out.append((t("slides.card.chart_next"), 22, False, "#333333"))
    return out


def _card_spec(measure: progress.Measure, lang: str, width: int, height: int) -> dict:
    """A measure with fewer than two values shown: its card as a picture of the chart's size,
    the lines centred one above the other (no axis, no scale: nothing to misread)."""
    grow = max(1.0, min(1.4, height / 330))        # a taller box, larger type
    lines = [(text, round(px * grow), bold, colour) for text, px, bold, colour in card_lines(measure, lang)]
    total = sum(px * 1.4 for _, px, _, _ in lines)
    y = (height - total) / 2
    layers = []
    for text, px, bold, colour in lines:
        y += px * 1.4 / 2
        layers.append({"mark": {"type": "text", "text": text, "fontSize": px, "fontWeight": "bold" if bold else "normal",
                                "color": colour, "align": "center", "baseline": "middle", "limit": width - 20},
                       "encoding": {"x": {"value": width / 2}, "y": {"value": round(y, 1)}}})
        y += px * 1.4 / 2
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "data": {"values": [{}]},
            "width": width, "height": height, "autosize": {"type": "fit", "contains": "padding"},
            "config": {"view": {"stroke": None}, "font": base.FONT}, "layer": layers}


def _measure_slides(report: progress.TeamReport, lang: str) -> list[Slide]:
    out = []
    for measure in report.measures:
        key = team_charts.event_key(measure, report.events, lang)
        kind = card_kind(measure)
        lines = [measure.text] + ([i18n.t("team.chart.markers", lang, key=key)] if key and kind is None else [])
        title = f"{report.team['name']}: {measure.name}"
        layout = measure_layout(title, lines)
        width, height = round(layout[1].width * 72), round(layout[1].height * 72)
        if kind is None:
            make = functools.partial(_chart_spec, measure, report.events, lang, width, height)
            alt_text = f"{measure.name}: {measure.text}"
        else:
            make = functools.partial(_card_spec, measure, lang, width, height)
            alt_text = f"{measure.name}: " + ". ".join(text for text, *_ in card_lines(measure, lang))
        out.append(Slide("measure", title, lines, make_spec=make, alt_text=alt_text, layout=layout))
    return out


def deck(reports: Sequence[progress.TeamReport], lang: str, *, cohort: int | None = None,
         today: dt.date | None = None, demo: bool = False) -> list[Slide]:
    """The slides in order, without their pictures yet (`draw` builds and draws the charts)."""
    today = today or dt.date.today()
    slides: list[Slide] = []
    if cohort is not None:
        slides.append(Slide("title", i18n.t("slides.cohort_title", lang, cohort=cohort),
                            [i18n.t("slides.cohort_teams", lang, n=len(reports)), "", *_deck_notes(lang, today, demo)]))
        for report in reports:
            slides.append(Slide("section", report.team["name"], _team_lines(report, lang)))
            slides.extend(_measure_slides(report, lang))
        return slides
    for report in reports:
        slides.append(Slide("title", report.team["name"],
                            [*_team_lines(report, lang), "", *_deck_notes(lang, today, demo)]))
        slides.extend(_measure_slides(report, lang))
    return slides


def draw(slides: list[Slide]) -> list[Slide]:
    """Build and draw every measure slide's picture (each distinct spec once: `picture`)."""
    for slide in slides:
        if slide.make_spec is not None and slide.png is None:
            slide.spec = slide.make_spec()
            slide.png = picture(slide.spec)
    return slides


def text_layout(kind: str, title: str, lines: Sequence[str]) -> tuple[Box, Box, int]:
    """(title box, body box, body font size) of a title or section slide: the title on top, the
    body in the rest of the slide in the largest type that fits (centred on the slide's height)."""
    width = SLIDE_IN[0] - 2 * MARGIN_IN
    title_box = Box(MARGIN_IN, 0.35, width, _text_height([title], TITLE_PT[kind], width - 0.2))
    top = title_box.bottom + 0.2
    room = SLIDE_IN[1] - MARGIN_IN - top
    size = next((s for s in BODY_PT if _text_height(lines, s, width - 0.2) <= room), BODY_PT[-1])
    return title_box, Box(MARGIN_IN, top, width, room), size


def _write_lines(frame, lines: Sequence[str], size: int, *, anchor=MSO_ANCHOR.TOP) -> None:
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.text = "\n".join(lines)
    for paragraph in frame.paragraphs:
        paragraph.font.size = Pt(size)
        paragraph.alignment = PP_ALIGN.LEFT


def _place(shape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in (box.left, box.top, box.width, box.height))


def write_pptx(slides: Sequence[Slide], out: Path | BinaryIO) -> Path | BinaryIO:
    """The deck as PPTX, to a path or into a binary stream (`io.BytesIO`)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    for s in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only: the rest is placed here
        title = slide.shapes.title
        if s.kind == "measure":
            title_box, picture_box, summary_box = s.layout or measure_layout(s.title, s.lines)
            _place(title, title_box)
            _write_lines(title.text_frame, [s.title], TITLE_PT["measure"], anchor=MSO_ANCHOR.MIDDLE)
            if s.png:
                pic = slide.shapes.add_picture(io.BytesIO(s.png), Inches(picture_box.left), Inches(picture_box.top),
                                               width=Inches(picture_box.width), height=Inches(picture_box.height))
                pic._element.nvPicPr.cNvPr.set("descr", s.alt_text or s.title)
            if s.lines:
                box = slide.shapes.add_textbox(*(Inches(v) for v in (summary_box.left, summary_box.top,
                                                                     summary_box.width, summary_box.height)))
                _write_lines(box.text_frame, s.lines, SUMMARY_PT)
        else:
            title_box, body_box, size = text_layout(s.kind, s.title, s.lines)
            _place(title, title_box)
            _write_lines(title.text_frame, [s.title], TITLE_PT[s.kind], anchor=MSO_ANCHOR.MIDDLE)
            for paragraph in title.text_frame.paragraphs:
                paragraph.font.bold = True
            box = slide.shapes.add_textbox(*(Inches(v) for v in (body_box.left, body_box.top,
                                                                 body_box.width, body_box.height)))
            _write_lines(box.text_frame, s.lines, size, anchor=MSO_ANCHOR.MIDDLE)
    prs.save(out if not isinstance(out, str) else Path(out))
    return out


def write_pdf(slides: Sequence[Slide], out: Path | BinaryIO) -> Path | BinaryIO:
    """The deck as PDF, one 16:9 page a slide (the PPTX's layout), to a path or into a stream."""
    pdf = FPDF(orientation="L", unit="in", format=(SLIDE_IN[1], SLIDE_IN[0]))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_IN + 0.1, MARGIN_IN, MARGIN_IN + 0.1)
    font = _font_path()
    if font:
        pdf.add_font("body", "", str(font))
        family = "body"
    else:
        family = "helvetica"

    def text(box: Box, lines: Sequence[str], size: float, *, middle: bool = False) -> None:
        pdf.set_font(family, size=size)
        body = _safe("\n".join(lines), font)
        line_h = size * LINE_SPACING / 72
        width = box.width - 0.2
        top = box.top + 0.05
        if middle:
            n = len(pdf.multi_cell(width, line_h, body, align="L", dry_run=True, output="LINES"))
            top = box.top + max(0.0, (box.height - n * line_h) / 2)
        pdf.set_xy(box.left + 0.1, top)
        pdf.multi_cell(width, line_h, body, align="L")

    for s in slides:
        pdf.add_page()
        if s.kind == "measure":
            title_box, picture_box, summary_box = s.layout or measure_layout(s.title, s.lines)
            text(title_box, [s.title], TITLE_PT["measure"], middle=True)
            if s.png:
                pdf.image(io.BytesIO(s.png), x=picture_box.left, y=picture_box.top, w=picture_box.width,
                          h=picture_box.height)
            if s.lines:
                text(summary_box, s.lines, SUMMARY_PT)
        else:
            title_box, body_box, size = text_layout(s.kind, s.title, s.lines)
            text(title_box, [s.title], TITLE_PT[s.kind], middle=True)
            text(body_box, s.lines, size, middle=True)
    data = bytes(pdf.output())
    if hasattr(out, "write"):
        out.write(data)
    else:
        Path(out).write_bytes(data)
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
        .replace("→", "->").encode("latin-1", "replace").decode("latin-1")


def build(con, *, team_id: str | None = None, cohort: int | str | None = None, lang: str = "fi",
          scope: access.Scope | None = None, today: dt.date | None = None) -> list[Slide]:
    """The slides of one team or every team of a cohort, pictures drawn."""
    if (team_id is None) == (cohort is None):
        raise ValueError("give exactly one of team_id and cohort")
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE   # no set_language: it would leak into the caller's thread
    reports = _reports(con, team_id=team_id, cohort=cohort, lang=lang, scope=scope)
    slides = deck(reports, lang, cohort=None if team_id is not None else int(cohort), today=today,
                  demo=db.get_meta(con, DEMO_FLAG) == "true")
    return draw(slides)


def write_slides(con, *, team_id: str | None = None, cohort: int | str | None = None, out: Path,
                 lang: str = "fi", scope: access.Scope | None = None, today: dt.date | None = None) -> Path:
    """PPTX or PDF (by the suffix of `out`) of one team or every team of a cohort."""
    slides = build(con, team_id=team_id, cohort=cohort, lang=lang, scope=scope, today=today)
    out = Path(out)
    return write_pdf(slides, out) if out.suffix.lower() == ".pdf" else write_pptx(slides, out)


def slide_bytes(con, *, team_id=None, cohort=None, lang="fi", kind="pptx", scope=None, today=None) -> bytes:
    """The deck as bytes (for a download button), made in memory: no file is written."""
    slides = build(con, team_id=team_id, cohort=cohort, lang=lang, scope=scope, today=today)
    buffer = io.BytesIO()
    (write_pdf if kind == "pdf" else write_pptx)(slides, buffer)
    return buffer.getvalue()


__all__ = ["Box", "Slide", "build", "card_kind", "card_lines", "clear_pictures", "deck", "draw",
           "measure_layout", "picture", "render_pngs", "slide_bytes", "text_layout", "write_pdf", "write_pptx",
           "write_slides"]
