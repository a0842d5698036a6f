-- Inserts or updates the aliases of reference units from the registered frame ref_alias; returns nothing.
-- params: (none)
merge into unit_alias as stored
using (
    select
        alias_norm,
        unit_id,
        alias,
        alias_kind,
        source
    from ref_alias
) as given (alias_norm, unit_id, alias, alias_kind, "source")
on stored.alias_norm = given.alias_norm
    and stored.unit_id = given.unit_id
when matched then update set
    alias = given.alias,
    alias_kind = given.alias_kind,
    source = given.source
when not matched then insert (alias_norm, unit_id, alias, alias_kind, "source")
    values (given.alias_norm, given.unit_id, given.alias, given.alias_kind, given."source")
