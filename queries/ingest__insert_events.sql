-- Adds the new events of frame `incoming_changes` as load `$load_id`.
-- params: $load_id INTEGER
insert into event (unit_id, event_date, kind, label, indicator_id, load_id)
select
    unit_id,
    event_date,
    kind,
    label,
    indicator_id,
    $load_id
from incoming_changes
where status = 'new'
