"""Take-away slides: the PPTX opens with python-pptx with a title slide and a slide per measure
with its chart picture; the PDF is a PDF; hidden values do not appear."""

import polars as pl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from vetopito import scoped
from vetopito.export import slides
from vetopito.teams import progress

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings


def test_team_pptx_has_title_and_one_picture_slide_per_measure(demo_con, tmp_path):
    report = progress.team_report(scoped.runner(demo_con), "T2025-17", "fi")
    out = slides.write_slides(demo_con, team_id="T2025-17", out=tmp_path / "t.pptx", lang="fi")
    deck = Presentation(out)
    assert len(deck.slides) == 1 + len(report.measures)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == report.team["name"]
    assert titles[1:] == [f"{report.team['name']}: {m.name}" for m in report.measures]
    for slide in list(deck.slides)[1:]:
        assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
    text = " ".join(shape.text_frame.text for s in deck.slides for shape in s.shapes if shape.has_text_frame)
    assert "alle 10 vastaajaa" in text


def test_team_pdf_starts_with_pdf_magic(demo_con, tmp_path):
    out = slides.write_slides(demo_con, team_id="T2024-03", out=tmp_path / "t.pdf", lang="en")
    assert out.read_bytes().startswith(b"%PDF")


def test_unknown_team_is_refused(demo_con, tmp_path):
    import pytest
    with pytest.raises(ValueError):
        slides.write_slides(demo_con, team_id="T1999-01", out=tmp_path / "x.pptx")


def test_cohort_deck_has_a_title_then_per_team_a_section_and_a_slide_per_measure(demo_con, tmp_path):
    import datetime as dt

    from vetopito import access

    # a coach who sees three teams of the 2024 cohort: the deck holds exactly those three
    full = access.full_scope(demo_con)
    scope = access.Scope(unit_ids=tuple(u for u in full.unit_ids if u not in {
        f"T2024-{i:02d}" for i in range(4, 24)}), indicator_ids=full.indicator_ids)
    query = scoped.runner(demo_con, scope)
    ids = progress.team_list(query, "en").filter(pl.col("cohort_year") == 2024)["team_id"].to_list()
    reports = [progress.team_report(query, tid, "en") for tid in ids]
    assert len(reports) == 3
    out = slides.write_slides(demo_con, cohort=2024, out=tmp_path / "c.pptx", lang="en", scope=scope,
                              today=dt.date(2025, 5, 6))
    deck = Presentation(out)
    assert len(deck.slides) == 1 + sum(1 + len(r.measures) for r in reports)
    expected = ["Vetoa ja pitoa coaching: cohort 2024"]
    for r in reports:
        expected += [r.team["name"], *(f"{r.team['name']}: {m.name}" for m in r.measures)]
    assert [s.shapes.title.text for s in deck.slides] == expected

    def texts(slide):
        return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)

    def pictures(slide):
        return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]

    title = texts(deck.slides[0])
    assert "6.5.2025" in title and "IHI run chart" in title and "Demo data" in title   # date, rule set, demo
    position = 1
    for r in reports:
        section = deck.slides[position]
        assert not pictures(section)
        body = texts(section)
        assert r.team["work_unit"] in body and r.team["region_name"] in body and r.team["aim_text"] in body
        assert "Operating models" in body and all(m in body for m in r.models["title"].to_list())
        for offset, measure in enumerate(r.measures, start=1):
            slide = deck.slides[position + offset]
            assert len(pictures(slide)) == 1
            assert measure.text in texts(slide)           # its plain-language summary beside the chart
        position += 1 + len(r.measures)


def test_cohort_pdf_has_a_page_per_slide(demo_con, tmp_path, monkeypatch):
    from vetopito import access

    full = access.full_scope(demo_con)
    scope = access.Scope(unit_ids=tuple(u for u in full.unit_ids if u not in {
        f"T2024-{i:02d}" for i in range(3, 24)}), indicator_ids=full.indicator_ids)
    query = scoped.runner(demo_con, scope)
    reports = [progress.team_report(query, tid, "fi") for tid in ("T2024-01", "T2024-02")]
    out = slides.write_slides(demo_con, cohort=2024, out=tmp_path / "c.pdf", lang="fi", scope=scope)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page\r") + data.count(b"/Type /Page ") \
        == 1 + sum(1 + len(r.measures) for r in reports)
