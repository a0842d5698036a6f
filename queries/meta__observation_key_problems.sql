-- Returns what the loader keeps true of `observation` that the schema no longer checks (see schema 009): keys stored more than once, and indicator or unit ids that do not exist; one row per problem (problem, indicator_id, unit_id, period_start, grain, n), none when all is well.
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
)
select * from duplicates
union all
select * from unknown_indicators
union all
select * from unknown_units
order by problem, indicator_id, unit_id, period_start, grain
