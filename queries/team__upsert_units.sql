-- Inserts the unit rows (kind team) of the incoming new teams (frame `incoming_changes`); returns nothing. A team's names and parent are fixed once stored (DuckDB cannot update a referenced unit row).
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
where status = 'new'
on conflict (id) do nothing
