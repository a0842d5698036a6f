-- Writes the new and changed targets of frame `incoming_changes` as load `$load_id`.
-- params: $load_id INTEGER
insert into target (indicator_id, unit_id, due_date, target_value, label, source, load_id)
select
    indicator_id,
    unit_id,
    due_date,
    target_value,
    label,
    source,
    $load_id
from incoming_changes
on conflict (indicator_id, unit_id, due_date) do update set
    target_value = excluded.target_value,
    label = excluded.label,
    source = excluded.source,
    load_id = excluded.load_id
