"""The demo database with only a few teams: for a test of a cohort's decks, whose cost grows with
the pictures of every team of the cohort (the whole demo 2024 cohort is ~75, rendered by
vl-convert: 250–380 s a test on this shared machine), built through the real demo build from a
filtered copy of `data/seed/`. Region data, units and the catalogue are the demo's, whole."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from vetopito import demo

SEED = Path(__file__).resolve().parent.parent / "data" / "seed"
TEAM_FILES = ("5", "6", "7")    # 50_teams … 70_operating_models: every file keyed by a team


def build(folder: Path, teams: Mapping[str, Sequence[str] | None]) -> Path:
    """`folder`/vetovoima.duckdb: the demo with only `teams`, each with only the measures (indicator
    ids) given, or with all of its own (None)."""
    seed = folder / "seed"
    seed.mkdir(parents=True)
    pairs = [f"{team}|{indicator}" for team, measures in teams.items() for indicator in measures or ()]
    restricted = [team for team, measures in teams.items() if measures]
    for file in demo.seed_files(SEED):
        if not file.name.startswith(TEAM_FILES):
            shutil.copy(file, seed / file.name)
            continue
        frame = pl.read_csv(file, infer_schema=False)
        key = "team" if "team" in frame.columns else "unit"
        frame = frame.filter(pl.col(key).is_in(list(teams)))
        if "indicator" in frame.columns:
            frame = frame.filter(~pl.col(key).is_in(restricted)
                                 | pl.concat_str(key, "indicator", separator="|").is_in(pairs))
        assert frame.height, file.name
        frame.write_csv(seed / file.name)
    path = folder / "vetovoima.duckdb"
    demo.build_database(path, seed_dir=seed)
    return path
