-- Keeps the stored theme and link of every operating model that load `$load_id` changes (frame `incoming_changes`); returns nothing.
-- params: $load_id INTEGER
insert into operating_model_history (team_id, title, theme, link, replaced_by_load)
select
    m.team_id,
    m.title,
    m.theme,
    m.link,
    $load_id
from operating_model as m
join incoming_changes as c
    on c.team_id = m.team_id
    and c.title = m.title
where c.status = 'changed'
