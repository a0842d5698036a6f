"""The programme follow-up report of a chosen reporting round, laid out as these reports are
written by hand: per benefit goal and sub-project a table of the measures (measure or criterion,
data collection, baseline, interim targets, the status at the round with the figures from the
data), the indicators' charts as pictures, then every round's entry up to the chosen one.

One list of blocks (`blocks`) is written three ways: DOCX (python-docx: real headings, a table,
pictures with their text alternative), PDF (fpdf2, pure PyPI, DejaVu fonts when the system has
them) and CSV for Finnish Excel (`;`, decimal comma, UTF-8 with BOM, every text cell
formula-neutralised by `export.safe`: one row per measure with the chosen round's entry).
Figures are those of `programmes.model.read_programme`: suppressed where they rest on too few
persons. Charts are drawn by vl-convert with `allowed_base_urls=[]` (nothing fetched)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from vetopito import access, i18n, scoped
from vetopito.export import tables
from vetopito.followup import charts, model
from vetopito.followup import status as statuses
from vetopito.followup.model import Followup, Measure

KINDS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf", "csv": "text/csv"}
CHART_WIDTH_PX = 760
CHART_SCALE = 1.5
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Block:
    """One piece of the report: `kind` is title, subtitle, note, para, h1, h2, h3, table (`rows`,
    the first the header), image (`png`, `text` its text alternative) or entry (`text` with line
    breaks kept, `note` who wrote it)."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    png: bytes | None = None
    note: str = ""


def _t(key: str, lang: str, **values: Any) -> str:
    return i18n.t(f"followup.report.{key}", lang, **values)


def _value(measure: Measure, value: float | None, lang: str) -> str:
    meta = measure.meta or {}
    return i18n.fmt_value(value, meta.get("unit", "count"), int(meta.get("decimals") or 0), lang)


def baseline_text(measure: Measure, lang: str) -> str:
    """`T3 18 pv (1.1.2021: 18 pv)`: the baseline as written, and its value and date where numeric."""
    parts = [measure.baseline_text] if measure.baseline_text else []
    if measure.baseline_value is not None:
        figure = _value(measure, measure.baseline_value, lang) if measure.kind == "indicator" else \
            i18n.fmt_number(measure.baseline_value, 0, lang)
        dated = f"{i18n.fmt_date(measure.baseline_date, lang)}: {figure}" if measure.baseline_date else figure
        parts.append(f"({dated})" if parts else dated)
    return " ".join(parts) or "–"


def targets_text(measure: Measure, lang: str) -> str:
    """`31.12.2022: 10 pv; 31.12.2023: 0 pv`; a milestone's due date; `–` without any."""
    items = []
    for target in measure.targets:
        figure = (_value(measure, target.value, lang) if measure.kind == "indicator" else
                  i18n.fmt_number(target.value, 0, lang)) if target.value is not None else ""
        text = " ".join(x for x in (figure, f"({target.text})" if target.text and figure else target.text or "") if x)
        items.append(f"{i18n.fmt_date(target.date, lang)}: {text}".rstrip(": "))
    if measure.kind == "milestone" and measure.due_date and not items:
        items.append(_t("due", lang, date=i18n.fmt_date(measure.due_date, lang)))
    return "; ".join(items) or "–"


def _status_day(view: Followup, round_date: dt.date) -> dt.date:
    return min(round_date, view.today)


