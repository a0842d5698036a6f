-- A region's organisational units (not teams) that have observations, with how many indicators and the latest period. Reads observation_summary (kept in step with observation by every load and undo).
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
),
per_unit as (
    select
        s.unit_id,
        count(*) as n_indicators,
        max(s.latest_period) as latest_period
    from observation_summary as s
    join org on org.id = s.unit_id
    group by s.unit_id
)
select
    org.id as unit_id,
    org.name_fi,
    org.name_sv,
    org.name_en,
    org.org_kind,
    p.n_indicators,
    p.latest_period
from org
join per_unit as p on p.unit_id = org.id
order by org.name_fi, org.id
