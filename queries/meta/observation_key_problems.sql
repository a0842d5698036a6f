-- Returns what the loader keeps true that the schema no longer checks (see schema 009 and 010): observation keys stored more than once, indicator or unit ids that do not exist, and keys of the derived tables region_series and observation_summary stored more than once; one row per problem (problem, indicator_id, unit_id, period_start, grain, n), none when all is well.
-- params: (none)
with duplicates as (
    select
        'duplicate' as problem,
        indicator_id,
        unit_id,
        period_start,
        grain,
        count(*) as n
    from observation
    group by indicator_id, unit_id, period_start, grain
    having count(*) > 1
),
unknown_indicators as (
    select
        'unknown_indicator' as problem,
        o.indicator_id,
        null as unit_id,
        null::date as period_start,
        null as grain,
        count(*) as n
    from observation as o
    anti join indicator as i
        on i.id = o.indicator_id
    group by o.indicator_id
),
unknown_units as (
    select
        'unknown_unit' as problem,
        null as indicator_id,
        o.unit_id,
        null::date as period_start,
        null as grain,
        count(*) as n
    from observation as o
    anti join unit as u
        on u.id = o.unit_id
    group by o.unit_id
),
series_duplicates as (
    select
        'duplicate_region_series' as problem,
        indicator_id,
        unit_id,
        period_start,
        grain,
        count(*) as n
    from region_series
    group by indicator_id, unit_id, period_start, grain
    having count(*) > 1
),
summary_duplicates as (
    select
        'duplicate_observation_summary' as problem,
        indicator_id,
        unit_id,
        null::date as period_start,
        null as grain,
        count(*) as n
    from observation_summary
    group by indicator_id, unit_id
    having count(*) > 1
)
select * from duplicates
union all
select * from series_duplicates
union all
select * from summary_duplicates
union all
select * from unknown_indicators
union all
select * from unknown_units
order by problem, indicator_id, unit_id, period_start, grain
