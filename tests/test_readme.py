"""The README documents what exists: every `vetopito` command, the two set-up commands, the
screenshot it shows (after sqlite-utils' test that fails when a command is undocumented)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from vetopito import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ("vetopito",)):
    for name, sub in group.commands.items():
        yield " ".join((*prefix, name))
        if isinstance(sub, click.Group):
            yield from _commands(sub, (*prefix, name))


COMMANDS = sorted(set(_commands(cli.vetopito)))


def test_there_are_commands():
    assert "vetopito info" in COMMANDS and len(COMMANDS) > 3


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented(command):
    assert re.search(rf"`{re.escape(command)}(?:[ `])", README), \
        f"`{command}` is not documented in README.md (add a line to the command table)"


@pytest.mark.parametrize("make_command", ["make run", "make test"])
def test_readme_gives_the_two_commands(make_command):
    assert re.search(rf"^{make_command}\b", README, re.MULTILINE), f"README lacks `{make_command}`"


def test_images_in_the_readme_exist():
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert "docs/screenshots/region.png" in images
    missing = [image for image in images if not (ROOT / image).is_file()]
    assert not missing, f"README shows images that are not committed: {missing}"


def test_readme_names_the_sources_and_licences():
    for fact in ("Statistics Finland", "THL", "CC BY 4.0", "synthetic"):
        assert fact in README


def test_rejected_upload_transcript_is_the_real_output(demo_db_copy, capsys):
    """The README's transcript is what `vetopito check` prints today, word for word."""
    command = "$ vetopito check tests/fixtures/ingest/observations_bad.csv\n"
    assert command in README
    shown = README.split(command, 1)[1].split("\n$ echo $?", 1)[0]
    code = cli.main(["check", "--db", str(demo_db_copy),
                     str(ROOT / "tests" / "fixtures" / "ingest" / "observations_bad.csv")])
    printed = capsys.readouterr().out.rstrip("\n")
    assert code == 1
    assert shown == printed, "README's rejected-upload transcript is stale: paste the new output"
