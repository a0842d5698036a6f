-- Creates the schema-version table (idempotent).
-- params: (none)
create table if not exists schema_version (
    version integer primary key,
    applied_at timestamp not null default current_timestamp
)
