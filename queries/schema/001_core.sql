-- Core model: indicators, the unit tree, observations with history, targets, events, loads.
-- Applied once by vetopito.db.migrate(); later changes go in 002_…, 003_… .

create table meta (
    key varchar primary key,
    value varchar not null
);

create table indicator (
    id varchar primary key check (regexp_full_match(id, '[a-z0-9_]+')),
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
    short_fi varchar,
    short_sv varchar,
    short_en varchar,
    theme varchar not null check (theme in ('access', 'wellbeing', 'retention', 'development')),
    unit varchar not null check (unit in ('pct', 'days', 'count', 'days_per_person_year', 'hours', 'score', 'persons')),
    direction varchar not null check (direction in ('higher', 'lower', 'neutral')),
    decimals integer not null check (decimals between 0 and 3),
    aggregation varchar not null check (aggregation in ('ratio', 'sum', 'mean', 'none')),
    min_persons integer,
    definition_fi varchar,
    definition_sv varchar,
    definition_en varchar,
    source varchar not null,
    licence varchar,
    sotkanet_id integer,
    sort_order integer not null default 0
);

create table indicator_definition_change (
    indicator_id varchar not null references indicator (id),
    valid_from date not null,
    note_fi varchar not null,
    note_sv varchar not null,
    note_en varchar not null,
    primary key (indicator_id, valid_from)
);

create table unit (
    id varchar primary key,
    kind varchar not null check (kind in ('country', 'yta', 'region', 'org_unit', 'team')),
    parent_id varchar references unit (id),
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
    sort_order integer not null default 0
    -- "only the country has no parent" is checked by the loader: a CHECK that reads
    -- parent_id makes DuckDB rewrite that column on every update, and its foreign key then
    -- refuses to update any unit that has children or data.
);

-- Every other name an extract may use for a unit, normalised (lower case, no
-- "hyvinvointialue"/"välfärdsområde" suffix) so the loader can match it.
create table unit_alias (
    alias_norm varchar not null,
    unit_id varchar not null references unit (id),
    alias varchar not null,
    alias_kind varchar not null check (alias_kind in ('code', 'official', 'short', 'common', 'sotkanet', 'statfin', 'id')),
    source varchar,
    primary key (alias_norm, unit_id)
);

create sequence load_id_seq start 1;

create table load (
    id integer primary key default nextval('load_id_seq'),
    file_name varchar not null,
    size_bytes bigint not null,
    sha256 varchar not null,
    format varchar not null,
    detected_json varchar not null,
    user_name varchar not null,
    loaded_at timestamp not null default current_timestamp,
    n_rows integer not null,
    n_new integer not null,
    n_changed integer not null,
    n_unchanged integer not null,
    n_rejected integer not null,
    is_demo boolean not null default false,
    status varchar not null default 'committed' check (status in ('committed', 'undone')),
    undone_at timestamp,
    undone_by varchar
);

create table observation (
    indicator_id varchar not null references indicator (id),
    unit_id varchar not null references unit (id),
    period_start date not null,
    grain varchar not null check (grain in ('year', 'quarter', 'month', 'round', 'day')),
    value double,
    numerator double,
    denominator double,
    respondents integer,
    flag varchar,
    load_id integer not null,
    primary key (indicator_id, unit_id, period_start, grain),
    -- numerator <= denominator holds for shares only (days per person-year exceed it):
    -- the loader checks it per indicator unit.
    check (denominator is null or denominator >= 0)
);

-- The state of an observation before a load changed it: undo restores it.
create table observation_history (
    indicator_id varchar not null,
    unit_id varchar not null,
    period_start date not null,
    grain varchar not null,
    value double,
    numerator double,
    denominator double,
    respondents integer,
    flag varchar,
    load_id integer not null,
    replaced_by_load integer not null,
    primary key (indicator_id, unit_id, period_start, grain, replaced_by_load)
);

create table target (
    indicator_id varchar not null references indicator (id),
    unit_id varchar not null references unit (id),
    due_date date not null,
    target_value double not null,
    label varchar,
    source varchar,
    load_id integer,
    primary key (indicator_id, unit_id, due_date)
);

create sequence event_id_seq start 1;

create table event (
    id integer primary key default nextval('event_id_seq'),
    unit_id varchar not null references unit (id),
    event_date date not null,
    kind varchar not null check (kind in ('workshop', 'intervention', 'note')),
    label varchar not null,
    load_id integer
);

-- What a Läpimurto team has beyond being a unit (kind = 'team').
create table team (
    unit_id varchar primary key references unit (id),
    region_id varchar not null references unit (id),
    work_unit varchar not null,
    cohort_year integer not null check (cohort_year between 2020 and 2100),
    yta_id varchar not null references unit (id),
    theme varchar not null check (theme in (
        'professional_development', 'leadership', 'meetings_information', 'orientation',
        'premises_tools', 'work_content', 'work_community', 'reputation_recruitment')),
    aim_text varchar,
    size integer check (size is null or size between 1 and 100),
    started_on date
);

create table team_measure (
    team_id varchar not null references team (unit_id),
    indicator_id varchar not null references indicator (id),
    baseline_value double,
    baseline_period date,
    aim_value double,
    aim_date date,
    primary key (team_id, indicator_id)
);

create table operating_model (
    team_id varchar not null references team (unit_id),
    title varchar not null,
    theme varchar not null,
    link varchar,
    primary key (team_id, title)
);
