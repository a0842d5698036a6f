-- Every indicator of the catalogue with all its attributes (the catalogue's own unit code from indicator_detail where a load set one), in catalogue order.
-- params: (none)
select
    id,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    theme,
    coalesce(d.unit, i.unit) as unit,
    direction,
    decimals,
    aggregation,
    min_persons,
    definition_fi,
    definition_sv,
    definition_en,
    source,
    licence,
    sotkanet_id,
    sort_order,
    d.min_respondents,
    coalesce(d.name_sv_given, true) as name_sv_given,
    coalesce(d.name_en_given, true) as name_en_given
from indicator as i
left join indicator_detail as d
    on d.indicator_id = i.id
order by sort_order, id
