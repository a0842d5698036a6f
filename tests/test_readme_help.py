"""The README's command section shows the `--help` of every `vetopito` command, as click prints it
(after sqlite-utils' cog-generated help): this test compares the two, so they cannot drift.

Regenerate after changing a command:  .venv/bin/python tests/test_readme_help.py --write
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- vetopito help: start -->", "<!-- vetopito help: end -->"
REGENERATE = ".venv/bin/python tests/test_readme_help.py --write"


def _paths(group, prefix=()):
    import click

    yield prefix
    for name in group.commands:
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from _paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


def help_section() -> str:
    """Every command's `--help`, in the order of `vetopito --help`, as markdown."""
    from click.testing import CliRunner

    from vetopito import cli

    parts = [START, "<!-- made by `" + REGENERATE + "`: edit the commands, not this -->", ""]
    for path in _paths(cli.vetopito):
        result = CliRunner().invoke(cli.vetopito, [*path, "--help"], catch_exceptions=False)
        assert result.exit_code == 0, (path, result.output)
        parts += [f"#### `{' '.join(('vetopito', *path, '--help'))}`", "", "```", result.stdout.rstrip(), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def _shown(text: str) -> str | None:
    match = re.search(re.escape(START) + ".*?" + re.escape(END), text, re.DOTALL)
    return match.group(0) if match else None


def test_readme_shows_every_commands_help():
    shown = _shown(README.read_text(encoding="utf-8"))
    assert shown is not None, f"README.md lacks the command help section ({START} … {END}); run {REGENERATE}"
    assert shown == help_section(), f"the command help in README.md is stale: run {REGENERATE}"


def test_every_command_has_its_own_help_heading():
    from vetopito import cli

    section = _shown(README.read_text(encoding="utf-8")) or ""
    for path in _paths(cli.vetopito):
        assert f"#### `vetopito {' '.join(path)} --help`".replace("  ", " ") in section.replace("  ", " "), path


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] != ["--write"]:
        sys.exit(f"usage: {REGENERATE}")
    text = README.read_text(encoding="utf-8")
    if _shown(text) is None:
        sys.exit(f"README.md has no {START} … {END} markers: add them to the command section first")
    README.write_text(text.replace(_shown(text), help_section()), encoding="utf-8")
    print("README.md: command help regenerated")
