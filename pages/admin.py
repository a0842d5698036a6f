"""Users, roles and the audit log: admins grant and revoke roles, import them from a CSV, and read
(and download) the log of every load, undo and role change."""

import streamlit as st

from vetopito import access, i18n
from vetopito.access import roles_import
from vetopito.i18n import t
from vetopito.ui import database, frame, markup, session, store, urls

lang = i18n.get_language()

frame.demo_banner()
st.title(t("admin.title"))
st.write(t("admin.intro"))
scope = store.current_scope()
if not scope.has_role("admin"):
    st.error(t("admin.not_allowed"), icon=":material/block:")
    st.stop()
read_only = session.auth_settings().read_only
by = scope.user or access.DEMO_USER

st.subheader(t("admin.users"))
with database.connection().cursor() as cur:
    users = access.list_users(cur)
if users.is_empty():
    st.info(t("admin.no_users"))
else:
    st.dataframe(users, hide_index=True, key="w_admin_users")

if read_only:
    st.info(t("admin.read_only"))
else:
    left, right = st.columns(2)
    with left.form("f_admin_grant", clear_on_submit=False):
        st.markdown(f"**{t('admin.grant.header')}**")
        email = st.text_input(t("admin.grant.email"), key="w_admin_email")
        name = st.text_input(t("admin.grant.name"), key="w_admin_name")
        urls.refresh_label("w_admin_role", role_name := lambda r: t(f"auth.role.{r}", lang))
        role = st.selectbox(t("admin.grant.role"), access.ROLES, key="w_admin_role", format_func=role_name)
        urls.remember_label("w_admin_role", role, role_name)
        scope_text = st.text_input(t("admin.grant.scope"), value="all", key="w_admin_scope")
        if st.form_submit_button(t("admin.grant.submit")):
            try:
                with database.connection().cursor() as cur:
                    done = access.grant(cur, email, role, scope_text, by=by, display_name=name or None)
                st.success(t("admin.grant.done", grant=markup.grant_md(done)))
            except access.GrantError as exc:
                st.error(markup.message_md(exc))
    with right.form("f_admin_revoke"):
        st.markdown(f"**{t('admin.revoke.header')}**")
        grants = [access.Grant(r["email"], r["role"], r["scope_kind"], r["scope_value"])
                  for r in users.iter_rows(named=True) if r["role"] is not None]
        if grants:
            chosen = st.selectbox(t("admin.revoke.choice"), grants, format_func=access.Grant.describe,
                                  key="w_admin_revoke")
        else:
            chosen = None
            st.info(t("admin.revoke.none"))
        if st.form_submit_button(t("admin.revoke.submit"), disabled=not grants) and chosen is not None:
            with database.connection().cursor() as cur:
                access.revoke(cur, chosen.email, chosen.role, chosen.scope_kind, chosen.scope_value, by=by)
            st.success(t("admin.revoke.done", grant=markup.grant_md(chosen)))

    st.markdown(f"**{t('admin.import.header')}**")
    st.caption(t("admin.import.help"))
    upload = st.file_uploader(t("admin.import.file"), type=["csv", "txt"], key="w_admin_import")
    if upload is not None:
        with database.connection().cursor() as cur:
            report = roles_import.import_roles_csv(cur, upload.getvalue(), by=by, file_name=upload.name, lang=lang)
        if report.ok:
            st.success(markup.t_md("admin.import.done", file=report.file_name, granted=len(report.granted),
                         revoked=len(report.revoked), unchanged=report.unchanged))
        else:
            st.error(t("admin.import.rejected"))
            st.dataframe([{t(f"admin.import.column.{c}"): v for c, v in p.to_dict().items()} for p in report.errors],
                         hide_index=True)

st.subheader(t("admin.audit_title"))
with database.connection().cursor() as cur:
    log = access.audit_events(cur)
if log.is_empty():
    st.info(t("admin.audit.empty"))
else:
    st.dataframe(access.audit_for_display(log, lang), hide_index=True, key="w_admin_audit")
    st.download_button(t("admin.audit.download"), access.audit_csv(log, lang), file_name="vetovoima-loki.csv",
                       mime="text/csv", key="w_admin_audit_csv", on_click="ignore")
