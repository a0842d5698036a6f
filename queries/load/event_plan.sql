-- Each incoming event (frame `incoming`): new, or unchanged when the same unit, date, kind and label exist.
-- params: (none)
select
    i.*,
    case when e.id is null then 'new' else 'unchanged' end as status
from incoming as i
left join event as e
    on e.unit_id = i.unit_id
    and e.event_date = i.event_date
    and e.kind = i.kind
    and e.label = i.label
order by i.row_number
