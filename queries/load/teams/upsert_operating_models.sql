-- Inserts or updates operating models from the frame `incoming_changes`; returns nothing.
-- params: (none)
merge into operating_model as stored
using (
    select
        team_id,
        title,
        theme,
        link
    from incoming_changes
) as given (team_id, title, theme, link)
on stored.team_id = given.team_id
    and stored.title = given.title
when matched then update set
    theme = given.theme,
    link = given.link
when not matched then insert (team_id, title, theme, link)
    values (given.team_id, given.title, given.theme, given.link)
