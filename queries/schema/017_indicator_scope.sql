-- Whose an indicator is (issue 11 item 2): national (everyone sees it), a region's own or one
-- team's own. One row per indicator an `indicators` load wrote (no row: national, as every
-- indicator of an older database is): scope_kind 'national' with an empty scope_value, 'region'
-- with the region's unit id (HVA14), 'team' with the team's unit id (T2024-01). Read by
-- `access.scope_for` (which indicators a user sees), the pages' indicator lists and the loader
-- (a value of a region's or team's own indicator only on a unit within its scope).
-- No primary, unique or foreign keys, CHECKs, sequences, indexes or ENUMs (the schema is
-- DuckLake-ready; the `indicators` format checks the kind and its value):
-- the `indicators` format keeps one row per indicator, and undo goes through
-- `ingest.history.TRACKED` (`indicator_scope` keyed by indicator_id, history below).
-- Written to run again on a file that has it: only `create table if not exists`.
create table if not exists indicator_scope (
    indicator_id varchar not null,
    scope_kind varchar not null,
    scope_value varchar not null
);

create table if not exists indicator_scope_history (
    indicator_id varchar not null,
    scope_kind varchar not null,
    scope_value varchar not null,
    replaced_by_load integer not null
);
