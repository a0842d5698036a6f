-- Läpimurto teams the user may see: id, names, region, collaborative area, cohort, theme, aim, size and start date.
-- params: $scope_units VARCHAR[]
with visible as (
    select
        t.unit_id,
        t.region_id,
        t.yta_id,
        t.work_unit,
        t.cohort_year,
        t.theme,
        t.aim_text,
        t.size,
        t.started_on
    from team as t
    where t.unit_id in (select unnest($scope_units))
)
select
    v.unit_id as team_id,
    u.name_fi,
    u.name_sv,
    u.name_en,
    v.region_id,
    r.name_fi as region_name_fi,
    r.name_sv as region_name_sv,
    r.name_en as region_name_en,
    coalesce(r.short_fi, r.name_fi) as region_short_fi,
    coalesce(r.short_sv, r.name_sv) as region_short_sv,
    coalesce(r.short_en, r.name_en) as region_short_en,
    v.yta_id,
    y.name_fi as yta_name_fi,
    y.name_sv as yta_name_sv,
    y.name_en as yta_name_en,
    v.work_unit,
    v.cohort_year,
    v.theme,
    v.aim_text,
    v.size,
    v.started_on
from visible as v
join unit as u on u.id = v.unit_id
left join unit as r on r.id = v.region_id
left join unit as y on y.id = v.yta_id
order by v.cohort_year, v.unit_id
