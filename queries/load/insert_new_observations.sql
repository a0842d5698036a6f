-- Writes the new observations of frame `incoming_new` (none of them stored yet) as load `$load_id`; returns nothing.
-- params: $load_id INTEGER
insert into observation (
    indicator_id, unit_id, period_start, grain, value, numerator, denominator, respondents, flag, load_id
)
select
    indicator_id,
    unit_id,
    period_start,
    grain,
    value,
    numerator,
    denominator,
    respondents,
    flag,
    $load_id
from incoming_new
