-- Puts back the observations that load `$load_id` had replaced (undo, step 2).
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
    load_id
from observation_history
where replaced_by_load = $load_id
