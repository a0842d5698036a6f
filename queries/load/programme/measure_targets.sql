-- The stored interim targets of the measures of the programmes $programme_ids (a measures load compares the file's with them): milestones' and outputs' from measure_target, indicator measures' from target rows the measure wrote (source 'programme:<programme>/<sub-project>/<measure>'), with the target's own key.
-- params: $programme_ids VARCHAR[]
select
    t.programme_id,
    t.subproject_id,
    t.measure_id,
    t.target_date,
    t.value,
    t.text,
    null::varchar as indicator_id,
    null::varchar as unit_id
from measure_target as t
where t.programme_id in (select unnest($programme_ids))
union all
select
    m.programme_id,
    m.subproject_id,
    m.measure_id,
    t.due_date,
    t.target_value,
    t.label,
    t.indicator_id,
    t.unit_id
from programme_measure as m
join target as t
    on t.source = 'programme:' || m.programme_id || '/' || m.subproject_id || '/' || m.measure_id
where m.programme_id in (select unnest($programme_ids))
