-- Every unit with the names an extract may use for it (the loader resolves names against all
-- units, then refuses rows outside the user's scope with a row error).
-- params: (none)
select
    id,
    kind,
    parent_id,
    code,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    org_kind
from unit
order by sort_order, id
