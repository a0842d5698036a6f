-- Keeps the stored team row and unit names of every team that load `$load_id` changes (frame `incoming_changes`); returns nothing.
-- params: $load_id INTEGER
insert into team_history (
    unit_id, parent_id, name_fi, name_sv, name_en, region_id, work_unit, cohort_year, yta_id,
    theme, aim_text, size, started_on, replaced_by_load
)
select
    t.unit_id,
    u.parent_id,
    u.name_fi,
    u.name_sv,
    u.name_en,
    t.region_id,
    t.work_unit,
    t.cohort_year,
    t.yta_id,
    t.theme,
    t.aim_text,
    t.size,
    t.started_on,
    $load_id
from team as t
join unit as u on u.id = t.unit_id
join incoming_changes as c on c.team_id = t.unit_id
where c.status = 'changed'
