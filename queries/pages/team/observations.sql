-- Measurements of one team ($team_id) or of every team of a cohort year ($cohort_year; the other null), every indicator and period, with the indicator attributes suppression needs (its own minimum of respondents where the catalogue gives one); team, indicator, period order.
-- params: $team_id VARCHAR, $cohort_year INTEGER, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with wanted_teams as (
    select
        t.unit_id
    from team as t
    where (t.unit_id = $team_id or $team_id is null)
        and (t.cohort_year = $cohort_year or $cohort_year is null)
        and t.unit_id in (select unnest($scope_units))
)
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
    i.min_persons,
    d.min_respondents
from observation as o
join wanted_teams as w on w.unit_id = o.unit_id
join indicator as i on i.id = o.indicator_id
left join indicator_detail as d on d.indicator_id = o.indicator_id
where o.indicator_id in (select unnest($scope_indicators))
order by o.unit_id, o.indicator_id, o.period_start
