-- Ids without sequences (DuckLake has none): one row per id that loads, events and the audit log
-- draw, holding the last id given. A writer bumps it inside its own transaction (`db.next_ids`),
-- so of two writers that draw at once one commits and the other's commit fails whole (a write
-- conflict on this row) instead of both storing the same id.
-- Written to run again on a database that has it: each counter is added once, from the ids stored.
create table if not exists id_counter (
    name varchar not null,
    last_id bigint not null
);

insert into id_counter (name, last_id)
select 'load', coalesce(max(id), 0) from "load"
where not exists (select 1 from id_counter where name = 'load');

insert into id_counter (name, last_id)
select 'event', coalesce(max(id), 0) from "event"
where not exists (select 1 from id_counter where name = 'event');

insert into id_counter (name, last_id)
select 'audit_event', coalesce(max(id), 0) from audit_event
where not exists (select 1 from id_counter where name = 'audit_event');
