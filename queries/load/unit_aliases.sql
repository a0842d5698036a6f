-- Every alias of every unit (codes, short and common names, Sotkanet and StatFin ids).
-- params: (none)
select
    alias_norm,
    unit_id,
    alias,
    alias_kind
from unit_alias
order by unit_id, alias_norm
