-- A sub-project of a test programme.
-- params: $programme_id VARCHAR, $subproject_id VARCHAR, $goal_id VARCHAR, $position INTEGER, $name VARCHAR, $scope_name VARCHAR
insert into subproject (programme_id, subproject_id, goal_id, position, name, scope_name, load_id)
values ($programme_id, $subproject_id, $goal_id, $position, $name, $scope_name, 0)
