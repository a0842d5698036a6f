-- Forgets which team units an undone load created (unit_load rows of units that no longer exist); returns nothing.
-- params: $load_id INTEGER
delete from unit_load
where load_id = $load_id
    and unit_id not in (select id from unit)
