-- A reporting round of a test programme.
-- params: $programme_id VARCHAR, $round_date DATE, $name VARCHAR
insert into reporting_round (programme_id, round_date, name, load_id) values ($programme_id, $round_date, $name, 0)
