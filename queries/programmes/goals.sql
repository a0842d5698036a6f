-- The benefit goals of one programme the user may read, in their order.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    g.goal_id,
    g.position,
    g.name
from programme_goal as g
where g.programme_id = $programme_id
    and g.programme_id in (select unnest($readable_programmes))
order by g.position, g.goal_id
