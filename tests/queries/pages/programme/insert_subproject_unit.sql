-- A unit a test sub-project covers.
-- params: $programme_id VARCHAR, $subproject_id VARCHAR, $unit_id VARCHAR
insert into subproject_unit (programme_id, subproject_id, unit_id, load_id) values ($programme_id, $subproject_id, $unit_id, 0)
