-- Baselines and aims of one team ($team_id) or of every team of a cohort year ($cohort_year; the other null), with the indicator's names, unit, direction and privacy threshold; team, catalogue order.
-- params: $team_id VARCHAR, $cohort_year INTEGER, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
select
    m.team_id,
    m.indicator_id,
    i.name_fi,
    i.name_sv,
    i.name_en,
    i.unit,
    i.direction,
    i.decimals,
    i.min_persons,
    i.sort_order,
    m.baseline_value,
    m.baseline_period,
    m.aim_value,
    m.aim_date,
    i.short_fi,
    i.short_sv,
    i.short_en
from team_measure as m
join team as t on t.unit_id = m.team_id
join indicator as i on i.id = m.indicator_id
where (m.team_id = $team_id or $team_id is null)
    and (t.cohort_year = $cohort_year or $cohort_year is null)
    and m.team_id in (select unnest($scope_units))
    and m.indicator_id in (select unnest($scope_indicators))
order by m.team_id, i.sort_order, m.indicator_id
