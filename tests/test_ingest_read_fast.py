"""The one-pass reader (`read._read_fast`) gives exactly what the line-by-line reader gives,
whenever it answers at all (it declines blank lines, odd line breaks, cells spanning lines…)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from vetopito.ingest import read

CELL = st.sampled_from(["1,5", "", " ", "a", "HVA01", "12,5", "3.4 %", '"x;y"', '"q,w"', "Pohjois-Savo", "..", "ä", '""',
                       "4\u00a0315", "\u00a07", "–", "\t2"])
LINE_END = st.sampled_from(["\n", "\r\n"])


@st.composite
def texts(draw):
    sep = draw(st.sampled_from([",", ";", "\t"]))
    width = draw(st.integers(1, 4))
    titles = draw(st.lists(st.sampled_from(['"Otsikko"', "", " "]), max_size=2))
    header = sep.join(f"h{i}" for i in range(width))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=width + 2), max_size=8))
    end = draw(LINE_END)
    lines = [*titles, header, *(sep.join(r) for r in rows)]
    return end.join(lines) + draw(st.sampled_from(["", end, end + end, end + sep * width]))


def _slow(text: str):
    lines = text.splitlines()
    sep, header_index = read.sniff(lines)
    header = [h.strip() for h in read._split(lines[header_index], sep)]
    return lines[:header_index + 1], sep, header_index, read._read_slow(lines, sep, header_index, header)


@settings(max_examples=300, deadline=None)
@given(texts())
def test_fast_reader_matches_the_line_by_line_reader(text):
    try:
        slow = _slow(text)
    except Exception:  # noqa: BLE001  (whatever the slow way raises, read_table raises: fast declined)
        assert read._read_fast(text.encode()) is None
        return
    fast = read._read_fast(text.encode())
    if fast is None:
        return
    assert fast[:3] == slow[:3]
    # as `read_table` takes them: the cells beyond the header's apart (reported when filled)
    width, sep = len(read._split(slow[0][slow[2]], slow[1])), slow[1]
    (fast_frame, fast_extra), (slow_frame, slow_extra) = (read._extra_cells(f[3], width, sep) for f in (fast, slow))
    assert_frame_equal(fast_frame, slow_frame)
    assert_frame_equal(fast_extra, slow_extra)


def test_fast_reader_declines_blank_lines_and_reads_a_plain_file():
    assert read._read_fast(b"a,b\n1,2\n\n3,4\n") is None
    assert read._read_fast(b"a,b\n1,2\n,\n3,4\n") is None
    lines, sep, header_index, frame = read._read_fast(b"a;b\r\n1;2\r\n3;4\r\n")
    assert (sep, header_index) == (";", 0)
    assert frame["_row"].to_list() == [2, 3] and frame["c1"].to_list() == ["2", "4"]
