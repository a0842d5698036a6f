-- The schema without keys, sequences and CHECK constraints, so that the same statements run on the
-- embedded file and on a DuckLake lake (issue 12; DuckLake has none of them: vetopito/backend.py).
-- Every table that had a primary, unique or foreign key, a CHECK or an id from a sequence is built
-- again beside itself with the same columns, types, NOT NULL (key columns included) and defaults,
-- its rows copied, the old table dropped (a table only after those that referenced it) and the new
-- one renamed into place; then the sequences go. What the keys and checks kept, the loader keeps:
--   * one row per key: files with a key twice are row errors, plans send only unstored keys to an
--     insert, upserts are `merge into` on the key, `vetopito info` lists a key stored twice
--     (`meta/table_key_problems` names every former key);
--   * values within their lists (kinds, grains, roles, themes): the loader's and the forms' checks;
--   * ids: the `id_counter` row of each (the next migration, `*_id_counters.sql`), bumped inside
--     the writing transaction.
-- A new lake is made from the schema this leaves (vetopito.backend, `KEYLESS_NAME`).
-- (Numbered after every migration that makes a keyed table: at merge it follows 017 and 018 of
-- issues 11 and 13, whose keyed tables it must rebuild too; tests/test_db_backend.py says which.)
-- Generated once from the schema at 016 (duckdb_columns, duckdb_constraints); written out so that
-- it reads, and runs, as any other migration.

create table app_user_keyless (
    email varchar not null,
    display_name varchar,
    created_at timestamp default current_timestamp not null,
    created_by varchar not null
);

insert into app_user_keyless (email, display_name, created_at, created_by)
select email, display_name, created_at, created_by
from app_user;

create table audit_event_keyless (
    id integer not null,
    happened_at timestamp default current_timestamp not null,
    user_name varchar not null,
    "action" varchar not null,
    "target" varchar not null,
    detail varchar default '' not null
);

insert into audit_event_keyless (id, happened_at, user_name, "action", "target", detail)
select id, happened_at, user_name, "action", "target", detail
from audit_event;

create table event_keyless (
    id integer not null,
    unit_id varchar not null,
    event_date date not null,
    kind varchar not null,
    "label" varchar not null,
    load_id integer,
    indicator_id varchar
);

insert into event_keyless (id, unit_id, event_date, kind, "label", load_id, indicator_id)
select id, unit_id, event_date, kind, "label", load_id, indicator_id
from "event";

create table indicator_keyless (
    id varchar not null,
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
    short_fi varchar,
    short_sv varchar,
    short_en varchar,
    theme varchar not null,
    unit varchar not null,
    direction varchar not null,
    decimals integer not null,
    aggregation varchar not null,
    min_persons integer,
    definition_fi varchar,
    definition_sv varchar,
    definition_en varchar,
    "source" varchar not null,
    licence varchar,
    sotkanet_id integer,
    sort_order integer default 0 not null
);

insert into indicator_keyless (id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, theme, unit, direction, decimals, aggregation, min_persons, definition_fi, definition_sv, definition_en, "source", licence, sotkanet_id, sort_order)
select id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, theme, unit, direction, decimals, aggregation, min_persons, definition_fi, definition_sv, definition_en, "source", licence, sotkanet_id, sort_order
from indicator;

create table indicator_alias_keyless (
    alias_norm varchar not null,
    indicator_id varchar not null,
    alias varchar not null,
    alias_kind varchar not null,
    "source" varchar,
    load_id integer
);

insert into indicator_alias_keyless (alias_norm, indicator_id, alias, alias_kind, "source", load_id)
select alias_norm, indicator_id, alias, alias_kind, "source", load_id
from indicator_alias;

create table indicator_definition_change_keyless (
    indicator_id varchar not null,
    valid_from date not null,
    note_fi varchar not null,
    note_sv varchar not null,
    note_en varchar not null
);

insert into indicator_definition_change_keyless (indicator_id, valid_from, note_fi, note_sv, note_en)
select indicator_id, valid_from, note_fi, note_sv, note_en
from indicator_definition_change;

create table indicator_definition_change_history_keyless (
    indicator_id varchar not null,
    valid_from date not null,
    note_fi varchar not null,
    note_sv varchar not null,
    note_en varchar not null,
    replaced_by_load integer not null
);

