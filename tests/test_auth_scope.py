"""Roles → scopes (`access.scope_for`), grants, the roles CSV and the audit log, on a small unit tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetopito import access, db
from vetopito.access import roles_import

FIXTURE = Path(__file__).parent / "fixtures" / "auth_units.sql"
NATIONAL = {"FI", "YTA1", "YTA2", "HVA01", "HVA12", "HVA15"}
ADMIN = "admin@example.fi"


@pytest.fixture
def con(stores):
    con = db.connect(stores.empty("auth"))
    con.execute(FIXTURE.read_text(encoding="utf-8"))
    yield con
    con.close()


def units(scope: access.Scope) -> set[str]:
    return set(scope.unit_ids)


def test_unknown_user_sees_nothing(con):
    scope = access.scope_for(con, "nobody@example.fi")
    assert scope.unit_ids == () and scope.roles == frozenset() and not scope.can_load
    assert scope.is_empty


def test_viewer_sees_national_and_regional_figures_only(con):
    access.grant(con, "v@example.fi", "viewer", by=ADMIN)
    scope = access.scope_for(con, "V@Example.fi ")
    assert units(scope) == NATIONAL
    assert not scope.can_load and scope.roles == {"viewer"}


def test_director_sees_own_region_down_to_teams_plus_national(con):
    access.grant(con, "d@example.fi", "director", "region:15", by=ADMIN)
    scope = access.scope_for(con, "d@example.fi")
    assert units(scope) == NATIONAL | {"HVA15-kuopio-tk", "T2024-01"}
    assert not scope.allows("T2024-02") and not scope.allows("HVA12-joensuu-tk")
    assert not scope.can_load


def test_region_can_be_named_by_code_id_name_or_alias(con):
    for text in ("region:12", "region:HVA12", "region:Pohjois-Karjala", "region:siun sote"):
        assert access.make_grant(con, "x@example.fi", "director", text).scope_value == "HVA12"
    with pytest.raises(access.GrantError, match="No wellbeing services county"):
        access.make_grant(con, "x@example.fi", "director", "region:99")


def test_coach_sees_cohort_teams_but_no_org_units(con):
    access.grant(con, "c@example.fi", "coach", "cohort:2024", by=ADMIN)
    assert units(access.scope_for(con, "c@example.fi")) == NATIONAL | {"T2024-01", "T2024-02"}
    access.grant(con, "c2@example.fi", "coach", "cohort:2024/YTA2", by=ADMIN)
    access.grant(con, "c2@example.fi", "coach", "team:T2025-01", by=ADMIN)
    assert units(access.scope_for(con, "c2@example.fi")) == NATIONAL | {"T2024-01", "T2024-02", "T2025-01"}
    access.grant(con, "c3@example.fi", "coach", "region:15", by=ADMIN)
    assert units(access.scope_for(con, "c3@example.fi")) == NATIONAL | {"T2024-01"}


def test_analyst_loads_only_granted_region(con):
    access.grant(con, "a@example.fi", "analyst", "region:12", by=ADMIN)
    access.grant(con, "a@example.fi", "viewer", by=ADMIN)
    scope = access.scope_for(con, "a@example.fi")
    assert scope.can_load
    assert set(scope.load_units) == {"HVA12", "HVA12-joensuu-tk", "T2024-02"}
    assert not scope.may_load("HVA15") and not scope.may_load("FI")
    assert access.units_outside_load_scope(scope, ["HVA12", "HVA15", "FI"]) == ["FI", "HVA15"]
    assert set(scope.loading().unit_ids) == set(scope.load_units)


def test_analyst_all_and_several_roles_union(con):
    access.grant(con, "m@example.fi", "analyst", "all", by=ADMIN)
    access.grant(con, "m@example.fi", "admin", by=ADMIN)
    scope = access.scope_for(con, "m@example.fi")
    assert units(scope) == units(access.full_scope(con)) and scope.may_load("T2025-01")
    assert scope.roles == {"analyst", "admin"}


def test_admin_alone_sees_no_unit_level_data(con):
    access.grant(con, ADMIN, "admin", by="bootstrap")
    scope = access.scope_for(con, ADMIN)
    assert units(scope) == NATIONAL and scope.has_role("admin") and not scope.can_load


def test_full_scope_keeps_its_old_shape(con):
    scope = access.full_scope(con)
    assert scope.can_load and scope.load_units == scope.unit_ids and "T2024-02" in scope.unit_ids


def test_bad_grants_are_refused_with_clear_messages(con):
    with pytest.raises(access.GrantError, match="Unknown role"):
        access.grant(con, "x@example.fi", "superuser", by=ADMIN)
    with pytest.raises(access.GrantError, match="no per-region scope"):
        access.grant(con, "x@example.fi", "viewer", "region:15", by=ADMIN)
    with pytest.raises(access.GrantError, match="not an e-mail"):
        access.grant(con, "not-an-address", "viewer", by=ADMIN)
    with pytest.raises(access.GrantError, match="No team"):
        access.grant(con, "x@example.fi", "coach", "team:T1999-99", by=ADMIN)
    with pytest.raises(access.GrantError, match="No cohort"):
        access.grant(con, "x@example.fi", "coach", "cohort:YTA2", by=ADMIN)
    assert access.list_users(con).is_empty()


def test_roles_csv_replaces_grants_of_listed_users_all_or_nothing(con):
    access.grant(con, "d@example.fi", "director", "region:12", by=ADMIN)
    access.grant(con, "other@example.fi", "viewer", by=ADMIN)
    text = ("email,role,scope,name\n"
            "d@example.fi,director,region:15,Daniela Johtaja\n"
            "c@example.fi,coach,cohort:2024|team:T2025-01,\n")
    report = roles_import.import_roles_csv(con, text, by=ADMIN, file_name="roolit.csv")
    assert report.ok, report.errors
    assert [g.describe() for g in report.revoked] == ["d@example.fi director region:HVA12"]
    assert len(report.granted) == 3
    assert {g.scope_value for g in access.grants_of(con, "d@example.fi")} == {"HVA15"}
    assert access.grants_of(con, "other@example.fi")  # untouched
    again = roles_import.import_roles_csv(con, text, by=ADMIN, file_name="roolit.csv")
    assert (again.granted, again.revoked, again.unchanged) == ([], [], 3)

    before = access.list_users(con)
    bad = "email,role,scope\nd@example.fi,director,region:12\nx@example.fi,boss,all\ny,viewer,\n"
    report = roles_import.import_roles_csv(con, bad, by=ADMIN)
    assert not report.ok
    assert [(r, c) for r, c, _, _ in report.errors] == [(3, "role"), (4, "email")]
    assert access.list_users(con).equals(before)


def test_audit_records_every_change_with_who_when_what(con):
    access.grant(con, "d@example.fi", "director", "region:15", by=ADMIN)
    access.revoke(con, "d@example.fi", "director", "region", "HVA15", by=ADMIN)
    roles_import.import_roles_csv(con, "email,role,scope\nv@example.fi,viewer,all\n", by=ADMIN, file_name="r.csv")
    access.remove_user(con, "v@example.fi", by=ADMIN)
    access.record_sign_in(con, "d@example.fi")
    log = access.audit_events(con)
    assert list(log.columns) == list(access.AUDIT_COLUMNS)
    assert log["happened_at"].null_count() == 0
    actions = log.sort("happened_at")["action"].to_list()
    assert sorted(actions) == sorted(["user_add", "role_grant", "role_revoke", "user_add", "role_grant",
                                      "roles_import", "role_revoke", "user_remove", "sign_in"])
    grant_row = log.filter(action="role_grant", target="d@example.fi").row(0, named=True)
    assert grant_row["user_name"] == ADMIN
    assert access.audit_fields(grant_row["detail"]) == {"role": "director", "scope": "region:HVA15"}
    assert access.audit_detail_text("role_grant", grant_row["detail"], "en") == "director, scope region:HVA15"


def test_access_version_moves_on_every_change(con):
    v0 = access.access_version(con)
    access.grant(con, "d@example.fi", "director", "region:15", by=ADMIN)
    assert access.access_version(con) == v0 + 1


def test_audit_csv_is_excel_safe(con):
    access.grant(con, "d@example.fi", "director", "region:15", by="=HYPERLINK(\"http://x\")")
    data = access.audit_csv(access.audit_events(con)).decode("utf-8-sig")
    assert "=HYPERLINK" not in data.replace("'=HYPERLINK", "")


# --- whose indicators a user sees and may define (issue 11 item 2) ----------------------------------

def test_indicators_a_user_sees_and_may_define_follow_the_grants(con):
    from tests import sql

    sql.execute(con, "access/insert_scoped_indicators")
    grants = {"viewer@example.fi": ("viewer", "all"), "d15@example.fi": ("director", "region:15"),
              "d12@example.fi": ("director", "region:12"), "c@example.fi": ("coach", "team:T2024-01"),
              "c2@example.fi": ("coach", "team:T2024-02"), "a12@example.fi": ("analyst", "region:12"),
              "all@example.fi": ("analyst", "all"), ADMIN: ("admin", "all")}
    for email, (role, scope) in grants.items():
        access.grant(con, email, role, scope if role not in ("viewer", "admin") else None, by=ADMIN)
    seen = {email: set(access.scope_for(con, email).indicator_ids) for email in grants}
    national = {"kansallinen"}
    assert seen["viewer@example.fi"] == seen[ADMIN] == national
    assert seen["d15@example.fi"] == national | {"t2024_01_oma"}     # the team's region's director
    assert seen["d12@example.fi"] == national | {"hva12_oma"}        # not the team of another region
    assert seen["c@example.fi"] == national | {"t2024_01_oma"}       # the team's coach
    assert seen["c2@example.fi"] == national | {"hva12_oma"}         # a coach of region 12's team
    assert seen["a12@example.fi"] == national | {"hva12_oma"}
    assert seen["all@example.fi"] == national | {"hva12_oma", "t2024_01_oma"}
    rights = {email: access.scope_for(con, email) for email in grants}
    assert [e for e, s in rights.items() if s.may_define("national", "")] == ["all@example.fi", ADMIN]
    assert [e for e, s in rights.items() if s.may_define("region", "HVA12")] == ["a12@example.fi", "all@example.fi"]
    assert [e for e, s in rights.items() if s.may_define("team", "T2024-01")] == ["c@example.fi", "all@example.fi"]
    assert [e for e, s in rights.items() if s.may_define("team", "T2024-02")] == [
        "c2@example.fi", "a12@example.fi", "all@example.fi"]
    assert not rights["d15@example.fi"].may_define_indicators and not rights["viewer@example.fi"].may_define_indicators
