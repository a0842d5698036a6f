-- The sub-projects of one programme in their goal's order and their own, with the units each covers (ids, sorted).
-- params: $programme_id VARCHAR
select
    s.subproject_id,
    s.goal_id,
    s.position,
    s.name,
    s.scope_name,
    list(distinct su.unit_id order by su.unit_id) filter (where su.unit_id is not null) as unit_ids
from subproject as s
left join subproject_unit as su
    on su.programme_id = s.programme_id and su.subproject_id = s.subproject_id
where s.programme_id = $programme_id
group by all
order by s.position, s.subproject_id
