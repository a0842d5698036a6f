-- An output count of a test output measure for one period.
-- params: $programme_id VARCHAR, $subproject_id VARCHAR, $measure_id VARCHAR, $period_start DATE, $period_end DATE, $counted DOUBLE
insert into output_count (programme_id, subproject_id, measure_id, period_start, period_end, value, load_id)
values ($programme_id, $subproject_id, $measure_id, $period_start, $period_end, $counted, 0)
