-- Inserts the unit rows (kind team) of new teams and renames changed ones (frame `incoming_changes`); returns nothing. The parent is fixed once stored (foreign key).
-- params: (none)
merge into unit as stored
using (
    select
        team_id,
        'team',
        parent_id,
        name_fi,
        name_sv,
        name_en
    from incoming_changes
) as given (id, kind, parent_id, name_fi, name_sv, name_en)
on stored.id = given.id
when matched then update set
    name_fi = given.name_fi,
    name_sv = given.name_sv,
    name_en = given.name_en
when not matched then insert (id, kind, parent_id, name_fi, name_sv, name_en)
    values (given.id, given.kind, given.parent_id, given.name_fi, given.name_sv, given.name_en)