def blocks(view: Followup, round_date: dt.date, *, pictures: bool = True, demo: bool = False) -> list[Block]:
    """The report of `round_date` as blocks, in order."""
    lang = view.lang
    rnd = view.round(round_date)
    day = _status_day(view, round_date)
    info = view.programme
    out = [Block("title", _t("title", lang, programme=info.get("name") or view.programme_id)),
           Block("subtitle", _t("round", lang, round=rnd.label(lang) if rnd else i18n.fmt_date(round_date, lang))),
           Block("note", _t("made", lang, date=i18n.fmt_date(view.today, lang)))]
    if demo or info.get("is_demo"):
        out.append(Block("note", _t("demo", lang)))
    out.append(Block("para", _t("facts", lang, funder=info.get("funder") or "–",
                                start=i18n.fmt_date(info.get("period_start"), lang),
                                end=i18n.fmt_date(info.get("period_end"), lang),
                                regions=", ".join(view.region_official_names.get(r, r)
                                                  for r in info.get("region_ids") or []) or "–",
                                owner=info.get("owner_email") or "–")))
    if info.get("description"):
        out.append(Block("para", info["description"]))
    header = tuple(_t(f"col.{c}", lang) for c in ("measure", "method", "baseline", "targets")) + (
        _t("col.now", lang, date=i18n.fmt_date(day, lang)),)
    shown_rounds = [r for r in view.rounds if r.date <= round_date]
    for goal in view.goals:
        out.append(Block("h1", _t("goal", lang, id=goal.goal_id, name=goal.name)))
        for sub in goal.subprojects:
            out.append(Block("h2", _t("subproject", lang, id=sub.subproject_id, name=sub.name)))
            if sub.scope_name:
                out.append(Block("para", _t("scope", lang, scope=sub.scope_name)))
            if sub.measures:
                rows = [header]
                for m in sub.measures:
                    now = statuses.status_text(m, statuses.measure_status(view, m, day), lang)
                    rows.append((m.name, m.method or "–", baseline_text(m, lang), targets_text(m, lang), now))
                out.append(Block("table", rows=tuple(rows)))
            else:
                out.append(Block("para", _t("no_measures", lang)))
            if pictures:
                for m in sub.measures:
                    chart = charts.measure_chart(m, view, height=260) if m.kind in ("indicator", "output") else None
                    if chart is not None:
                        alt_text = charts.measure_alternative(m, view).summary
                        out.append(Block("image", text=alt_text,
                                         png=tables.chart_png(chart, width=CHART_WIDTH_PX, scale=CHART_SCALE)))
            out.append(Block("h3", _t("entries", lang)))
            for r in shown_rounds:
                entry = sub.entries.get(r.date)
                written = _t("written", lang, author=entry.author_email, at=i18n.fmt_datetime(entry.written_at, lang)) \
                    if entry else ""
                out.append(Block("entry", text=entry.text if entry else i18n.t("followup.sub.no_entry", lang),
                                 note=f"{r.label(lang)} {written}".strip()))
    return out


# ---- DOCX -----------------------------------------------------------------------------------

