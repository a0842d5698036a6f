"""A programme written back as its files (`vetopito export programme`) loads back unchanged, into
the database it came from (nothing to change) and into another (the same programme), in Finnish
Excel's dialect and in English; the command line writes and reads them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.programme_helpers import UNITS, load_good, read
from vetopito import cli, db, ingest, scoped
from vetopito.programmes import files


def _parts(programme):
    return {name: getattr(programme, name).drop("load_id", strict=False).rows()
            for name in ("goals", "subprojects", "measures", "targets", "output_counts", "rounds", "entries")} | {
        "info": programme.info}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_exported_files_load_back_unchanged(prog_con, reference_db_path, stores, lang):
    load_good(prog_con)
    written = files.programme_files(scoped.runner(prog_con), "TESTI-1", lang)
    assert list(written) == sorted(written)
    again = [ingest.load(prog_con, data, file_name=name, user="t") for name, data in written.items()]
    assert all(r.ok() and r.already_loaded for r in again), [(r.file, r.counts, r.errors) for r in again]
    other_path = stores.copy(reference_db_path, "other")
    other = db.connect(other_path)
    try:
        ingest.load(other, UNITS, file_name="units.csv", user="t")
        for name, data in written.items():
            report = ingest.load(other, data, file_name=name, user="t")
            assert report.committed, (name, [p.line("en") for p in report.errors])
        assert _parts(read(other)) == _parts(read(prog_con))
    finally:
        other.close()


def test_export_programme_command(prog_con, tmp_path):
    load_good(prog_con)
    path = db.target_of(prog_con)
    prog_con.close()
    out = tmp_path / "ohjelma"
    result = CliRunner().invoke(cli.vetopito, ["export", "programme", "TESTI-1", "--db", path, "--out", str(out),
                                           "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"] == sorted(files.FIELDS)
    head = (out / "70_round_entries.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert head == "ohjelma;osahanke;raportointipäivä;teksti;kirjoittaja;kirjoitettu"
    result = CliRunner().invoke(cli.vetopito, ["load", "--db", path, *sorted(map(str, out.glob("*.csv")))])
    assert result.exit_code == 0, result.output
    missing = CliRunner().invoke(cli.vetopito, ["export", "programme", "EI-OLE", "--db", path, "--out", str(out)])
    assert missing.exit_code != 0 and "Ohjelmaa EI-OLE ei ole." in missing.output
