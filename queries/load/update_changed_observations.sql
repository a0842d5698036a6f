-- Writes the changed observations of frame `incoming_changes` (each already stored: the plan's `changed` rows) as load `$load_id`; returns nothing.
-- params: $load_id INTEGER
update observation as o
set
    value = c.value,
    numerator = c.numerator,
    denominator = c.denominator,
    respondents = c.respondents,
    flag = c.flag,
    load_id = $load_id
from incoming_changes as c
where o.indicator_id = c.indicator_id
    and o.unit_id = c.unit_id
    and o.period_start = c.period_start
    and o.grain = c.grain
