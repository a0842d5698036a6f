-- Removes the stored scope of the indicators in the registered frame ref_indicator_scope, before load/indicators/insert_indicator_scope writes theirs (no key: one row per indicator is kept by this pair); returns nothing.
-- params: (none)
delete from indicator_scope
where indicator_id in (select indicator_id from ref_indicator_scope)
