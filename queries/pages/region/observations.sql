-- Every observation of one region (or of the country or a YTA: its reported figures), all indicators, oldest first, with the indicator's unit and min_persons so the library can hide small numbers (vetopito.privacy). Reads region_series, kept in step with observation by every load and undo.
-- params: $unit_id VARCHAR, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
select
    s.indicator_id,
    s.unit_id,
    s.period_start,
    s.grain,
    s.value,
    s.numerator,
    s.denominator,
    s.respondents,
    s.flag,
    i.unit,
    i.min_persons
from region_series as s
join indicator as i on i.id = s.indicator_id
where s.unit_id = $unit_id
    and s.method = 'reported'
    and s.unit_id in (select unnest($scope_units))
    and s.indicator_id in (select unnest($scope_indicators))
order by s.indicator_id, s.grain, s.period_start
