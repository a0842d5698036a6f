-- Updates reference units whose names, code, population or boundary differ from the registered frame ref_unit; returns nothing.
-- params: (none)
-- Only rows that differ are touched: DuckDB refuses an update of a unit row that other rows
-- reference (the unit table's check on parent_id makes every update rewrite that column).
update unit
set
    code = r.code,
    name_fi = r.name_fi,
    name_sv = r.name_sv,
    name_en = r.name_en,
    short_fi = r.short_fi,
    short_sv = r.short_sv,
    short_en = r.short_en,
    boundary_geojson = r.boundary_geojson,
    population = cast(r.population as integer),
    sort_order = cast(r.sort_order as integer)
from ref_unit as r
where unit.id = r.id
    and (
        unit.code,
        unit.name_fi,
        unit.name_sv,
        unit.name_en,
        unit.short_fi,
        unit.short_sv,
        unit.short_en,
        unit.boundary_geojson,
        unit.population,
        unit.sort_order
    ) is distinct from (
        r.code,
        r.name_fi,
        r.name_sv,
        r.name_en,
        r.short_fi,
        r.short_sv,
        r.short_en,
        r.boundary_geojson,
        cast(r.population as integer),
        cast(r.sort_order as integer)
    )
