-- The boundary of every region the user may see, as GeoJSON geometry text, with code and names.
-- params: $scope_units VARCHAR[]
select
    id,
    code,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    parent_id as yta_id,
    boundary_geojson
from unit
where kind = 'region'
    and boundary_geojson is not null
    and id in (select unnest($scope_units))
order by sort_order, id
