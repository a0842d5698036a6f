-- The output counts of one programme's output measures per period, oldest first.
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
    c.subproject_id,
    c.measure_id,
    c.period_start,
    c.period_end,
    c.value
from output_count as c
where c.programme_id = $programme_id
    and c.programme_id in (select id from readable)
order by c.subproject_id, c.measure_id, c.period_start
