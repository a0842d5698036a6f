-- Every indicator of the catalogue the user sees ($scope_indicators) with all its attributes and its scope (national, region or team, and which) (the catalogue's own unit code from indicator_detail where a load set one), in catalogue order.
-- params: $scope_indicators VARCHAR[]
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
    coalesce(d.name_en_given, true) as name_en_given,
    coalesce(sc.scope_kind, 'national') as scope_kind,
    coalesce(sc.scope_value, '') as scope_value
from indicator as i
left join indicator_detail as d
    on d.indicator_id = i.id
left join indicator_scope as sc
    on sc.indicator_id = i.id
where i.id in (select unnest($scope_indicators))
order by sort_order, id
