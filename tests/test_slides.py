"""Take-away slides: the PPTX opens with python-pptx with a title slide and a slide per measure
with its chart picture; the PDF is a PDF; hidden values do not appear."""

import polars as pl
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from vetopito import teams
from vetopito.export import slides


def test_team_pptx_has_title_and_one_picture_slide_per_measure(demo_con, tmp_path):
    report = teams.team_report(teams.scoped_query(demo_con), "T2025-17", "fi")
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



def test_cohort_deck_is_one_slide_per_team_with_its_measures_in_one_picture(demo_con, tmp_path):
    from vetopito import access

    # a coach who sees two teams of the 2024 cohort: the deck holds exactly those two
    full = access.full_scope(demo_con)
    scope = access.Scope(unit_ids=tuple(u for u in full.unit_ids if u not in {
        f"T2024-{i:02d}" for i in range(3, 24)}))
    out = slides.write_slides(demo_con, cohort=2024, out=tmp_path / "c.pptx", lang="en", scope=scope)
    deck = Presentation(out)
    titles = [s.shapes.title.text for s in deck.slides]
    names = teams.team_list(teams.scoped_query(demo_con, scope), "en").filter(
        pl.col("cohort_year") == 2024)["name"].to_list()
    assert titles == ["Vetoa ja pitoa coaching: cohort 2024", *names]
    for slide in list(deck.slides)[1:]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
