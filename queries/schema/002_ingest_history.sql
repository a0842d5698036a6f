-- What a load replaced outside `observation`, so that undo can restore it: earlier target values,
-- earlier unit names and parents, and which load created which unit.

create table target_history (
    indicator_id varchar not null,
    unit_id varchar not null,
    due_date date not null,
    target_value double not null,
    label varchar,
    source varchar,
    load_id integer,
    replaced_by_load integer not null,
    primary key (indicator_id, unit_id, due_date, replaced_by_load)
);

create table unit_history (
    id varchar not null,
    kind varchar not null,
    parent_id varchar,
    name_fi varchar not null,
    name_sv varchar not null,
    name_en varchar not null,
    org_kind varchar,
    replaced_by_load integer not null,
    primary key (id, replaced_by_load)
);

-- The load that created a unit (units from reference data have no row here).
create table unit_load (
    unit_id varchar primary key,
    load_id integer not null
);
