-- Each incoming operating model (frame `incoming`) marked new, changed or unchanged against operating_model.
-- params: (none)
select
    i.*,
    case
        when m.team_id is null then 'new'
        when m.theme is not distinct from i.theme
            and m.link is not distinct from i.link
            then 'unchanged'
        else 'changed'
    end as status
from incoming as i
left join operating_model as m
    on m.team_id = i.team_id
    and m.title = i.title
order by i.row_number
