-- Removes the units created by load `$load_id` that have no child left (undo; repeated until none remain).
-- params: $load_id INTEGER
delete from unit
where id in (
    select unit_id
    from unit_load
    where load_id = $load_id
)
    and id not in (
        select parent_id
        from unit
        where parent_id is not null
    )
