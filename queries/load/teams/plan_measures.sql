-- Each incoming team measure (frame `incoming`) marked new, changed or unchanged against team_measure.
-- params: (none)
select
    i.*,
    case
        when m.team_id is null then 'new'
        when m.baseline_value is not distinct from i.baseline_value
            and m.baseline_period is not distinct from i.baseline_period
            and m.aim_value is not distinct from i.aim_value
            and m.aim_date is not distinct from i.aim_date
            then 'unchanged'
        else 'changed'
    end as status
from incoming as i
left join team_measure as m
    on m.team_id = i.team_id
    and m.indicator_id = i.indicator_id
order by i.row_number
