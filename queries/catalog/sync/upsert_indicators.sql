-- Inserts or updates every indicator of the catalogue from the registered frame ref_indicator; returns nothing.
-- params: (none)
merge into indicator as stored
using (
    select
        id,
        name_fi,
        name_sv,
        name_en,
        short_fi,
        short_sv,
        short_en,
        theme,
        unit,
        direction,
        cast(decimals as integer),
        aggregation,
        cast(min_persons as integer),
        definition_fi,
        definition_sv,
        definition_en,
        source,
        licence,
        cast(sotkanet_id as integer),
        cast(sort_order as integer)
    from ref_indicator
) as given (id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, theme, unit, direction, decimals, aggregation, min_persons, definition_fi, definition_sv, definition_en, "source", licence, sotkanet_id, sort_order)
on stored.id = given.id
when matched then update set
    name_fi = given.name_fi,
    name_sv = given.name_sv,
    name_en = given.name_en,
    short_fi = given.short_fi,
    short_sv = given.short_sv,
    short_en = given.short_en,
    theme = given.theme,
    unit = given.unit,
    direction = given.direction,
    decimals = given.decimals,
    aggregation = given.aggregation,
    min_persons = given.min_persons,
    definition_fi = given.definition_fi,
    definition_sv = given.definition_sv,
    definition_en = given.definition_en,
    source = given.source,
    licence = given.licence,
    sotkanet_id = given.sotkanet_id,
    sort_order = given.sort_order
when not matched then insert (id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, theme, unit, direction, decimals, aggregation, min_persons, definition_fi, definition_sv, definition_en, "source", licence, sotkanet_id, sort_order)
    values (given.id, given.name_fi, given.name_sv, given.name_en, given.short_fi, given.short_sv, given.short_en, given.theme, given.unit, given.direction, given.decimals, given.aggregation, given.min_persons, given.definition_fi, given.definition_sv, given.definition_en, given."source", given.licence, given.sotkanet_id, given.sort_order)
