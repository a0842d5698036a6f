-- Returns the stored observations (key, old_value … old_load_id, is_stored) of the given indicators and units from $first to $last: every stored row a file with those keys could meet (the plan joins them to the file's rows).
-- params: $indicator_ids VARCHAR[], $unit_ids VARCHAR[], $first DATE, $last DATE
select
    o.indicator_id,
    o.unit_id,
    o.period_start,
    o.grain,
    o.value as old_value,
    o.numerator as old_numerator,
    o.denominator as old_denominator,
    o.respondents as old_respondents,
    o.flag as old_flag,
    o.load_id as old_load_id,
    true as is_stored
from observation as o
where o.indicator_id in (select unnest($indicator_ids))
    and o.unit_id in (select unnest($unit_ids))
    and o.period_start between $first and $last
