-- Every observation of one unit (all indicators), oldest first, with the indicator's unit and min_persons so the library can hide small numbers (vetopito.privacy).
-- params: $unit_id VARCHAR, $scope_units VARCHAR[]
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
join indicator as i on i.id = o.indicator_id
where o.unit_id = $unit_id
    and o.unit_id in (select unnest($scope_units))
order by o.indicator_id, o.grain, o.period_start
