-- The measures of one programme's sub-projects in their order, an indicator measure with its catalogue facts (names, unit, direction, decimals, aggregation, min_persons, seasonal) and its unit's names.
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
    m.subproject_id,
    m.measure_id,
    m.position,
    m.kind,
    m.name,
    m.indicator_id,
    m.unit_id,
    m.method,
    m.baseline_text,
    m.baseline_value,
    m.baseline_date,
    m.due_date,
    m.done_date,
    m.output_kind,
    i.name_fi as indicator_name_fi,
    i.name_sv as indicator_name_sv,
    i.name_en as indicator_name_en,
    i.unit,
    i.direction,
    i.decimals,
    i.aggregation,
    i.min_persons,
    coalesce(s.seasonal, false) as seasonal,
    u.name_fi as unit_name_fi,
    u.name_sv as unit_name_sv,
    u.name_en as unit_name_en
from programme_measure as m
left join indicator as i on i.id = m.indicator_id
left join indicator_seasonality as s on s.indicator_id = m.indicator_id
left join unit as u on u.id = m.unit_id
where m.programme_id = $programme_id
    and m.programme_id in (select id from readable)
order by m.subproject_id, m.position, m.measure_id
