-- Every stored observation's key and value, for the loader's property tests (no scope: test only).
-- params: (none)
select
    indicator_id,
    unit_id,
    period_start,
    grain,
    value
from observation
order by all
