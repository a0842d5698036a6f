"""Limits on what an upload may be, so one bad file cannot exhaust the server.

The loader (`vetopito.ingest`) and the upload page read these constants; each check raises
`LimitExceeded`, whose text says what the limit is and how to get under it, in the user's
language. `MAX_UPLOAD_BYTES` matches `server.maxUploadSize` in `.streamlit/config.toml`, which
Streamlit enforces in the browser before the file reaches Python.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from vetopito import i18n

MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 1_000_000          # data rows, header not counted
EXTRA_LINES = 1_000           # lines a file may have beyond MAX_ROWS: header, title and blank lines
MAX_COLUMNS = 500
MAX_CELL_CHARS = 10_000
MAX_LINE_CHARS = 100_000      # below the 131 072 characters Python's csv module reads in one field
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

# Characters no cell may hold: C0 controls but tab, line feed and carriage return (the file's own
# structure), DEL, C1 controls (U+0080–U+009F), and the invisible marks that reorder or break
# text when it is shown (line and paragraph separators, bidirectional embeddings, overrides,
# isolates and marks). An ANSI escape starts with ESC (U+001B). A pattern for `re` and polars.
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
_CONTROL = re.compile(CONTROL_CHARACTERS)
# the same characters as UTF-8 bytes: whether a file holds any, without decoding it
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]"
                           rb"|\xe2\x81[\xa6-\xa9]")
_SHOWN = re.compile(CONTROL_CHARACTERS[:-1] + r"\t\n\r]")

# Magic numbers of files that are not text although their name may say so.
_BINARY_SIGNATURES = (
    b"PK\x03\x04",            # xlsx, docx, zip
    b"\xd0\xcf\x11\xe0",      # old Excel .xls, Word .doc
    b"%PDF",
    b"\x1f\x8b",              # gzip
    b"\x89PNG",
    b"\xff\xd8\xff",          # jpeg
    b"DUCK",                  # a DuckDB file (the magic sits at offset 8, checked below)
)


class LimitExceeded(i18n.Localised, ValueError):
    """An upload over a limit or not a text file; `key`/`fields` give the text, `str()` the Finnish one."""

    str_language = "fi"
    default_code = "limits"

    def format_fields(self, lang: str | None) -> dict:
        """Numbers formatted for the language (`1 000 000`, `1,5`)."""
        return {k: (i18n.fmt_number(v, 1 if isinstance(v, float) else 0, lang)
                    if isinstance(v, int | float) else v) for k, v in self.fields.items()}


def check_file_size(size_bytes: int) -> None:
    if size_bytes > MAX_UPLOAD_BYTES:
        raise LimitExceeded("limits.file_too_large", size_mb=size_bytes / (1024 * 1024), max_mb=MAX_UPLOAD_MB)
    if size_bytes == 0:
        raise LimitExceeded("limits.file_empty")


def check_file_name(name: str) -> None:
    suffix = PurePath(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise LimitExceeded("limits.not_text_suffix", name=name, suffixes=", ".join(TEXT_SUFFIXES))


def check_text_content(head: bytes) -> None:
    """Refuse spreadsheets, archives and other binaries: a text file has no NUL bytes."""
    if head.startswith(_BINARY_SIGNATURES) or head[8:12] == b"DUCK":
        raise LimitExceeded("limits.binary_file")
    sample = head[:65536]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LimitExceeded("limits.binary_file")


def check_upload(name: str, data: bytes) -> None:
    """Every check that can be made before the file is parsed."""
    check_file_name(name)
    check_file_size(len(data))
    check_text_content(data[:65536])


def check_row_count(n_rows: int) -> None:
    if n_rows > MAX_ROWS:
        raise LimitExceeded("limits.too_many_rows", n_rows=n_rows, max_rows=MAX_ROWS)


def check_column_count(n_columns: int) -> None:
    if n_columns > MAX_COLUMNS:
        raise LimitExceeded("limits.too_many_columns", n_columns=n_columns, max_columns=MAX_COLUMNS)


def check_line_count(n_lines: int) -> None:
    """Counted on the bytes before anything is parsed: the rows can be no more than the lines."""
    if n_lines > MAX_ROWS + EXTRA_LINES:
        raise LimitExceeded("limits.too_many_rows", n_rows=n_lines, max_rows=MAX_ROWS)


def check_line_length(row: int, n_chars: int) -> None:
    if n_chars > MAX_LINE_CHARS:
        raise LimitExceeded("limits.line_too_long", row=str(row), n_chars=n_chars, max_chars=MAX_LINE_CHARS)


def control_character(text: str) -> str | None:
    """The first character of `text` that no cell may hold, as `U+001B`; None when there is none."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def visible(text: object) -> str:
    """`text` safe to print on a terminal or show in one line: every control character (and tab,
    line feed, carriage return) written as Python writes it in a string (`\\x1b`, `\\u202e`,
    `\\n`), everything else as it is. The one function for file names, cells and user texts the
    command line prints."""
    text = str(text)
    if not _SHOWN.search(text):
        return text
    return _SHOWN.sub(lambda m: repr(m.group())[1:-1], text)
