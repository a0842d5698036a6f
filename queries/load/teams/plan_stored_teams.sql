-- The stored teams a load plan checks against (loader only, sees every unit to resolve names): what a reload may not change (names, parent, region, collaborative area), one row per team.
-- params: (none)
select
    t.unit_id as team_id,
    u.name_fi,
    u.name_sv,
    u.name_en,
    u.parent_id,
    t.region_id,
    t.yta_id
from team as t
join unit as u on u.id = t.unit_id
order by t.unit_id
