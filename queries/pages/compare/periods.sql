-- The periods for which regions have a value of one indicator, newest first: period_start, grain, n_regions. Reads region_series (the regions' rows, kept in step with observation).
-- params: $indicator_id VARCHAR, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with regions_in_scope as (
    select u.id
    from unit as u
    where u.kind = 'region'
        and u.id in (select unnest($scope_units))
)
select
    s.period_start,
    s.grain,
    count(*) as n_regions
from region_series as s
join regions_in_scope as r on r.id = s.unit_id
where s.indicator_id = $indicator_id
    and s.indicator_id in (select unnest($scope_indicators))
group by all
order by s.period_start desc, s.grain
