-- Every indicator of the catalogue with all its attributes, in catalogue order.
-- params: (none)
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
    decimals,
    aggregation,
    min_persons,
    definition_fi,
    definition_sv,
    definition_en,
    source,
    licence,
    sotkanet_id,
    sort_order
from indicator
order by sort_order, id
