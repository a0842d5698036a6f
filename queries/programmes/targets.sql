-- The interim targets of one programme's measures the user may read: milestones' and outputs' from measure_target, indicator measures' from target (rows a measures load of this programme wrote, source 'programme:<id>'); measure then date order.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    t.subproject_id,
    t.measure_id,
    t.target_date,
    t.value,
    t.text
from measure_target as t
where t.programme_id = $programme_id
    and t.programme_id in (select unnest($readable_programmes))
union all
select
    m.subproject_id,
    m.measure_id,
    t.due_date as target_date,
    t.target_value as value,
    t.label as text
from programme_measure as m
join target as t
    on t.indicator_id = m.indicator_id
    and t.unit_id = m.unit_id
    and t.source = 'programme:' || m.programme_id || '/' || m.subproject_id || '/' || m.measure_id
where m.programme_id = $programme_id
    and m.kind = 'indicator'
    and m.programme_id in (select unnest($readable_programmes))
order by subproject_id, measure_id, target_date
