-- Inserts or updates the aliases of reference units from the registered frame ref_alias; returns nothing.
-- params: (none)
insert into unit_alias (
    alias_norm,
    unit_id,
    alias,
    alias_kind,
    source
)
select
    alias_norm,
    unit_id,
    alias,
    alias_kind,
    source
from ref_alias
on conflict (alias_norm, unit_id) do update set
    alias = excluded.alias,
    alias_kind = excluded.alias_kind,
    source = excluded.source
