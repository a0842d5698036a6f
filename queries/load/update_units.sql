-- Renames the changed units of frame `incoming_changes` in place (names, short names, kind, org_kind; never the parent).
-- params: (none)
update unit
set
    name_fi = c.name_fi,
    name_sv = c.name_sv,
    name_en = c.name_en,
    short_fi = c.short_fi,
    short_sv = c.short_sv,
    short_en = c.short_en,
    kind = c.kind,
    org_kind = c.org_kind
from incoming_changes as c
where unit.id = c.id
    and c.status = 'changed'
