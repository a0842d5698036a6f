-- A role grant written by a test.
-- params: $email VARCHAR, $role VARCHAR, $scope_kind VARCHAR, $scope_value VARCHAR
insert into role_grant (email, role, scope_kind, scope_value, granted_by) values ($email, $role, $scope_kind, $scope_value, 'test')
