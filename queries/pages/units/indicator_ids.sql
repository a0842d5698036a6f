-- The indicators that have observations for some organisational unit of a region: indicator_id. Reads observation_summary (kept in step with observation by every load and undo).
-- params: $region_id VARCHAR, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with org as (
    select u.id
    from unit as u
    where u.parent_id = $region_id
        and u.kind = 'org_unit'
        and u.id in (select unnest($scope_units))
)
select distinct
    s.indicator_id
from observation_summary as s
join org on org.id = s.unit_id
where s.indicator_id in (select unnest($scope_indicators))
order by s.indicator_id
