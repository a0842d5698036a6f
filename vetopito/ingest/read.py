"""Read an extract as text: work out its encoding, separator and header row, keep row numbers.

Every cell is read as a string (casting comes later, per cell, so that one bad cell is one
error with its spreadsheet row number, not a failed file). Row numbers count lines as a
spreadsheet shows them: title lines and the header included, header of a plain file = row 1.
"""

from __future__ import annotations

import csv
import hashlib
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from vetopito.ingest.values import NUMBER_PATTERN

SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}


class ReadError(ValueError):
    """The file cannot be read as a table at all; `key` names the message, `fields` fill it."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key = key
        self.fields = fields


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
_HEAD_BYTES = 262_144


class NotUtf8(ValueError):
    """The bytes given as UTF-8 are not: the caller decodes the file another way."""


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


def _read_fast(data: bytes) -> tuple[list[str], str, int, pl.DataFrame | None] | None:
    """The common case read in one pass by polars from the file's UTF-8 bytes (BOM removed):
    (lines up to the header, separator, header index, body frame with `_row`). None whenever the
    line-by-line reading could number or keep rows differently (blank or separator-only lines,
    other line breaks, cells spanning lines, a header beyond the first lines): `read_table` then
    reads the slow way, with the same result. `NotUtf8` when the bytes are not UTF-8."""
    residue = _residue(data)
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


def _fast_utf8(raw: bytes) -> tuple[str, tuple] | None:
    """The fast reading of a UTF-8 file (with or without BOM) straight from its bytes, without
    decoding it whole; None when the file is not UTF-8 or needs the slow way."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        fast = _read_fast(raw[3:] if bom else raw)
    except NotUtf8:
        return None
    return None if fast is None else ("utf-8-sig" if bom else "utf-8", fast)


def read_table(raw: bytes) -> Table:
    """Decode, sniff and read every cell as a string, keeping spreadsheet row numbers."""
    digest = _Sha256(raw)
    found = _fast_utf8(raw)
    if found is not None:
        encoding, fast = found
    else:
        text, encoding = decode(raw)
        try:
            fast = _read_fast(text.encode("utf-8")) if encoding not in ("utf-8", "utf-8-sig") else None
        except NotUtf8:  # cannot happen: the text came from a decoder
            fast = None
    if fast is not None:
        lines, sep, header_index, frame = fast
        header = [h.strip() for h in _split(lines[header_index], sep)]
    else:
        lines = text.splitlines()
        sep, header_index = sniff(lines)
        header = [h.strip() for h in _split(lines[header_index], sep)]
        frame = _read_slow(lines, sep, header_index, header)
    titles = [line.strip().strip('"') for line in lines[:header_index] if line.strip()]
    frame, extra = _extra_cells(frame, len(header), sep)
    return Table(header=header, frame=frame, header_row=header_index + 1, title_lines=titles,
                 encoding=encoding, delimiter=sep, size_bytes=len(raw), sha256=digest.hexdigest(),
                 extra_cells=extra)


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
            width = max([width, *map(len, csv.reader(body_lines, delimiter=sep, quotechar='"'))])
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
