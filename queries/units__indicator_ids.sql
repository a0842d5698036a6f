-- The indicators that have observations for some organisational unit of a region.
-- params: $region_id VARCHAR, $scope_units VARCHAR[]
with org as (
    select u.id
    from unit as u
    where u.parent_id = $region_id
        and u.kind = 'org_unit'
        and u.id in (select unnest($scope_units))
)
select distinct
    o.indicator_id
from observation as o
join org on org.id = o.unit_id
order by o.indicator_id
