-- Puts back the team rows load `$load_id` changed (from team_history); returns nothing.
-- params: $load_id INTEGER
update team as t
set
    work_unit = h.work_unit,
    cohort_year = h.cohort_year,
    theme = h.theme,
    aim_text = h.aim_text,
    size = h.size,
    started_on = h.started_on
from team_history as h
where h.unit_id = t.unit_id
    and h.replaced_by_load = $load_id
