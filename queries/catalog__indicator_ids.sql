-- The id of every indicator, in catalogue order (readable at every schema version: migrations rebuild derived tables with it).
-- params: (none)
select id
from indicator
order by sort_order, id
