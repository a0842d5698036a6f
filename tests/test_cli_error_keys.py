"""Every localised error the library raises names a message that exists in fi, sv and en
(one error base, messages in the message files); none is raised with a finished f-string text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vetopito import db, demo, i18n, limits
from vetopito.ingest import read, result

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ("DatabaseError", "DatabaseLocked", "DatabaseDamaged", "DiskFull", "DatabaseNotWritable", "SchemaTooNew",
           "SeedError", "LimitExceeded", "ReadError", "NotUtf8", "GrantError", "AuthConfigError", "Failed",
           "UnknownChoice")
RAISE = re.compile(rf"\b({'|'.join(CLASSES)})\(\s*(f?)\"([^\"]*)\"")


def _raises():
    for path in sorted((ROOT / "vetopito").rglob("*.py")):
        for match in RAISE.finditer(path.read_text(encoding="utf-8")):
            yield f"{path.relative_to(ROOT)}: {match.group(0)}", match.group(2), match.group(3)


RAISES = list(_raises())


def test_the_search_finds_the_raises():
    assert len(RAISES) > 20


@pytest.mark.parametrize(("where", "is_fstring", "key"), RAISES, ids=[r[0] for r in RAISES])
def test_a_raise_names_a_message(where, is_fstring, key):
    assert not is_fstring, f"{where}: raise with a message key and fields, not a finished text"
    assert key in i18n.catalogue(), f"{where}: no message {key!r} in vetopito/messages/*.toml"


@pytest.mark.parametrize("error", [db.DatabaseLocked, demo.SeedError, limits.LimitExceeded, read.ReadError,
                                   read.NotUtf8, result.UndoError, result.UndoBlocked])
def test_every_error_family_shares_the_one_base(error):
    assert issubclass(error, i18n.Localised)


def test_the_base_gives_code_message_fields_and_language():
    exc = limits.LimitExceeded("limits.too_many_rows", n_rows=2_000_000, max_rows=1_000_000)
    assert exc.as_error("en") == {"code": "limits.too_many_rows", "n_rows": 2_000_000, "max_rows": 1_000_000,
                                  "message": i18n.t("limits.too_many_rows", "en", n_rows="2,000,000",
                                                    max_rows="1,000,000")}
    assert str(exc) == exc.message("fi")  # its str() stays Finnish, as before
    raised_in = demo.SeedError("seed.error.no_seed_files", lang="sv", folder="data/seed")
    assert raised_in.message() == i18n.t("seed.error.no_seed_files", "sv", folder="data/seed")
    assert raised_in.message("en") == str(raised_in)  # str() in English, for logs
