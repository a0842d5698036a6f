-- Deletes aliases of reference units that the registered frame ref_alias no longer lists; returns nothing.
-- params: (none)
delete from unit_alias as a
where a.unit_id in (select id from ref_unit)
    and not exists (
        select 1
        from ref_alias as r
        where r.alias_norm = a.alias_norm
            and r.unit_id = a.unit_id
    )
