-- An interim target of an indicator at a unit (the existing target table).
-- params: $indicator_id VARCHAR, $unit_id VARCHAR, $due_date DATE, $target_value DOUBLE, $label VARCHAR, $source VARCHAR
insert into target (indicator_id, unit_id, due_date, target_value, label, source, load_id)
values ($indicator_id, $unit_id, $due_date, $target_value, $label, $source, 0)
