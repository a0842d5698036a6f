-- Returns the catalogue's indicators (id, unit, decimals) for the ingest benchmark's CSV, in catalogue order.
-- params: (none)
select
    id,
    unit,
    decimals
from indicator
order by sort_order, id
