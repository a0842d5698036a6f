-- Writes the widgets of frame `incoming_widgets` (new or changed) to the test-only table `widget`; returns nothing.
-- params: (none)
merge into widget as stored
using (
    select
        id,
        colour,
        size
    from incoming_widgets
) as given (id, colour, size)
on stored.id = given.id
when matched then update set
    colour = given.colour,
    size = given.size
when not matched then insert (id, colour, size)
    values (given.id, given.colour, given.size)
