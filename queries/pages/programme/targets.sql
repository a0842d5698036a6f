-- The interim targets of one programme's measures, soonest first: a milestone's or an output's from measure_target, an indicator measure's from `target` (its indicator at its unit).
-- params: $programme_id VARCHAR
select
    mt.subproject_id,
    mt.measure_id,
    mt.target_date,
    mt.value,
    mt.text
from measure_target as mt
where mt.programme_id = $programme_id
union all
select
    m.subproject_id,
    m.measure_id,
    t.due_date as target_date,
    t.target_value as value,
    t.label as text
from programme_measure as m
join target as t on t.indicator_id = m.indicator_id and t.unit_id = m.unit_id
where m.programme_id = $programme_id
    and m.kind = 'indicator'
order by subproject_id, measure_id, target_date
