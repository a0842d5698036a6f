"""Limits on what an upload may be, so one bad file cannot exhaust the server.

The loader (`vetopito.ingest`) and the upload page read these constants; each check raises
`LimitExceeded`, whose text says what the limit is and how to get under it, in the user's
language. `MAX_UPLOAD_BYTES` matches `server.maxUploadSize` in `.streamlit/config.toml`, which
Streamlit enforces in the browser before the file reaches Python.
"""

from __future__ import annotations

from pathlib import PurePath

from vetopito import i18n

MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 1_000_000          # data rows, header not counted
MAX_COLUMNS = 500
MAX_CELL_CHARS = 10_000
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

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


class LimitExceeded(ValueError):
    """An upload over a limit or not a text file; `key`/`fields` give the text, `str()` the Finnish one."""

    def __init__(self, key: str, **fields):
        self.key = key
        self.fields = fields
        super().__init__(self.message("fi"))

    def message(self, lang: str | None = None) -> str:
        """The text in `lang` (default: the current language), numbers formatted for it."""
        shown = {k: (i18n.fmt_number(v, 1 if isinstance(v, float) else 0, lang)
                     if isinstance(v, int | float) else v) for k, v in self.fields.items()}
        return i18n.t(self.key, lang, **shown)


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
