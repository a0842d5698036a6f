-- The observations of the indicator × unit pairs that one programme's indicator measures follow, with the attributes suppression needs; pair then period order. Reading a programme reads its measures' figures (a manager's own scope has no station in it); suppression applies in vetopito.programmes.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
with pairs as (
    select distinct
        m.indicator_id,
        m.unit_id
    from programme_measure as m
    where m.programme_id = $programme_id
        and m.kind = 'indicator'
        and m.programme_id in (select unnest($readable_programmes))
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
    i.unit,
    i.direction,
    i.decimals,
    i.min_persons
from observation as o
join pairs as p
    on p.indicator_id = o.indicator_id
    and p.unit_id = o.unit_id
join indicator as i
    on i.id = o.indicator_id
order by o.indicator_id, o.unit_id, o.period_start
