-- Puts back the targets that load `$load_id` had replaced (undo, step 2).
-- params: $load_id INTEGER
insert into target (indicator_id, unit_id, due_date, target_value, label, source, load_id)
select
    indicator_id,
    unit_id,
    due_date,
    target_value,
    label,
    source,
    load_id
from target_history
where replaced_by_load = $load_id
