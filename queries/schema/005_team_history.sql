-- What a team, aims or operating-models load replaced, so that undo can restore it: the earlier
-- team row with its unit's names and parent, the earlier baseline/aim of a team measure, the
-- earlier theme/link of an operating model. One row per key and replacing load.

create table team_history (
    unit_id varchar not null,
    parent_id varchar,
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
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

create table team_measure_history (
    team_id varchar not null,
    indicator_id varchar not null,
    baseline_value double,
    baseline_period date,
    aim_value double,
    aim_date date,
    replaced_by_load integer not null,
    primary key (team_id, indicator_id, replaced_by_load)
);

create table operating_model_history (
    team_id varchar not null,
    title varchar not null,
    theme varchar not null,
    link varchar,
    replaced_by_load integer not null,
    primary key (team_id, title, replaced_by_load)
);
