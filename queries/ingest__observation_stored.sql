-- Returns the stored state (old_value … old_load_id, is_stored) of each incoming observation (registered frame `incoming`: the key columns) that is already stored.
-- params: (none)
select
    i.indicator_id,
    i.unit_id,
    i.period_start,
    i.grain,
    o.value as old_value,
    o.numerator as old_numerator,
    o.denominator as old_denominator,
    o.respondents as old_respondents,
    o.flag as old_flag,
    o.load_id as old_load_id,
    true as is_stored
from incoming as i
join observation as o
    on o.indicator_id = i.indicator_id
    and o.unit_id = i.unit_id
    and o.period_start = i.period_start
    and o.grain = i.grain
