-- The benefit goals of one programme in their order.
-- params: $programme_id VARCHAR
select
    g.goal_id,
    g.position,
    g.name
from programme_goal as g
where g.programme_id = $programme_id
order by g.position, g.goal_id
