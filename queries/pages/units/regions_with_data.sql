-- The regions that have observations for some organisational unit, in code order: unit_id, code, n_units. Reads observation_summary.
-- params: $scope_units VARCHAR[]
with org_with_data as (
    select distinct
        s.unit_id
    from observation_summary as s
    where s.unit_id in (select unnest($scope_units))
)
select
    r.id as unit_id,
    r.code,
    count(*) as n_units
from org_with_data as d
join unit as u on u.id = d.unit_id
join unit as r on r.id = u.parent_id
where u.kind = 'org_unit'
    and r.kind = 'region'
    and r.id in (select unnest($scope_units))
group by r.id, r.code
order by r.code
