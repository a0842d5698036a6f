-- Every stored observation with its counts, for the alias, period and header tests (no scope: test only).
-- params: (none)
select
    indicator_id,
    unit_id,
    period_start::varchar as period_start,
    value,
    numerator,
    denominator,
    respondents
from observation
order by all
