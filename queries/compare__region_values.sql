-- One indicator at one period for every region in scope (a region without a value gets nulls): value, numerator, denominator, respondents, code, names, YTA.
-- params: $indicator_id VARCHAR, $period_start DATE, $grain VARCHAR, $scope_units VARCHAR[]
with period_rows as (
    select
        o.unit_id,
        o.value,
        o.numerator,
        o.denominator,
        o.respondents
    from observation as o
    where o.indicator_id = $indicator_id
        and o.period_start = $period_start
        and o.grain = $grain
        and o.unit_id in (select unnest($scope_units))
)
select
    u.id as unit_id,
    u.code,
    u.name_fi,
    u.name_sv,
    u.name_en,
    coalesce(u.short_fi, u.name_fi) as short_fi,
    coalesce(u.short_sv, u.name_sv) as short_sv,
    coalesce(u.short_en, u.name_en) as short_en,
    u.parent_id as yta_id,
    p.value,
    p.numerator,
    p.denominator,
    p.respondents
from unit as u
left join period_rows as p on p.unit_id = u.id
where u.kind = 'region'
    and u.id in (select unnest($scope_units))
order by u.code
