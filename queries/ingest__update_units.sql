-- Renames the changed units of frame `incoming_changes`.
-- params: (none)
update unit
set
    name_fi = c.name_fi,
    name_sv = c.name_sv,
    name_en = c.name_en,
    org_kind = c.org_kind
from incoming_changes as c
where unit.id = c.id
    and c.status = 'changed'
