-- The observations of the indicators one programme's measures follow, at each measure's unit, oldest first, with the indicator's unit and min_persons so that the library hides small numbers (vetopito.privacy); only of a programme the user reads (a programme manager reads its figures through the grant of the programme).
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
),
followed as (
    select distinct
        m.indicator_id,
        m.unit_id
    from programme_measure as m
    where m.programme_id = $programme_id
        and m.programme_id in (select id from readable)
        and m.kind = 'indicator'
        and m.indicator_id is not null
        and m.unit_id is not null
)
select
    o.indicator_id,
    o.unit_id,
    o.period_start,
    o.grain,
    o.value,
    o.numerator,
    o.denominator,
    o.respondents,
    o.flag,
    i.unit,
    i.min_persons
from observation as o
join followed as f on f.indicator_id = o.indicator_id and f.unit_id = o.unit_id
join indicator as i on i.id = o.indicator_id
order by o.indicator_id, o.unit_id, o.grain, o.period_start
