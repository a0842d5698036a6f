"""The synthetic demo data set (Esimerkkiaineisto — ei todellisia lukuja) and the demo database.

A package of its own, apart from the library the pages use: no page imports it. It serves
`vetopito seed` (write the CSVs), `vetopito init` and `make run` (build the first database),
the benchmark (`vetopito.bench`) and the tests' fixture database.

`generate(seed_dir)` writes, deterministically (fixed seeds, same bytes every run), the files of
`vetopito.demo.regions` (`10_units.csv`, `20_observations.csv`), those of this module:

- `30_targets.csv` — interim targets `indicator,unit,due_date,target_value,label,source`.
- `40_events.csv` — notes, interventions and process changes `unit,date,kind,label,indicator`
  (a process change recalculates the SPC limits from its period; `indicator` empty: all).

the team files (`50_*` … `79_*`) of `vetopito.demo.teams`, and the demo development programme's
files (`80_*` … `86_*`) of `vetopito.demo.programmes`.

`build_database(path)` builds a new DuckDB file next to `path` from the committed seed CSVs
through the real loader and publishes it atomically with `os.replace`.
"""

from __future__ import annotations

import os
from pathlib import Path

from vetopito import db, i18n
from vetopito.demo import programmes, regions, teams
from vetopito.ingest.cycle import WRITE_LOCK, load, seed_catalogue

SEED_DIR = db.ROOT / "data" / "seed"


class SeedError(i18n.Localised, RuntimeError):
    """A seed file was rejected by the loader, or there are none: the demo data and the loader disagree."""

    default_code = "seed.error"


TARGETS = [
    # indicator, unit, due date, value, label
    ("t3_laakari", "HVA14", "2023-12-31", 0, "T3 = 0 vuonna 2023"),
    ("t3_laakari", "HVA15", "2023-12-31", 0, "T3 = 0 vuonna 2023"),
    ("t3_laakari", "HVA08", "2025-12-31", 14, "T3 lääkäri enintään 14 pv"),
    ("t3_laakari", "HVA90", "2025-12-31", 14, "T3 lääkäri enintään 14 pv"),
    ("t3_hoitaja", "HVA13", "2024-12-31", 3, "T3 hoitaja enintään 3 pv"),
    ("hoitoonpaasy_pth_laakari_7vrk", "HVA19", "2022-08-31", 98, "Lääkärille 7 vrk:ssa 98 % 8/2022 mennessä"),
    ("hoitoonpaasy_pth_laakari_7vrk", "HVA05", "2022-08-31", 98, "Lääkärille 7 vrk:ssa 98 % 8/2022 mennessä"),
    ("hoitoonpaasy_pth_laakari_7vrk", "HVA15", "2026-12-31", 80, "Lääkärille 7 vrk:ssa 80 %"),
    ("hoitoonpaasy_pth_laakari_14vrk", "FI", "2025-12-31", 90, "Lääkärille 14 vrk:ssa 90 %"),
    ("hoitoonpaasy_pth_laakari_14vrk", "HVA21", "2025-12-31", 85, "Lääkärille 14 vrk:ssa 85 %"),
    ("hoitoonpaasy_pth_hoitaja_7vrk", "HVA13", "2025-12-31", 90, "Hoitajalle 7 vrk:ssa 90 %"),
    ("hoitoonpaasy_mielenterveys_14vrk", "HVA90", "2025-12-31", 90, "Mielenterveyspalveluihin 14 vrk:ssa 90 %"),
    ("sairauspoissaolot_pv_htv", "HVA11", "2026-12-31", 17, "Sairauspoissaolot alle 17 pv/htv"),
    ("sairauspoissaolot_pv_htv", "HVA06", "2026-12-31", 18, "Sairauspoissaolot alle 18 pv/htv"),
    ("sairauspoissaolot_pct", "HVA02", "2025-12-31", 5.5, "Sairauspoissaolot alle 5,5 %"),
    ("mk_palautuminen_pct", "HVA01", "2024-12-31", 50, "Palautuu hyvin 50 % 2024"),
    ("mk_palautuminen_pct", "HVA01", "2026-12-31", 80, "Palautuu hyvin 80 % 2026"),
    ("mk_palautuminen_pct", "HVA12", "2026-12-31", 60, "Palautuu hyvin 60 % 2026"),
    ("mk_suosittelu_pct", "HVA20", "2026-12-31", 70, "Suosittelee työnantajaa 70 %"),
    ("vaihtuvuus_pct", "HVA10", "2026-12-31", 2.5, "Vaihtuvuus alle 2,5 % neljännekseltä"),
    ("tayttoaste_pct", "HVA21", "2026-12-31", 90, "Täyttöaste 90 %"),
    ("tayttoaste_pct", "HVA16", "2025-12-31", 85, "Täyttöaste 85 %"),
]
TARGET_SOURCE = "Esimerkkiaineisto (synteettinen)"

