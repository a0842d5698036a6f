-- The sub-projects of one programme the user may read, with the units they cover as a list; goal order, then their own.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    s.subproject_id,
    s.goal_id,
    s.position,
    s.name,
    s.scope_name,
    coalesce(
        (select list(u.unit_id order by u.unit_id) from subproject_unit as u
         where u.programme_id = s.programme_id and u.subproject_id = s.subproject_id),
        []::varchar[]
    ) as unit_ids
from subproject as s
left join programme_goal as g
    on g.programme_id = s.programme_id
    and g.goal_id = s.goal_id
where s.programme_id = $programme_id
    and s.programme_id in (select unnest($readable_programmes))
order by g.position nulls last, s.position, s.subproject_id
