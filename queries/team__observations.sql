-- A team's measurements, every indicator and period, with the indicator attributes suppression needs.
-- params: $team_id VARCHAR, $scope_units VARCHAR[]
select
    o.unit_id as team_id,
    o.indicator_id,
    o.period_start,
    o.grain,
    o.value,
    o.numerator,
    o.denominator,
    o.respondents,
    o.flag,
    i.unit,
    i.direction,
    i.decimals,
    i.min_persons
from observation as o
join indicator as i on i.id = o.indicator_id
where o.unit_id = $team_id
    and o.unit_id in (select unnest($scope_units))
order by o.indicator_id, o.period_start
