-- Removes the given indicators' rows of observation_summary (load/derived/insert_unit_summary rebuilds them); returns nothing.
-- params: $indicator_ids VARCHAR[]
delete from observation_summary
where indicator_id in (select unnest($indicator_ids))
