-- Inserts the unit rows (kind team) of new teams and renames changed ones (frame `incoming_changes`); returns nothing. The parent is fixed once stored (foreign key).
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
    name_fi = excluded.name_fi,
    name_sv = excluded.name_sv,
    name_en = excluded.name_en
