-- The wellbeing services counties and Helsinki the user may see: id, code, names, short names, YTA, population, Sotkanet id.
-- params: $scope_units VARCHAR[]
with sotkanet as (
    select
        unit_id,
        min(alias) as sotkanet_id
    from unit_alias
    where alias_kind = 'sotkanet'
    group by unit_id
)
select
    u.id,
    u.code,
    u.name_fi,
    u.name_sv,
    u.name_en,
    u.short_fi,
    u.short_sv,
    u.short_en,
    u.parent_id as yta_id,
    u.population,
    s.sotkanet_id,
    u.sort_order
from unit as u
left join sotkanet as s
    on s.unit_id = u.id
where u.kind = 'region'
    and u.id in (select unnest($scope_units))
order by u.sort_order, u.id
