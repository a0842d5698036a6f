-- Measurements of every team of a cohort year, with the indicator attributes suppression needs.
-- params: $cohort_year INTEGER, $scope_units VARCHAR[]
with cohort_teams as (
    select
        t.unit_id
    from team as t
    where t.cohort_year = $cohort_year
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
    i.min_persons
from observation as o
join cohort_teams as c on c.unit_id = o.unit_id
join indicator as i on i.id = o.indicator_id
order by o.unit_id, o.indicator_id, o.period_start