def write_docx(parts: list[Block]) -> bytes:
    """The blocks as a Word document: Title and Heading 1–3 styles (a navigation pane and a table
    of contents read them), a table with a header row, pictures with their alternative text."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    for block in parts:
        if block.kind == "title":
            doc.add_heading(block.text, level=0)
        elif block.kind in ("h1", "h2", "h3"):
            doc.add_heading(block.text, level=int(block.kind[1]))
        elif block.kind == "subtitle":
            doc.add_paragraph(block.text, style="Subtitle")
        elif block.kind == "note":
            doc.add_paragraph().add_run(block.text).italic = True
        elif block.kind == "para":
            doc.add_paragraph(block.text)
        elif block.kind == "table":
            table = doc.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            doc.add_paragraph()
        elif block.kind == "image" and block.png:
            shape = doc.add_picture(io.BytesIO(block.png), width=Cm(16))
            shape._inline.docPr.set("descr", block.text)   # the picture's alternative text
        elif block.kind == "entry":
            doc.add_paragraph().add_run(block.note).bold = True
            paragraph = doc.add_paragraph()
            for i, line in enumerate(block.text.replace("\r\n", "\n").split("\n")):
                if i:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---- PDF ------------------------------------------------------------------------------------

def _fonts() -> dict[str, Path] | None:
    files = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf",
             "I": FONT_DIR / "DejaVuSans-Oblique.ttf"}
    return files if all(p.exists() for p in files.values()) else None


def _latin1(text: str) -> str:
    return text.replace("\u00a0", " ").replace("–", "-").replace("−", "-").replace("→", "->") \
        .encode("latin-1", "replace").decode("latin-1")


def write_pdf(parts: list[Block]) -> bytes:
    """The blocks as an A4 PDF (fpdf2): the same headings, table, pictures and entries as the DOCX."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(18, 16, 18)
    fonts = _fonts()
    family = "body" if fonts else "helvetica"
    if fonts:
        for style, path in fonts.items():
            pdf.add_font("body", style, str(path))
    safe = (lambda s: s) if fonts else _latin1
    pdf.add_page()
    width = pdf.epw
    sizes = {"title": 18, "subtitle": 13, "h1": 15, "h2": 12.5, "h3": 11}
    for block in parts:
        if block.kind in sizes:
            pdf.set_font(family, "B" if block.kind != "subtitle" else "", sizes[block.kind])
            if block.kind in ("h1", "h2") and pdf.get_y() > pdf.h - 60:
                pdf.add_page()
            pdf.ln(3 if block.kind != "title" else 0)
            pdf.multi_cell(width, sizes[block.kind] * 0.5, safe(block.text), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1.5)
        elif block.kind in ("para", "note"):
            pdf.set_font(family, "I" if block.kind == "note" else "", 9.5)
            pdf.multi_cell(width, 5, safe(block.text), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1.5)
        elif block.kind == "table":
            pdf.set_font(family, "", 8.5)
            with pdf.table(col_widths=(27, 21, 18, 20, 30), line_height=4.4, text_align="LEFT",
                           headings_style=FontFace(emphasis="BOLD", fill_color=(228, 234, 241))) as table:
                for row in block.rows:
                    table.row([safe(c) for c in row])
            pdf.ln(2)
        elif block.kind == "image" and block.png:
            pdf.image(io.BytesIO(block.png), w=width, alt_text=safe(block.text))
            pdf.ln(2)
        elif block.kind == "entry":
            pdf.set_font(family, "B", 9.5)
            pdf.multi_cell(width, 5, safe(block.note), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.set_font(family, "", 9.5)
            pdf.multi_cell(width, 5, safe(block.text.replace("\r\n", "\n")), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
    return bytes(pdf.output())


# ---- CSV ------------------------------------------------------------------------------------

def csv_frame(view: Followup, round_date: dt.date) -> pl.DataFrame:
    """One row per measure (a sub-project without measures: one row) with the status at the round
    and the sub-project's entry of that round; headers in the view's language."""
    lang, day = view.lang, _status_day(view, round_date)
    rows = []
    for goal in view.goals:
        for sub in goal.subprojects:
            entry = sub.entries.get(round_date)
            common = {"programme": view.programme.get("name"), "goal": goal.name, "subproject": sub.subproject_id,
                      "subproject_name": sub.name, "round": round_date,
                      "entry": entry.text if entry else None}
            for m in sub.measures or [None]:
                if m is None:
                    rows.append({**common, "measure": None, "kind": None, "method": None, "baseline": None,
                                 "targets": None, "value": None, "value_period": None, "state": None, "status": None})
                    continue
                s = statuses.measure_status(view, m, day)
                value = getattr(s.detail, "value", None) if m.kind == "indicator" else getattr(s.detail, "total", None)
                period = getattr(s.detail, "period_start", None)
                rows.append({**common, "measure": m.name, "kind": i18n.t(f"followup.kind.{m.kind}", lang),
                             "method": m.method, "baseline": baseline_text(m, lang), "targets": targets_text(m, lang),
                             "value": value, "value_period": period,
                             "state": i18n.t(f"followup.board.level.{statuses.level(s)}", lang),
                             "status": statuses.status_text(m, s, lang)})
    order = ("programme", "goal", "subproject", "subproject_name", "measure", "kind", "method", "baseline",
             "targets", "value", "value_period", "state", "status", "round", "entry")
    schema = {c: pl.String for c in order} | {"value": pl.Float64, "value_period": pl.Date, "round": pl.Date}
    frame = pl.DataFrame(rows, schema=schema).select(order)
    return frame.rename({c: i18n.t(f"followup.csv.{c}", lang) for c in order})


def write_csv(view: Followup, round_date: dt.date) -> bytes:
    return tables.to_csv(csv_frame(view, round_date), **tables.csv_dialect(view.lang))


# ---- the report ------------------------------------------------------------------------------

class UnknownRound(i18n.Localised, ValueError):
    """The programme has no reporting round on that date, or the user reads no such programme."""


def report_bytes(con, programme_id: str, round_date: dt.date, *, lang: str = "fi", kind: str = "docx",
                 scope: access.Scope | None = None, today: dt.date | None = None) -> bytes:
    """The report of one round as `kind` (docx, pdf or csv) for the user of `scope` (everything when
    None: the command line), made in memory."""
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    view = model.programme_followup(scoped.runner(con, scope), programme_id, lang, today)
    if view is None or view.round(round_date) is None:
        raise UnknownRound("followup.report.unknown_round", programme=programme_id,
                           round=i18n.fmt_date(round_date, lang))
    if kind == "csv":
        return write_csv(view, round_date)
    parts = blocks(view, round_date)
    return write_pdf(parts) if kind == "pdf" else write_docx(parts)
