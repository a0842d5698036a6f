-- A test programme row (load 0: written by the test, not by a load).
-- params: $id VARCHAR, $name VARCHAR, $funder VARCHAR, $period_start DATE, $period_end DATE, $owner_email VARCHAR, $description VARCHAR, $is_demo BOOLEAN
insert into programme (id, name, funder, period_start, period_end, owner_email, description, is_demo, load_id)
values ($id, $name, $funder, $period_start, $period_end, $owner_email, $description, $is_demo, 0)
