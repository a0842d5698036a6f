-- How many targets undoing load `$load_id` restores and how many it removes.
-- params: $load_id INTEGER
select
    (select count(*) from target_history where replaced_by_load = $load_id) as restored,
    (select count(*) from target where load_id = $load_id)
        - (select count(*) from target_history where replaced_by_load = $load_id) as removed
