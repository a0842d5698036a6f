-- The periods for which regions have a value of one indicator, newest first.
-- params: $indicator_id VARCHAR, $scope_units VARCHAR[]
with regions_in_scope as (
    select u.id
    from unit as u
    where u.kind = 'region'
        and u.id in (select unnest($scope_units))
)
select
    o.period_start,
    o.grain,
    count(*) as n_regions
from observation as o
join regions_in_scope as r on r.id = o.unit_id
where o.indicator_id = $indicator_id
group by all
order by o.period_start desc, o.grain
