-- Writes the widgets of frame `incoming_widgets` (new or changed) to the test-only table `widget`; returns nothing.
-- params: (none)
insert into widget (id, colour, size)
select
    id,
    colour,
    size
from incoming_widgets
on conflict (id) do update set
    colour = excluded.colour,
    size = excluded.size
