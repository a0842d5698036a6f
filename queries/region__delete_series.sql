-- Removes the given indicators' rows of region_series (region__insert_series rebuilds them); returns nothing.
-- params: $indicator_ids VARCHAR[]
delete from region_series
where indicator_id in (select unnest($indicator_ids))
