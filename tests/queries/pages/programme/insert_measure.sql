-- A measure of a test sub-project.
-- params: $programme_id VARCHAR, $subproject_id VARCHAR, $measure_id VARCHAR, $position INTEGER, $kind VARCHAR, $name VARCHAR, $indicator_id VARCHAR, $unit_id VARCHAR, $method VARCHAR, $baseline_text VARCHAR, $baseline_value DOUBLE, $baseline_date DATE, $due_date DATE, $done_date DATE, $output_kind VARCHAR
insert into programme_measure (programme_id, subproject_id, measure_id, position, kind, name, indicator_id, unit_id, method,
    baseline_text, baseline_value, baseline_date, due_date, done_date, output_kind, load_id)
values ($programme_id, $subproject_id, $measure_id, $position, $kind, $name, $indicator_id, $unit_id, $method,
    $baseline_text, $baseline_value, $baseline_date, $due_date, $done_date, $output_kind, 0)
