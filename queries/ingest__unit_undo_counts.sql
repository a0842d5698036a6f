-- How many units undoing load `$load_id` restores and how many it removes.
-- params: $load_id INTEGER
select
    (select count(*) from unit_history where replaced_by_load = $load_id) as restored,
    (select count(*) from unit_load where load_id = $load_id) as removed
