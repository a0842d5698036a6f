-- The indicators the user sees ($scope_indicators) in dashboard order (theme, then sort order): names, unit, direction, decimals, aggregation, seasonal, scope (national / region / team and which).
-- params: $scope_indicators VARCHAR[]
select
    i.id as indicator_id,
    i.name_fi,
    i.name_sv,
    i.name_en,
    coalesce(i.short_fi, i.name_fi) as short_fi,
    coalesce(i.short_sv, i.name_sv) as short_sv,
    coalesce(i.short_en, i.name_en) as short_en,
    i.theme,
    i.unit,
    i.direction,
    i.decimals,
    i.aggregation,
    i.min_persons,
    i.source,
    i.sort_order,
    coalesce(s.seasonal, false) as seasonal,
    coalesce(sc.scope_kind, 'national') as scope_kind,
    coalesce(sc.scope_value, '') as scope_value
from indicator as i
left join indicator_seasonality as s on s.indicator_id = i.id
left join indicator_scope as sc on sc.indicator_id = i.id
where i.id in (select unnest($scope_indicators))
order by
    case i.theme when 'access' then 1 when 'wellbeing' then 2 when 'retention' then 3 else 4 end,
    i.sort_order,
    i.id
