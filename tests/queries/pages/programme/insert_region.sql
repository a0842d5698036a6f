-- A region a test programme covers.
-- params: $programme_id VARCHAR, $region_id VARCHAR
insert into programme_region (programme_id, region_id, load_id) values ($programme_id, $region_id, 0)
