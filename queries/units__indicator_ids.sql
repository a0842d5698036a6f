-- The indicators that have observations for some organisational unit of a region.
-- params: $region_id VARCHAR, $scope_units VARCHAR[]
select distinct
    o.indicator_id
from observation as o
where o.unit_id in (
        select u.id
        from unit as u
        where u.parent_id = $region_id
            and u.kind = 'org_unit'
    )
    and o.unit_id in (select unnest($scope_units))
order by o.indicator_id
