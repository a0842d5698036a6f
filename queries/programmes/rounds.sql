-- The reporting rounds of one programme the user may read, in date order.
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
    r.round_date,
    r.name
from reporting_round as r
where r.programme_id = $programme_id
    and r.programme_id in (select id from readable)
order by r.round_date
