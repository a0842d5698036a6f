-- The interim targets of one programme's measures, soonest first: a milestone's or an output's from measure_target, an indicator measure's from `target` (its indicator at its unit).
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
    mt.subproject_id,
    mt.measure_id,
    mt.target_date,
    mt.value,
    mt.text
from measure_target as mt
where mt.programme_id = $programme_id
    and mt.programme_id in (select id from readable)
union all
select
    m.subproject_id,
    m.measure_id,
    t.due_date as target_date,
    t.target_value as value,
    t.label as text
from programme_measure as m
join target as t on t.indicator_id = m.indicator_id and t.unit_id = m.unit_id
where m.programme_id = $programme_id
    and m.programme_id in (select id from readable)
    and m.kind = 'indicator'
order by subproject_id, measure_id, target_date
