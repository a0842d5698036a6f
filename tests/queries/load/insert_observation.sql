-- Writes one observation as load $load_id straight into the table, past the loader (tests use it to show what the schema alone would let through); returns nothing.
-- params: $indicator_id VARCHAR, $unit_id VARCHAR, $period_start DATE, $figure DOUBLE, $load_id INTEGER
insert into observation (indicator_id, unit_id, period_start, grain, value, load_id)
values ($indicator_id, $unit_id, $period_start, 'month', $figure, $load_id)