# `unit, date, kind, label, indicator`: a `process_change` starts a new SPC phase (limits recalculated)
# from its period, for its indicator only when one is named.
EVENTS = [
    ("FI", "2023-01-01", "note", "Hyvinvointialueet aloittivat"),
    ("FI", "2023-09-01", "note", "Hoitotakuu 14 vrk perusterveydenhuollossa"),
    ("HVA14", "2024-02-15", "intervention", "Uusi ajanvarausmalli: lääkärin vastaanotot"),
    ("HVA13", "2024-12-16", "intervention", "Hoitajavastaanottojen lisäresurssi"),
    ("HVA11", "2024-01-08", "note", "Influenssaepidemia"),
    ("HVA08", "2023-05-02", "intervention", "Etävastaanotot kaikilla terveysasemilla"),
    ("HVA21", "2022-06-01", "note", "Lääkärivaje kesällä"),
    ("HVA15", "2024-09-01", "intervention", "Työhyvinvointiohjelma käynnistyi"),
    # the planted step change of t3_laakari in Pohjois-Karjala, marked so its limits are recalculated
    ("HVA14", "2024-03-01", "process_change", "Uusi ajanvarausmalli käyttöön", "t3_laakari"),
]


def render() -> dict[str, bytes]:
    """The region, target and event seed files as bytes, by file name (pure: no I/O besides
    reading the reference files)."""
    return {
        **regions.units_and_observations(),
        "30_targets.csv": regions.csv_bytes(
            ["indicator", "unit", "due_date", "target_value", "label", "source"],
            [[i, u, d, regions.fmt(v) if isinstance(v, int) else regions.fmt(v, 1), label, TARGET_SOURCE]
             for i, u, d, v, label in TARGETS]),
        "40_events.csv": regions.csv_bytes(["unit", "date", "kind", "label", "indicator"],
                                           [[*e, ""][:5] for e in EVENTS]),
        **programmes.render(),
    }


def generate(seed_dir: Path | None = None) -> list[Path]:
    """Write the seed files: those of `render()` (10_ … 40_, 80_ … 86_), then the team files."""
    seed_dir = Path(seed_dir or SEED_DIR)
    seed_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render().items():
        path = seed_dir / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    written.extend(teams.write_seed(seed_dir))
    return written


def seed_files(seed_dir: Path | None = None) -> list[Path]:
    return sorted(Path(seed_dir or SEED_DIR).glob("[0-9][0-9]_*.csv"))


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        if p.exists():
            p.unlink()


def build_database(path: str | os.PathLike[str], *, seed_dir: Path | None = None) -> Path:
    """Build the demo database from the seed CSVs through the real loader, then publish it
    atomically: everything is written to `<path>.tmp` (`vetovoima.duckdb.tmp`, git-ignored),
    which replaces `path` only when complete."""
    path = Path(path)
    if not db.is_local_file(str(path)):
        raise db.DatabaseError("seed.error.not_local", target=str(path))
    files = seed_files(seed_dir)
    if not files:
        raise SeedError("seed.error.no_seed_files", folder=str(seed_dir or SEED_DIR))
    tmp = path.with_name(path.name + ".tmp")
    _remove(tmp)
    con = db.connect(tmp)
    try:
        # the catalogue is the first load, through the same indicators format as any other
        with WRITE_LOCK:
            seed_catalogue(con, user="seed", is_demo=True)
        for file in files:
            report = load(con, file, user="seed", is_demo=True)
            if not report.ok():
                lines = "\n".join(f"  {p.line('en')}" for p in report.errors[:10])
                raise SeedError("seed.error.rejected", file=file.name, total=report.error_total, problems=lines)
        with db.transaction(con):
            db.set_meta(con, "demo_only", "true")
    except BaseException:
        con.close()
        _remove(tmp)
        raise
    con.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    wal = Path(f"{path}.wal")
    if wal.exists():
        wal.unlink()  # a stale log of the old file must not be replayed onto the new one
    os.replace(tmp, path)
    return path