insert into indicator_definition_change_history_keyless (indicator_id, valid_from, note_fi, note_sv, note_en, replaced_by_load)
select indicator_id, valid_from, note_fi, note_sv, note_en, replaced_by_load
from indicator_definition_change_history;

create table indicator_detail_keyless (
    indicator_id varchar not null,
    unit varchar not null,
    min_respondents integer,
    name_sv_given boolean default true not null,
    name_en_given boolean default true not null
);

insert into indicator_detail_keyless (indicator_id, unit, min_respondents, name_sv_given, name_en_given)
select indicator_id, unit, min_respondents, name_sv_given, name_en_given
from indicator_detail;

create table indicator_detail_history_keyless (
    indicator_id varchar not null,
    unit varchar not null,
    min_respondents integer,
    name_sv_given boolean not null,
    name_en_given boolean not null,
    replaced_by_load integer not null
);

insert into indicator_detail_history_keyless (indicator_id, unit, min_respondents, name_sv_given, name_en_given, replaced_by_load)
select indicator_id, unit, min_respondents, name_sv_given, name_en_given, replaced_by_load
from indicator_detail_history;

create table indicator_history_keyless (
    id varchar not null,
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
    short_fi varchar,
    short_sv varchar,
    short_en varchar,
    theme varchar not null,
    unit varchar not null,
    direction varchar not null,
    decimals integer not null,
    aggregation varchar not null,
    min_persons integer,
    definition_fi varchar,
    definition_sv varchar,
    definition_en varchar,
    "source" varchar not null,
    licence varchar,
    sotkanet_id integer,
    sort_order integer not null,
    replaced_by_load integer not null
);

insert into indicator_history_keyless (id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, theme, unit, direction, decimals, aggregation, min_persons, definition_fi, definition_sv, definition_en, "source", licence, sotkanet_id, sort_order, replaced_by_load)
select id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, theme, unit, direction, decimals, aggregation, min_persons, definition_fi, definition_sv, definition_en, "source", licence, sotkanet_id, sort_order, replaced_by_load
from indicator_history;

create table indicator_seasonality_keyless (
    indicator_id varchar not null,
    seasonal boolean not null
);

insert into indicator_seasonality_keyless (indicator_id, seasonal)
select indicator_id, seasonal
from indicator_seasonality;

create table indicator_seasonality_history_keyless (
    indicator_id varchar not null,
    seasonal boolean not null,
    replaced_by_load integer not null
);

insert into indicator_seasonality_history_keyless (indicator_id, seasonal, replaced_by_load)
select indicator_id, seasonal, replaced_by_load
from indicator_seasonality_history;

create table load_keyless (
    id integer not null,
    file_name varchar not null,
    size_bytes bigint not null,
    sha256 varchar not null,
    format varchar not null,
    detected_json varchar not null,
    user_name varchar not null,
    loaded_at timestamp default current_timestamp not null,
    n_rows integer not null,
    n_new integer not null,
    n_changed integer not null,
    n_unchanged integer not null,
    n_rejected integer not null,
    is_demo boolean default false not null,
    status varchar default 'committed' not null,
    undone_at timestamp,
    undone_by varchar
);

insert into load_keyless (id, file_name, size_bytes, sha256, format, detected_json, user_name, loaded_at, n_rows, n_new, n_changed, n_unchanged, n_rejected, is_demo, status, undone_at, undone_by)
select id, file_name, size_bytes, sha256, format, detected_json, user_name, loaded_at, n_rows, n_new, n_changed, n_unchanged, n_rejected, is_demo, status, undone_at, undone_by
from "load";

create table load_row_keyless (
    table_name varchar not null,
    row_key varchar not null,
    load_id integer not null
);

insert into load_row_keyless (table_name, row_key, load_id)
select table_name, row_key, load_id
from load_row;

create table load_unit_keyless (
    load_id integer not null,
    unit_id varchar not null
);

insert into load_unit_keyless (load_id, unit_id)
select load_id, unit_id
from load_unit;

create table meta_keyless (
    "key" varchar not null,
    "value" varchar not null
);

insert into meta_keyless ("key", "value")
select "key", "value"
from meta;

