-- Puts back the names of the team units load `$load_id` changed (from team_history); returns nothing.
-- params: $load_id INTEGER
update unit as u
set
    name_fi = h.name_fi,
    name_sv = h.name_sv,
    name_en = h.name_en
from team_history as h
where h.unit_id = u.id
    and h.replaced_by_load = $load_id
