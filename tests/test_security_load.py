"""Loading is limited to the analyst's load scope, every load and undo lands in the audit log,
and uploads over the limits or not text are refused with clear messages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from vetopito import access, catalog, db, ingest, limits
from vetopito.export import tables

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ADMIN = "admin@example.fi"


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    access.grant(empty_con, "analyst12@example.fi", "analyst", "region:12", by=ADMIN)
    access.grant(empty_con, "analyst12@example.fi", "viewer", by=ADMIN)
    access.grant(empty_con, "analyst15@example.fi", "analyst", "region:15", by=ADMIN)
    access.grant(empty_con, "director15@example.fi", "director", "region:15", by=ADMIN)
    return empty_con


def test_analyst_of_another_region_cannot_load_and_nothing_is_written(ref_con):
    scope = access.scope_for(ref_con, "analyst12@example.fi")
    assert scope.allows("HVA15")            # may *see* region 15's regional figures …
    assert not scope.may_load("HVA15")      # … but not load them
    before = db.row_counts(ref_con), db.data_version(ref_con)
    report = ingest.load(ref_con, FIXTURES / "long_bom.csv", scope=scope.loading(), user=scope.user)
    assert not report.ok() and report.load_id is None
    assert "HVA15" in report.errors[0].line()
    assert (db.row_counts(ref_con), db.data_version(ref_con)) == before


def test_roles_without_analyst_cannot_load_anything(ref_con):
    scope = access.scope_for(ref_con, "director15@example.fi")
    assert not scope.can_load and scope.loading().unit_ids == ()
    report = ingest.load(ref_con, FIXTURES / "long_bom.csv", scope=scope.loading(), user=scope.user)
    assert not report.ok() and db.row_counts(ref_con)["observation"] == 0


def test_load_and_undo_by_the_right_analyst_are_audited(ref_con):
    scope = access.scope_for(ref_con, "analyst15@example.fi")
    report = ingest.load(ref_con, FIXTURES / "long_bom.csv", scope=scope.loading(), user=scope.user)
    assert report.ok() and report.load_id
    ingest.undo(ref_con, report.load_id, user=scope.user)
    log = access.audit_events(ref_con)
    rows = {r["action"]: r for r in log.iter_rows(named=True) if r["action"] in ("load", "undo")}
    assert rows["load"]["user_name"] == rows["undo"]["user_name"] == "analyst15@example.fi"
    assert rows["load"]["target"] == rows["undo"]["target"] == "long_bom.csv"
    fields = access.audit_fields(rows["load"]["detail"])
    assert (fields["load_id"], fields["rows"], fields["new"]) == (report.load_id, 1, 1)
    assert access.audit_detail_text("load", rows["load"]["detail"], "fi").startswith(
        f"lataus {report.load_id}: 1 rivi: 1 uusi, 0 muuttunutta")
    assert rows["load"]["happened_at"] <= rows["undo"]["happened_at"]
    assert {"role_grant", "user_add"} <= set(log["action"].to_list())


# --- limits ----------------------------------------------------------------------------------

def test_upload_size_limit_message():
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_file_size(limits.MAX_UPLOAD_BYTES + 1)
    assert str(err.value).startswith("Tiedosto on liian suuri (50,0 Mt); suurin sallittu koko on 50 Mt.")
    assert err.value.message("en").startswith("The file is too large (50.0 MB); the limit is 50 MB.")
    limits.check_file_size(limits.MAX_UPLOAD_BYTES)


def test_row_limit_message():
    limits.check_row_count(limits.MAX_ROWS)
    with pytest.raises(limits.LimitExceeded, match="enintään 1\u00a0000\u00a0000 riviä"):
        limits.check_row_count(limits.MAX_ROWS + 1)


def test_upload_size_limit_matches_streamlit_config():
    import tomllib
    config = tomllib.loads((db.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == limits.MAX_UPLOAD_MB


@pytest.mark.parametrize(("name", "data"), [
    ("data.xlsx", b"PK\x03\x04rest"),
    ("data.csv", b"PK\x03\x04an xlsx renamed to csv"),
    ("data.csv", b"%PDF-1.7"),
    ("data.csv", b"a;b\n1;\x002\n"),
    ("vetovoima.duckdb", b"\x00" * 8 + b"DUCK"),
])
def test_only_text_files_are_read(name, data):
    with pytest.raises(limits.LimitExceeded):
        limits.check_upload(name, data)


def test_text_files_pass():
    limits.check_upload("ote.csv", "alue;arvo\nPohjois-Savo;12,5\n".encode("cp1252"))
    limits.check_upload("ote.txt", "\ufeffalue;arvo\n".encode())


# --- formula injection in exports (vetopito/export/tables.py) ---------------------------------

DANGEROUS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\r=1"]


def test_csv_export_neutralises_formulas():
    import polars as pl
    frame = pl.DataFrame({"=name": DANGEROUS, "value": [1.5] * len(DANGEROUS)})
    text = tables.to_csv(frame).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row]
    assert len(cells) == 2 * (len(DANGEROUS) + 1)
    texts = [c for c in cells if c != "1,5"]
    assert all(c[:1] not in "=+-@\t\r" for c in texts), texts


def test_xlsx_export_never_writes_formulas():
    import polars as pl
    frame = pl.DataFrame({"label": DANGEROUS})
    book = openpyxl.load_workbook(io.BytesIO(tables.to_xlsx(frame)))
    values = [c.value for row in book.active.iter_rows(min_row=2) for c in row]
    assert all(isinstance(v, str) and v[:1] not in "=+-@" for v in values), values
