-- Creates the table of applied migrations when missing (no key: one row per version, written only
-- by vetopito.db.migrate; DuckLake has no keys).
-- params: (none)
create table if not exists schema_version (
    version integer not null,
    applied_at timestamp not null default current_timestamp
)
