-- A team's measures: baseline and aim per indicator with the indicator's names, unit, direction and privacy threshold.
-- params: $team_id VARCHAR, $scope_units VARCHAR[]
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
    m.aim_date
from team_measure as m
join indicator as i on i.id = m.indicator_id
where m.team_id = $team_id
    and m.team_id in (select unnest($scope_units))
order by i.sort_order, m.indicator_id
