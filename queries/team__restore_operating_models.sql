-- Puts back the themes and links of the operating models load `$load_id` changed (from operating_model_history); returns nothing.
-- params: $load_id INTEGER
update operating_model as m
set
    theme = h.theme,
    link = h.link
from operating_model_history as h
where h.team_id = m.team_id
    and h.title = m.title
    and h.replaced_by_load = $load_id
