-- The indicator measures of every programme that follow an indicator at a region or at a unit below it: the region dashboard's links to the sub-projects meant to move its indicators.
-- params: $unit_id VARCHAR, $readable_programmes VARCHAR[]
select distinct
    p.id as programme_id,
    p.name as programme_name,
    m.subproject_id,
    s.name as subproject_name,
    m.indicator_id,
    m.measure_id,
    m.unit_id
from programme_measure as m
join programme as p on p.id = m.programme_id
join subproject as s on s.programme_id = m.programme_id and s.subproject_id = m.subproject_id
left join unit as u on u.id = m.unit_id
where m.kind = 'indicator'
    and m.programme_id in (select unnest($readable_programmes))
    and m.indicator_id is not null
    and (m.unit_id = $unit_id or u.parent_id = $unit_id)
order by p.name, p.id, m.subproject_id, m.indicator_id
