-- The names of the units a programme's measures follow (any kind: a region, a station), for chart titles and the report.
-- params: $unit_ids VARCHAR[]
select
    u.id as unit_id,
    coalesce(u.short_fi, u.name_fi) as name_fi,
    coalesce(u.short_sv, u.name_sv) as name_sv,
    coalesce(u.short_en, u.name_en) as name_en
from unit as u
where u.id in (select unnest($unit_ids))
order by u.id
