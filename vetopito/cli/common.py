"""What every `vetopito` command shares: the `--db`, `--json` and `--lang` options, and the one
place where an error becomes a message on stderr and, under `--json`, the one error shape

    {"ok": false, "errors": [{"code": "db.error.locked", "message": "…", ...fields}]}

on stdout (beside the report where a command prints one). Exit codes: 0 success, 1 the data was
rejected, 2 usage, I/O or database errors (a locked, damaged or unwritable database, a full disk).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click
import duckdb

from vetopito import access, db, demo, i18n
from vetopito.ingest import result

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

# The errors a command may meet, and the exit code of each (the first match wins). Anything else
# is a bug, and its traceback says where.
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (result.UndoBlocked, EXIT_REJECTED),
    (result.UndoError, EXIT_REJECTED),
    (demo.SeedError, EXIT_REJECTED),
    (db.DatabaseError, EXIT_USAGE),
    (access.AuthConfigError, EXIT_USAGE),
    (access.GrantError, EXIT_USAGE),
    (i18n.Localised, EXIT_USAGE),
    (OSError, EXIT_USAGE),
)


class Failed(i18n.Localised, Exception):
    """A command's own refusal (a usage error found after parsing: no such load, no such region)."""

    default_code = "cli.error"

    def __init__(self, key: str, *, exit_code: int = EXIT_USAGE, lang: str | None = None, **fields: Any):
        super().__init__(key, lang=lang, **fields)
        self.exit_code = exit_code


def error_entry(exc: BaseException, lang: str | None) -> dict[str, Any]:
    """One `errors` entry: `{"code", "message", ...fields}`."""
    if isinstance(exc, i18n.Localised):
        return exc.as_error(lang)
    if isinstance(exc, click.UsageError):
        command = exc.ctx.command_path.removeprefix("vetopito").strip() if exc.ctx else ""
        return {"code": "cli.error.usage",
                "message": i18n.t("cli.error.usage", lang, problem=exc.format_message(), command=command)}
    if isinstance(exc, OSError):
        reason = f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else str(exc)
        return {"code": "cli.error.io", "message": i18n.t("cli.error.io", lang, reason=reason),
                **({"file": str(exc.filename)} if exc.filename else {})}
    return {"code": type(exc).__name__, "message": str(exc)}


def errors_json(entries: list[dict[str, Any]], **beside: Any) -> str:
    """The one `--json` error shape, with anything else the command reports beside it."""
    return json.dumps({**beside, "ok": False, "errors": entries}, ensure_ascii=False, default=str)


def say_error(exc: BaseException, *, as_json: bool, lang: str | None, **beside: Any) -> None:
    """The message on stderr (`vetopito: …`, never a traceback) and, under `--json`, the error on stdout."""
    entry = error_entry(exc, lang)
    if as_json:
        print(errors_json([entry], **beside))
    print(f"vetopito: {entry['message']}", file=sys.stderr)


def exit_code(exc: BaseException) -> int | None:
    if isinstance(exc, Failed):
        return exc.exit_code
    for kind, code in EXIT_CODES:
        if isinstance(exc, kind):
            return code
    return None


class Command(click.Command):
    """A command whose errors are reported in the one shape: `invoke` catches what `EXIT_CODES`
    lists (and DuckDB's trouble with the file, through `db.classify`) and returns the exit code.
    Its line in `vetopito --help` is its whole help unless `short_help` says otherwise."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("short_help", kwargs.get("help"))
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:  # noqa: BLE001 - re-raised unless it is a known kind
            problem: BaseException | None = exc
            if isinstance(exc, duckdb.Error):
                problem = db.classify(exc, ctx.params.get("db_path"))
            code = exit_code(problem) if problem is not None else None
            if problem is None or code is None:
                raise
            say_error(problem, as_json=bool(ctx.params.get("as_json")), lang=ctx.params.get("lang"))
            return code


class Group(click.Group):
    """A group of `Command`s (and of groups like itself)."""

    command_class = Command
    group_class = type  # sub-groups are of this class too

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("short_help", kwargs.get("help"))
        super().__init__(*args, **kwargs)


def db_option(func):
    return click.option("--db", "db_path", default=None, metavar="PATH",
                        help="database file or DuckDB connection string "
                             f"(default: ${db.ENV_VAR}, else data/vetovoima.duckdb)")(func)


def json_option(help_text: str = "print one JSON object"):
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def lang_option(help_text: str | None = "language of the messages (default fi)", default: str | None = None):
    return click.option("--lang", type=click.Choice(i18n.LANGUAGES), default=default, help=help_text)


def lang_of(lang: str | None) -> str:
    """Explicit, so one command never changes another's language."""
    return lang or i18n.DEFAULT_LANGUAGE
