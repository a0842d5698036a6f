-- Each incoming team (frame `incoming`) marked new, changed or unchanged against the stored unit and team rows.
-- params: (none)
select
    i.*,
    case
        when t.unit_id is null then 'new'
        when u.name_fi is not distinct from i.name_fi
            and u.name_sv is not distinct from i.name_sv
            and u.name_en is not distinct from i.name_en
            and u.parent_id is not distinct from i.parent_id
            and t.region_id is not distinct from i.region_id
            and t.work_unit is not distinct from i.work_unit
            and t.cohort_year is not distinct from i.cohort_year
            and t.yta_id is not distinct from i.yta_id
            and t.theme is not distinct from i.theme
            and t.aim_text is not distinct from i.aim_text
            and t.size is not distinct from i.size
            and t.started_on is not distinct from i.started_on
            then 'unchanged'
        else 'changed'
    end as status
from incoming as i
left join team as t on t.unit_id = i.team_id
left join unit as u on u.id = i.team_id
order by i.row_number
