-- Events an analyst marks as a process change (kind `process_change`): from the event's period the
-- region page, the unit drill-down and the team pages recalculate the SPC limits (a new phase), as
-- NHS England's tools do. Such an event may name one indicator (`indicator_id`; null: every
-- indicator of the unit). DuckDB cannot change a check constraint in place, so the table is built
-- again with the wider kind list and the new column; ids, load ids and the id sequence stay.
-- Written to run again on a file that has it (the migration-011 test re-applies every migration
-- after 010): the column is added only when missing and the copy keeps every row.
alter table event add column if not exists indicator_id varchar;

create table event_014 (
    id integer primary key default nextval('event_id_seq'),
    unit_id varchar not null references unit (id),
    event_date date not null,
    kind varchar not null check (kind in ('workshop', 'intervention', 'note', 'process_change')),
    label varchar not null,
    load_id integer,
    indicator_id varchar,
    check (indicator_id is null or kind = 'process_change')
);

insert into event_014 (id, unit_id, event_date, kind, label, load_id, indicator_id)
select
    id,
    unit_id,
    event_date,
    kind,
    label,
    load_id,
    indicator_id
from event
order by id;

drop table event;

alter table event_014 rename to event;
