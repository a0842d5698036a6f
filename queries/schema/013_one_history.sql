-- One history mechanism (vetopito.ingest.history): every table a load may change keeps the rows it
-- replaced in `<table>_history` and the rows it created either carry `load_id` (observation,
-- target, event) or are recorded in `load_row` (unit, team, team_measure, operating_model).
--   * `load_row` replaces the two created-rows records of 002 and 003: `unit_load` (table_name
--     'unit', row_key the unit id) and `team_load_row` (keys joined by '|', as before);
--   * the names and parent a teams load replaced on a team's unit move from `team_history` to
--     `unit_history` (kind, org_kind and short names, which no teams load changes, are the unit's
--     stored ones), so the unit is restored as every other unit is.
-- Written to run again on a file that has it (the migration-011 test re-applies every migration
-- after 010): each step finds nothing left to move.
create table if not exists load_row (
    table_name varchar not null,
    row_key varchar not null,
    load_id integer not null,
    primary key (table_name, row_key)
);

create table if not exists team_load_row (
    table_name varchar not null,
    row_key varchar not null,
    load_id integer not null,
    primary key (table_name, row_key)
);

create table if not exists unit_load (
    unit_id varchar primary key,
    load_id integer not null
);

insert into load_row (table_name, row_key, load_id)
select
    table_name,
    row_key,
    load_id
from team_load_row
on conflict do nothing;

insert into load_row (table_name, row_key, load_id)
select
    'unit',
    unit_id,
    load_id
from unit_load
on conflict do nothing;

drop table team_load_row;

drop table unit_load;

alter table team_history add column if not exists parent_id varchar;

alter table team_history add column if not exists name_fi varchar;

alter table team_history add column if not exists name_sv varchar;

alter table team_history add column if not exists name_en varchar;

insert into unit_history (
    id, kind, parent_id, name_fi, name_sv, name_en, org_kind, short_fi, short_sv, short_en, replaced_by_load
)
select
    h.unit_id,
    u.kind,
    h.parent_id,
    h.name_fi,
    h.name_sv,
    h.name_en,
    u.org_kind,
    u.short_fi,
    u.short_sv,
    u.short_en,
    h.replaced_by_load
from team_history as h
join unit as u
    on u.id = h.unit_id
where h.name_fi is not null
on conflict do nothing;

-- team_history without the unit's columns (DuckDB drops no column before a key column: the table
-- is built again under its own name, from a copy)
create or replace table team_history_before_013 as
select
    unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on, replaced_by_load
from team_history;

drop table team_history;

create table team_history (
    unit_id varchar not null,
    region_id varchar not null,
    work_unit varchar not null,
    cohort_year integer not null,
    yta_id varchar not null,
    theme varchar not null,
    aim_text varchar,
    size integer,
    started_on date,
    replaced_by_load integer not null,
    primary key (unit_id, replaced_by_load)
);

insert into team_history
select
    unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on, replaced_by_load
from team_history_before_013;

drop table team_history_before_013;
