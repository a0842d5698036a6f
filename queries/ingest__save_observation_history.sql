-- Keeps the stored state of every observation the load `$load_id` is about to change (frame `incoming_changes`).
-- params: $load_id INTEGER
insert into observation_history (
    indicator_id, unit_id, period_start, grain, value, numerator, denominator, respondents, flag,
    load_id, replaced_by_load
)
select
    o.indicator_id,
    o.unit_id,
    o.period_start,
    o.grain,
    o.value,
    o.numerator,
    o.denominator,
    o.respondents,
    o.flag,
    o.load_id,
    $load_id
from observation as o
join incoming_changes as c
    on c.indicator_id = o.indicator_id
    and c.unit_id = o.unit_id
    and c.period_start = o.period_start
    and c.grain = o.grain
where c.status = 'changed'