create table observation_keyless (
    indicator_id varchar not null,
    unit_id varchar not null,
    period_start date not null,
    grain varchar not null,
    "value" double,
    numerator double,
    denominator double,
    respondents integer,
    flag varchar,
    load_id integer not null
);

insert into observation_keyless (indicator_id, unit_id, period_start, grain, "value", numerator, denominator, respondents, flag, load_id)
select indicator_id, unit_id, period_start, grain, "value", numerator, denominator, respondents, flag, load_id
from observation;

create table observation_history_keyless (
    indicator_id varchar not null,
    unit_id varchar not null,
    period_start date not null,
    grain varchar not null,
    "value" double,
    numerator double,
    denominator double,
    respondents integer,
    flag varchar,
    load_id integer not null,
    replaced_by_load integer not null
);

insert into observation_history_keyless (indicator_id, unit_id, period_start, grain, "value", numerator, denominator, respondents, flag, load_id, replaced_by_load)
select indicator_id, unit_id, period_start, grain, "value", numerator, denominator, respondents, flag, load_id, replaced_by_load
from observation_history;

create table operating_model_keyless (
    team_id varchar not null,
    title varchar not null,
    theme varchar not null,
    link varchar
);

insert into operating_model_keyless (team_id, title, theme, link)
select team_id, title, theme, link
from operating_model;

create table operating_model_history_keyless (
    team_id varchar not null,
    title varchar not null,
    theme varchar not null,
    link varchar,
    replaced_by_load integer not null
);

insert into operating_model_history_keyless (team_id, title, theme, link, replaced_by_load)
select team_id, title, theme, link, replaced_by_load
from operating_model_history;

create table role_grant_keyless (
    email varchar not null,
    "role" varchar not null,
    scope_kind varchar not null,
    scope_value varchar not null,
    granted_at timestamp default current_timestamp not null,
    granted_by varchar not null
);

insert into role_grant_keyless (email, "role", scope_kind, scope_value, granted_at, granted_by)
select email, "role", scope_kind, scope_value, granted_at, granted_by
from role_grant;

create table schema_version_keyless (
    "version" integer not null,
    applied_at timestamp default current_timestamp not null
);

insert into schema_version_keyless ("version", applied_at)
select "version", applied_at
from schema_version;

create table target_keyless (
    indicator_id varchar not null,
    unit_id varchar not null,
    due_date date not null,
    target_value double not null,
    "label" varchar,
    "source" varchar,
    load_id integer
);

insert into target_keyless (indicator_id, unit_id, due_date, target_value, "label", "source", load_id)
select indicator_id, unit_id, due_date, target_value, "label", "source", load_id
from "target";

create table target_history_keyless (
    indicator_id varchar not null,
    unit_id varchar not null,
    due_date date not null,
    target_value double not null,
    "label" varchar,
    "source" varchar,
    load_id integer,
    replaced_by_load integer not null
);

insert into target_history_keyless (indicator_id, unit_id, due_date, target_value, "label", "source", load_id, replaced_by_load)
select indicator_id, unit_id, due_date, target_value, "label", "source", load_id, replaced_by_load
from target_history;

create table team_keyless (
    unit_id varchar not null,
    region_id varchar not null,
    work_unit varchar not null,
    cohort_year integer not null,
    yta_id varchar not null,
    theme varchar not null,
    aim_text varchar,
    size integer,
    started_on date
);

insert into team_keyless (unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on)
select unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on
from team;

create table team_history_keyless (
    unit_id varchar not null,
    region_id varchar not null,
    work_unit varchar not null,
    cohort_year integer not null,
    yta_id varchar not null,
    theme varchar not null,
    aim_text varchar,
    size integer,
    started_on date,
    replaced_by_load integer not null
);

insert into team_history_keyless (unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on, replaced_by_load)
select unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on, replaced_by_load
from team_history;

create table team_measure_keyless (
    team_id varchar not null,
    indicator_id varchar not null,
    baseline_value double,
    baseline_period date,
    aim_value double,
    aim_date date
);

insert into team_measure_keyless (team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date)
select team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date
from team_measure;

create table team_measure_history_keyless (
    team_id varchar not null,
    indicator_id varchar not null,
    baseline_value double,
    baseline_period date,
    aim_value double,
    aim_date date,
    replaced_by_load integer not null
);

