-- Inserts or updates the team rows of the incoming changed teams (frame `incoming_changes`); returns nothing. Region and area are fixed once stored (foreign keys).
-- params: (none)
insert into team (unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on)
select
    team_id,
    region_id,
    work_unit,
    cohort_year,
    yta_id,
    theme,
    aim_text,
    size,
    started_on
from incoming_changes
on conflict (unit_id) do update set
    work_unit = excluded.work_unit,
    cohort_year = excluded.cohort_year,
    theme = excluded.theme,
    aim_text = excluded.aim_text,
    size = excluded.size,
    started_on = excluded.started_on
