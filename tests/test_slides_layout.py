"""Slides worth showing and made the way a download needs them:
16:9, the chart across the slide, its text ≥ 18 pt where it is placed, a card instead of an empty
chart for a measure with fewer than two values shown, no file written for a download, and a
cohort's PPTX and PDF sharing every rendered picture."""

from __future__ import annotations

import builtins
import dataclasses
import io
import json
import re
import tempfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from vetopito import access, i18n, scoped
from vetopito.export import slide_pictures, slides
from vetopito.teams import progress

EMU_PER_PT = 12700
EMU_PER_IN = 914400
CHARTED = "T2025-03"          # 3 measures with a run chart, 1 with one value shown (and one hidden)
HIDDEN = "T2024-06"           # 2 measures whose every value is hidden (fewer than 10 / 5 persons)


def pictures(slide):
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def texts(slide):
    return [shape for shape in slide.shapes if shape.has_text_frame and shape.shape_type != MSO_SHAPE_TYPE.PICTURE]


def font_sizes(spec) -> list[tuple[str, float]]:
    """Every text size a Vega-Lite spec asks for: axis and legend labels and titles, and each
    text mark's own (a text mark without one would get Vega's 11 px)."""
    out = []
    config = spec.get("config", {})
    for part in ("axis", "legend"):
        for key in ("labelFontSize", "titleFontSize"):
            if key in config.get(part, {}):
                out.append((f"{part}.{key}", config[part][key]))

    def walk(node):
        if isinstance(node, dict):
            mark = node.get("mark")
            if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
                out.append(("text mark", mark.get("fontSize", 11) if isinstance(mark, dict) else 11))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk({k: v for k, v in spec.items() if k != "config"})
    return out


def uses_axes(spec) -> bool:
    """Whether any layer encodes a data field on x or y (draws an axis)."""
    text = json.dumps(spec)
    return bool(re.search(r'"(x|y)": \{[^{}]*"field"', text))


@pytest.fixture
def team_deck(demo_con):
    drawn = slides.build(demo_con, team_id=CHARTED, lang="fi")
    buffer = io.BytesIO()
    slides.write_pptx(drawn, buffer)
    return drawn, Presentation(io.BytesIO(buffer.getvalue()))


def test_slides_are_16_9_and_a_measure_slide_is_title_chart_and_summary_filling_it(team_deck):
    drawn, deck = team_deck
    width, height = deck.slide_width, deck.slide_height
    assert abs(width / height - 16 / 9) < 0.01
    margin = int(0.5 * EMU_PER_IN)
    for s, slide in zip(drawn, deck.slides, strict=True):
        if s.kind != "measure":
            continue
        title = slide.shapes.title
        [pic] = pictures(slide)
        [summary] = [shape for shape in texts(slide) if shape.shape_id != title.shape_id]
        for shape in (title, pic, summary):           # margins only: every box spans the slide's width
            assert shape.left <= margin and width - (shape.left + shape.width) <= margin, (s.title, shape.name)
        # title, chart and summary stacked, nothing overlapping, nothing off the slide, little left over
        assert title.top + title.height <= pic.top < pic.top + pic.height <= summary.top
        assert summary.top + summary.height <= height
        used = title.height + pic.height + summary.height
        assert used >= 0.85 * height, f"{s.title}: {used / height:.0%} of the slide's height used"
        assert pic.height >= 0.55 * height and pic.width >= 0.9 * width
        # the picture is drawn for its box: placed without stretching
        px_w, px_h = pic.image.size
        assert abs(px_w / px_h - pic.width / pic.height) < 0.01 * (px_w / px_h)
        assert summary.text_frame.text.startswith(s.lines[0])


def test_text_in_every_picture_is_at_least_18_pt_where_it_is_placed(team_deck):
    """From the picture's pixel size and its place on the slide: a text of f px in a spec w px
    wide is drawn f × (image px / w) image pixels high, and an image pixel is (placed width in pt /
    image px) pt on the slide."""
    drawn, deck = team_deck
    checked = 0
    for s, slide in zip(drawn, deck.slides, strict=True):
        if s.kind != "measure":
            continue
        [pic] = pictures(slide)
        px_w, _ = pic.image.size
        placed_pt = pic.width / EMU_PER_PT
        image_px_per_spec_px = px_w / s.spec["width"]
        sizes = font_sizes(s.spec)
        assert sizes, s.title
        for where, size in sizes:
            pt = size * image_px_per_spec_px * placed_pt / px_w
            assert pt >= 18, f"{s.title}: {where} is {pt:.1f} pt on the slide"
            checked += 1
    assert checked >= 4 * 4


def test_pdf_pages_are_16_9_like_the_pptx(demo_con):
    data = slides.slide_bytes(demo_con, team_id=CHARTED, lang="fi", kind="pdf")
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data))
    assert len(boxes) == 1
    (w, h), = boxes
    assert abs(float(w) / float(h) - 16 / 9) < 0.01 and abs(float(w) - 960) < 1


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_measure_with_one_value_says_only_one_measurement_so_far(demo_con, lang):
    drawn = slides.build(demo_con, team_id=CHARTED, lang=lang)
    report = progress.team_report(scoped.runner(demo_con), CHARTED, lang)
    [one] = [m for m in report.measures if m.n_visible == 1]
    [slide] = [s for s in drawn if s.kind == "measure" and s.title.endswith(one.name)]
    message = i18n.t("slides.card.one_point", lang)
    assert message == {"fi": "Vain yksi mittaus toistaiseksi", "sv": "Bara en mätning hittills",
                       "en": "Only one measurement so far"}[lang]
    assert not uses_axes(slide.spec)                       # no chart, so no axis to misread
    text = json.dumps(slide.spec, ensure_ascii=False)
    assert message in text
    value = one.points.filter(one.points["value"].is_not_null())["value"][0]
    assert i18n.fmt_value(value, one.unit, one.decimals, lang) in text     # the one value, in large type
    assert slide.alt_text.startswith(f"{one.name}: {message}")
    assert slide.png.startswith(b"\x89PNG")
    # the measures with two or more values keep their run chart
    assert all(uses_axes(s.spec) for s in drawn if s.kind == "measure" and s is not slide)


