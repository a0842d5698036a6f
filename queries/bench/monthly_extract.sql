-- Returns the ingest benchmark's monthly extract: every monthly value of the newest month, as the month after it (indicator, unit, period as YYYY-MM, value, numerator, denominator), ordered.
-- params: (none)
with newest as (
    select
        max(period_start) as period_start
    from observation
    where grain = 'month'
)
select
    o.indicator_id as indicator,
    o.unit_id as unit,
    strftime(o.period_start + interval 1 month, '%Y-%m') as period,
    o.value,
    o.numerator,
    o.denominator
from observation as o
join newest as n on n.period_start = o.period_start
where o.grain = 'month'
order by o.indicator_id, o.unit_id
