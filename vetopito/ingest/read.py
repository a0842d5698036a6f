"""Read an extract as text: work out its encoding, separator and header row, keep row numbers.

Every cell is read as a string (casting comes later, per cell, so that one bad cell is one
error with its spreadsheet row number, not a failed file). Row numbers count lines as a
spreadsheet shows them: title lines and the header included, header of a plain file = row 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

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

    def column(self, index: int) -> str:
        return f"c{index}"


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
            return sep, index
    raise ReadError("ingest.error.no_header")


# Line breaks `str.splitlines` knows besides `\n` and `\r\n`: a text holding one is read the slow way.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_HEAD_CHARS = 262_144


def _read_csv(body: str, sep: str, names: list[str]) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(body.encode("utf-8")),
        has_header=False, separator=sep, quote_char='"', infer_schema=False,
        new_columns=names, truncate_ragged_lines=True,
    )


def _read_fast(text: str) -> tuple[list[str], str, int, pl.DataFrame | None] | None:
    """The common case read in one pass by polars: (lines up to the header, separator, header
    index, body frame with `_row`). None whenever the line-by-line reading could number or keep
    rows differently (blank or separator-only lines, other line breaks, cells spanning lines, a
    header beyond the first lines): `read_table` then reads the slow way, with the same result."""
    if any(ch in text for ch in _OTHER_BREAKS) or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None
    whole = len(text) <= _HEAD_CHARS
    pieces = (text if whole else text[:_HEAD_CHARS]).splitlines(keepends=True)
    if not whole:
        pieces = pieces[:-1]  # the last line may be cut
        if len(pieces) < 60:
            return None
    lines = [piece.rstrip("\r\n") for piece in pieces]
    try:
        sep, header_index = sniff(lines)
    except ReadError:
        return None
    if header_index >= len(lines) - (0 if whole else 1):
        return None
    header = [h.strip() for h in _split(lines[header_index], sep)]
    names = [f"c{i}" for i in range(len(header))]
    body = text[sum(len(piece) for piece in pieces[:header_index + 1]):].rstrip("\r\n")
    if "\r" in body:
        body = body.replace("\r\n", "\n")
    if not body or body.startswith("\n") or "\n\n" in body:
        return None
    try:
        frame = _read_csv(body, sep, names)
    except pl.exceptions.PolarsError:  # the slow way says what it says about such a file
        return None
    if frame.height != body.count("\n") + 1:
        return None
    if frame.width < len(names):
        frame = frame.with_columns(pl.lit("").alias(n) for n in names[frame.width:])
    frame = frame.select(names).with_columns(pl.col(n).fill_null("").str.strip_chars() for n in names)
    if frame.select(pl.all_horizontal(pl.col(n) == "" for n in names).any()).item():
        return None
    first = header_index + 2
    frame = frame.with_columns(pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("_row"))
    return lines[:header_index + 1], sep, header_index, frame


def read_table(raw: bytes) -> Table:
    """Decode, sniff and read every cell as a string, keeping spreadsheet row numbers."""
    text, encoding = decode(raw)
    fast = _read_fast(text)
    if fast is not None:
        lines, sep, header_index, frame = fast
        header = [h.strip() for h in _split(lines[header_index], sep)]
    else:
        lines = text.splitlines()
        sep, header_index = sniff(lines)
        header = [h.strip() for h in _split(lines[header_index], sep)]
        frame = _read_slow(lines, sep, header_index, header)
    titles = [line.strip().strip('"') for line in lines[:header_index] if line.strip()]
    return Table(header=header, frame=frame, header_row=header_index + 1, title_lines=titles,
                 encoding=encoding, delimiter=sep, size_bytes=len(raw),
                 sha256=hashlib.sha256(raw).hexdigest())


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
        frame = _read_csv("\n".join(body_lines), sep, names)
        if frame.width < width:
            frame = frame.with_columns(pl.lit("").alias(n) for n in names[frame.width:])
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
