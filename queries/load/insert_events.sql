-- Adds the new events of frame `incoming_changes` as load `$load_id`, with ids from `$first_id` on (vetopito.db.next_ids).
-- params: $load_id INTEGER, $first_id INTEGER
insert into event (id, unit_id, event_date, kind, label, indicator_id, load_id)
select
    $first_id + row_number() over (order by unit_id, event_date, kind, label) - 1,
    unit_id,
    event_date,
    kind,
    label,
    indicator_id,
    $load_id
from incoming_changes
where status = 'new'
