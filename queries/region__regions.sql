-- The wellbeing services counties and Helsinki: id, official code, names and collaborative area (YTA).
-- params: $scope_units VARCHAR[]
select
    u.id as unit_id,
    u.code,
    u.name_fi,
    u.name_sv,
    u.name_en,
    coalesce(u.short_fi, u.name_fi) as short_fi,
    coalesce(u.short_sv, u.name_sv) as short_sv,
    coalesce(u.short_en, u.name_en) as short_en,
    u.parent_id as yta_id
from unit as u
where u.kind = 'region'
    and u.id in (select unnest($scope_units))
order by u.code, u.id
