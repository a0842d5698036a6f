"""Read an extract as text: work out its encoding, separator and header row, keep row numbers.
(Over 400 lines because the fast polars path and the slow line-by-line path must agree cell for
cell, and are kept side by side for that.)

Every cell is read as a string (casting comes later, per cell, so that one bad cell is one
error with its spreadsheet row number, not a failed file). Row numbers count lines as a
spreadsheet shows them: title lines and the header included, header of a plain file = row 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from vetopito import i18n, limits
from vetopito.ingest.values import NUMBER_PATTERN

SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}


class ReadError(i18n.Localised, ValueError):
    """The file cannot be read as a table at all; `key` names the message, `fields` fill it."""

    default_code = "ingest.error"


@dataclass
class Table:
    """An extract as strings: `header` as written, `frame` with columns c0…cN plus `_row`."""

    header: list[str]
    frame: pl.DataFrame
    header_row: int
    title_lines: list[str]
    encoding: str
    delimiter: str
    size_bytes: int
    sha256: str
    notes: list[str] = field(default_factory=list)
    # rows with filled cells beyond the header's: `_row`, `extra` (those cells, as written)
    extra_cells: pl.DataFrame = field(default_factory=lambda: _no_extra_cells())
    # cells the loader will not store whatever the format (over `limits.MAX_CELL_CHARS`, or holding
    # a control character): a problem frame (row, column, value, key, fields) like `problems.problems`'
    problems: pl.DataFrame = field(default_factory=lambda: _no_problems())

    def column(self, index: int) -> str:
        return f"c{index}"

    def line_above_header(self) -> str | None:
        """The title line just above the header when it looks like the header itself (two cells or
        more, no number) and the header like data (a number): a file whose decimal comma is also its
        separator, so that its rows came out wider than its header (see `_header_before`)."""
        if self.title_lines and _header_over_data(_split(self.title_lines[-1], self.delimiter), self.header, 2):
            return self.title_lines[-1]
        return None


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: BOM → utf-8-sig, a UTF-16 BOM (`FF FE` / `FE FF`:
    Excel's "Unicode text", tab-separated) → utf-16, else strict UTF-8, else cp1252/latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
        return raw[2:].decode(codec, errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # bytes cp1252 leaves undefined (0x81, 0x8d…) exist in ISO-8859-15 files
        return raw.decode("iso-8859-15"), "iso-8859-15"


def _split(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep, quotechar='"'), [])


def sniff(lines: list[str]) -> tuple[str, int]:
    """The separator and the index (among `lines`) of the header line.

    The separator is the one giving the most lines with the same (largest common) number of
    fields; the header is the first line with that many fields, so title lines above it
    (PxWeb's quoted title and blank line) are skipped.
    """
    best: tuple[int, int, str] | None = None
    sample = [line for line in lines[:60] if line.strip()]
    if not sample:
        raise ReadError("ingest.error.empty_file")
    for sep in SEPARATORS:
        counts = [len(_split(line, sep)) for line in sample]
        tail = counts[1:] or counts
        common, hits = Counter(tail).most_common(1)[0]
        if common < 2:
            continue
        score = (hits, common)
        if best is None or score > best[:2]:
            best = (hits, common, sep)
    if best is None:
        # one column only: a comma file with one field per line
        sep, common = ",", 1
    else:
        _, common, sep = best
    for index, line in enumerate(lines):
        if line.strip() and len(_split(line, sep)) >= common:
            return sep, _header_before(lines, index, sep)
    raise ReadError("ingest.error.no_header")


_NUMBER_CELL = re.compile(NUMBER_PATTERN)  # a cell that is a number (values.py), stripped


def _header_before(lines: list[str], index: int, sep: str) -> int:
    """The header's index, given the first line as wide as the rows: the line before it instead when
    that one has three cells or more and no number but this one has numbers. Its rows are then
    wider than the header (a decimal comma that is also the separator: `74,5` in a comma file),
    which the reading reports row by row. A title or note line above a header has one or two cells
    (`"Väestö alueittain"`, `Mittari;T3 lääkäri` above `alue;2023;2024`) and stays a title."""
    before = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
    if before is None:
        return index
    return before if _header_over_data(_split(lines[before], sep), _split(lines[index], sep), 3) else index


def _header_over_data(above: list[str], line: list[str], least: int) -> bool:
    """Whether `above` (at least `least` cells, none a number) reads as the header of `line` (a number)."""
    return len(above) >= least and not any(_NUMBER_CELL.match(c.strip()) for c in above) and \
        any(_NUMBER_CELL.match(c.strip()) for c in line)


# Line breaks `str.splitlines` knows besides `\n` and `\r\n`, as UTF-8: a text holding one is read the slow way.
_OTHER_BREAKS = tuple(ch.encode("utf-8") for ch in ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"))
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[str]:
    """The text's lines as a spreadsheet and the csv module see them: broken at CR LF, CR and LF
    only. `str.splitlines` breaks at the other line breaks too, which are control characters
    inside a cell here (refused with their row and column, see `_cell_problems`)."""
    if not any(ch.decode("utf-8") in text for ch in _OTHER_BREAKS):
        return text.splitlines()
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
_HEAD_BYTES = 262_144


class NotUtf8(i18n.Localised, ValueError):
    """The bytes given as UTF-8 are not: the caller decodes the file another way (raised bare)."""

    def __init__(self, key: str = "ingest.error.not_utf8", **fields):
        super().__init__(key, **fields)


# What polars raises for a row wider than the names it was given (the first row, or a later one).
_RAGGED = (pl.exceptions.SchemaError, pl.exceptions.ComputeError)


def _read_csv(body: bytes, sep: str, names: list[str], skip_lines: int = 0) -> pl.DataFrame:
    """Every cell a string, every row as wide as `names`: a shorter row gets empty cells, a longer
    one raises one of `_RAGGED` (the slow reading then widens the table)."""
    return pl.read_csv(
        body, has_header=False, separator=sep, quote_char='"', schema=dict.fromkeys(names, pl.String),
        missing_columns="insert", truncate_ragged_lines=False, skip_lines=skip_lines,
        empty_string_is_null=False,
    )


def _has_other_breaks(data: bytes) -> bool:
    if any(ch in data for ch in _OTHER_BREAKS if len(ch) == 1):
        return True
    # the multi-byte ones are searched only when their lead byte occurs at all (a fast byte scan)
    return any(ch[:1] in data and ch in data for ch in _OTHER_BREAKS if len(ch) > 1)


# Bytes that start a character `str.strip_chars` removes (besides line breaks): a file without any
# has no cell to strip. Tab is one unless it separates the cells.
_WHITESPACE_LEADS = (b" ", b"\t", b"\x1f", b"\xc2", b"\xe1", b"\xe2", b"\xe3")

# Printable ASCII but the space. Deleted from a file, they leave its line breaks, whitespace and
# non-ASCII characters in their order: a byte or two per line, which the fast reading scans for
# line breaks, carriage returns and whitespace instead of scanning the whole file once for each.
# A UTF-8 character's bytes are all non-ASCII, so they stay together.
_PRINTABLE = bytes(range(0x21, 0x7F))


def _residue(data: bytes) -> bytes:
    return data.translate(None, _PRINTABLE)


def _stripped(frame: pl.DataFrame, body_residue: bytes, sep: str) -> pl.DataFrame:
    """Every cell without surrounding whitespace. A column is stripped only when one of its
    distinct cells needs it (an extract repeats its cells), and not at all when the body holds no
    whitespace but its line breaks (`body_residue`: the body's `_residue`)."""
    leads = [b for b in _WHITESPACE_LEADS if b != sep.encode()]
    frame = frame.with_columns(pl.col(n).fill_null("") for n in frame.columns)
    if not any(b in body_residue for b in leads):
        return frame
    distinct = frame.select(pl.col(n).unique().implode() for n in frame.columns).row(0)
    needs = [n for n, cells in zip(frame.columns, distinct, strict=True)
             if not pl.Series(cells, dtype=pl.String).str.strip_chars().equals(pl.Series(cells, dtype=pl.String))]
    return frame.with_columns(pl.col(n).str.strip_chars() for n in needs) if needs else frame


def _read_fast(data: bytes, residue: bytes | None = None) -> tuple[list[str], str, int, pl.DataFrame | None] | None:
    """The common case read in one pass by polars from the file's UTF-8 bytes (BOM removed):
    (lines up to the header, separator, header index, body frame with `_row`). None whenever the
    line-by-line reading could number or keep rows differently (blank or separator-only lines,
    other line breaks, cells spanning lines, a header beyond the first lines): `read_table` then
    reads the slow way, with the same result. `NotUtf8` when the bytes are not UTF-8."""
    residue = _residue(data) if residue is None else residue
    crlf = b"\r" in residue
    if _has_other_breaks(residue) or (crlf and residue.count(b"\r") != residue.count(b"\r\n")):
        return None
    whole = len(data) <= _HEAD_BYTES
    head = data if whole else data[:data.rfind(b"\n", 0, _HEAD_BYTES) + 1]  # whole lines only
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8 from exc
    pieces = text.splitlines(keepends=True)
    if not whole and len(pieces) < 60:
        return None
    lines = [piece.rstrip("\r\n") for piece in pieces]
    try:
        sep, header_index = sniff(lines)
    except ReadError:
        return None
    if header_index >= len(lines) - (0 if whole else 1):
        return None
    header = [h.strip() for h in _split(lines[header_index], sep)]
    # as wide as the widest row of the first lines: rows that all end in a separator the header
    # does not have (some exports) are read here too; a wider row further on goes the slow way
    width = max([len(header), *(len(_split(line, sep)) for line in lines[header_index + 1:header_index + 200])])
    limits.check_column_count(width)
    names = [f"c{i}" for i in range(width)]
    start, end = len("".join(pieces[:header_index + 1]).encode("utf-8")), len(data)
    while end > start and data[end - 1] in b"\r\n":  # trailing line breaks end the last row
        end -= 1
    if end == start or data[start:start + 1] in (b"\n", b"\r"):
        return None
    # the residue of the body's lines: after the header's, without the trailing line breaks
    body_residue = residue[len(_residue(data[:start])):len(residue) - (len(data) - end)]
    lines_in_body = body_residue.count(b"\n") + 1
    if crlf:
        body = data[start:end].replace(b"\r\n", b"\n")
    else:  # read in place: polars skips the lines up to the header (whole lines: no cell spans them)
        body = data if end >= len(data) - 1 else data[:end]  # one final line break ends the last row
    try:
        frame = _read_csv(body, sep, names, skip_lines=0 if crlf else header_index + 1)
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower():
            raise NotUtf8 from exc
        return None  # the slow way says what it says about such a file
    except pl.exceptions.PolarsError:
        return None
    # a blank line is either skipped (fewer rows than lines) or an empty row (found below)
    if frame.height != lines_in_body:
        return None
    frame = _stripped(frame.select(names), body_residue, sep)
    if frame.select((pl.col(names[0]) == "").any()).item() and \
            frame.select(pl.all_horizontal(pl.col(n) == "" for n in names).any()).item():
        return None
    first = header_index + 2
    frame = frame.with_columns(pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("_row"))
    return lines[:header_index + 1], sep, header_index, frame


def read_table(raw: bytes) -> Table:
    """Decode, sniff and read every cell as a string, keeping spreadsheet row numbers.

    Before any table is built, the file's bytes are counted against the limits (`limits.LimitExceeded`:
    too many lines or columns, a line too long, an unclosed quote, a control character in the header);
    cells over `limits.MAX_CELL_CHARS` or holding a control character are `Table.problems`."""
    digest = _Sha256(raw)
    body, encoding = utf8_body(raw)
    residue = _residue(body)
    _check_lines(body)
    _check_quotes(body)
    try:
        fast = _read_fast(body, residue)
    except NotUtf8:  # cannot happen: the body is UTF-8
        fast = None
    if fast is not None:
        lines, sep, header_index, frame = fast
        header = [h.strip() for h in _split(lines[header_index], sep)]
    else:
        lines = _lines(body.decode("utf-8"))
        sep, header_index = sniff(lines)
        header = [h.strip() for h in _split(lines[header_index], sep)]
        limits.check_column_count(len(header))
        frame = _read_slow(lines, sep, header_index, header)
    _check_above_rows(lines, header_index, header)
    titles = [line.strip().strip('"') for line in lines[:header_index] if line.strip()]
    frame, extra = _extra_cells(frame, len(header), sep)
    problems = _cell_problems(frame, header, controls=limits.CONTROL_BYTES.search(residue) is not None)
    return Table(header=header, frame=frame, header_row=header_index + 1, title_lines=titles,
                 encoding=encoding, delimiter=sep, size_bytes=len(raw), sha256=digest.hexdigest(),
                 extra_cells=extra, problems=problems)


def utf8_body(raw: bytes) -> tuple[bytes, str]:
    """The file as UTF-8 bytes without its BOM, and the encoding it was in (`decode`'s choice). A
    UTF-8 file is checked piece by piece, not decoded whole, and its bytes are used as they are."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = decode(raw)
        return text.encode("utf-8", errors="replace"), encoding
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    if _is_utf8(body):
        return body, "utf-8-sig" if bom else "utf-8"
    text, encoding = decode(raw)
    return text.encode("utf-8", errors="replace"), encoding


def _is_utf8(data: bytes, piece: int = 1 << 22) -> bool:
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), piece):
            decoder.decode(view[start:start + piece])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# The limits, counted on the bytes before anything is read as a table.

def _check_lines(body: bytes) -> None:
    """Refuse a file with more lines than `limits.MAX_ROWS` (and its header, titles and blank
    lines) allow, or a line over `limits.MAX_LINE_CHARS`, from a count of its bytes."""
    newline = b"\n" if b"\n" in body or b"\r" not in body else b"\r"  # an old Mac file ends its lines in CR
    limits.check_line_count(body.count(newline) + (0 if not body or body.endswith(newline) else 1))
    if len(body) <= limits.MAX_LINE_CHARS:
        return
    ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == newline[0])
    bounds = np.concatenate(([-1], ends, [len(body)]))
    for index in np.flatnonzero(np.diff(bounds) - 1 > limits.MAX_LINE_CHARS):  # bytes: at least the characters
        line = body[bounds[index] + 1:bounds[index + 1]].rstrip(b"\r")
        limits.check_line_length(int(index) + 1, len(line.decode("utf-8", errors="replace")))


@contextmanager
def _csv_field_limit(chars: int) -> Iterator[None]:
    """Python's csv module refuses a field over 131 072 characters; a cell spanning lines may be
    longer (it is then reported as too long, not as a crash)."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, chars + 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _check_quotes(body: bytes) -> None:
    """Refuse a file whose last quoted cell never closes (it would swallow every line after it),
    naming the row where its quote opens. Only a file with an odd number of quotes can have one."""
    if body.count(b'"') % 2 == 0:
        return
    text = body.decode("utf-8")
    lines = _lines(text)
    try:
        sep, _ = sniff(lines)
    except ReadError:
        return  # the reading says what it says about such a file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
    start = last = 1
    with _csv_field_limit(len(text)):
        for _record in reader:
            last, start = start, reader.line_num + 1
    tail = "\n".join(lines[last - 1:])
    opens = re.compile(rf'(?:^|[{re.escape(sep)}\n])[ ]*"')
    if tail.count('"') % 2 and opens.search(tail):
        raise limits.LimitExceeded("limits.unclosed_quote", row=str(last))


def _check_above_rows(lines: list[str], header_index: int, header: list[str]) -> None:
    """A control character in the header or a title line above it: the file's structure, one file error."""
    for index, cell in enumerate(header):
        if (character := limits.control_character(cell)) is not None:
            raise limits.LimitExceeded("limits.header_control_character", row=str(header_index + 1),
                                       column=str(index + 1), value=_shown(cell), character=character)
    for index, line in enumerate(lines[:header_index]):
        if (character := limits.control_character(line)) is not None:
            raise limits.LimitExceeded("limits.title_control_character", row=str(index + 1),
                                       value=_shown(line), character=character)


_SHOWN_CHARS = 60
_LISTED = 100  # `problems.ERROR_CAP`: problems beyond the first hundred by row are counted, not listed


def _shown(cell: str) -> str:
    """A cell as a problem shows it: its first characters, control characters escaped."""
    return limits.visible(cell[:_SHOWN_CHARS]) + ("…" if len(cell) > _SHOWN_CHARS else "")


def _no_problems() -> pl.DataFrame:
    return pl.DataFrame(schema={"row": pl.Int64, "column": pl.String, "value": pl.String, "key": pl.String,
                                "fields": pl.String})


def _cell_problems(frame: pl.DataFrame, header: list[str], *, controls: bool) -> pl.DataFrame:
    """Every cell over `limits.MAX_CELL_CHARS` and, when the file holds control characters at all
    (`controls`), every cell holding one: a problem each, with its row and column."""
    names = [c for c in frame.columns if c != "_row"]
    if not names or frame.is_empty():
        return _no_problems()
    found = []
    longest = frame.select(pl.col(names).str.len_bytes().max()).row(0)
    for name, column, most in zip(names, header, longest, strict=False):
        if most is not None and most > limits.MAX_CELL_CHARS:  # bytes: at least the characters
            hits = frame.filter(pl.col(name).str.len_chars() > limits.MAX_CELL_CHARS).select("_row", pl.col(name))
            found.append(_problem_frame(hits, name, column, "ingest.error.cell_too_long",
                                        lambda cell: {"n_chars": len(cell), "max_chars": limits.MAX_CELL_CHARS}))
        if controls:
            hits = frame.filter(pl.col(name).str.contains(limits.CONTROL_CHARACTERS)).select("_row", pl.col(name))
            found.append(_problem_frame(hits, name, column, "ingest.error.control_character",
                                        lambda cell: {"character": limits.control_character(cell)}))
    found = [f for f in found if f.height]
    return pl.concat(found) if found else _no_problems()


def _problem_frame(hits: pl.DataFrame, name: str, column: str, key: str, fields) -> pl.DataFrame:
    """The problem rows of `hits` (`_row`, the cells): the first `_LISTED` with the cell shown and
    its fields; the rest, which are counted but never listed, without them."""
    listed = hits.head(_LISTED)
    cells = listed[name].to_list()
    rows = hits["_row"].to_list()
    return pl.DataFrame({
        "row": rows,
        "column": [column] * hits.height,
        "value": [_shown(c) for c in cells] + [None] * (hits.height - listed.height),
        "key": [key] * hits.height,
        "fields": [json.dumps({k: str(v) for k, v in fields(c).items()}) for c in cells]
        + ["{}"] * (hits.height - listed.height),
    }, schema=_no_problems().schema)


def _no_extra_cells() -> pl.DataFrame:
    return pl.DataFrame(schema={"_row": pl.Int64, "extra": pl.String})


def _extra_cells(frame: pl.DataFrame, width: int, sep: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The frame without the columns beyond the header, and its rows that had something there
    (`_row`, `extra`: those cells joined by the separator, as written). Empty cells there (a
    trailing separator, as some exports write) are no matter."""
    beyond = [c for c in frame.columns if c != "_row" and int(c[1:]) >= width]
    if not beyond:
        return frame, _no_extra_cells()
    extra = frame.select("_row", pl.concat_str([pl.col(c).fill_null("") for c in beyond], separator=sep)
                         .str.strip_chars_end(sep + " ").alias("extra"))
    return frame.drop(beyond), extra.filter(pl.col("extra") != "")


class _Sha256(threading.Thread):
    """SHA-256 of the file, computed beside the reading (hashlib lets go of the GIL)."""

    def __init__(self, raw: bytes) -> None:
        super().__init__(daemon=True)
        self._raw, self._digest = raw, ""
        self.start()

    def run(self) -> None:
        self._digest = hashlib.sha256(self._raw).hexdigest()

    def hexdigest(self) -> str:
        self.join()
        return self._digest


def _read_slow(lines: list[str], sep: str, header_index: int, header: list[str]) -> pl.DataFrame:
    """Line by line: blank and separator-only lines dropped, each row numbered by its line."""
    body_numbers: list[int] = []
    body_lines: list[str] = []
    for index in range(header_index + 1, len(lines)):
        line = lines[index]
        if line.strip() and line.strip(sep + " ") != "":
            body_lines.append(line)
            body_numbers.append(index + 1)
    width = len(header)
    names = [f"c{i}" for i in range(width)]
    if body_lines:
        body = "\n".join(body_lines).encode("utf-8")
        try:
            frame = _read_csv(body, sep, names)
        except _RAGGED:  # a row wider than the header: read it whole, `_extra_cells` reports it
            with _csv_field_limit(sum(map(len, body_lines))):
                width = max([width, *map(len, csv.reader(body_lines, delimiter=sep, quotechar='"'))])
            limits.check_column_count(width)
            names = [f"c{i}" for i in range(width)]
            try:
                frame = _read_csv(body, sep, names)
            except _RAGGED as exc:
                raise ReadError("ingest.error.ragged_rows") from exc
        frame = frame.select(names)
        numbers = body_numbers if frame.height == len(body_numbers) else \
            list(range(header_index + 2, header_index + 2 + frame.height))
        frame = frame.with_columns(pl.Series("_row", numbers, dtype=pl.Int64))
    else:
        frame = pl.DataFrame({**{n: [] for n in names}, "_row": []},
                             schema={**{n: pl.String for n in names}, "_row": pl.Int64})
    return frame.with_columns(pl.col(n).fill_null("").str.strip_chars() for n in names)


def detect_decimal(values: pl.Series) -> str:
    """Which decimal mark the number cells use: `,`, `.`, `mixed` or `none`."""
    text = values.cast(pl.String).fill_null("").unique()  # only whether any cell has each mark counts
    comma = int(text.str.contains(r"\d,\d").sum())
    point = int(text.str.contains(r"\d\.\d").sum())
    if comma and point:
        return "mixed"
    if comma:
        return ","
    if point:
        return "."
    return "none"
