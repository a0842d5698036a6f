-- The names sources use for an indicator (issue 11 item 3): Sotkanet indicator ids, THL cube
-- measure labels, PxWeb codes, free column titles. A name means one indicator (`alias_norm`, the
-- name as `ingest.values.norm` compares it, is the key). An alias learnt when an analyst maps an
-- unknown name carries the load that saved it, so that undoing the load removes it
-- (`ingest.history.TRACKED`); one from the reference data has no load. No foreign keys: the
-- indicator table may be rebuilt by its own migrations, and DuckDB refuses to update a row that
-- another refers to.
create table if not exists indicator_alias (
    alias_norm varchar primary key,
    indicator_id varchar not null,
    alias varchar not null,
    alias_kind varchar not null check (alias_kind in ('sotkanet', 'thl', 'pxweb', 'column', 'label')),
    source varchar,
    load_id integer
);
