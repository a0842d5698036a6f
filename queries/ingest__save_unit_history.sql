-- Keeps the stored state of every unit that load `$load_id` changes (frame `incoming_changes`).
-- params: $load_id INTEGER
insert into unit_history (id, kind, parent_id, name_fi, name_sv, name_en, org_kind, short_fi, short_sv,
    short_en, replaced_by_load)
select
    u.id,
    u.kind,
    u.parent_id,
    u.name_fi,
    u.name_sv,
    u.name_en,
    u.org_kind,
    u.short_fi,
    u.short_sv,
    u.short_en,
    $load_id
from unit as u
join incoming_changes as c
    on c.id = u.id
where c.status = 'changed'
