-- The units whose load scope governs undoing load `$load_id` (recorded when it was committed).
-- params: $load_id INTEGER
select unit_id
from load_unit
where load_id = $load_id
order by unit_id
