-- Returns every indicator id (column id) in catalogue order, for the benchmark generator.
-- params: (none)
select
    id
from indicator
order by sort_order, id
