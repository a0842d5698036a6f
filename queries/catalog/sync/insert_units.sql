-- Inserts the reference units (country, YTA, regions) of the registered frame ref_unit that the table lacks; returns nothing.
-- params: (none)
insert into unit (
    id,
    kind,
    parent_id,
    code,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    org_kind,
    boundary_geojson,
    population,
    sort_order
)
select
    id,
    kind,
    parent_id,
    code,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    null,
    boundary_geojson,
    cast(population as integer),
    cast(sort_order as integer)
from ref_unit
on conflict (id) do nothing
