-- Inserts or updates operating models from the frame `incoming_changes`; returns nothing.
-- params: (none)
insert into operating_model (team_id, title, theme, link)
select
    team_id,
    title,
    theme,
    link
from incoming_changes
on conflict (team_id, title) do update set
    theme = excluded.theme,
    link = excluded.link
