-- A region's organisational units (not teams) that have observations, with how many indicators and the latest period.
-- params: $region_id VARCHAR, $scope_units VARCHAR[]
with org as (
    select
        u.id,
        u.name_fi,
        u.name_sv,
        u.name_en,
        u.org_kind
    from unit as u
    where u.parent_id = $region_id
        and u.kind = 'org_unit'
        and u.id in (select unnest($scope_units))
)
select
    org.id as unit_id,
    org.name_fi,
    org.name_sv,
    org.name_en,
    org.org_kind,
    count(distinct o.indicator_id) as n_indicators,
    max(o.period_start) as latest_period
from org
join observation as o on o.unit_id = org.id
group by all
order by org.name_fi, org.id
