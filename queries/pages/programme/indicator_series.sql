-- The observations of the indicators one programme's measures follow, at each measure's unit, oldest first, with the indicator's unit and min_persons so that the library hides small numbers (vetopito.privacy); only units in the user's scope.
-- params: $programme_id VARCHAR, $scope_units VARCHAR[]
with followed as (
    select distinct
        m.indicator_id,
        m.unit_id
    from programme_measure as m
    where m.programme_id = $programme_id
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
where o.unit_id in (select unnest($scope_units))
order by o.indicator_id, o.unit_id, o.grain, o.period_start
