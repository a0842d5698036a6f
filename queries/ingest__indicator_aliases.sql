-- Every name a source uses for an indicator (Sotkanet ids, THL cube labels, PxWeb codes, column titles), learnt or shipped.
-- params: (none)
select
    alias_norm,
    indicator_id,
    alias,
    alias_kind,
    load_id
from indicator_alias
order by indicator_id, alias_norm
