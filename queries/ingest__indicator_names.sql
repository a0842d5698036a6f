-- Every indicator with its names, unit, decimals, aggregation and Sotkanet id, for resolving and validating a file.
-- params: (none)
select
    id,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    unit,
    decimals,
    aggregation,
    sotkanet_id
from indicator
order by sort_order, id
