-- Each incoming event (frame `incoming`): new, or unchanged when the same unit, date, kind, label and indicator (none for all) exist.
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
    and e.indicator_id is not distinct from i.indicator_id
order by i.row_number
