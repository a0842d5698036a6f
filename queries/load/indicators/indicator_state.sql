-- Every stored indicator as the indicators format compares it (catalogue unit code, respondent minimum, given names, seasonal, scope) and whether values of it are stored: one row per indicator.
-- params: (none)
with valued as (
    select distinct indicator_id
    from observation
)
select
    i.id,
    i.name_fi,
    i.name_sv,
    i.name_en,
    i.short_fi,
    i.short_sv,
    i.short_en,
    i.theme,
    coalesce(d.unit, i.unit) as unit,
    i.direction,
    i.decimals,
    i.aggregation,
    i.min_persons,
    d.min_respondents,
    i.definition_fi,
    i.definition_sv,
    i.definition_en,
    i.source,
    i.licence,
    i.sotkanet_id,
    i.sort_order,
    coalesce(s.seasonal, false) as seasonal,
    coalesce(d.name_sv_given, true) as name_sv_given,
    coalesce(d.name_en_given, true) as name_en_given,
    coalesce(sc.scope_kind, 'national') as scope_kind,
    coalesce(sc.scope_value, '') as scope_value,
    sc.indicator_id is not null as has_scope,
    d.indicator_id is not null as has_detail,
    s.indicator_id is not null as has_seasonality,
    v.indicator_id is not null as has_values
from indicator as i
left join indicator_detail as d
    on d.indicator_id = i.id
left join indicator_seasonality as s
    on s.indicator_id = i.id
left join indicator_scope as sc
    on sc.indicator_id = i.id
left join valued as v
    on v.indicator_id = i.id
order by i.sort_order, i.id
