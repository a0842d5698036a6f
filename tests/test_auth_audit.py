"""The audit log is complete (load, undo, grant, revoke, roles CSV import, sign-in, each with who, when
and what), reads in the user's language, and its CSV export cannot carry a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vetopito import access, catalog, cli, db, ingest
from vetopito.access import roles_import

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ADMIN = "admin@example.fi"
ANALYST = "analyst15@example.fi"
EVIL_FILE = '=HYPERLINK("http://evil.example";"klikkaa").csv'


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


def every_action(con) -> dict[str, object]:
    """Do each audited thing once; return what was done."""
    access.grant(con, ANALYST, "analyst", "region:15", by=ADMIN)
    scope = access.scope_for(con, ANALYST)
    report = ingest.load(con, FIXTURES / "long_bom.csv", scope=scope.loading(), user=ANALYST)
    assert report.ok() and report.load_id
    ingest.undo(con, report.load_id, user=ANALYST, scope=scope.loading())
    access.grant(con, "d@example.fi", "director", "region:15", by=ADMIN)
    access.revoke(con, "d@example.fi", "director", "region", "HVA15", by=ADMIN)
    roles_import.import_roles_csv(con, "email,role,scope,name\nv@example.fi,viewer,all,Veera\n"
                               "c@example.fi,coach,cohort:2024,\n", by=ADMIN, file_name="roolit.csv")
    access.record_sign_in(con, "v@example.fi", {"viewer"})
    return {"load_id": report.load_id}


def test_every_action_is_in_the_audit_with_who_when_what(ref_con):
    started = dt.datetime.now() - dt.timedelta(minutes=1)
    done = every_action(ref_con)
    log = access.audit_events(ref_con)
    assert log["happened_at"].null_count() == 0 and log["user_name"].null_count() == 0
    assert all(started <= t <= dt.datetime.now() + dt.timedelta(minutes=1) for t in log["happened_at"])
    rows = {(r["action"], r["target"]): r for r in log.iter_rows(named=True)}

    load = rows[("load", "long_bom.csv")]
    assert load["user_name"] == ANALYST
    assert access.audit_fields(load["detail"])["load_id"] == done["load_id"]
    assert access.audit_fields(load["detail"])["sha256"]
    undo = rows[("undo", "long_bom.csv")]
    assert undo["user_name"] == ANALYST and undo["happened_at"] >= load["happened_at"]
    assert access.audit_fields(undo["detail"])["loaded_by"] == ANALYST

    grant = rows[("role_grant", "d@example.fi")]
    assert grant["user_name"] == ADMIN
    assert access.audit_fields(grant["detail"]) == {"role": "director", "scope": "region:HVA15"}
    revoke = rows[("role_revoke", "d@example.fi")]
    assert revoke["user_name"] == ADMIN and access.audit_fields(revoke["detail"])["role"] == "director"

    imported = rows[("roles_import", "roolit.csv")]
    assert imported["user_name"] == ADMIN
    assert access.audit_fields(imported["detail"]) == {"rows": 2, "granted": 2, "revoked": 0, "unchanged": 0}
    assert access.audit_fields(rows[("role_grant", "c@example.fi")]["detail"]) == {
        "role": "coach", "scope": "cohort:2024", "file": "roolit.csv"}
    assert access.audit_fields(rows[("user_add", "v@example.fi")]["detail"]) == {"name": "Veera"}

    sign_in = rows[("sign_in", "v@example.fi")]
    assert sign_in["user_name"] == "v@example.fi"
    assert access.audit_fields(sign_in["detail"]) == {"roles": ["viewer"]}


def test_importing_the_same_roles_file_again_records_nothing(ref_con):
    text = "email,role,scope\nv@example.fi,viewer,all\n"
    roles_import.import_roles_csv(ref_con, text, by=ADMIN, file_name="r.csv")
    before = access.audit_events(ref_con).height
    roles_import.import_roles_csv(ref_con, text, by=ADMIN, file_name="r.csv")
    assert access.audit_events(ref_con).height == before


@pytest.mark.parametrize(("lang", "load_text", "import_text", "grant_text", "sign_in_text"), [
    ("fi", "1 rivi: 1 uusi, 0 muuttunutta, 0 ennallaan, 0 hylättyä",
     "2 riviä: 2 roolia annettu, 0 poistettu, 0 ennallaan", "valmentaja, laajuus cohort:2024 (tiedostosta roolit.csv)",
     "roolit: katselija"),
    ("sv", "1 rad: 1 ny, 0 ändrade, 0 oförändrade, 0 avvisade",
     "2 rader: 2 roller beviljade, 0 borttagna, 0 oförändrade", "coach, omfattning cohort:2024 (från filen roolit.csv)",
     "roller: "),
    ("en", "1 row: 1 new, 0 changed, 0 unchanged, 0 rejected",
     "2 rows: 2 granted, 0 revoked, 0 unchanged", "coach, scope cohort:2024 (from roolit.csv)", "roles: viewer"),
])
def test_audit_details_read_in_the_users_language(ref_con, lang, load_text, import_text, grant_text,
                                                   sign_in_text):
    every_action(ref_con)
    shown = access.audit_for_display(access.audit_events(ref_con), lang)
    detail = shown.columns[-1]
    target = shown.columns[3]
    by_target = {}
    for row in shown.iter_rows(named=True):
        by_target.setdefault(row[target], []).append(row[detail])
    assert any(load_text in d for d in by_target["long_bom.csv"]), by_target["long_bom.csv"]
    assert import_text in by_target["roolit.csv"]
    assert grant_text in by_target["c@example.fi"], by_target["c@example.fi"]
    assert any(d.startswith(sign_in_text) for d in by_target["v@example.fi"])
    if lang != "en":
        assert not any(" rows:" in d or " new," in d for d in shown[detail].to_list())


def test_audit_numbers_use_the_languages_separators():
    fields = '{"rows": 12345, "granted": 1234, "revoked": 0, "unchanged": 0}'
    assert access.audit_detail_text("roles_import", fields, "fi").startswith("12\u00a0345 riviä: 1\u00a0234 roolia")
    assert access.audit_detail_text("roles_import", fields, "en").startswith("12,345 rows: 1,234 granted")
    assert access.audit_detail_text("role_grant", "director region:HVA15 (old free text)", "fi") == \
        "director region:HVA15 (old free text)"   # rows written before details were structured


def _cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";") for cell in row]


def test_audit_csv_neutralises_formulas_in_user_supplied_fields(ref_con):
    access.grant(ref_con, ANALYST, "analyst", "region:15", by="+cmd|' /C calc'!A0")
    scope = access.scope_for(ref_con, ANALYST)
    report = ingest.load(ref_con, (FIXTURES / "long_bom.csv").read_bytes(), file_name=EVIL_FILE,
                         scope=scope.loading(), user="@SUM(1+1)")
    assert report.ok()
    roles_import.import_roles_csv(ref_con, "email,role,scope,name\nv@example.fi,viewer,all,-2+3\n", by=ADMIN,
                          file_name="=1+1.csv")
    log = access.audit_events(ref_con)
    assert EVIL_FILE in log["target"].to_list()           # stored as given …
    for lang in ("fi", "en"):
        cells = _cells(access.audit_csv(log, lang))
        assert "'" + EVIL_FILE in cells and "'@SUM(1+1)" in cells and "'=1+1.csv" in cells
        formulas = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert not formulas, formulas                        # … but exported as text


def test_cli_audit_csv_is_neutralised_and_json_is_structured(tmp_path, capsys):
    path = tmp_path / "audit.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    ingest.load(con, (FIXTURES / "long_bom.csv").read_bytes(), file_name=EVIL_FILE, user="cli")
    con.close()
    assert cli.main(["audit", "--csv", "--db", str(path)]) == 0
    cells = _cells(capsys.readouterr().out.encode())   # the CLI writes bytes to stdout.buffer
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert cli.main(["audit", "--json", "--db", str(path)]) == 0
    import json
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["action"] == "load" and rows[0]["detail"]["rows"] == 1


# --- the admin page ------------------------------------------------------------------------------

@pytest.fixture
def admin_db(tmp_path, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    path = tmp_path / "admin.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    con.close()
    app_env(path)
    return path


def admin_page(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)   # no provider: the demo mode
    if query_params:
        at.query_params.update(query_params)
    at.run()
    at.switch_page("pages/admin.py")
    return at.run()


def test_admin_page_shows_a_translated_empty_state_instead_of_an_empty_selectbox(admin_db):
    at = admin_page()
    assert not at.exception
    assert "w_admin_revoke" not in [s.key for s in at.selectbox]
    assert "Kenelläkään ei ole vielä rooleja, joita voisi poistaa." in [i.value for i in at.info]
    assert not any("No options" in str(s.options) for s in at.selectbox)


@pytest.mark.parametrize(("lang", "action", "detail"), [
    (None, "rooli annettu", "johtaja, laajuus region:HVA15"),
    ("sv", "roll beviljad", "direktör, omfattning region:HVA15"),
])
def test_admin_page_audit_log_is_in_the_users_language(admin_db, lang, action, detail):
    con = db.connect(admin_db)
    access.grant(con, "d@example.fi", "director", "region:15", by=ADMIN)
    ingest.load(con, FIXTURES / "long_bom.csv", user="analyst@example.fi")
    con.close()
    at = admin_page({"lang": lang} if lang else None)
    assert not at.exception
    log = at.dataframe[-1].value
    assert action in log.iloc[:, 2].to_list()
    assert detail in log.iloc[:, 4].to_list()
    assert not any("rows:" in d for d in log.iloc[:, 4].to_list())
    payload = at.get("download_button")[0]
    assert payload.label
