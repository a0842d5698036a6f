-- The measures of one programme the user may read, with what suppression and the charts need of a linked indicator; sub-project then measure order.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    m.subproject_id,
    m.measure_id,
    m.position,
    m.kind,
    m.name,
    m.indicator_id,
    m.unit_id,
    m.method,
    m.baseline_text,
    m.baseline_value,
    m.baseline_date,
    m.due_date,
    m.done_date,
    m.output_kind,
    i.unit as indicator_unit,
    i.direction,
    i.decimals,
    i.min_persons
from programme_measure as m
left join indicator as i
    on i.id = m.indicator_id
where m.programme_id = $programme_id
    and m.programme_id in (select unnest($readable_programmes))
order by m.subproject_id, m.position, m.measure_id