insert into team_measure_history_keyless (team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date, replaced_by_load)
select team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date, replaced_by_load
from team_measure_history;

create table unit_keyless (
    id varchar not null,
    kind varchar not null,
    parent_id varchar,
    code varchar,
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
    short_fi varchar,
    short_sv varchar,
    short_en varchar,
    org_kind varchar,
    boundary_geojson varchar,
    population integer,
    sort_order integer default 0 not null
);

insert into unit_keyless (id, kind, parent_id, code, name_fi, name_sv, name_en, short_fi, short_sv, short_en, org_kind, boundary_geojson, population, sort_order)
select id, kind, parent_id, code, name_fi, name_sv, name_en, short_fi, short_sv, short_en, org_kind, boundary_geojson, population, sort_order
from unit;

create table unit_alias_keyless (
    alias_norm varchar not null,
    unit_id varchar not null,
    alias varchar not null,
    alias_kind varchar not null,
    "source" varchar
);

insert into unit_alias_keyless (alias_norm, unit_id, alias, alias_kind, "source")
select alias_norm, unit_id, alias, alias_kind, "source"
from unit_alias;

create table unit_history_keyless (
    id varchar not null,
    kind varchar not null,
    parent_id varchar,
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
    org_kind varchar,
    replaced_by_load integer not null,
    short_fi varchar,
    short_sv varchar,
    short_en varchar
);

insert into unit_history_keyless (id, kind, parent_id, name_fi, name_sv, name_en, org_kind, replaced_by_load, short_fi, short_sv, short_en)
select id, kind, parent_id, name_fi, name_sv, name_en, org_kind, replaced_by_load, short_fi, short_sv, short_en
from unit_history;

drop table app_user;
drop table audit_event;
drop table "event";
drop table indicator_alias;
drop table indicator_definition_change;
drop table indicator_definition_change_history;
drop table indicator_detail;
drop table indicator_detail_history;
drop table indicator_history;
drop table indicator_seasonality;
drop table indicator_seasonality_history;
drop table "load";
drop table load_row;
drop table load_unit;
drop table meta;
drop table observation;
drop table observation_history;
drop table operating_model;
drop table operating_model_history;
drop table role_grant;
drop table schema_version;
drop table "target";
drop table target_history;
drop table team_history;
drop table team_measure;
drop table team_measure_history;
drop table unit_alias;
drop table unit_history;
drop table indicator;
drop table team;
drop table unit;

alter table app_user_keyless rename to app_user;
alter table audit_event_keyless rename to audit_event;
alter table event_keyless rename to "event";
alter table indicator_keyless rename to indicator;
alter table indicator_alias_keyless rename to indicator_alias;
alter table indicator_definition_change_keyless rename to indicator_definition_change;
alter table indicator_definition_change_history_keyless rename to indicator_definition_change_history;
alter table indicator_detail_keyless rename to indicator_detail;
alter table indicator_detail_history_keyless rename to indicator_detail_history;
alter table indicator_history_keyless rename to indicator_history;
alter table indicator_seasonality_keyless rename to indicator_seasonality;
alter table indicator_seasonality_history_keyless rename to indicator_seasonality_history;
alter table load_keyless rename to "load";
alter table load_row_keyless rename to load_row;
alter table load_unit_keyless rename to load_unit;
alter table meta_keyless rename to meta;
alter table observation_keyless rename to observation;
alter table observation_history_keyless rename to observation_history;
alter table operating_model_keyless rename to operating_model;
alter table operating_model_history_keyless rename to operating_model_history;
alter table role_grant_keyless rename to role_grant;
alter table schema_version_keyless rename to schema_version;
alter table target_keyless rename to "target";
alter table target_history_keyless rename to target_history;
alter table team_keyless rename to team;
alter table team_history_keyless rename to team_history;
alter table team_measure_keyless rename to team_measure;
alter table team_measure_history_keyless rename to team_measure_history;
alter table unit_keyless rename to unit;
alter table unit_alias_keyless rename to unit_alias;
alter table unit_history_keyless rename to unit_history;

drop sequence audit_event_id_seq;
drop sequence event_id_seq;
drop sequence load_id_seq;
