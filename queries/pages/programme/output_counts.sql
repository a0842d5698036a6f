-- The output counts of one programme's output measures per period, oldest first.
-- params: $programme_id VARCHAR
select
    c.subproject_id,
    c.measure_id,
    c.period_start,
    c.period_end,
    c.value
from output_count as c
where c.programme_id = $programme_id
order by c.subproject_id, c.measure_id, c.period_start
