-- Writes the new and changed observations of frame `incoming_changes` as load `$load_id`.
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
from incoming_changes
on conflict (indicator_id, unit_id, period_start, grain) do update set
    value = excluded.value,
    numerator = excluded.numerator,
    denominator = excluded.denominator,
    respondents = excluded.respondents,
    flag = excluded.flag,
    load_id = excluded.load_id
