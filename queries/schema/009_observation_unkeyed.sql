-- `observation` without its primary key and foreign keys. DuckDB keeps a key in an ART index that
-- every insert updates and every checkpoint writes: 1 000 000 new values took 2.6 s with the keys
-- and 0.2 s without (`vetopito bench --ingest`). The loader keeps what the keys kept:
--   * one row per (indicator_id, unit_id, period_start, grain): duplicates in a file are row
--     errors, the plan sends only unstored keys to the insert, and loads and undos run one at a
--     time (`vetopito.ingest.core` holds a lock from check to commit; DuckDB lets one process
--     write a file);
--   * indicator and unit ids exist: the loader resolves every name against the stored ones, and
--     undoing a units load is blocked while observations use a unit it created
--     (`ingest__unit_undo_blockers`).
-- tests/test_ingest_keys.py checks both after loads, reloads, undos and concurrent loads.
create table observation_new (
    indicator_id varchar not null,
    unit_id varchar not null,
    period_start date not null,
    grain varchar not null check (grain in ('year', 'quarter', 'month', 'round', 'day')),
    value double,
    numerator double,
    denominator double,
    respondents integer,
    flag varchar,
    load_id integer not null,
    check (denominator is null or denominator >= 0)
);

insert into observation_new
select
    indicator_id, unit_id, period_start, grain, value, numerator, denominator, respondents, flag, load_id
from observation
order by indicator_id, unit_id, period_start;

drop table observation;

alter table observation_new rename to observation;
