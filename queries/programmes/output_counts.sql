-- The output counts of one programme the user may read (participants, workshops… per period); measure then period order.
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
    c.subproject_id,
    c.measure_id,
    c.period_start,
    c.period_end,
    c.value
from output_count as c
where c.programme_id = $programme_id
    and c.programme_id in (select id from readable)
order by c.subproject_id, c.measure_id, c.period_start, c.period_end
