-- Development programmes and their follow-up (issue 13; vetopito/programmes, the programme formats of
-- vetopito/ingest/programmes.py):
--   programme (a funded programme or project; `is_demo` for the synthetic demo one) and the regions
--   it covers (programme_region); its benefit goals (programme_goal); numbered sub-projects
--   ('1.6') under a goal with the units they cover (subproject_unit; `scope_name` names that set,
--   as 'Meijän mallin asemat'); each sub-project's measures (programme_measure: kind 'indicator'
--   links an indicator of the catalogue and the unit it is followed for, whose interim targets are
--   rows of `target`; 'milestone' is yes/no with a due and a done date; 'output' counts outputs,
--   `output_kind` participants, workshops…), the interim targets of milestones and outputs
--   (measure_target), the output counts per period (output_count), the reporting rounds
--   (reporting_round) and each sub-project's written entry per round (round_entry).
-- The same tables run on DuckLake, which has no primary, unique or foreign keys, sequences,
-- indexes, CHECK constraints or ENUM types: none is declared here. The loader keeps the keys
-- (duplicates in a file are row errors; a load deletes the stored rows of the keys it writes and
-- inserts the new ones) and the closed lists (kind, the role list below), and
-- tests/test_programme_keys.py checks them after loads and undos.
-- Every row carries the load that wrote it; `<table>_history` keeps what a load replaced, so
-- that undo puts it back (vetopito.ingest.history.TRACKED).
-- role_grant loses the CHECKs of its role and scope kind, which no lake could hold and which
-- would refuse the programme manager's grants (`programme_manager`, scope kind `programme`):
-- vetopito.access.grants checks both against its closed lists (access.scope.ROLES, SCOPE_KINDS).

create table if not exists programme (
    id varchar not null,
    name varchar not null,
    funder varchar,
    period_start date,
    period_end date,
    owner_email varchar,
    description varchar,
    is_demo boolean not null default false,
    load_id integer not null
);

create table if not exists programme_history (
    id varchar not null,
    name varchar not null,
    funder varchar,
    period_start date,
    period_end date,
    owner_email varchar,
    description varchar,
    is_demo boolean not null,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists programme_region (
    programme_id varchar not null,
    region_id varchar not null,
    load_id integer not null
);

create table if not exists programme_region_history (
    programme_id varchar not null,
    region_id varchar not null,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists programme_goal (
    programme_id varchar not null,
    goal_id varchar not null,
    position integer not null,
    name varchar not null,
    load_id integer not null
);

create table if not exists programme_goal_history (
    programme_id varchar not null,
    goal_id varchar not null,
    position integer not null,
    name varchar not null,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists subproject (
    programme_id varchar not null,
    subproject_id varchar not null,
    goal_id varchar not null,
    position integer not null,
    name varchar not null,
    scope_name varchar,
    load_id integer not null
);

create table if not exists subproject_history (
    programme_id varchar not null,
    subproject_id varchar not null,
    goal_id varchar not null,
    position integer not null,
    name varchar not null,
    scope_name varchar,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists subproject_unit (
    programme_id varchar not null,
    subproject_id varchar not null,
    unit_id varchar not null,
    load_id integer not null
);

create table if not exists subproject_unit_history (
    programme_id varchar not null,
    subproject_id varchar not null,
    unit_id varchar not null,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists programme_measure (
    programme_id varchar not null,
    subproject_id varchar not null,
    measure_id varchar not null,
    position integer not null,
    kind varchar not null,
    name varchar not null,
    indicator_id varchar,
    unit_id varchar,
    method varchar,
    baseline_text varchar,
    baseline_value double,
    baseline_date date,
    due_date date,
    done_date date,
    output_kind varchar,
    load_id integer not null
);

create table if not exists programme_measure_history (
    programme_id varchar not null,
    subproject_id varchar not null,
    measure_id varchar not null,
    position integer not null,
    kind varchar not null,
    name varchar not null,
    indicator_id varchar,
    unit_id varchar,
    method varchar,
    baseline_text varchar,
    baseline_value double,
    baseline_date date,
    due_date date,
    done_date date,
    output_kind varchar,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists measure_target (
    programme_id varchar not null,
    subproject_id varchar not null,
    measure_id varchar not null,
    target_date date not null,
    value double,
    text varchar,
    load_id integer not null
);

create table if not exists measure_target_history (
    programme_id varchar not null,
    subproject_id varchar not null,
    measure_id varchar not null,
    target_date date not null,
    value double,
    text varchar,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists output_count (
    programme_id varchar not null,
    subproject_id varchar not null,
    measure_id varchar not null,
    period_start date not null,
    period_end date not null,
    value double not null,
    load_id integer not null
);

create table if not exists output_count_history (
    programme_id varchar not null,
    subproject_id varchar not null,
    measure_id varchar not null,
    period_start date not null,
    period_end date not null,
    value double not null,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists reporting_round (
    programme_id varchar not null,
    round_date date not null,
    name varchar,
    load_id integer not null
);

create table if not exists reporting_round_history (
    programme_id varchar not null,
    round_date date not null,
    name varchar,
    load_id integer not null,
    replaced_by_load integer not null
);

create table if not exists round_entry (
    programme_id varchar not null,
    subproject_id varchar not null,
    round_date date not null,
    text varchar not null,
    author_email varchar not null,
    written_at timestamp not null,
    load_id integer not null
);

create table if not exists round_entry_history (
    programme_id varchar not null,
    subproject_id varchar not null,
    round_date date not null,
    text varchar not null,
    author_email varchar not null,
    written_at timestamp not null,
    load_id integer not null,
    replaced_by_load integer not null
);

create table role_grant_new (
    email varchar not null,
    role varchar not null,
    scope_kind varchar not null,
    scope_value varchar not null,
    granted_at timestamp not null default current_timestamp,
    granted_by varchar not null,
    primary key (email, role, scope_kind, scope_value)
);

insert into role_grant_new
select
    email, role, scope_kind, scope_value, granted_at, granted_by
from role_grant;

drop table role_grant;

alter table role_grant_new rename to role_grant;
