-- Events an analyst marks as a process change (kind `process_change`): from the event's period the
-- region page and the team pages recalculate the SPC limits (a new phase), as NHS England's tools
-- do. Such an event may name one indicator (`indicator_id`; null: every indicator of the unit).
-- DuckDB cannot change a check constraint in place, so the table is built again under its own
-- name with the wider kind list and the new column (the rows wait in a copy meanwhile: a table
-- renamed into place would leave the foreign key to `unit` naming the old table, and deleting a
-- unit would then fail); ids, load ids and the id sequence stay.
-- Written to run again on a file that has it (the migration-011 test re-applies every migration
-- after 010): the column is added only when missing and the copy keeps every row.
alter table event add column if not exists indicator_id varchar;

create table event_014_rows as
select
    id,
    unit_id,
    event_date,
    kind,
    label,
    load_id,
    indicator_id
from event;

drop table event;

create table event (
    id integer primary key default nextval('event_id_seq'),
    unit_id varchar not null references unit (id),
    event_date date not null,
    kind varchar not null check (kind in ('workshop', 'intervention', 'note', 'process_change')),
    label varchar not null,
    load_id integer,
    indicator_id varchar,
    check (indicator_id is null or kind = 'process_change')
);

insert into event (id, unit_id, event_date, kind, label, load_id, indicator_id)
select
    id,
    unit_id,
    event_date,
    kind,
    label,
    load_id,
    indicator_id
from event_014_rows
order by id;

drop table event_014_rows;
