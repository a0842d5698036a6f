-- An interim target of a test milestone or output measure.
-- params: $programme_id VARCHAR, $subproject_id VARCHAR, $measure_id VARCHAR, $target_date DATE, $planned DOUBLE, $text VARCHAR
insert into measure_target (programme_id, subproject_id, measure_id, target_date, value, text, load_id)
values ($programme_id, $subproject_id, $measure_id, $target_date, $planned, $text, 0)
