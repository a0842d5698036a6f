-- Inserts $months monthly synthetic observations of one indicator for the country, every YTA, region and organisational unit (skipping rows that exist); returns nothing.
-- params: $indicator_id VARCHAR, $first_month DATE, $months INTEGER, $load_id INTEGER
insert into observation (
    indicator_id, unit_id, period_start, grain, value, numerator, denominator, respondents, flag, load_id
)
with chosen as (
    select
        id,
        unit
    from indicator
    where id = $indicator_id
),
units as (
    select
        id as unit_id,
        (hash(id) % 1000) / 1000.0 as level,
        (hash(id, 'trend') % 1000) / 1000.0 - 0.5 as drift
    from unit
    where kind in ('country', 'yta', 'region', 'org_unit')
),
months as (
    select
        m.range as month_no,
        (($first_month)::date + to_months(m.range::integer))::date as period_start
    from range(0, $months) as m
),
raw as (
    select
        units.unit_id,
        months.period_start,
        months.month_no,
        chosen.unit,
        units.level,
        units.drift,
        (hash(units.unit_id, $indicator_id, months.period_start) % 1000000) / 1000000.0 - 0.5 as noise,
        50 + hash(units.unit_id, $indicator_id) % 950 as denominator
    from chosen, units, months
),
shaped as (
    select
        *,
        0.3 + 0.6 * level + drift * month_no / 400.0 + 0.04 * sin(month_no * pi() / 6) + 0.1 * noise as share
    from raw
),
clamped as (
    select
        *,
        least(0.999, greatest(0.001, share)) as share_clamped
    from shaped
)
select
    $indicator_id as indicator_id,
    unit_id,
    period_start,
    'month' as grain,
    case
        when unit = 'pct' then round(100.0 * round(share_clamped * denominator) / denominator, 3)
        when unit = 'days' then round(60 * share_clamped, 1)
        when unit in ('count', 'persons') then round(500 * share_clamped)
        else round(100 * share_clamped, 2)
    end as value,
    case when unit = 'pct' then round(share_clamped * denominator) end as numerator,
    case when unit = 'pct' then denominator end as denominator,
    null as respondents,
    null as flag,
    $load_id as load_id
from clamped
where not exists (
    select 1
    from observation as o
    where o.indicator_id = $indicator_id
        and o.unit_id = clamped.unit_id
        and o.period_start = clamped.period_start
        and o.grain = 'month'
)
