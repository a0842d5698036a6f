-- Keeps the stored targets that load `$load_id` changes (frame `incoming_changes`).
-- params: $load_id INTEGER
insert into target_history (indicator_id, unit_id, due_date, target_value, label, source, load_id, replaced_by_load)
select
    t.indicator_id,
    t.unit_id,
    t.due_date,
    t.target_value,
    t.label,
    t.source,
    t.load_id,
    $load_id
from target as t
join incoming_changes as c
    on c.indicator_id = t.indicator_id
    and c.unit_id = t.unit_id
    and c.due_date = t.due_date
where c.status = 'changed'
