-- A benefit goal of a test programme.
-- params: $programme_id VARCHAR, $goal_id VARCHAR, $position INTEGER, $name VARCHAR
insert into programme_goal (programme_id, goal_id, position, name, load_id)
values ($programme_id, $goal_id, $position, $name, 0)
