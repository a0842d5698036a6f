-- For tests only: the national (FI) and YTA figures computed on the fly from observation over the regions in scope, only for a period in which every region of FI or of the YTA has a value (what region_series must equal after every load and undo); same columns as pages/region/reference_series.
-- params: $indicator_ids VARCHAR[], $scope_units VARCHAR[]
with wanted as (
    select
        i.id as indicator_id,
        i.aggregation,
        i.unit
    from indicator as i
    where i.id in (select unnest($indicator_ids))
),
regions_in_scope as (
    select
        u.id,
        u.parent_id as yta_id
    from unit as u
    where u.kind = 'region'
        and u.id in (select unnest($scope_units))
),
region_rows as (
    select
        o.indicator_id,
        o.period_start,
        o.grain,
        o.value,
        o.numerator,
        o.denominator,
        r.yta_id
    from observation as o
    join regions_in_scope as r on r.id = o.unit_id
    join wanted as w on w.indicator_id = o.indicator_id
),
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
    group by u.parent_id
),
tagged as (
    select 'FI' as ref_unit_id, * exclude (yta_id) from region_rows
    union all
    select yta_id as ref_unit_id, * exclude (yta_id) from region_rows
),
aggregated as (
    select
        t.ref_unit_id,
        t.indicator_id,
        t.period_start,
        t.grain,
        w.aggregation,
        w.unit,
        count(t.value) as n_regions,
        count(t.numerator) as n_with_numerator,
        count(*) as n_rows,
        sum(t.numerator) as numerator,
        sum(t.denominator) as denominator,
        sum(t.value) as value_sum,
        avg(t.value) as value_mean
    from tagged as t
    join wanted as w on w.indicator_id = t.indicator_id
    join expected_regions as e on e.ref_unit_id = t.ref_unit_id
    group by all
    having count(t.value) = any_value(e.n_expected)
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
        case
            when aggregation = 'none' then 'none'
            when aggregation = 'ratio' and n_with_numerator = n_rows and denominator > 0 then 'ratio'
            when aggregation = 'sum' then 'sum'
            else 'mean'
        end as method,
        case when aggregation = 'ratio' and n_with_numerator = n_rows then numerator end as numerator,
        case when aggregation = 'ratio' and n_with_numerator = n_rows then denominator end as denominator,
        n_regions,
        2 as priority
    from aggregated
),
reported as (
    select
        o.unit_id,
        o.indicator_id,
        o.period_start,
        o.grain,
        o.value,
        'reported' as method,
        o.numerator,
        o.denominator,
        null::bigint as n_regions,
        1 as priority
    from observation as o
    join wanted as w on w.indicator_id = o.indicator_id
    where o.unit_id in (
            select u.id
            from unit as u
            where u.kind in ('country', 'yta')
                and u.id in (select unnest($scope_units))
        )
        and o.value is not null
)
select
    unit_id,
    indicator_id,
    period_start,
    grain,
    value,
    method,
    numerator,
    denominator,
    n_regions
from (select * from computed union all select * from reported)
qualify row_number() over (
    partition by unit_id, indicator_id, period_start, grain
    order by priority
) = 1
order by unit_id, indicator_id, grain, period_start
