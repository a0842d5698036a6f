-- Inserts the reference units (country, YTA, regions) of the registered frame ref_unit that the table lacks; returns nothing.
-- params: (none)
merge into unit as stored
using (
    select distinct
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
) as given (id, kind, parent_id, code, name_fi, name_sv, name_en, short_fi, short_sv, short_en, org_kind, boundary_geojson, population, sort_order)
on stored.id = given.id
when not matched then insert (id, kind, parent_id, code, name_fi, name_sv, name_en, short_fi, short_sv, short_en, org_kind, boundary_geojson, population, sort_order)
    values (given.id, given.kind, given.parent_id, given.code, given.name_fi, given.name_sv, given.name_en, given.short_fi, given.short_sv, given.short_en, given.org_kind, given.boundary_geojson, given.population, given.sort_order)
