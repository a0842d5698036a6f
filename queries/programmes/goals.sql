-- The benefit goals of one programme the user may read, in their order.
-- params: $programme_id VARCHAR, $scope_programmes VARCHAR[], $scope_programme_regions VARCHAR[], $all_programmes BOOLEAN
with readable as (
    select
        p.id
    from programme as p
    where $all_programmes
        or p.id in (select unnest($scope_programmes))
        or p.id in (
            select
                r.programme_id
            from programme_region as r
            where r.region_id in (select unnest($scope_programme_regions))
        )
)
select
    g.goal_id,
    g.position,
    g.name
from programme_goal as g
where g.programme_id = $programme_id
    and g.programme_id in (select id from readable)
order by g.position, g.goal_id
