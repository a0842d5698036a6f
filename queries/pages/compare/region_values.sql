-- One indicator at one period for every region in scope (a region without a value gets nulls): value, numerator, denominator, respondents, flag, code, names, YTA. Reads region_series (the regions' rows, kept in step with observation).
-- params: $indicator_id VARCHAR, $period_start DATE, $grain VARCHAR, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with period_rows as (
    select
        s.unit_id,
        s.value,
        s.numerator,
        s.denominator,
        s.respondents,
        s.flag
    from region_series as s
    where s.indicator_id = $indicator_id
        and s.period_start = $period_start
        and s.grain = $grain
        and s.method = 'reported'
        and s.unit_id in (select unnest($scope_units))
        and s.indicator_id in (select unnest($scope_indicators))
        -- the national comparison: never a region's or a team's own indicator
        and not exists (
            select 1
            from indicator_scope as sc
            where sc.indicator_id = s.indicator_id
                and sc.scope_kind <> 'national'
        )
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
    p.respondents,
    p.flag
from unit as u
left join period_rows as p on p.unit_id = u.id
where u.kind = 'region'
    and u.id in (select unnest($scope_units))
order by u.code
