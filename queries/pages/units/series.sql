-- One indicator's series for every organisational unit of a region (oldest first), with respondents for small-number hiding.
-- params: $region_id VARCHAR, $indicator_id VARCHAR, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with org as (
    select
        u.id,
        u.name_fi,
        u.name_sv,
        u.name_en
    from unit as u
    where u.parent_id = $region_id
        and u.kind = 'org_unit'
        and u.id in (select unnest($scope_units))
)
select
    o.unit_id,
    org.name_fi,
    org.name_sv,
    org.name_en,
    o.period_start,
    o.grain,
    o.value,
    o.numerator,
    o.denominator,
    o.respondents
from observation as o
join org on org.id = o.unit_id
where o.indicator_id = $indicator_id
    and o.indicator_id in (select unnest($scope_indicators))
order by org.name_fi, o.unit_id, o.grain, o.period_start
