-- Rebuilds region_series for the given indicators, the periods starting from $first to $last (null: no bound; the same bounds as load/derived/delete_series before it): the regions' own rows, and the national (FI) and every YTA's figure per period, a reported figure where loaded, else aggregated over the regions (ratio of sums, sum or mean of regions, by the indicator's aggregation) only for a period in which every region of FI (every kind 'region' unit) or of that YTA has a value, so one early region is never shown as the country; sums and means are taken over the values sorted (lists, not ordered aggregates: a quarter of the cost), so a rebuild (after an undo) gives the same bits as the first build whatever order parallel threads read the rows in; returns nothing.
-- params: $indicator_ids VARCHAR[], $first DATE, $last DATE
insert into region_series (
    unit_id, indicator_id, period_start, grain, value, numerator, denominator, respondents, flag, method, n_regions
)
with wanted as (
    select
        i.id as indicator_id,
        i.aggregation,
        i.unit
    from indicator as i
    where i.id in (select unnest($indicator_ids))
),
national_units as (
    select
        u.id,
        u.kind,
        u.parent_id
    from unit as u
    where u.kind in ('country', 'yta', 'region')
),
national_rows as (
    select
        o.*,
        n.kind,
        n.parent_id
    from observation as o
    join national_units as n on n.id = o.unit_id
    where o.indicator_id in (select indicator_id from wanted)
        -- every figure is of one period: the periods outside the bounds are not rebuilt, and need not be read
        and o.period_start between coalesce($first::date, date '0001-01-01') and coalesce($last::date, date '9999-12-31')
),
region_rows as (
    select * from national_rows where kind = 'region'
),
-- how many regions a computed figure needs: all of them for FI, the YTA's own for a YTA
expected_regions as (
    select
        'FI' as ref_unit_id,
        count(*) as n_expected
    from unit as u
    where u.kind = 'region'
    union all
    select
        u.parent_id as ref_unit_id,
        count(*) as n_expected
    from unit as u
    where u.kind = 'region'
        and u.parent_id is not null
    group by u.parent_id
),
tagged as (
    select 'FI' as ref_unit_id, indicator_id, period_start, grain, value, numerator, denominator
    from region_rows
    union all
    select parent_id as ref_unit_id, indicator_id, period_start, grain, value, numerator, denominator
    from region_rows
),
aggregated as (
    select
        t.ref_unit_id,
        t.indicator_id,
        t.period_start,
        t.grain,
        w.aggregation,
        w.unit,
        e.n_expected,
        count(t.value) as n_regions,
        count(t.numerator) as n_with_numerator,
        count(*) as n_rows,
        -- each sum and mean over the group's values sorted, added in that order (an ordered
        -- aggregate, `sum(x order by x)`, gives the same bits at four times the cost)
        list_sum(list_sort(list(t.numerator) filter (where t.numerator is not null))) as numerator,
        list_sum(list_sort(list(t.denominator) filter (where t.denominator is not null))) as denominator,
        list_sum(list_sort(list(t.value) filter (where t.value is not null))) as value_sum,
        list_avg(list_sort(list(t.value) filter (where t.value is not null))) as value_mean
    from tagged as t
    join wanted as w on w.indicator_id = t.indicator_id
    join expected_regions as e on e.ref_unit_id = t.ref_unit_id
    group by all
),
computed as (
    select
        ref_unit_id as unit_id,
        indicator_id,
        period_start,
        grain,
        case
            when aggregation = 'none' then null
            when aggregation = 'ratio' and n_with_numerator = n_rows and denominator > 0
                then numerator / denominator * (case when unit = 'pct' then 100 else 1 end)
            when aggregation = 'sum' then value_sum
            else value_mean
        end as value,
        case when aggregation = 'ratio' and n_with_numerator = n_rows then numerator end as numerator,
        case when aggregation = 'ratio' and n_with_numerator = n_rows then denominator end as denominator,
        null::integer as respondents,
        null::varchar as flag,
        case
            when aggregation = 'none' then 'none'
            when aggregation = 'ratio' and n_with_numerator = n_rows and denominator > 0 then 'ratio'
            when aggregation = 'sum' then 'sum'
            else 'mean'
        end as method,
        n_regions,
        2 as priority
    from aggregated
    where n_regions = n_expected
),
reported as (
    select
        unit_id,
        indicator_id,
        period_start,
        grain,
        value,
        numerator,
        denominator,
        respondents,
        flag,
        'reported' as method,
        null::bigint as n_regions,
        1 as priority
    from national_rows
    where kind in ('country', 'yta')
        and value is not null
),
reference as (
    select * exclude (priority)
    from (select * from computed union all select * from reported)
    qualify row_number() over (
        partition by unit_id, indicator_id, period_start, grain
        order by priority
    ) = 1
)
select
    unit_id, indicator_id, period_start, grain, value, numerator, denominator, respondents, flag,
    'reported' as method,
    null::bigint as n_regions
from region_rows
union all
select
    unit_id, indicator_id, period_start, grain, value, numerator, denominator, respondents, flag, method, n_regions
from reference
