-- The derived tables without primary keys. Every load and undo deletes and rebuilds the rows of the
-- indicators it touched in one transaction; with the key, DuckDB kept each deleted key in the index
-- until the commit, so the rebuild had to be `insert or replace`, which checked the index row by row:
-- 0.74 s for 24 indicators after a 1 000 000-row load, against 0.13 s without the key. The one
-- statement that fills each table gives one row per key (region rows and FI/YTA rows come from
-- different units; `qualify` keeps one reference row per key); tests/test_ingest_keys.py checks it
-- after loads and undos.
create table region_series_new (
    unit_id varchar not null,
    indicator_id varchar not null,
    period_start date not null,
    grain varchar not null,
    value double,
    numerator double,
    denominator double,
    respondents integer,
    flag varchar,
    method varchar not null,
    n_regions bigint
);

insert into region_series_new
select
    unit_id, indicator_id, period_start, grain, value, numerator, denominator, respondents, flag, method, n_regions
from region_series
order by indicator_id, unit_id, period_start;

drop table region_series;

alter table region_series_new rename to region_series;

create table observation_summary_new (
    unit_id varchar not null,
    indicator_id varchar not null,
    n_observations bigint not null,
    latest_period date not null
);

insert into observation_summary_new
select
    unit_id, indicator_id, n_observations, latest_period
from observation_summary
order by unit_id, indicator_id;

drop table observation_summary;

alter table observation_summary_new rename to observation_summary;
