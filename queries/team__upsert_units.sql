-- Inserts or updates the unit rows (kind team) of the incoming changed teams (frame `incoming_changes`); returns nothing.
-- params: (none)
insert into unit (id, kind, parent_id, name_fi, name_sv, name_en)
select
    team_id,
    'team',
    parent_id,
    name_fi,
    name_sv,
    name_en
from incoming_changes
on conflict (id) do update set
    parent_id = excluded.parent_id,
    name_fi = excluded.name_fi,
    name_sv = excluded.name_sv,
    name_en = excluded.name_en
