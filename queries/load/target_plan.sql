-- Each incoming target (frame `incoming`) beside the stored one: new, changed or unchanged.
-- params: (none)
select
    i.*,
    t.target_value as old_target_value,
    t.label as old_label,
    t.source as old_source,
    case
        when t.indicator_id is null then 'new'
        when i.target_value = t.target_value
            and i.label is not distinct from t.label
            and i.source is not distinct from t.source then 'unchanged'
        else 'changed'
    end as status
from incoming as i
left join target as t
    on t.indicator_id = i.indicator_id
    and t.unit_id = i.unit_id
    and t.due_date = i.due_date
order by i.row_number