def test_a_measure_with_no_values_never_draws_an_axis(demo_con):
    """All values hidden: the card says no measurement can be shown yet and why; nothing measured
    at all: "no measurements yet". Either way the slide stays, in its place among the measures."""
    drawn = slides.build(demo_con, team_id=HIDDEN, lang="fi")
    report = progress.team_report(scoped.runner(demo_con), HIDDEN, "fi")
    hidden = [m for m in report.measures if m.n_visible == 0]
    assert len(hidden) == 2
    for m in hidden:
        [slide] = [s for s in drawn if s.kind == "measure" and s.title.endswith(m.name)]
        assert not uses_axes(slide.spec) and "0,000000" not in json.dumps(slide.spec)
        text = json.dumps(slide.spec, ensure_ascii=False)
        assert "Ei vielä näytettäviä mittauksia" in text and "piilotettu" in text
    empty = dataclasses.replace(hidden[0], points=hidden[0].points.clear())
    assert slides.card_kind(empty) == "no_values"
    assert slides.card_lines(empty, "en")[0][0] == "No measurements yet"
    assert slides.card_lines(empty, "sv")[0][0] == "Inga mätningar ännu"
    spec = slides._card_spec(empty, "fi", 900, 340)
    assert not uses_axes(spec) and "Ei vielä mittauksia" in json.dumps(spec, ensure_ascii=False)
    assert slide_pictures.png_of_spec(spec).startswith(b"\x89PNG")


def test_a_download_writes_no_file(demo_con, tmp_path, monkeypatch):
    """The page's download (`slide_bytes`) makes the deck in memory: no temporary file or
    directory, nothing opened for writing, the temp directory left empty."""
    empty = tmp_path / "tmp"
    empty.mkdir()
    monkeypatch.setenv("TMPDIR", str(empty))
    monkeypatch.setattr(tempfile, "tempdir", str(empty))
    slides.clear_pictures()

    def refuse(*args, **kwargs):
        raise AssertionError(f"a temporary file was asked for: {args} {kwargs}")

    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryDirectory", "TemporaryFile",
                 "SpooledTemporaryFile"):
        monkeypatch.setattr(tempfile, name, refuse)
    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            raise AssertionError(f"{file} opened for writing ({mode})")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    pptx_data = slides.slide_bytes(demo_con, team_id=CHARTED, lang="fi", kind="pptx")
    pdf_data = slides.slide_bytes(demo_con, team_id=CHARTED, lang="fi", kind="pdf")
    assert pptx_data[:2] == b"PK" and pdf_data.startswith(b"%PDF")
    assert len(Presentation(io.BytesIO(pptx_data)).slides) == 5
    assert list(empty.iterdir()) == []


def test_a_cohorts_pptx_and_pdf_render_each_picture_once(demo_con, monkeypatch):
    """The cohort page offers both files: the second one renders nothing again."""
    full = access.full_scope(demo_con)
    scope = access.Scope(unit_ids=tuple(u for u in full.unit_ids if not u.startswith("T2024-")
                                        or u in {"T2024-01", "T2024-06"}), indicator_ids=full.indicator_ids)
    reports = [progress.team_report(scoped.runner(demo_con, scope), t, "fi") for t in ("T2024-01", "T2024-06")]
    n_pictures = sum(len(r.measures) for r in reports)
    slides.clear_pictures()
    rendered = []
    real = slide_pictures.png_of_spec
    monkeypatch.setattr(slide_pictures, "png_of_spec", lambda spec, scale: rendered.append(spec) or real(spec, scale))
    pptx_data = slides.slide_bytes(demo_con, cohort=2024, lang="fi", kind="pptx", scope=scope)
    assert len(rendered) == n_pictures
    pdf_data = slides.slide_bytes(demo_con, cohort=2024, lang="fi", kind="pdf", scope=scope)
    assert len(rendered) == n_pictures                     # the PDF drew on the PPTX's pictures
    assert len({json.dumps(s, sort_keys=True) for s in rendered}) == n_pictures
    deck = Presentation(io.BytesIO(pptx_data))
    assert sum(len(pictures(s)) for s in deck.slides) == n_pictures
    assert pdf_data.count(b"/Subtype /Image") >= n_pictures


def test_chart_pictures_never_fetch_an_outside_address():
    """A spec naming an outside data address is refused by the renderer, not fetched."""
    import pytest

    from vetopito.export import slide_pictures, tables
    spec = {"data": {"url": "https://example.com/who-opens-this.csv"}, "mark": "point",
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    with pytest.raises(Exception, match="not allowed"):
        slide_pictures.png_of_spec(spec)
    with pytest.raises(Exception, match="not allowed"):
        tables.chart_png(spec)
    inline = dict(spec, data={"values": [{"a": 1}]})
    assert slide_pictures.png_of_spec(inline)[:4] == b"\x89PNG"
