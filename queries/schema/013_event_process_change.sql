-- An event may now be a `process_change` the analyst marks (a new way of working that moved a
-- measure), for one indicator (`indicator_id`): the region chart recalculates that indicator's SPC
-- limits from its date, as it does at a definition change. DuckDB cannot change a CHECK or add a
-- referencing column in place, so the table is rebuilt (nothing references `event`).
create table event_new (
    id integer primary key default nextval('event_id_seq'),
    unit_id varchar not null references unit (id),
    event_date date not null,
    kind varchar not null check (kind in ('workshop', 'intervention', 'note', 'process_change')),
    label varchar not null,
    load_id integer,
    indicator_id varchar references indicator (id)
);

insert into event_new (id, unit_id, event_date, kind, label, load_id)
select id, unit_id, event_date, kind, label, load_id
from event;

drop table event;

alter table event_new rename to event;
