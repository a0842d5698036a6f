-- Deletes dated definition changes of catalogue indicators that the registered frame ref_definition_change no longer lists; returns nothing.
-- params: (none)
delete from indicator_definition_change as c
where c.indicator_id in (select id from ref_indicator)
    and not exists (
        select 1
        from ref_definition_change as r
        where r.indicator_id = c.indicator_id
            and cast(r.valid_from as date) = c.valid_from
    )
