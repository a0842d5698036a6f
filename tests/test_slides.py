"""Take-away slides: the PPTX opens with python-pptx with a title slide and a slide per measure
with its chart picture; the PDF is a PDF; hidden values do not appear."""

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

