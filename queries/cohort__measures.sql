-- Baselines and aims of every team of a cohort year, with the indicator's names, unit, direction and privacy threshold.
-- params: $cohort_year INTEGER, $scope_units VARCHAR[]
select
    m.team_id,
    m.indicator_id,
    i.name_fi,
    i.name_sv,
    i.name_en,
    i.short_fi,
    i.short_sv,
    i.short_en,
    i.unit,
    i.direction,
    i.decimals,
    i.min_persons,
    i.sort_order,
    m.baseline_value,
    m.baseline_period,
    m.aim_value,
    m.aim_date
from team_measure as m
join team as t on t.unit_id = m.team_id
join indicator as i on i.id = m.indicator_id
where t.cohort_year = $cohort_year
    and m.team_id in (select unnest($scope_units))
order by m.team_id, i.sort_order, m.indicator_id
