-- Sign-in and roles: users, their role grants (role × scope), and the audit log of changes
-- that are not loads (loads and undos are recorded in the load table itself).

create table app_user (
    email varchar primary key check (email = lower(trim(email)) and email like '%_@_%'),
    display_name varchar,
    created_at timestamp not null default current_timestamp,
    created_by varchar not null
);

-- One row per role a user holds over one scope; a user's scope is the union of all rows.
-- scope_kind 'all' has scope_value '*'; 'region' a region unit id (HVA15); 'cohort' a year
-- (2024) or a year and a collaborative area (2024/YTA2); 'team' a team unit id (T2024-01).
create table role_grant (
    email varchar not null,
    role varchar not null check (role in ('viewer', 'director', 'coach', 'analyst', 'admin')),
    scope_kind varchar not null check (scope_kind in ('all', 'region', 'cohort', 'team')),
    scope_value varchar not null,
    granted_at timestamp not null default current_timestamp,
    granted_by varchar not null,
    primary key (email, role, scope_kind, scope_value),
    check ((scope_kind = 'all') = (scope_value = '*'))
);

create sequence audit_event_id_seq start 1;

-- Every change that is not a load or an undo: role grants and revocations, users added or
-- removed, CSV imports of roles, sign-ins. Never updated or deleted by the app.
create table audit_event (
    id integer primary key default nextval('audit_event_id_seq'),
    happened_at timestamp not null default current_timestamp,
    user_name varchar not null,
    action varchar not null check (action in (
        'sign_in', 'user_add', 'user_remove', 'role_grant', 'role_revoke', 'roles_import')),
    target varchar not null,
    detail varchar not null default ''
);
