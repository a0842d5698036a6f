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
    """The text and the encoding it was in: BOM → utf-8-sig, else strict UTF-8, else cp1252/latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
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


def read_table(raw: bytes) -> Table:
    """Decode, sniff and read every cell as a string, keeping spreadsheet row numbers."""
    text, encoding = decode(raw)
    lines = text.splitlines()
    sep, header_index = sniff(lines)
    header = [h.strip() for h in _split(lines[header_index], sep)]
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
        frame = pl.read_csv(
            io.BytesIO("\n".join(body_lines).encode("utf-8")),
            has_header=False, separator=sep, quote_char='"', infer_schema=False,
            new_columns=names, truncate_ragged_lines=True,
        )
        if frame.width < width:
            frame = frame.with_columns(pl.lit("").alias(n) for n in names[frame.width:])
        frame = frame.select(names)
        numbers = body_numbers if frame.height == len(body_numbers) else \
            list(range(header_index + 2, header_index + 2 + frame.height))
        frame = frame.with_columns(pl.Series("_row", numbers, dtype=pl.Int64))
    else:
        frame = pl.DataFrame({**{n: [] for n in names}, "_row": []},
                             schema={**{n: pl.String for n in names}, "_row": pl.Int64})
    frame = frame.with_columns(pl.col(n).fill_null("").str.strip_chars() for n in names)
    titles = [line.strip().strip('"') for line in lines[:header_index] if line.strip()]
    return Table(header=header, frame=frame, header_row=header_index + 1, title_lines=titles,
                 encoding=encoding, delimiter=sep, size_bytes=len(raw),
                 sha256=hashlib.sha256(raw).hexdigest())


def detect_decimal(values: pl.Series) -> str:
    """Which decimal mark the number cells use: `,`, `.`, `mixed` or `none`."""
    text = values.cast(pl.String).fill_null("")
    comma = int(text.str.contains(r"\d,\d").sum())
    point = int(text.str.contains(r"\d\.\d").sum())
    if comma and point:
        return "mixed"
    if comma:
        return ","
    if point:
        return "."
    return "none"
