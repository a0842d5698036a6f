-- Deletes the team units a load created (unit_load rows of kind team units); returns nothing.
-- params: $load_id INTEGER
delete from unit
where kind = 'team'
    and id in (
        select unit_id
        from unit_load
        where load_id = $load_id
    )
