-- Puts back the names, short names, kind and org_kind that load `$load_id` had replaced (undo).
-- params: $load_id INTEGER
update unit
set
    name_fi = h.name_fi,
    name_sv = h.name_sv,
    name_en = h.name_en,
    short_fi = h.short_fi,
    short_sv = h.short_sv,
    short_en = h.short_en,
    kind = h.kind,
    org_kind = h.org_kind
from unit_history as h
where unit.id = h.id
    and h.replaced_by_load = $load_id
