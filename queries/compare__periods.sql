-- The periods for which regions have a value of one indicator, newest first.
-- params: $indicator_id VARCHAR, $scope_units VARCHAR[]
select
    o.period_start,
    o.grain,
    count(*) as n_regions
from observation as o
join unit as u on u.id = o.unit_id
where o.indicator_id = $indicator_id
    and u.kind = 'region'
    and o.unit_id in (select unnest($scope_units))
group by all
order by o.period_start desc, o.grain
