-- The output counts of one programme the user may read (participants, workshops… per period); measure then period order.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    c.subproject_id,
    c.measure_id,
    c.period_start,
    c.period_end,
    c.value
from output_count as c
where c.programme_id = $programme_id
    and c.programme_id in (select unnest($readable_programmes))
order by c.subproject_id, c.measure_id, c.period_start, c.period_end
