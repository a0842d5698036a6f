"""Who may do what: sign-in settings, users and their role grants, what each user sees, and the
audit log of every change.

- `settings`: the sign-in provider and the fail-closed switches (`AuthConfigError`).
- `scope`: a signed-in user's scope, and the only way a query gets `$scope_units` (`run_scoped`).
- `visibility`: which pages each role sees.
- `grants`: users and role grants (`GrantError`), and the access version.
- `audit`: the audit log, recorded and shown in the user's language.
- `roles_import`: the roles CSV, read by the loader's reader. Import it as a module of its own
  (`from vetopito.access import roles_import`): it uses the loader, which uses this package.

The names below are the package's public interface (`access.Scope`, `access.grant`, …).
"""

from vetopito.access.audit import (
    AUDIT_COLUMNS,
    audit_csv,
    audit_detail_text,
    audit_events,
    audit_fields,
    audit_for_display,
    record,
    record_sign_in,
)
from vetopito.access.grants import (
    ACCESS_VERSION,
    Grant,
    GrantError,
    access_version,
    grant,
    grants_of,
    list_users,
    make_grant,
    normalise_email,
    parse_scope,
    remove_user,
    revoke,
)
from vetopito.access.scope import (
    INDICATOR_PARAM,
    NATIONAL_KINDS,
    PROGRAMME_PARAM,
    ROLES,
    SCOPE_KINDS,
    SCOPE_PARAM,
    Scope,
    empty_scope,
    full_scope,
    loads_within,
    parse_cohort,
    readable_programmes,
    run_scoped,
    scope_for,
    scoped_params,
    units_of_grant,
    units_outside_load_scope,
)
from vetopito.access.settings import (
    BOOLEAN_WORDS,
    DEMO_USER,
    ENV_DEMO_OPEN,
    ENV_READ_ONLY,
    ENV_REQUIRED,
    LOOPBACK,
    SECRETS_FILE,
    AuthConfigError,
    AuthSettings,
    check_exposure,
    check_startup,
    is_loopback,
    load_secrets_file,
    load_streamlit_secrets,
    parse_switch,
    settings_from,
    startup_settings,
)
from vetopito.access.visibility import LOADING_PAGES, PAGE_ROLES, page_visible

__all__ = [
    "ACCESS_VERSION", "AUDIT_COLUMNS", "INDICATOR_PARAM", "BOOLEAN_WORDS", "DEMO_USER", "ENV_DEMO_OPEN", "ENV_READ_ONLY",
    "ENV_REQUIRED", "LOADING_PAGES", "LOOPBACK", "NATIONAL_KINDS", "PAGE_ROLES", "PROGRAMME_PARAM", "ROLES", "SCOPE_KINDS",
    "SCOPE_PARAM", "SECRETS_FILE", "AuthConfigError", "AuthSettings", "Grant", "GrantError", "Scope",
    "access_version", "audit_csv", "audit_detail_text", "audit_events", "audit_fields", "audit_for_display",
    "check_exposure", "check_startup", "empty_scope", "full_scope", "grant", "grants_of", "is_loopback",
    "list_users", "load_secrets_file", "load_streamlit_secrets", "loads_within", "make_grant",
    "normalise_email", "page_visible", "parse_cohort", "parse_scope", "parse_switch", "readable_programmes", "record",
    "record_sign_in", "remove_user", "revoke", "run_scoped", "scope_for", "scoped_params", "settings_from",
    "startup_settings", "units_of_grant", "units_outside_load_scope",
]
