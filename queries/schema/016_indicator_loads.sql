-- Indicators become data that loads write (the `indicators` format, vetopito/ingest/indicators.py):
--   * `indicator_detail` holds what `indicator` cannot (DuckDB refuses ALTER TABLE on a table other
--     tables reference, as in 012): the catalogue's own unit code (the closed list of the
--     indicators format, wider than indicator.unit's CHECK, which keeps the nearest stored code
--     the loader's value checks understand), the minimum number of respondents, and whether the
--     Swedish and English names were given or fall back to the Finnish one. No row: the unit is
--     indicator.unit, no respondent minimum, every name given, so existing databases need no rows
--     and no value changes. No foreign key, so undo can remove a created indicator's detail and
--     the indicator in the order vetopito.ingest.history needs.
--   * `<table>_history`: what an indicators load replaced, so that undo can restore it (the one
--     history mechanism, vetopito.ingest.history.TRACKED). Created rows are recorded in load_row.
-- Written to run again on a file that has it: only `create table if not exists`.
create table if not exists indicator_detail (
    indicator_id varchar primary key,
    unit varchar not null,
    min_respondents integer,
    name_sv_given boolean not null default true,
    name_en_given boolean not null default true
);

create table if not exists indicator_history (
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
    source varchar not null,
    licence varchar,
    sotkanet_id integer,
    sort_order integer not null,
    replaced_by_load integer not null,
    primary key (id, replaced_by_load)
);

create table if not exists indicator_detail_history (
    indicator_id varchar not null,
    unit varchar not null,
    min_respondents integer,
    name_sv_given boolean not null,
    name_en_given boolean not null,
    replaced_by_load integer not null,
    primary key (indicator_id, replaced_by_load)
);

create table if not exists indicator_seasonality_history (
    indicator_id varchar not null,
    seasonal boolean not null,
    replaced_by_load integer not null,
    primary key (indicator_id, replaced_by_load)
);

create table if not exists indicator_definition_change_history (
    indicator_id varchar not null,
    valid_from date not null,
    note_fi varchar not null,
    note_sv varchar not null,
    note_en varchar not null,
    replaced_by_load integer not null,
    primary key (indicator_id, valid_from, replaced_by_load)
);
