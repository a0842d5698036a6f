-- Every alias of the units the user may see: normalised form, unit, the name as written, its kind and source.
-- params: $scope_units VARCHAR[]
select
    a.alias_norm,
    a.unit_id,
    a.alias,
    a.alias_kind,
    a.source
from unit_alias as a
where a.unit_id in (select unnest($scope_units))
order by a.unit_id, a.alias_norm
