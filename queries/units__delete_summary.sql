-- Removes the given indicators' rows of observation_summary (units__insert_summary rebuilds them); returns nothing.
-- params: $indicator_ids VARCHAR[]
delete from observation_summary
where indicator_id in (select unnest($indicator_ids))
