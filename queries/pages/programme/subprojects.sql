-- The sub-projects of one programme in their goal's order and their own, with the units each covers (ids, sorted).
-- params: $programme_id VARCHAR, $scope_programmes VARCHAR[], $scope_programme_regions VARCHAR[], $all_programmes BOOLEAN
with readable as (
    select p.id
    from programme as p
    where $all_programmes
        or p.id in (select unnest($scope_programmes))
        or p.id in (
            select r.programme_id
            from programme_region as r
            left join unit as u on u.kind = 'region' and (u.id = r.region_id or u.code = r.region_id)
            where coalesce(u.id, r.region_id) in (select unnest($scope_programme_regions))
        )
)
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
    and s.programme_id in (select id from readable)
group by all
order by s.position, s.subproject_id
